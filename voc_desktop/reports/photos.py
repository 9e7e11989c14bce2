"""Pictures made ready for a report: upright, in a format both writers embed, and small
enough that twenty phone photos still make a report one can e-mail."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# Long edge in pixels: about 200 dpi across an A4 text column, a fraction of a
# 12-megapixel original. A JPEG is decoded straight at a reduced scale (1/2, 1/4, 1/8),
# which is what keeps a report with many phone photos quick to write.
MAX_EDGE = 1280
DRAFT_EDGE = 960


@dataclass(frozen=True)
class Picture:
    data: bytes
    width: int  # pixels, after turning upright
    height: int
    format: str  # "jpeg" or "png"

    @property
    def aspect(self) -> float:
        return self.height / self.width


def prepare_all(files: dict[str, bytes], meanwhile: Callable[[], T]) -> tuple[
        dict[str, Picture | None], T]:
    """Every picture ready to embed, by hash, and what `meanwhile` returns. Pillow decodes
    and encodes without holding Python's lock, so the photos are prepared on worker threads
    while `meanwhile` runs on this one."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = {sha: pool.submit(prepare, data) for sha, data in files.items()}
        other = meanwhile()
        return {sha: future.result() for sha, future in futures.items()}, other


def prepare(data: bytes) -> Picture | None:
    """The picture ready to embed, or None when the bytes are not a picture we can read."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # Pillow loads only for reports

    try:
        with Image.open(io.BytesIO(data)) as img:
            # always written afresh, never the stored bytes: a report carries pixels only,
            # whatever metadata a photo from an older workspace or a bundle still holds
            fmt = (img.format or "").lower()
            if fmt == "jpeg":
                # decode at a reduced scale, the long edge no shorter than DRAFT_EDGE: fast
                scale = DRAFT_EDGE / max(img.size)
                img.draft("RGB", (round(img.width * scale), round(img.height * scale)))
            img.load()
            img = ImageOps.exif_transpose(img)
            img.thumbnail((MAX_EDGE, MAX_EDGE))
            return _encode(img)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, RuntimeError,
            Image.DecompressionBombError):
        return None


def _encode(img: object) -> Picture:
    from PIL import Image

    assert isinstance(img, Image.Image)
    out = io.BytesIO()
    has_alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
    if has_alpha:
        img = img.convert("RGBA")
        img.save(out, "PNG", optimize=False)
        return Picture(out.getvalue(), img.width, img.height, "png")
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    img.save(out, "JPEG", quality=85)
    return Picture(out.getvalue(), img.width, img.height, "jpeg")
