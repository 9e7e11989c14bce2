"""`voc guide check FILE`: advice on a guide file, as text or JSON, that never blocks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voc_desktop.cli import main
from voc_desktop.domain.guide import Bucket, Guide, Question, Section
from voc_desktop.domain.guide_file import guide_to_json, load_default_guide


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(folder: Path, guide: Guide, name: str = "guide.json") -> Path:
    path = folder / name
    path.write_text(guide_to_json(guide), encoding="utf-8")
    return path


def weak_guide() -> Guide:
    """Two sections, three questions, two of them worded badly."""
    return Guide("3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c", "Plant visit", 2, "", (
        Section("ops", "Their day", Bucket.OPERATIONS, "", (
            Question("ops-day", "Walk me through the last time a changeover went wrong."),
            Question("ops-break", "How often does it break and who fixes it?"),
        )),
        Section("use", "Our product", Bucket.USAGE, "", (
            Question("use-buy", "Would you buy a faster printer?"),
        )),
    ))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A workspace folder the check must never create."""
    return tmp_path / "workspace"


def test_flagged_questions_are_listed_with_number_reason_and_gaps(tmp_path, data_dir,
                                                                   capsys) -> None:
    """Text output names each flagged question by number, its reasons and the gaps; exit 0."""
    path = write(tmp_path, weak_guide())
    code, out, err = run(capsys, "--data-dir", str(data_dir), "guide", "check", str(path))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Checked 'Plant visit' version 2: 3 questions, 2 to look at."
    assert "2. How often does it break and who fixes it?" in lines
    assert "3. Would you buy a faster printer?" in lines
    assert not any("Walk me through" in line for line in lines)
    assert any(line.startswith('   - Two questions in one ("and who"): ') for line in lines)
    assert any(line.startswith('   - Hypothetical ("Would you buy"): ') for line in lines)
    gaps = lines[lines.index("Not covered by any section:") + 1:]
    entries = [line for line in gaps if line.startswith("  ") and not line.startswith("   ")]
    assert [line.split(":")[0].strip() for line in entries] == [
        Bucket.BUYING.label, Bucket.COMPETITION.label, Bucket.INDUSTRY.label,
        Bucket.END_CUSTOMER.label]
    assert lines[-1] == "The check only advises; the guide can be used as it is."
    assert not data_dir.exists()


def test_json_output_has_the_documented_shape(tmp_path, capsys) -> None:
    """--json gives guide, flagged questions with findings, uncovered buckets and ok."""
    path = write(tmp_path, weak_guide())
    code, out, err = run(capsys, "guide", "check", str(path), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"guide", "questions", "uncovered", "ok"}
    assert data["guide"] == {"guide_id": "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
                             "name": "Plant visit", "version": 2, "questions": 3}
    assert [(q["key"], q["number"]) for q in data["questions"]] == [
        ("ops-break", 2), ("use-buy", 3)]
    [double] = data["questions"][0]["findings"]
    assert set(double) == {"kind", "reason", "phrase"}
    assert (double["kind"], double["phrase"]) == ("double_barrelled", "and who")
    assert data["questions"][1]["findings"][0]["kind"] == "hypothetical"
    assert [g["bucket"] for g in data["uncovered"]] == [
        "buying", "competition", "industry", "end_customer"]
    assert [g["tier"] for g in data["uncovered"]] == [False, False, True, True]
    assert all(g["reason"].startswith("No section asks") for g in data["uncovered"])
    assert data["ok"] is False


def test_shipped_guide_checks_with_exit_zero(tmp_path, capsys) -> None:
    """The default guide, exported to a file, is checked like any other and exits 0."""
    path = write(tmp_path, load_default_guide())
    code, out, _ = run(capsys, "guide", "check", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["uncovered"] == []
    assert {f["kind"] for q in data["questions"] for f in q["findings"]} <= {"double_barrelled"}


def test_a_clean_guide_says_so(tmp_path, capsys) -> None:
    """A guide with open questions over every bucket prints one line and ok is true."""
    guide = Guide("3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c", "Clean", 1, "", tuple(
        Section(b.value.replace("_", "-"), b.label, b, "",
                (Question(f"q-{b.value.replace('_', '-')}", "What happens next, and why?"),))
        for b in Bucket))
    path = write(tmp_path, guide)
    code, out, _ = run(capsys, "guide", "check", str(path))
    assert code == 0
    assert out.splitlines() == ["Checked 'Clean' version 1: 6 questions; every question reads "
                                "open and neutral, and every bucket and tier has a section."]
    code, out, _ = run(capsys, "guide", "check", str(path), "--json")
    assert json.loads(out)["ok"] is True and json.loads(out)["questions"] == []


def test_an_invalid_guide_file_is_one_error_line(tmp_path, capsys) -> None:
    """A file that is not a usable guide gives one `voc: error:` line and exit 1."""
    path = tmp_path / "broken.json"
    path.write_text('{"format": "voc-guide", "format_version": 1, "name": ""}', "utf-8")
    code, out, err = run(capsys, "guide", "check", str(path))
    assert (code, out) == (1, "")
    assert err.startswith("voc: error: broken.json is not a valid guide file: ")
    assert err.count("\n") == 1 and "name: must be a non-empty string" in err
    path.write_text("{not json", "utf-8")
    code, _, err = run(capsys, "guide", "check", str(path), "--json")
    assert code == 1 and "line 1, column 2: not valid JSON" in err


def test_a_missing_file_is_one_error_line(tmp_path, capsys) -> None:
    """A path that cannot be read says so in one line and exits 1."""
    code, out, err = run(capsys, "guide", "check", str(tmp_path / "nowhere.json"))
    assert (code, out) == (1, "")
    assert err.startswith("voc: error: Cannot read ") and err.count("\n") == 1


def test_help_says_the_check_never_blocks(capsys) -> None:
    """`voc guide check --help` tells that flagged questions still exit 0 and lists the keys."""
    code, out, _ = run(capsys, "guide", "check", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert "it exits with 0 even when it flags questions" in text
    assert "findings[{kind, reason, phrase}]" in text
