"""Photos as the workspace keeps them: turned upright, scaled to a long edge of 2560 pixels
and written afresh, so nothing but the pixels is kept. A camera's EXIF block (author, GPS
position of the customer's site, camera serial), XMP, IPTC and PNG text chunks stay behind,
and the stored name is neutral ("photo.jpg"), since a file name often holds a person's name.
"""

from __future__ import annotations

import io
import re
from pathlib import PurePath

STORED_EDGE = 2560  # enough to read a whiteboard or a label in the report and on screen
JPEG_QUALITY = 90


def clean_photo(data: bytes) -> tuple[bytes, str] | None:
    """The picture's pixels written afresh (JPEG, or PNG when it has transparency or came
    as PNG) and the suffix that goes with them; None when the bytes are not a picture."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # loaded only for a photo

    try:
        with Image.open(io.BytesIO(data)) as img:
            # a screenshot or drawing stays lossless; a big picture becomes a JPEG
            lossless = (img.format or "").upper() == "PNG" and max(img.size) <= STORED_EDGE
            img.load()
            upright = ImageOps.exif_transpose(img)
            upright.thumbnail((STORED_EDGE, STORED_EDGE))
            out = io.BytesIO()
            if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                Image.Image.convert(upright, "RGBA").save(out, "PNG")
                return out.getvalue(), ".png"
            plain = upright.convert("L" if upright.mode in ("1", "L", "I;16") else "RGB")
            if lossless:
                plain.save(out, "PNG")
                return out.getvalue(), ".png"
            plain.save(out, "JPEG", quality=JPEG_QUALITY)
            return out.getvalue(), ".jpg"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, RuntimeError,
            Image.DecompressionBombError):
        return None  # not a picture Pillow reads: kept as the file it is


def stored_copy(data: bytes, name: str) -> tuple[bytes, str]:
    """What the workspace stores of an attached file, and under which neutral name: a
    picture cleaned as above ("photo.jpg"), any other file as it is ("file.pdf")."""
    cleaned = clean_photo(data)
    if cleaned is not None:
        return cleaned[0], f"photo{cleaned[1]}"
    return data, f"file{_plain_suffix(name)}"


def label(picture: bool, number: int) -> str:
    """What a reader sees for an attachment without a caption: "Photo 2", "File 1"."""
    return f"{'Photo' if picture else 'File'} {number}"


def named_as_picture(name: str) -> bool:
    """Whether a stored name says the file is a picture (when the pixels are not at hand)."""
    return PurePath(name).suffix.lower() in _PICTURE_SUFFIXES


_PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".tif",
                     ".tiff", ".bmp"}


def _plain_suffix(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""
