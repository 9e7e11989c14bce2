"""Photos taken on site made a size the workspace can carry: a phone's 30 MB picture is
turned upright and scaled to a long edge of 2560 pixels before it is stored, so bundles
and backups stay small; other files and small pictures are kept as they are."""

from __future__ import annotations

import io
from pathlib import PurePath

STORED_EDGE = 2560  # enough to read a whiteboard or a label in the report and on screen
KEEP_BYTES = 4_000_000  # a picture this small (and no larger than the edge) is kept as is


def fit_photo(data: bytes, name: str) -> tuple[bytes, str]:
    """The bytes to store and their file name: a large picture scaled down (JPEG, or PNG
    when it has transparency), anything else unchanged."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # loaded only for a photo

    try:
        with Image.open(io.BytesIO(data)) as img:
            if len(data) <= KEEP_BYTES and max(img.size) <= STORED_EDGE:
                return data, name
            img.load()
            upright = ImageOps.exif_transpose(img)
            upright.thumbnail((STORED_EDGE, STORED_EDGE))
            out = io.BytesIO()
            if upright.mode in ("RGBA", "LA") or "transparency" in upright.info:
                upright.convert("RGBA").save(out, "PNG")
                suffix = ".png"
            else:
                upright.convert("RGB").save(out, "JPEG", quality=85)
                suffix = ".jpg"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        return data, name  # not a picture Pillow reads: kept as the file it is
    return out.getvalue(), str(PurePath(name).with_suffix(suffix))
