"""The archive's pattern report and team digest, written as DOCX and PDF and read back:
every text of the content model on the page, the chart present, empty parts explained,
long content paginated."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader
from support.report_visits import CJK_TEXT, CYRILLIC, MARKUP, NAMED, docx_text, pdf_pages, squeeze

from voc_desktop.domain.visit import SummaryStatus
from voc_desktop.reports import archive_report as ar
from voc_desktop.reports.archive_chart import nice_ticks
from voc_desktop.reports.archive_docx import write_digest_docx, write_pattern_docx
from voc_desktop.reports.archive_pdf import write_digest_pdf, write_pattern_pdf
from voc_desktop.reports.archive_report import (
    ActionLine,
    Evidence,
    LearningLine,
    PatternReport,
    TeamDigest,
    ThemeLine,
)

SCOPE = (("Vertical", "Food & Drink <retail>"), ("Period", "1 July – 30 September 2026"))
CONTROL = "bell\x07here"  # a character no document can hold


def theme(i: int, name: str | None = None, accounts: int | None = None) -> ThemeLine:
    accounts = accounts if accounts is not None else max(1, 40 - i)
    return ThemeLine(
        theme=name or f"Theme {i:03d} about cold-chain paperwork",
        accounts=accounts, visits=accounts + 3, share=accounts / 40,
        by_group=(("Food", accounts - accounts // 3), (f"Bäckerei {i}", accounts // 3)),
        by_role=(("Plant manager", 2), ("Economic buyer", 1)),
        evidence=(
            Evidence(f"We lose a day a week on {i} forms", "Quote", "Plant manager",
                     "Bäckerei Nord", "3 March 2026"),
            Evidence(f"Answer text {i}: audits pile up before Easter", "Answer",
                     "Economic buyer", "Møller & Søn", "9 April 2026"),
        ))


def sample_report(themes: int = 6) -> PatternReport:
    special = [theme(0, f"{MARKUP} — {CJK_TEXT}", 40), theme(1, f"Лояльность {CYRILLIC}", 31)]
    special[0] = ThemeLine(**{**vars(special[0]), "evidence": (
        Evidence(MARKUP, "Quote", NAMED, "Ξ & Co <ltd>", "1 May 2026"),
        Evidence(f"line one\nline two {CONTROL}", "Observation", "Quality lead",
                 "Acme", "2 May 2026"))})
    return PatternReport(
        title="Pattern report: Food & Drink <retail>", scope=SCOPE, visits=57, accounts=40,
        group_label="Vertical",
        themes=(*special, *(theme(i) for i in range(2, themes))),
        learning_counts=(("Confirmed", 34), ("Corrected", 2), ("Rejected", 1),
                         ("Not read back", 5)),
        corrected=(
            LearningLine("Price is the main blocker", "Onboarding time is, not price",
                         SummaryStatus.CORRECTED, "Bäckerei Nord", "3 March 2026"),
            LearningLine(f"Audits <quarterly> & {CJK_TEXT}", "Audits are monthly",
                         SummaryStatus.CORRECTED, "Møller & Søn", "9 April 2026")),
        confirmed=(LearningLine("They want EDI exports", "", SummaryStatus.CONFIRMED,
                                "Acme", "2 May 2026"),),
        rejected=(LearningLine("They plan a second site", "", SummaryStatus.REJECTED,
                               "Acme", "2 May 2026"),),
        open_actions=(
            ("Product", (ActionLine("Prototype the EDI export & <csv>", "Product",
                                    ar.OVERDUE, "1 June 2026", "Acme", "2 May 2026",
                                    "2026-06-01"),
                         ActionLine("Send the audit checklist", "Product", ar.OPEN, "",
                                    "Bäckerei Nord", "3 March 2026"))),
            ("Sales", (ActionLine(f"Call back {CYRILLIC}", "Sales", ar.OPEN,
                                  "30 December 2026", "Møller & Søn", "9 April 2026",
                                  "2026-12-30"),))),
        notes=("3 accounts outside the ideal customer profile are left out.",),
        generated="23 November 2026", iso_date="2026-11-23")


def sample_digest(actions: int = 3) -> TeamDigest:
    opened = tuple(ActionLine(f"Open item {i} & <b>{i}</b>", "Product",
                              ar.OVERDUE if i % 4 == 0 else ar.OPEN,
                              f"{1 + i % 28} March 2026", f"Account {i}", "3 February 2026",
                              f"2026-03-{1 + i % 28:02d}") for i in range(actions))
    return TeamDigest(
        team="Product", period="1 July – 30 September 2026", scope=(("Segment", "SMB"),),
        open_actions=(*opened, ActionLine("No date yet", "Product", ar.OPEN, "", "Acme",
                                          "2 May 2026")),
        done_actions=(ActionLine(f"Done item {CJK_TEXT}", "Product", ar.DONE, "1 May 2026",
                                 "Acme", "2 May 2026", "2026-05-01"),),
        learnings=(LearningLine("Audits are quarterly", "They are monthly",
                                SummaryStatus.CORRECTED, "Møller & Søn", "9 April 2026"),
                   LearningLine(MARKUP, "", SummaryStatus.PENDING, "Acme", "2 May 2026")),
        notes=("Only visits synchronised to the archive count.",),
        generated="23 November 2026", iso_date="2026-11-23")


def texts(value) -> list[str]:
    """Every text the model holds, labels of its enums included."""
    if isinstance(value, SummaryStatus):
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, tuple):
        return [t for v in value for t in texts(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [t for k in value.__dataclass_fields__ for t in texts(getattr(value, k))]
    return []


def printed(model) -> list[str]:
    """The texts a reader must find: all but ISO dates, kept for file names and ordering,
    and the kinds and statuses, which show as quote marks, a label or a colour."""
    iso = {model.iso_date} | {a.due_iso for a in _actions(model)}
    hidden = iso | {"Quote", "Answer", "Observation", ar.OPEN}
    return [t for t in texts(model) if t not in hidden]


def _actions(model) -> list[ActionLine]:
    if isinstance(model, TeamDigest):
        return [*model.open_actions, *model.done_actions]
    return [a for _, items in model.open_actions for a in items]


def docx_bytes(write, model) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    warnings = write(model, out)
    return out.getvalue(), warnings


def pdf_bytes(write, model) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    warnings = write(model, out)
    return out.getvalue(), warnings


def docx_all_text(data: bytes) -> str:
    """Body, tables, header and footer, and the pictures' descriptions."""
    document = docx.Document(io.BytesIO(data))
    alts = [el.get("descr") or "" for el in document.element.body.iter()
            if el.tag.endswith("}docPr")]
    return docx_text(data) + "\n" + "\n".join(alts)


