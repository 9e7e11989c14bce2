"""`voc coach check [FILE] [--json]`: the coach's flags for notes, one note per line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from voc_desktop.cli import main

NOTES = [
    "Walked the buyer through the pricing page.",
    "The customer said our pricing is high.",
    "",
    "Promised we\u2019d add a Salesforce export by spring.",
    "Asked if automating the audit would help.",
    "Der Kunde sagt, unsere Preise sind zu hoch.",
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def notes_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("\r\n".join(NOTES) + "\r\n", encoding="utf-8")
    return path


def test_json_gives_one_object_per_line_in_order(capsys, notes_file: Path) -> None:
    """Each input line, blank ones too, comes back as one JSON object with its flags."""
    code, out, _ = run(capsys, "coach", "check", str(notes_file), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [row["text"] for row in rows] == NOTES
    kinds = [[flag["kind"] for flag in row["flags"]] for row in rows]
    assert kinds == [["pitch"], [], [], ["promise"], ["leading"], ["language"]]
    for row in rows:
        for flag in row["flags"]:
            assert set(flag) == {"kind", "phrase", "start", "end", "reason"}
            assert row["text"][flag["start"]:flag["end"]] == flag["phrase"]
            assert flag["reason"].endswith(".")
    assert rows[5]["flags"][0]["reason"] == "Coaching covers English; this note looks German."


def test_standard_input_is_read_when_no_file_is_named(capsys, monkeypatch) -> None:
    """Without FILE the notes come from standard input, and the offsets fit each line."""
    monkeypatch.setattr("sys.stdin", io.StringIO("Told them our sensors outlast the Bosch "
                                                 "ones.\nShe mentioned the Bosch sensors fail.\n"))
    code, out, _ = run(capsys, "coach", "check", "--json")
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 0
    assert [f["kind"] for f in first["flags"]] == ["pitch"]
    assert first["flags"][0]["start"] == 0
    assert second == {"text": "She mentioned the Bosch sensors fail.", "flags": []}


def test_text_lists_each_note_with_its_flags(capsys, notes_file: Path) -> None:
    """The plain listing numbers the notes, names each flag with its words, or says none."""
    code, out, _ = run(capsys, "coach", "check", str(notes_file))
    assert code == 0
    assert out.startswith("1. Walked the buyer through the pricing page.\n")
    assert '- pitch at 0-41 ("Walked the buyer through the pricing page")' in out
    assert "2. The customer said our pricing is high.\n   - no flags\n" in out
    assert "this note looks German" in " ".join(out.split())  # long reasons wrap


def test_a_missing_file_is_an_error_on_one_line(capsys, tmp_path: Path) -> None:
    """A file that cannot be read ends with exit code 1 and one `voc: error:` line."""
    code, out, err = run(capsys, "coach", "check", str(tmp_path / "nope.txt"))
    assert code == 1 and out == ""
    assert err.startswith("voc: error: Cannot read") and err.count("\n") == 1
