"""The package as pip installs it, and what the built app ships with: scripts and resources
travel inside the wheel; the PyInstaller spec, desktop entry, AppStream data, file type,
icons and the Linux install script agree with each other and with the app."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from voc_desktop import __version__
from voc_desktop.services.bundles.export import SUFFIX
from voc_desktop.sync.seal import MAGIC

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
RESOURCES = ROOT / "resources"
ICONS = RESOURCES / "icons"
APP_ID = "io.vocdesktop.VocDesktop"
MIME_TYPE = "application/x-vocbundle"
APP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
MIME_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The names in a wheel built from the project, and its entry points."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(out), str(ROOT)], check=True, capture_output=True)
    with zipfile.ZipFile(next(out.glob("voc_desktop-*.whl"))) as zf:
        names = set(zf.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        return names, zf.read(entry_points).decode()


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def load_build_script():
    spec = importlib.util.spec_from_file_location("voc_build", PACKAGING / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_wheel_carries_resources_and_scripts(wheel):
    """A wheel built from the project holds every file of the top-level resources/, as
    voc_desktop/resources/, and both scripts."""
    names, scripts = wheel
    shipped = {p.relative_to(RESOURCES).as_posix() for p in RESOURCES.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert {"report-template.docx", "fonts/DejaVuSans.ttf", "fonts/LICENSE-DejaVu.txt",
            "default_guide.json", "icons/voc-desktop.svg"} <= shipped
    for name in shipped:
        assert f"voc_desktop/resources/{name}" in names
    assert "voc = voc_desktop.cli:main" in scripts
    assert "voc-desktop = voc_desktop.ui.app:main" in scripts


def test_wheel_carries_every_module_of_the_package(wheel):
    """Every module under voc_desktop/ is in the wheel: the package list in pyproject.toml
    names every folder."""
    names, _scripts = wheel
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "voc_desktop").rglob("*.py")}
    assert "voc_desktop/ui/archive/window.py" in modules
    assert modules <= names, sorted(modules - names)


def _where_assets_are(*flags: str, cwd: Path, path: str = "") -> Path:
    """The resources folder as `voc_desktop.assets` finds it in a fresh interpreter."""
    code = ("import sys; sys.path[:0] = [p for p in sys.argv[1:2] if p]; "
            "from voc_desktop import assets; from voc_desktop.domain.guide_file import "
            "load_default_guide; assert load_default_guide().questions(); "
            "print(assets.folder())")
    done = subprocess.run([sys.executable, *flags, "-c", code, path], cwd=cwd,
                          capture_output=True, text=True, check=True)
    return Path(done.stdout.strip())


def test_editable_install_reads_the_checkouts_resources(tmp_path):
    """In the test environment (an editable install), away from the checkout, the app reads
    the checkout's top-level resources/."""
    found = _where_assets_are("-I", cwd=tmp_path)
    assert found == RESOURCES


def test_plain_checkout_reads_its_resources(tmp_path):
    """Run from a plain checkout with nothing installed (no site-packages at all), the app
    reads the top-level resources/ beside the package."""
    found = _where_assets_are("-I", "-S", cwd=tmp_path, path=str(ROOT))
    assert found == RESOURCES