def missing(expected: list[str], found: str) -> list[str]:
    flat = squeeze(found)
    return [t for t in expected if squeeze(t) not in flat]


@pytest.fixture(scope="module")
def pattern() -> PatternReport:
    return sample_report()


def test_text_is_cleaned_when_the_model_is_made():
    """A control character in any text, nested ones included, becomes a visible code point."""
    ev = Evidence(CONTROL, "Quote", "x", "y", "z")
    assert ev.text == "bell[U+0007]here"
    line = ThemeLine("t\x00", 1, 1, 0.5, by_group=((f"g{CONTROL}", 1),))
    assert line.theme == "t[U+0000]" and line.by_group == (("gbell[U+0007]here", 1),)


def test_stems_and_headers_name_the_scope():
    """File names start with the date and name the scope; the header shows the filter."""
    report = sample_report()
    assert report.file_stem == "2026-11-23 Food & Drink retail pattern report"
    assert ar.pattern_report_stem("2026-11-23", ()) == "2026-11-23 Archive pattern report"
    assert sample_digest().file_stem == "2026-11-23 Product digest"
    assert report.header.startswith("Vertical: Food & Drink <retail> · Period:")
    assert ar.scope_header(()) == "All visits in the archive"
    assert len(ar.scope_header((("Vertical", "x" * 300),))) == ar.HEADER_LIMIT


