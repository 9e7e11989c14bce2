"""`voc archive search|patterns|report|digest|qda` on the sample archive."""

from __future__ import annotations

import json
import zipfile

import pytest

from voc_desktop.cli import main
from voc_desktop.domain.findings import FindingFilter


@pytest.fixture
def voc(sample_archive, tmp_path, capsys):
    def run(action: str, *argv: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(tmp_path / "data"), "archive", action,
                     str(sample_archive.folder), "--index", str(sample_archive.index), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def test_search_json_lists_matches_with_highlights(voc, lens):
    """`search --json` gives the total and each match with where the words stand."""
    code, out, _ = voc("search", "changeover", "--kind", "answer", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["total"] == lens.count(FindingFilter(query="changeover", kinds=("answer",)))
    first = data["results"][0]
    start, end = first["highlights"][0]
    assert first["snippet"][start:end].lower().startswith("changeover")
    assert {r["kind"] for r in data["results"]} == {"answer"}


def test_search_filters_and_text_output(voc):
    """Filters combine, and the text output names the account and kind of each match."""
    code, out, _ = voc("search", "", "--vertical", "Logistics and warehousing", "--kind",
                       "quote", "--from", "2026-11-01")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("findings") or lines[0].endswith("finding")
    assert all("Brightway Regional Logistics" in line for line in lines[1::2])


def test_search_writes_csv_of_every_match(voc, tmp_path):
    """`--csv` writes every match, not only the page shown."""
    code, out, _ = voc("search", "", "--limit", "2", "--csv", str(tmp_path / "all.csv"))
    assert code == 0
    total = int(out.split()[0])
    rows = (tmp_path / "all.csv").read_text(encoding="utf-8-sig").count("\n")
    assert rows >= total + 1


def test_bad_filter_values_are_one_line_errors(voc):
    """A date that is no date, or an unknown account, ends in one clear line."""
    code, _, err = voc("search", "x", "--from", "yesterday")
    assert code != 0 and "is not a date" in err
    code, _, err = voc("search", "x", "--account", "Nobody Ltd")
    assert code != 0 and "No account 'Nobody Ltd'" in err


def test_patterns_leave_outside_profile_accounts_out_unless_asked(voc):
    """Pattern counts leave out accounts outside the profile by default."""
    _, out, _ = voc("patterns", "--json")
    inside = json.loads(out)
    _, out, _ = voc("patterns", "--json", "--include-outside-profile")
    everyone = json.loads(out)
    assert (inside["accounts"], inside["left_out_accounts"]) == (1, 1)
    assert everyone["accounts"] == 2 and everyone["left_out_accounts"] == 0
    code, out, _ = voc("patterns", "--by", "role")
    assert code == 0 and "Technical evaluator" in out


def test_reports_and_qda_are_written(voc, tmp_path):
    """The pattern report, a team digest and a REFI-QDA project are written as asked."""
    assert voc("report", "-o", str(tmp_path / "p.pdf"))[0] == 0
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    assert voc("digest", "--team", "sales", "-o", str(tmp_path / "s.docx"))[0] == 0
    assert zipfile.is_zipfile(tmp_path / "s.docx")
    code, out, _ = voc("qda", "--query", "changeover", "-o", str(tmp_path / "x.qdpx"))
    assert code == 0 and "Wrote 2 visits" in out
    assert "project.qde" in zipfile.ZipFile(tmp_path / "x.qdpx").namelist()


def test_triangulate_json_prints_what_the_page_shows(qtbot, voc, lens):
    """`triangulate QUESTION --json` has the page's visits and, per role, the page's cell."""
    from support.archive_ui import settled

    from voc_desktop.ui.archive.triangulation_model import ROLES, TriangulationModel, cell_text

    code, out, _ = voc("triangulate", "use-friction", "--json")
    data = json.loads(out)
    assert code == 0
    model = TriangulationModel(lens, FindingFilter(question_key="use-friction"))
    settled(qtbot, model)  # read on a worker, as on the page
    assert data["visits"] == model.rowCount() == 3
    for r in range(model.rowCount()):
        row = model.row(r)
        printed = next(x for x in data["rows"] if x["visit_id"] == row.visit_id)
        for column in ROLES:
            words = [f["text"] for f in printed["said"].get(column, [])]
            assert words == [f.text for f in row.said_by(column)]
            assert bool(words) == bool(cell_text(row, column))
    code, out, _ = voc("triangulate", "get in your way", "--spoke", "technical_evaluator",
                       "--spoke", "influencer")
    assert code == 0 and "answered at 1 visit" in out


def test_triangulate_names_a_question_it_cannot_find(voc):
    """Words no answered question holds are a one-line error."""
    code, _, err = voc("triangulate", "zebra crossings")
    assert code != 0 and "No answered question matches 'zebra crossings'" in err


def test_search_json_and_text_name_the_owner_of_actions(voc):
    """`search --json` gives each action's owner ('' when none was named), and the text
    output names it beside the kind."""
    code, out, _ = voc("search", "", "--kind", "action", "--team", "sales", "--json")
    data = json.loads(out)
    assert code == 0 and data["results"]
    assert {r["owner"] for r in data["results"]} == {"David Osei (sales)"}
    code, out, _ = voc("search", "", "--kind", "action", "--team", "marketing", "--json")
    assert {r["owner"] for r in json.loads(out)["results"]} == {""}
    code, out, _ = voc("search", "", "--kind", "action", "--team", "sales")
    assert "Action item (owner David Osei (sales))" in out