def test_one_folder_app_reads_the_resources_it_collects(tmp_path):
    """The spec collects resources/ to voc_desktop/resources/ inside the built folder, and
    a package laid out that way (as the frozen app is) reads them from there."""
    spec = {}
    source = (PACKAGING / "voc-desktop.spec").read_text(encoding="utf-8")
    tree = ast.parse(source)
    function = next(n for n in tree.body
                    if isinstance(n, ast.FunctionDef) and n.name == "resources")
    exec(compile(ast.Module([function], []), "spec", "exec"), {"ROOT": ROOT, "Path": Path},
         spec)
    collected = list(spec["resources"]())
    assert collected
    frozen = tmp_path / "_internal"
    for source_path, dest in collected:
        assert Path(source_path).is_relative_to(RESOURCES)
        assert Path(dest).parts[:2] == ("voc_desktop", "resources")
        (frozen / dest).mkdir(parents=True, exist_ok=True)
        shutil.copy(source_path, frozen / dest)
    shutil.copytree(ROOT / "voc_desktop", frozen / "voc_desktop", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    found = _where_assets_are("-I", "-S", cwd=tmp_path, path=str(frozen))
    assert found == frozen / "voc_desktop" / "resources"
    assert {p.relative_to(found) for p in found.rglob("*") if p.is_file()} == \
        {p.relative_to(RESOURCES) for p in RESOURCES.rglob("*") if p.is_file()}


def test_installed_copy_finds_its_resources(tmp_path):
    """Installed away from the checkout, the package still loads its guide, word lists,
    report template and fonts, and writes both report formats."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(ROOT)], check=True, capture_output=True)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import voc_desktop; "
            "assert voc_desktop.__file__.startswith(sys.argv[1]), voc_desktop.__file__; "
            "from voc_desktop.domain.guide_file import load_default_guide; "
            "from voc_desktop.domain.coaching.pitch import load_rules; "
            "from voc_desktop.domain.coaching.probes import load_phrasings; "
            "from voc_desktop.services.workspace.workspace import Workspace; "
            "from voc_desktop.services.demo.sample_workspace import fill_demo; "
            "from voc_desktop.services.reports import export_visit_report; "
            "ws = Workspace.open(sys.argv[2]); visit = fill_demo(ws).completed_visit_ids[0]; "
            "sizes = [export_visit_report(ws, visit, sys.argv[2] + '/r.' + f).size "
            "for f in ('pdf', 'docx')]; "
            "print(len(load_default_guide().questions()), len(load_rules().rules), "
            "len(load_phrasings()), *sizes)")
    out = subprocess.run([sys.executable, "-I", "-c", code, str(target), str(tmp_path / "ws")],
                         check=True,
                         capture_output=True, text=True, cwd=tmp_path).stdout.split()
    assert all(int(n) > 0 for n in out)


def test_icons_ship_in_the_wheel(wheel):
    """The window icon at every size and its SVG are package data, so an installed copy
    can set its window icon."""
    names, _scripts = wheel
    for size in APP_SIZES:
        assert f"voc_desktop/resources/icons/voc-desktop-{size}.png" in names
    assert "voc_desktop/resources/icons/voc-desktop.svg" in names


def test_desktop_entry_names_the_app_its_icon_and_file_type():
    """The menu entry starts voc-desktop with the chosen files, uses the app id as its
    icon and file name, and claims the .vocbundle type."""
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "VOC Desktop"
    assert re.fullmatch(r"voc-desktop %F", entry["Exec"])
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert "Office" in entry["Categories"].split(";")
    for key in ("MimeType", "Categories", "Keywords"):
        assert entry[key].endswith(";"), key
    # Qt names the window class after the program, which is how docks group its windows
    assert entry["StartupWMClass"] == "voc-desktop"


def test_metainfo_points_at_the_desktop_entry_programs_and_file_type():
    """AppStream data carries the app id, launches the desktop entry, provides both
    programs and the bundle type, and lists this version as a release."""
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id"
    assert (LINUX / launchable.text).is_file()
    assert launchable.text == f"{APP_ID}.desktop"
    provides = root.find("provides")
    assert {b.text for b in provides.findall("binary")} == {"voc-desktop", "voc"}
    assert [m.text for m in provides.findall("mediatype")] == [MIME_TYPE]
    assert __version__ in [r.get("version") for r in root.find("releases")]
    assert root.find("content_rating").get("type").startswith("oars-")
    assert root.findtext("metadata_license") and root.findtext("project_license")
    assert root.findtext("name") == desktop_entry()["Name"]


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="needs appstreamcli")
def test_metainfo_passes_appstream_validation():
    """appstreamcli accepts the AppStream data without looking anything up online."""
    done = subprocess.run(["appstreamcli", "validate", "--no-net",
                           str(LINUX / f"{APP_ID}.metainfo.xml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mime_type_matches_bundle_files_by_name_and_by_seal():
    """The shared-mime-info file defines the bundle type by the app's file suffix and by
    the sealed envelope's first bytes, with a comment and icons."""
    root = ET.parse(LINUX / "vocdesktop-mime.xml").getroot()
    types = root.findall(f"{MIME_NS}mime-type")
    assert [t.get("type") for t in types] == [MIME_TYPE]
    mime = types[0]
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == [f"*{SUFFIX}"]
    assert mime.findtext(f"{MIME_NS}comment")
    assert mime.find(f"{MIME_NS}generic-icon").get("name")
    assert mime.find(f"{MIME_NS}icon").get("name") == MIME_TYPE.replace("/", "-")
    value = mime.find(f"{MIME_NS}magic/{MIME_NS}match").get("value")
    assert MAGIC.startswith(value.encode())


def test_every_icon_size_exists_at_its_pixel_size():
    """App and bundle icons exist at every size desktops ask for, square and with the
    pixel size their name says; the Windows and macOS icon files hold several sizes."""
    for size in APP_SIZES:
        with Image.open(ICONS / f"voc-desktop-{size}.png") as im:
            assert im.size == (size, size) and im.mode == "RGBA"
    for size in MIME_SIZES:
        with Image.open(LINUX / "icons" / f"application-x-vocbundle-{size}.png") as im:
            assert im.size == (size, size) and im.mode == "RGBA"
    for name in ("voc-desktop", "vocbundle"):
        with Image.open(PACKAGING / "windows" / f"{name}.ico") as ico:
            assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= ico.info["sizes"]
        with Image.open(PACKAGING / "macos" / f"{name}.icns") as icns:
            assert icns.size == (1024, 1024)


def test_icons_match_their_drawings():
    """The committed pictures are renderings of the committed SVGs (make_icons --check)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "make_icons.py"), "--check"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_spec_builds_three_programs_without_the_qt_modules_the_app_does_not_use():
    """The spec makes voc-desktop, voc-desktop-debug and voc from entry scripts that call
    the right main(); it leaves out QML, Quick, 3D, PDF, OpenGL and the like, and none of
    the Qt modules the app imports."""
    tree = ast.parse((PACKAGING / "voc-desktop.spec").read_text(encoding="utf-8"))
    consts = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
              if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
              and node.targets[0].id in {"PROGRAMS", "UNUSED_QT_MODULES", "APP_ID"}}
    programs = {name: script for script, name, _console in consts["PROGRAMS"]}
    assert set(programs) == {"voc-desktop", "voc-desktop-debug", "voc"}
    calls = {"voc-desktop": "voc_desktop.ui.app", "voc-desktop-debug": "voc_desktop.ui.app",
             "voc": "voc_desktop.cli"}
    for name, script in programs.items():
        source = (PACKAGING / f"{script}.py").read_text(encoding="utf-8")
        assert f"from {calls[name]} import main" in source
        assert 'if __name__ == "__main__":' in source
    assert "VOC_LOG_CONSOLE" in (PACKAGING / f"{programs['voc-desktop-debug']}.py").read_text()
    unused = set(consts["UNUSED_QT_MODULES"])
    assert {"QtQml", "QtQuick", "Qt3DCore", "QtPdf", "QtOpenGL", "QtVirtualKeyboard",
            "QtWebEngineCore", "QtMultimedia"} <= unused
    imported = set()
    for path in (ROOT / "voc_desktop").rglob("*.py"):
        imported |= set(re.findall(r"(?:from|import) PySide6\.(\w+)", path.read_text()))
    assert {"QtCore", "QtGui", "QtWidgets"} <= imported
    assert not imported & unused, f"the app imports excluded Qt modules: {imported & unused}"
    assert consts["APP_ID"] == APP_ID


def spec_constants(*names: str) -> dict[str, object]:
    """The spec's top-level constants of these names, read without running PyInstaller."""
    tree = ast.parse((PACKAGING / "voc-desktop.spec").read_text(encoding="utf-8"))
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in names}


