"""Build the one-folder app with PyInstaller, and on Linux the tarball that installs it.

    .venv/bin/python packaging/build.py [--skip-pyinstaller]

Run it with the Python of a virtual environment that holds the project and PyInstaller
(`pip install . "pyinstaller>=6,<7"`); it installs nothing itself. It writes

    dist/voc-desktop/                                  the app folder (all systems)
    dist/VOC Desktop.app                               macOS
    dist/voc-desktop-<version>-linux-<arch>.tar.gz     Linux: the folder, install.sh,
                                                       uninstall.sh and the desktop files

`--skip-pyinstaller` packs an app folder already in dist/ again (after editing install.sh).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
SPEC = PACKAGING / "voc-desktop.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_ID = "io.vocdesktop.VocDesktop"
MIME_ICON = "application-x-vocbundle"
APP_ICONS = ROOT / "resources" / "icons"


def version() -> str:
    text = (ROOT / "voc_desktop" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def folder_bytes(folder: Path) -> int:
    """Bytes of the files in the folder; links count once, as the tarball stores them."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def run_pyinstaller() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit(f"build: PyInstaller is not installed for {sys.executable}; "
                         "install it into this environment: pip install 'pyinstaller>=6,<7'"
                         ) from None
    shutil.rmtree(DIST / "voc-desktop", ignore_errors=True)
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
               "--log-level", "WARN", "--distpath", str(DIST), "--workpath", str(WORK),
               str(SPEC)]
    print("+ " + " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def icon_files() -> list[tuple[Path, str]]:
    """(source, path under share/) for every icon the Linux desktop looks up."""
    files = []
    for png in sorted(APP_ICONS.glob("voc-desktop-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        files.append((png, f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"))
    files.append((APP_ICONS / "voc-desktop.svg", f"icons/hicolor/scalable/apps/{APP_ID}.svg"))
    for png in sorted((LINUX / "icons").glob(f"{MIME_ICON}-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        files.append((png, f"icons/hicolor/{size}x{size}/mimetypes/{MIME_ICON}.png"))
    files.append((LINUX / "icons" / f"{MIME_ICON}.svg",
                  f"icons/hicolor/scalable/mimetypes/{MIME_ICON}.svg"))
    return files


def share_files() -> list[tuple[Path, str]]:
    """(source, path under share/) of the desktop integration: menu entry, AppStream data,
    the .vocbundle file type and the icons."""
    return [
        (LINUX / f"{APP_ID}.desktop", f"applications/{APP_ID}.desktop"),
        (LINUX / f"{APP_ID}.metainfo.xml", f"metainfo/{APP_ID}.metainfo.xml"),
        (LINUX / "vocdesktop-mime.xml", f"mime/packages/{APP_ID}.xml"),
        *icon_files(),
    ]


def make_tarball(app: Path, out: Path, top: str) -> Path:
    """The app folder, install.sh, uninstall.sh and share/ under one top folder."""
    def add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int) -> None:
        info = tarfile.TarInfo(f"{top}/{name}")
        info.size, info.mode, info.mtime = len(data), mode, int(time.time())
        tar.addfile(info, io.BytesIO(data))

    def owned_by_nobody(info: tarfile.TarInfo) -> tarfile.TarInfo:
        # unpacked by root, the files belong to root, not to the build machine's user id
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(app, arcname=f"{top}/voc-desktop", filter=owned_by_nobody)
        for script in ("install.sh", "uninstall.sh"):
            add_bytes(tar, script, (LINUX / script).read_bytes(), 0o755)
        for source, target in share_files():
            add_bytes(tar, f"share/{target}", source.read_bytes(), 0o644)
    return out


def linux_arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-pyinstaller", action="store_true",
                        help="reuse dist/voc-desktop and only pack it again")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not args.skip_pyinstaller:
        run_pyinstaller()
    app = DIST / "voc-desktop"
    if not app.is_dir():
        raise SystemExit(f"build: {app} is missing")
    print(f"app folder: {app} ({folder_bytes(app) / 1e6:.1f} MB)")
    if sys.platform.startswith("linux"):
        top = f"voc-desktop-{version()}-linux-{linux_arch()}"
        tarball = make_tarball(app, DIST / f"{top}.tar.gz", top)
        print(f"tarball: {tarball} ({tarball.stat().st_size / 1e6:.1f} MB)")
    elif sys.platform == "darwin":
        print(f"app bundle: {DIST / 'VOC Desktop.app'}")
    elif sys.platform == "win32":
        iscc = shutil.which("iscc")
        iss = PACKAGING / "windows" / "voc-desktop.iss"
        if iscc:
            subprocess.run([iscc, f"/DAppVersion={version()}", str(iss)], check=True)
        else:
            print(f"installer: install Inno Setup 6 and run: iscc {iss}")
    print(f"build took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
