"""Small but real PNG pictures drawn in pure Python, for the demo workspace.

The demo needs photos that every viewer and report writer can open, yet the package
ships no image files and the services never load Qt. A few coloured shapes encoded
with zlib are enough to stand in for a photo of a production line or a whiteboard.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

Color = tuple[int, int, int]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Canvas:
    """An RGB picture held as rows of bytes, drawn with filled shapes only."""

    def __init__(self, width: int, height: int, background: Color) -> None:
        if width < 1 or height < 1:
            raise ValueError("a picture needs at least one pixel")
        self.width = width
        self.height = height
        self.rows = [bytearray(bytes(background) * width) for _ in range(height)]

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        """Fill the rectangle from (x0, y0) up to but not including (x1, y1)."""
        x0, x1 = max(0, x0), min(self.width, x1)
        y0, y1 = max(0, y0), min(self.height, y1)
        if x0 >= x1:
            return
        run = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            self.rows[y][x0 * 3:x1 * 3] = run

    def disc(self, cx: int, cy: int, radius: int, color: Color) -> None:
        for dy in range(-radius, radius + 1):
            half = int((radius * radius - dy * dy) ** 0.5)
            self.rect(cx - half, cy + dy, cx + half + 1, cy + dy + 1, color)

    def stroke(self, x0: int, y0: int, x1: int, y1: int, width: int, color: Color) -> None:
        """A straight line drawn as a trail of small squares, thick enough to see."""
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(steps + 1):
            x = x0 + (x1 - x0) * i // steps
            y = y0 + (y1 - y0) * i // steps
            self.rect(x, y, x + width, y + width, color)

    def png(self) -> bytes:
        return encode_png(self.width, self.height, self.rows)


def encode_png(width: int, height: int, rows: list[bytearray]) -> bytes:
    """An 8-bit RGB PNG; each row uses filter type 0, which every decoder accepts."""
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (PNG_SIGNATURE + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def read_png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking its signature, every chunk's CRC, that
    the image data decompresses and, for 8-bit RGB, that it holds every pixel.

    Raises ValueError for anything that is not a complete PNG, so callers and tests can
    tell a real picture from a truncated or mislabelled file.
    """
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    pos, size, idat, seen_end, rgb8 = len(PNG_SIGNATURE), None, b"", False, False
    while pos < len(data):
        if pos + 8 > len(data):
            raise ValueError("truncated chunk header")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc_bytes = data[pos + 8 + length:pos + 12 + length]
        if len(body) != length or len(crc_bytes) != 4:
            raise ValueError("truncated chunk")
        if zlib.crc32(kind + body) & 0xFFFFFFFF != struct.unpack(">I", crc_bytes)[0]:
            raise ValueError(f"bad CRC in {kind.decode('ascii', 'replace')} chunk")
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
            rgb8 = body[8:10] == b"\x08\x02"
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            seen_end = True
        pos += 12 + length
    if size is None or not idat or not seen_end:
        raise ValueError("missing IHDR, IDAT or IEND chunk")
    try:
        pixels = zlib.decompress(idat)
    except zlib.error as exc:
        raise ValueError(f"image data does not decompress: {exc}") from exc
    if rgb8 and len(pixels) != size[1] * (size[0] * 3 + 1):
        raise ValueError("image data does not match the declared size")
    return size


def packaging_line() -> bytes:
    """A pouch packaging line: floor, conveyor, filler, stacked cartons and a safety line."""
    c = Canvas(320, 200, (214, 219, 224))  # hall wall
    c.rect(0, 120, 320, 200, (128, 132, 138))  # concrete floor
    c.rect(0, 176, 320, 182, (240, 200, 40))  # yellow walkway marking
    c.rect(20, 70, 90, 150, (60, 110, 170))  # filler cabinet
    c.rect(30, 80, 60, 100, (180, 220, 240))  # its screen
    c.disc(75, 90, 5, (220, 60, 50))  # stop button
    c.rect(90, 120, 300, 132, (70, 70, 75))  # conveyor belt
    for x in range(95, 300, 24):
        c.rect(x, 132, x + 4, 160, (90, 90, 95))  # belt legs
    for x in (110, 150, 190, 230, 270):
        c.rect(x, 104, x + 22, 120, (200, 160, 110))  # pouches on the belt
    for i, y in enumerate(range(150, 60, -18)):
        c.rect(250 + (i % 2) * 6, y, 300 + (i % 2) * 6, y + 16, (176, 132, 84))  # cartons
    c.rect(140, 40, 200, 60, (250, 250, 250))  # line status board
    c.rect(146, 46, 170, 54, (40, 160, 70))
    return c.png()


def whiteboard() -> bytes:
    """The planning whiteboard: a week grid with coloured changeover blocks."""
    c = Canvas(320, 200, (236, 232, 226))
    c.rect(16, 16, 304, 184, (120, 120, 120))  # frame
    c.rect(20, 20, 300, 180, (252, 252, 250))  # board
    for x in range(60, 300, 48):
        c.rect(x, 24, x + 2, 176, (170, 170, 170))  # day columns
    for y in range(50, 176, 25):
        c.rect(24, y, 296, y + 1, (200, 200, 200))  # line rows
    blocks = [(62, 52, 100, (220, 70, 60)), (110, 77, 170, (60, 120, 200)),
              (158, 102, 200, (220, 70, 60)), (206, 127, 260, (70, 160, 90)),
              (254, 52, 296, (60, 120, 200)), (62, 152, 130, (240, 170, 40))]
    for x0, y0, x1, color in blocks:
        c.rect(x0, y0 + 4, x1, y0 + 20, color)
    c.stroke(30, 60, 52, 150, 2, (40, 40, 40))  # hand-drawn arrow
    c.stroke(52, 150, 44, 140, 2, (40, 40, 40))
    return c.png()


def loading_dock() -> bytes:
    """A cross-dock door with a trailer, pallets and a hand scanner station."""
    c = Canvas(320, 200, (170, 180, 190))  # dusk sky
    c.rect(0, 40, 320, 150, (150, 150, 155))  # building wall
    c.rect(40, 60, 170, 150, (50, 55, 60))  # open dock door
    c.rect(50, 80, 160, 150, (230, 230, 230))  # trailer seen through it
    c.rect(0, 150, 320, 200, (95, 95, 100))  # yard
    for x in (190, 240):
        c.rect(x, 120, x + 40, 150, (180, 140, 90))  # pallets
        c.rect(x + 4, 100, x + 36, 120, (210, 200, 180))  # wrapped load
        c.rect(x + 12, 106, x + 28, 114, (255, 255, 255))  # shipping label
    c.rect(290, 90, 300, 150, (60, 60, 60))  # scanner post
    c.rect(284, 84, 306, 94, (240, 120, 30))
    return c.png()


SCENES: dict[str, Callable[[], bytes]] = {
    "packaging-line": packaging_line,
    "whiteboard": whiteboard,
    "loading-dock": loading_dock,
}
