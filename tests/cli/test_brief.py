"""`voc brief`: the pre-visit brief of a visit, written as a PDF from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from voc_desktop.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """A workspace filled by `voc demo`, shared by the tests that only read."""
    folder = tmp_path_factory.mktemp("demo")
    assert main(["--data-dir", str(folder), "demo"]) == 0
    return folder


def planned_visit(capsys, folder: Path) -> dict:
    code, out, _ = run(capsys, "--data-dir", str(folder), "visit", "list", "--status",
                       "planned", "--json")
    assert code == 0
    (visit,) = json.loads(out)
    return visit


def test_default_name_in_the_current_folder(demo_dir, capsys, tmp_path, monkeypatch):
    """Without -o, the brief is named after the visit's date and account, in the current
    folder, and the command says where it went."""
    visit = planned_visit(capsys, demo_dir)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "brief", visit["id"][:8])
    name = f"{visit['visit_date']} Brightway Regional Logistics brief.pdf"
    assert (code, err) == (0, "")
    assert out.startswith(f"Wrote the brief to {name} (") and out.endswith(" kB).\n")
    assert len(PdfReader(tmp_path / name).pages) == 1


def test_output_file_folder_and_json(demo_dir, capsys, tmp_path):
    """-o names the file, or a folder to put the suggested name in; --json says the same
    as an object."""
    visit = planned_visit(capsys, demo_dir)
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "brief", visit["id"],
                       "-o", str(tmp_path / "mine.pdf"))
    assert code == 0 and out.startswith(f"Wrote the brief to {tmp_path / 'mine.pdf'} ")
    code, out, _ = run(capsys, "brief", visit["id"], "-o", str(tmp_path), "--json",
                       "--data-dir", str(demo_dir))
    data = json.loads(out)
    assert code == 0 and set(data) == {"file", "size", "warnings"}
    assert data["file"].endswith("Brightway Regional Logistics brief.pdf")
    assert Path(data["file"]).stat().st_size == data["size"] and data["warnings"] == []


def test_errors_are_one_line_and_write_nothing(demo_dir, capsys, tmp_path):
    """An unknown visit, a name that is not .pdf or a missing folder: one error line,
    exit code 1, no file."""
    visit = planned_visit(capsys, demo_dir)["id"]
    for argv, expected in (
        (["brief", "ffffffff", "-o", str(tmp_path / "b.pdf")], "No visit"),
        (["brief", visit, "-o", str(tmp_path / "b.docx")], "name the file .pdf"),
        (["brief", visit, "-o", str(tmp_path / "no" / "b.pdf")], "the folder does not exist"),
    ):
        code, out, err = run(capsys, "--data-dir", str(demo_dir), *argv)
        assert (code, out) == (1, ""), argv
        assert err.startswith("voc: error: ") and expected in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_help_lists_the_command(capsys):
    """`voc --help` shows the brief command and `voc brief --help` its options."""
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "brief" in out
    code, out, _ = run(capsys, "brief", "--help")
    assert code == 0 and "VISIT_ID" in out and "--output" in out