def test_spec_leaves_out_no_module_the_app_imports():
    """No module the spec leaves out of the folder (asyncio, multiprocessing, ssl ...) is one
    that voc_desktop imports, at the top of a file or inside a function."""
    excluded = set(spec_constants("UNUSED_MODULES")["UNUSED_MODULES"])
    assert {"asyncio", "multiprocessing", "ssl", "charset_normalizer"} <= excluded
    imported: dict[str, str] = {}
    for path in (ROOT / "voc_desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            imported.update({name: path.name for name in names})
    clashes = {name: where for name, where in imported.items()
               if any(name == gone or name.startswith(gone + ".") for gone in excluded)}
    assert not clashes, f"the app imports modules the spec leaves out: {clashes}"


def test_smoke_test_expects_from_the_system_what_the_spec_leaves_to_it():
    """The libraries the spec leaves to the system on Linux are the ones the smoke test lets
    resolve from the system, each named by the file name programs link, and the app's own
    database engine is not among them."""
    spec = importlib.util.spec_from_file_location("voc_smoke", PACKAGING / "smoke_test.py")
    smoke = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(smoke)
    left = spec_constants("LEFT_TO_SYSTEM")["LEFT_TO_SYSTEM"]
    assert left == smoke.LEFT_TO_SYSTEM
    assert all(re.fullmatch(r"lib[\w+.-]+\.so\.\d+", name) for name in left), left
    assert not [name for name in left if smoke.BASE_SYSTEM.fullmatch(name)]
    assert "libsqlite3.so.0" not in left


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script")
def test_install_script_puts_the_app_where_desktops_look_and_uninstall_removes_it(tmp_path):
    """install.sh from the Linux tarball copies the app to ~/.local/lib, links both
    programs into ~/.local/bin, and installs the menu entry (with the app's full path),
    icons at every size, the file type and the AppStream data; uninstall.sh takes it all
    away again and leaves the workspace alone."""
    build = load_build_script()
    app = tmp_path / "built" / "voc-desktop"
    (app / "_internal").mkdir(parents=True)
    for program in ("voc-desktop", "voc-desktop-debug", "voc"):
        (app / program).write_text(f"#!/bin/sh\necho {program} \"$@\"\n")
        (app / program).chmod(0o755)
    (app / "_internal" / "lib.so").write_bytes(b"\x7fELF")
    (app / "_internal" / "link.so").symlink_to("lib.so")
    tarball = build.make_tarball(app, tmp_path / "app.tar.gz", "voc-desktop-9-linux-x86_64")
    with tarfile.open(tarball) as tar:
        # the safe-extraction filter exists from Python 3.11.4 on
        safe = {"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}
        tar.extractall(tmp_path / "unpacked", **safe)
    home = tmp_path / "home"
    workspace = home / ".local" / "share" / "VOC Desktop" / "workspace.sqlite3"
    workspace.parent.mkdir(parents=True)
    workspace.write_bytes(b"visits")
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": ""}
    unpacked = tmp_path / "unpacked" / "voc-desktop-9-linux-x86_64"
    subprocess.run(["sh", str(unpacked / "install.sh")], env=env, check=True,
                   capture_output=True)

    lib, share = home / ".local" / "lib" / "voc-desktop", home / ".local" / "share"
    assert (lib / "_internal" / "link.so").is_symlink()
    for program in ("voc-desktop", "voc"):
        link = home / ".local" / "bin" / program
        assert os.readlink(link) == str(lib / program)
        assert subprocess.run([str(link), "x"], capture_output=True, text=True,
                              check=True).stdout.strip() == f"{program} x"
    desktop = (share / "applications" / f"{APP_ID}.desktop").read_text()
    assert f'Exec="{lib}/voc-desktop" %F' in desktop.splitlines()
    for size in APP_SIZES:
        assert (share / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    for size in MIME_SIZES:
        assert (share / f"icons/hicolor/{size}x{size}/mimetypes/application-x-vocbundle.png"
                ).is_file()
    assert (share / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    assert (share / "mime" / "packages" / f"{APP_ID}.xml").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    if shutil.which("update-mime-database"):
        assert f"{MIME_TYPE}:*{SUFFIX}" in (share / "mime" / "globs2").read_text()

    subprocess.run(["sh", str(lib / "uninstall.sh")], env=env, check=True,
                   capture_output=True)
    assert not lib.exists()
    assert not (home / ".local" / "bin" / "voc").exists()
    assert not list(share.rglob(f"{APP_ID}*"))
    assert not list(share.rglob("application-x-vocbundle*"))
    assert workspace.read_bytes() == b"visits"
