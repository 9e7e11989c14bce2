"""Exports from the archive workspace: CSV lists, a REFI-QDA project, the two reports."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from lxml import etree

from voc_desktop.domain.findings import FindingFilter, FindingOrder, PatternGroup
from voc_desktop.services.archive.exports import (
    FINDING_FIELDS,
    csv_cell,
    csv_value,
    export_findings_csv,
    export_patterns_csv,
    export_qda,
    export_triangulation_csv,
    finding_row,
)
from voc_desktop.services.archive.reports import (
    build_pattern_report,
    build_team_digest,
    export_pattern_report,
    export_team_digest,
)
from voc_desktop.services.errors import ServiceError

SCHEMA = Path(__file__).parents[2] / "resources" / "refi-qda" / "Project-mrt2019.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [[csv_value(c) for c in row] for row in csv.reader(fh)]


def test_findings_csv_round_trips(lens, tmp_path):
    """Every finding of a search comes back from the CSV with the same values."""
    flt = FindingFilter(query="changeover")
    written = export_findings_csv(lens, flt, FindingOrder.NEWEST, tmp_path / "hits.csv")
    rows = _read_csv(tmp_path / "hits.csv")
    assert rows[0] == list(FINDING_FIELDS)
    expected = [[str(v) for v in finding_row(f)]
                for f in lens.find(flt, FindingOrder.NEWEST, 0, 1000)]
    assert rows[1:] == expected and written == len(expected) > 0
    assert (tmp_path / "hits.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_formula_like_cells_are_defused_and_read_back():
    """A cell a spreadsheet would run as a formula gets an apostrophe, undone on reading."""
    for text in ("=HYPERLINK(\"x\")", "+1", "-20 % scrap", "@here", "plain", "'quoted"):
        cell = csv_cell(text)
        assert not cell.startswith(("=", "+", "-", "@"))
        assert csv_value(cell) == text


def test_pattern_and_triangulation_csv(lens, tmp_path):
    """The pattern table and a question's answers export with their counts and texts."""
    flt = FindingFilter(include_outside_icp=False)
    export_patterns_csv(lens, flt, PatternGroup.VERTICAL, tmp_path / "p.csv")
    rows = _read_csv(tmp_path / "p.csv")
    assert rows[0][:4] == ["theme", "accounts", "confirmed accounts", "visits"]
    top = lens.pattern_rows(flt, PatternGroup.VERTICAL)
    assert [r[0] for r in rows[1:]] == [t.theme for t in top]
    assert rows[1][1:4] == [str(top[0].accounts), str(top[0].confirmed), str(top[0].visits)]
    question = lens.questions()[0].key
    n = export_triangulation_csv(lens, FindingFilter(question_key=question), tmp_path / "t.csv")
    rows = _read_csv(tmp_path / "t.csv")
    assert n == len(rows) - 1 >= lens.triangulation_count(FindingFilter(question_key=question))


def test_qda_project_is_valid_and_codes_every_tagged_finding(lens, tmp_path):
    """The REFI-QDA export validates against the standard's schema, holds one source per
    visit and codes each tagged finding with its themes."""
    sources = export_qda(lens, FindingFilter(), tmp_path / "visits.qdpx")
    assert sources == len({f.visit_id for f in lens.find(FindingFilter(), limit=1000)}) == 3
    with zipfile.ZipFile(tmp_path / "visits.qdpx") as z:
        root = etree.fromstring(z.read("project.qde"))
        texts = {n: z.read(n).decode() for n in z.namelist() if n.startswith("sources/")}
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(root)
    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    assert set(codes.values()) == {t for t, _ in lens.themes()}
    coded = 0
    for source in root.iterfind(".//q:TextSource", NS):
        text = texts["sources/" + source.get("plainTextPath").removeprefix("internal://")]
        for sel in source.iterfind("q:PlainTextSelection", NS):
            piece = text[int(sel.get("startPosition")):int(sel.get("endPosition"))]
            names = {codes[r.get("targetGUID")] for r in sel.iterfind(".//q:CodeRef", NS)}
            assert names and piece.split(": ", 1)[0]  # "Quote (…): …", "Answer: …"
            coded += 1
    tagged = sum(1 for f in lens.find(FindingFilter(), limit=1000) if f.tags)
    assert coded == tagged
    assert len(root.findall(".//q:Case", NS)) == 2
    # every source names its account and visit date, which is how QualCoder finds its case
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    case_of = {r.get("targetGUID"): case.get("name") for case in root.iterfind(".//q:Case", NS)
               for r in case.iterfind("q:SourceRef", NS)}
    for source in root.iterfind(".//q:TextSource", NS):
        values = {variables[v.find("q:VariableRef", NS).get("targetGUID")]:
                  v.findtext("q:TextValue", namespaces=NS)
                  for v in source.iterfind("q:VariableValue", NS)}
        assert values["Account"] == case_of[source.get("guid")]
        assert source.get("name").startswith(values["Visit date"])


