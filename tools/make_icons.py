"""Render the app and document icons from their SVG sources.

    python tools/make_icons.py [--check]

Sources (drawn by hand, kept in git):
    resources/icons/voc-desktop.svg          the app icon
    packaging/linux/icons/application-x-vocbundle.svg    the icon of a .vocbundle file

Written (also kept in git, so a build needs neither Qt's SVG module nor this script):
    resources/icons/voc-desktop-<size>.png   window icon and Linux menu icons
    packaging/linux/icons/application-x-vocbundle-<size>.png
    packaging/windows/voc-desktop.ico, vocbundle.ico     several sizes in one file
    packaging/macos/voc-desktop.icns, vocbundle.icns

`--check` renders into memory and exits 1 when a written picture differs from its SVG, so
a changed drawing whose pictures were not renewed is noticed. It compares pixels with a
small tolerance: another Qt version smooths edges a little differently.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_SVG = ROOT / "resources" / "icons" / "voc-desktop.svg"
BUNDLE_SVG = ROOT / "packaging" / "linux" / "icons" / "application-x-vocbundle.svg"
WINDOWS = ROOT / "packaging" / "windows"
MACOS = ROOT / "packaging" / "macos"

# The hicolor theme sizes desktops look for; 512 also serves AppStream and large docks.
APP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
# File managers show document icons at list and grid sizes; none needs 512.
BUNDLE_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)


def render(svg: Path, size: int):
    """The SVG drawn at size x size pixels, as a Pillow RGBA image."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (fonts, painting)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def png_bytes(image) -> bytes:
    out = io.BytesIO()
    # no time stamps or text chunks: the same drawing gives the same bytes every run
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def ico_bytes(images: dict[int, object]) -> bytes:
    out = io.BytesIO()
    largest = images[max(ICO_SIZES)]
    others = [images[s] for s in ICO_SIZES if s != max(ICO_SIZES)]
    largest.save(out, "ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=others)
    return out.getvalue()


def icns_bytes(images: dict[int, object]) -> bytes:
    out = io.BytesIO()
    largest = images[max(ICNS_SIZES)]
    others = [images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)]
    largest.save(out, "ICNS", append_images=others)
    return out.getvalue()


def outputs() -> dict[Path, bytes]:
    """Every generated file with the bytes it should hold."""
    files: dict[Path, bytes] = {}
    for svg, stem, sizes, ico, icns in (
        (APP_SVG, "voc-desktop", APP_SIZES, "voc-desktop.ico", "voc-desktop.icns"),
        (BUNDLE_SVG, "application-x-vocbundle", BUNDLE_SIZES, "vocbundle.ico", "vocbundle.icns"),
    ):
        wanted = set(sizes) | set(ICO_SIZES) | set(ICNS_SIZES)
        images = {size: render(svg, size) for size in sorted(wanted)}
        for size in sizes:
            files[svg.parent / f"{stem}-{size}.png"] = png_bytes(images[size])
        files[WINDOWS / ico] = ico_bytes(images)
        files[MACOS / icns] = icns_bytes(images)
    return files


def looks_the_same(path: Path, data: bytes) -> bool:
    """Whether the picture in the file is, to the eye, the one in data: same size, and on
    average less than one level in 255 apart per channel."""
    from PIL import Image, ImageChops, ImageStat

    try:
        with Image.open(path) as old, Image.open(io.BytesIO(data)) as new:
            if old.size != new.size:
                return False
            diff = ImageChops.difference(old.convert("RGBA"), new.convert("RGBA"))
            return max(ImageStat.Stat(diff).mean) < 1.0
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only compare the written files with fresh renderings")
    args = parser.parse_args(argv)
    stale = []
    for path, data in outputs().items():
        if path.exists() and path.read_bytes() == data:
            continue
        if args.check and looks_the_same(path, data):
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for path in stale:
        verb = "differs" if args.check else "written"
        print(f"{path.relative_to(ROOT)}: {verb}")
    if args.check and stale:
        return 1
    if not stale:
        print("all icons up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