def test_digest_orders_open_items_oldest_due_first():
    """Open items come oldest due first, those without a date last; overdue ones counted."""
    digest = sample_digest(8)
    dues = [a.due_iso for a in digest.open_by_due]
    assert dues[:-1] == sorted(dues[:-1]) and dues[-1] == ""
    assert dict(digest.count_rows)["Open items"] == "9 (2 overdue)"


def test_nice_ticks_cover_the_longest_bar():
    """The axis reaches at least the longest bar in round steps."""
    assert nice_ticks(12) == [0, 5, 10, 15]
    assert nice_ticks(1) == [0, 1]
    assert nice_ticks(300) == [0, 100, 200, 300]


def test_pattern_docx_holds_every_text_and_a_chart(pattern):
    """Every text of the pattern report reads back from the DOCX; the chart is a picture."""
    data, warnings = docx_bytes(write_pattern_docx, pattern)
    assert warnings == []
    text = docx_all_text(data)
    assert missing(printed(pattern), text) == []
    for heading in ("Top themes", "What customers confirmed and corrected",
                    "Open action items", "Pattern report", "Page"):
        assert heading in text
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 1
    assert "\u2192 Onboarding time is, not price" in text


def test_pattern_pdf_holds_every_text_and_a_chart(pattern):
    """Every text of the pattern report reads back from the PDF, markup printed literally;
    the chart's labels and axis are drawn before the first theme's own part."""
    data, warnings = pdf_bytes(write_pattern_pdf, pattern)
    assert warnings == []
    pages = pdf_pages(data)
    body = "".join(squeeze(p) for p in pages)
    assert missing(printed(pattern), body) == []
    assert squeeze(MARKUP) in body
    chart_at = body.index(squeeze("Top themes"))
    detail_at = body.index(squeeze("Themes") + squeeze(pattern.themes[0].theme))
    assert chart_at < body.index(squeeze("Лояльность"), chart_at) < detail_at
    assert squeeze("Accounts") in body[chart_at:detail_at]
    assert all(f"Page {n} of {len(pages)}" in p for n, p in enumerate(pages, 1))


PATTERN_ORDER = ["Top themes", ar.READ_BACK, "Open action items", "Themes",
                 ar.EVERY_CONFIRMED]


def test_pattern_report_opens_with_what_matters_in_both_formats(pattern):
    """Like a visit report, the pattern report opens with the top themes, what customers
    corrected and rejected, and the open action items; each theme's evidence and every
    confirmed learning follow. Word's headings and the PDF's bookmarks say so alike."""
    document = docx.Document(io.BytesIO(docx_bytes(write_pattern_docx, pattern)[0]))
    docx_heads = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert docx_heads == PATTERN_ORDER
    data = pdf_bytes(write_pattern_pdf, pattern)[0]
    outline = PdfReader(io.BytesIO(data)).outline
    assert [item.title for item in outline if not isinstance(item, list)] == PATTERN_ORDER
    body = squeeze("".join(pdf_pages(data)))
    rejected = squeeze(pattern.rejected[0].text)
    first_evidence = squeeze(pattern.themes[0].evidence[0].text)
    assert body.index(rejected) < body.index(squeeze("Prototype the EDI export & <csv>"))
    assert body.index(squeeze("Call back")) < body.index(first_evidence)
    assert body.index(first_evidence) < body.index(squeeze(pattern.confirmed[0].text))


def test_empty_pattern_report_says_there_is_nothing():
    """With nothing in scope each part says so plainly, in both formats, and no chart."""
    report = PatternReport(title="Pattern report", scope=(), visits=0, accounts=0,
                           group_label="Vertical", themes=(), learning_counts=())
    data, _ = docx_bytes(write_pattern_docx, report)
    text = docx_all_text(data)
    assert len(docx.Document(io.BytesIO(data)).inline_shapes) == 0
    pdf = "".join(pdf_pages(pdf_bytes(write_pattern_pdf, report)[0]))
    for found in (text, pdf):
        for line in (ar.NO_THEMES, ar.NO_LEARNINGS, ar.NO_OPEN_ACTIONS, "All visits"):
            assert squeeze(line) in squeeze(found)