def test_qda_of_a_search_holds_only_the_visits_found(lens, tmp_path):
    """A filtered export carries just the visits with a match."""
    visits = {f.visit_id for f in lens.find(FindingFilter(query="pouch"), limit=100)}
    assert export_qda(lens, FindingFilter(query="pouch"), tmp_path / "x.qdpx") == len(visits)


def test_pattern_report_content_and_files(lens, tmp_path):
    """The pattern report counts themes in scope, quotes evidence, and reads back from
    both formats."""
    flt = FindingFilter(include_outside_icp=False)
    report = build_pattern_report(lens, flt, PatternGroup.VERTICAL)
    assert (report.accounts, report.visits) == lens.scope(flt)
    assert report.themes[0].theme == lens.pattern_rows(flt, PatternGroup.VERTICAL)[0].theme
    assert all(t.evidence for t in report.themes)
    assert any("outside the ideal customer profile" in n for n in report.notes)
    corrected = lens.count(FindingFilter(kinds=("learning",), statuses=("corrected",),
                                         include_outside_icp=False))
    assert dict(report.learning_counts)["Corrected"] == corrected == len(report.corrected)
    pdf = export_pattern_report(lens, flt, PatternGroup.VERTICAL, tmp_path / "p.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf.path).pages)
    assert report.themes[0].theme in text and "Patterns across customer visits" in text
    first = report.themes[0]
    assert first.confirmed == lens.pattern_rows(flt, PatternGroup.VERTICAL)[0].confirmed
    assert f"confirmed by the customer at {first.confirmed} of them" in first.counts
    assert f"confirmed by the customer at {first.confirmed} of them" in " ".join(text.split())
    word = export_pattern_report(lens, flt, PatternGroup.ROLE, tmp_path, "docx")
    assert word.path.suffix == ".docx"
    body = "\n".join(p.text for p in docx.Document(str(word.path)).paragraphs)
    assert report.themes[0].evidence[0].text[:40] in body


def test_team_digest_holds_the_teams_items(lens, tmp_path):
    """A team's digest lists its open and done action items and its routed learnings."""
    digest = build_team_digest(lens, "customer_service")
    done = lens.count(FindingFilter(kinds=("action",), teams=("customer_service",),
                                    statuses=("done",)))
    opened = lens.count(FindingFilter(kinds=("action",), teams=("customer_service",),
                                      statuses=("open",)))
    assert (len(digest.done_actions), len(digest.open_actions)) == (done, opened) == (2, 1)
    result = export_team_digest(lens, "customer_service", "2026-01-01", "2026-12-31",
                                tmp_path / "cs.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(result.path).pages)
    assert "Customer service digest" in text and digest.open_actions[0].text[:30] in text
    with pytest.raises(ServiceError, match="no team"):
        build_team_digest(lens, "legal")
    with pytest.raises(ServiceError, match="format"):
        export_team_digest(lens, "sales", "", "", tmp_path / "digest.txt")


def test_team_digest_names_who_owns_each_action(lens, tmp_path):
    """The digest's action tables name each action's owner, and say when no one was named,
    in DOCX and PDF alike."""
    sales = build_team_digest(lens, "sales")
    assert {a.owner for a in sales.open_actions} == {"David Osei (sales)"}
    marketing = build_team_digest(lens, "marketing")
    assert {a.who_does_it for a in marketing.open_actions} == {"No owner"}
    pdf = export_team_digest(lens, "sales", "", "", tmp_path / "sales.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf.path).pages)
    assert "Owner" in text and "David Osei (sales)" in text
    word = export_team_digest(lens, "marketing", "", "", tmp_path / "marketing.docx")
    rows = [[c.text for c in r.cells] for t in docx.Document(word.path).tables for r in t.rows]
    assert ["Action", "Owner", "Due", "From"] in rows
    assert any(r[1] == "No owner" for r in rows if r[0] != "Action")


def test_findings_csv_names_the_owner_of_actions(lens, tmp_path):
    """The findings CSV has an owner column, filled for actions whose owner was named."""
    path = tmp_path / "actions.csv"
    export_findings_csv(lens, FindingFilter(kinds=("action",), teams=("sales",)),
                        FindingOrder.DUE, path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["owner"] for r in rows} == {"David Osei (sales)"}
