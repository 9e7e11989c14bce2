"""The package as pip installs it: scripts and resources travel inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_resources_and_scripts(tmp_path):
    """A wheel built from the project holds every resource file and both scripts."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("voc_desktop-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        scripts = zf.read(entry_points).decode()
    resources = ROOT / "voc_desktop" / "resources"
    shipped = {p.relative_to(resources).as_posix() for p in resources.rglob("*")
               if p.suffix in {".json", ".docx", ".png", ".svg", ".ttf", ".txt"}}
    assert {"report-template.docx", "fonts/DejaVuSans.ttf"} <= shipped
    for name in shipped:
        assert f"voc_desktop/resources/{name}" in names
    assert "voc = voc_desktop.cli:main" in scripts
    assert "voc-desktop = voc_desktop.ui.app:main" in scripts


def test_installed_copy_finds_its_resources(tmp_path):
    """Installed away from the checkout, the package still loads its guide, word lists,
    report template and fonts, and writes both report formats."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(ROOT)], check=True, capture_output=True)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import voc_desktop; "
            "assert voc_desktop.__file__.startswith(sys.argv[1]), voc_desktop.__file__; "
            "from voc_desktop.domain.guide_file import load_default_guide; "
            "from voc_desktop.domain.pitch import load_rules; "
            "from voc_desktop.domain.probes import load_phrasings; "
            "from voc_desktop.services.workspace import Workspace; "
            "from voc_desktop.services.demo import fill_demo; "
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