def test_digest_holds_every_text_in_both_formats():
    """Every text of the digest reads back from the DOCX and the PDF, open items in order."""
    digest = sample_digest(6)
    expected = printed(digest) + ["Product digest", "Corrected", "Not read back"]
    docx_data, _ = docx_bytes(write_digest_docx, digest)
    pdf_data, warnings = pdf_bytes(write_digest_pdf, digest)
    assert warnings == []
    for found in (docx_all_text(docx_data), "".join(pdf_pages(pdf_data))):
        assert missing(expected, found) == []
        flat = squeeze(found)
        order = [flat.index(squeeze(a.text)) for a in digest.open_by_due]
        assert order == sorted(order)


def test_empty_digest_says_there_is_nothing():
    """A team with nothing in the period gets a digest that says so in each part."""
    digest = TeamDigest(team="Marketing", period="November 2026")
    for found in (docx_all_text(docx_bytes(write_digest_docx, digest)[0]),
                  "".join(pdf_pages(pdf_bytes(write_digest_pdf, digest)[0]))):
        for line in ("Marketing digest", ar.NO_OPEN_ACTIONS, ar.NO_DONE_ACTIONS,
                     ar.NO_TEAM_LEARNINGS):
            assert squeeze(line) in squeeze(found)


def test_three_hundred_themes_paginate_in_both_formats():
    """300 themes: each has its part in both formats, the chart shows the top 15, and the
    PDF runs over many pages with the header and page numbers on each."""
    report = sample_report(300)
    docx_data, _ = docx_bytes(write_pattern_docx, report)
    pdf_data, _ = pdf_bytes(write_pattern_pdf, report)
    text = squeeze(docx_all_text(docx_data))
    pages = pdf_pages(pdf_data)
    pdf = "".join(squeeze(p) for p in pages)
    for t in report.themes:
        assert squeeze(t.theme) in text and squeeze(t.theme) in pdf
    assert len(report.chart) == ar.TOP_THEMES
    assert squeeze("The 15 themes raised at most accounts, of 300.") in pdf
    assert len(pages) > 50
    assert all(f"Page {n} of {len(pages)}" in p for n, p in enumerate(pages, 1))


def test_thousands_of_actions_paginate():
    """3,000 open items lay out in both formats, each one on the page, the table's header
    row on every page it runs over."""
    digest = sample_digest(3000)
    pdf_data, _ = pdf_bytes(write_digest_pdf, digest)
    docx_data, _ = docx_bytes(write_digest_docx, digest)
    pages = PdfReader(io.BytesIO(pdf_data)).pages
    assert len(pages) > 50
    body = squeeze("".join(pdf_pages(pdf_data)))
    assert all(squeeze(f"Open item {i} & <b>{i}</b>") in body for i in (0, 1499, 2999))
    assert squeeze("Open item 2999 & <b>2999</b>") in squeeze(docx_text(docx_data))
    open_pages = [squeeze(p) for p in pdf_pages(pdf_data)
                  if "Open item" in p and "Done item" not in p]
    assert len(open_pages) > 50 and all("ActionOwnerDueFrom" in p for p in open_pages)


@pytest.mark.parametrize("write, model", [
    (write_pattern_docx, sample_report), (write_pattern_pdf, sample_report),
    (write_digest_docx, sample_digest), (write_digest_pdf, sample_digest)])
def test_progress_rises_and_can_cancel(write, model):
    """Progress runs from 30 to 95 and an exception raised by it stops the writing."""
    seen: list[int] = []
    write(model(), io.BytesIO(), lambda percent, what: seen.append(percent))
    assert seen[0] == 30 and seen[-1] == 95 and seen == sorted(seen)

    def cancel(percent: int, what: str) -> None:
        if percent > 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write(model(), io.BytesIO(), cancel)
