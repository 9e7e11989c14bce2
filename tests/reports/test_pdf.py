"""The PDF report, read back with pypdf: every part of the content on the page, in order,
with the naming rule kept, running header and "Page N of M" on every page."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader
from support.report_visits import (
    CJK_TEXT,
    CYRILLIC,
    HIDDEN_NAME,
    LADDER_DEPTH,
    MARKUP,
    NAMED,
    PHOTOS,
    long_answer,
    pdf_pages,
    squeeze,
)

from voc_desktop.domain.visit import EntryKind
from voc_desktop.reports.content import VisitReport
from voc_desktop.reports.pdf import write_pdf

SECTIONS = ("At a glance", "About this visit", "Who we met", "Every key learning read back",
            "Findings", "Action items", "Coaching notes")


@dataclasses.dataclass
class Rendered:
    report: VisitReport
    data: bytes
    warnings: list[str]
    pages: list[str]
    progress: list[tuple[int, str]]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def body(self) -> str:
        """All pages squeezed, without the running header and footer, so text that runs
        across a page break reads as one."""
        r, total, out = self.report, len(self.pages), []
        for number, page in enumerate(self.pages, 1):
            s = squeeze(page)
            for part in (r.header, "Visit report", r.confidential, f"Page {number} of {total}"):
                assert squeeze(part) in s, (number, part)
                s = s.replace(squeeze(part), "", 1)
            out.append(s)
        return "".join(out)


def render(report: VisitReport, **kw) -> Rendered:
    calls: list[tuple[int, str]] = []
    out = io.BytesIO()
    warnings = write_pdf(report, out, lambda p, what: calls.append((p, what)), **kw)
    data = out.getvalue()
    return Rendered(report, data, warnings, pdf_pages(data), calls)


@pytest.fixture(scope="module")
def edge(edge_report) -> Rendered:
    """The edge visit as a PDF, rendered once for the module."""
    return render(edge_report)


@pytest.fixture(scope="module")
def demos(demo_reports) -> list[Rendered]:
    """Every sample visit as a PDF."""
    return [render(r) for r in demo_reports.values()]


def image_count(data: bytes) -> int:
    seen = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        xobjects = page["/Resources"].get("/XObject")
        for ref in (xobjects.get_object().values() if xobjects else ()):
            if ref.get_object()["/Subtype"] == "/Image":
                seen.add(ref.idnum)
    return len(seen)


def in_order(haystack: str, needles: list[str]) -> bool:
    at = 0
    for needle in needles:
        at = haystack.find(needle, at)
        if at < 0:
            return False
        at += len(needle)
    return True


# --- the edge visit -----------------------------------------------------------------------

def test_title_block_shows_title_and_every_field(edge):
    """Page 1 carries the title and every label and value of the title block."""
    first = squeeze(edge.pages[0])
    assert squeeze(edge.report.title) in first
    for f in edge.report.fields:
        assert squeeze(f.label) in first and squeeze(f.value) in first, f


def test_attendees_and_the_naming_rule(edge):
    """Attendees are listed; the person named by role only appears nowhere by name."""
    text = edge.text
    assert NAMED in text and CYRILLIC in text and "Διευθύντρια" in text
    for line in edge.report.attendees:
        assert squeeze(line.consent) in edge.body
    reader = PdfReader(io.BytesIO(edge.data))
    everything = text + str(reader.metadata)
    for part in [HIDDEN_NAME, *re.split(r"[\s-]+", HIDDEN_NAME)]:
        assert part not in everything, part
    assert "[User] said the line stops twice a month." in text


def test_summary_statuses_and_correction(edge):
    """The read-back table shows each point's verdict and the correction."""
    body = edge.body
    assert in_order(body, [squeeze("Every key learning read back"), "Confirmed",
                           squeeze("The customer\u2019s wording: Closer to 55 minutes"),
                           "Corrected", "Rejected"])
    assert squeeze("[User] owns the budget") in body


def test_findings_buckets_in_order_with_empty_notes(edge):
    """Every bucket has its heading and description, in order; empty ones say so."""
    body = edge.body
    tiers = squeeze("Beyond the customer: the industry and the customer's customers.")
    expected = []
    for b in edge.report.buckets:
        if b.bucket.is_tier and tiers not in expected:
            expected.append(tiers)
        expected += [squeeze(b.heading), squeeze(b.bucket.description)]
        if not b.answered:
            expected.append(squeeze(b.empty_note))
    assert in_order(body, expected)
    assert squeeze("Skipped: 3.1, 3.2") in body
    assert squeeze("Not asked: 4.1") in body


def test_ladder_has_every_step_in_order(edge):
    """All 50 steps of the why-ladder are there, in order, with their level."""
    body = edge.body
    steps = [squeeze(f"Because of reason level {n}") for n in range(1, LADDER_DEPTH + 1)]
    assert in_order(body, steps)
    assert squeeze(f"Why? (level {LADDER_DEPTH}) Because of reason level {LADDER_DEPTH}") in body
    assert "Why?Becauseofreasonlevel1+" in body


def test_quotes_observations_and_loose_notes(edge):
    """Quotes come with their speaker (a role for the unnamed), observations with their
    label, and the note tied to no question under its own heading."""
    body = edge.body
    quotes = [n for n in edge.report.all_notes() if n.kind is EntryKind.QUOTE]
    assert len(quotes) == 2
    for q in quotes:
        assert squeeze(f"\u201c{q.text}\u201d") in body
        assert squeeze(f"\u2014 {q.speaker}") in body
    assert squeeze("\u2014 User") in body and squeeze(f"\u2014 {NAMED}") in body
    assert squeeze("Observation: Whiteboard lists 14 open work orders.") in body
    assert in_order(body, [squeeze("Notes not tied to a question"),
                           squeeze("Observation: A note tied to no question.")])


def test_photos_embedded_once_each_with_captions(edge):
    """All 20 photos are embedded as images, each with its numbered caption."""
    assert image_count(edge.data) == PHOTOS
    body = edge.body
    notes = list(edge.report.pictures())
    assert len(notes) == PHOTOS
    assert in_order(body, [squeeze(f"{n.heading}: {n.text}") for n in notes])


def test_jpegs_are_embedded_byte_for_byte(edge):
    """JPEG pictures go into the PDF as they are, without being decoded and re-encoded."""
    jpegs = {n.picture.data for n in edge.report.pictures() if n.picture.format == "jpeg"}
    assert jpegs
    embedded = set()
    for page in PdfReader(io.BytesIO(edge.data)).pages:
        xobjects = page["/Resources"].get("/XObject")
        for ref in (xobjects.get_object().values() if xobjects else ()):
            image = ref.get_object()
            if image.get("/Filter") in ("/DCTDecode", ["/DCTDecode"]):
                embedded.add(image._data)
    assert embedded == jpegs


def test_coaching_actions_next_contact(edge):
    """The next contact on page 1; the action items by team after the findings, then the
    coaching facts, flags and advice last, then the closing line, in that order."""
    c = edge.report.coaching
    body = edge.body
    assert c.flags
    expected = [squeeze("At a glance"), squeeze("Next contact"), squeeze("15 February 2027"),
                squeeze("Findings"), squeeze("Action items")]
    for group in edge.report.actions:
        expected.append(squeeze(group.team))
        expected += [squeeze(i.text) for i in group.items]
    expected += [squeeze("Coaching notes"), *map(squeeze, c.facts)]
    for f in c.flags:
        expected += [squeeze(f.where), squeeze(f.kind), squeeze(f.phrase), squeeze(f.reason)]
    expected += [*map(squeeze, c.advice),
                 squeeze(f"Report generated on {edge.report.generated} with VOC Desktop.")]
    assert in_order(body, expected)
    assert squeeze("Send the changeover study & <data> \u2014 owner Maria (product) \u2014 due "
                   "1 December 2026") in body


def test_every_page_has_header_and_page_n_of_m(edge):
    """Each page carries the account header and "Page N of M" with the real page count."""
    total = len(edge.pages)
    assert total > 10
    for number, page in enumerate(edge.pages, 1):
        assert f"Page {number} of {total}" in page
        assert edge.report.header in page and "Visit report" in page


def test_markup_characters_print_literally(edge):
    """Ampersands, angle brackets and entity-like text are shown as typed."""
    assert squeeze(MARKUP) in edge.body
    assert squeeze("Ångström & Søn <Ops>") in edge.body


def test_line_breaks_make_separate_lines(edge):
    """A line break in an answer starts a new line in the PDF."""
    lines = [line.strip() for page in edge.pages for line in page.splitlines()]
    i = lines.index("[User] said the line stops twice a month.")
    assert lines[i + 1].startswith("Tom & Jerry")
    assert "Learn why changeovers" in lines and "run long & <late>" in lines


def test_long_answer_is_complete(edge):
    """The 5,000-word answer flows over several pages, every word in order."""
    answer = long_answer()
    assert squeeze(answer) in edge.body
    words = edge.text.split()
    assert words.count("façade") == answer.split().count("façade") > 100
    assert "START" in words and "END" in words


def test_unicode_text_extracts(edge):
    """Greek, Cyrillic and CJK text are drawn and can be copied out again."""
    assert NAMED in edge.text and CYRILLIC in edge.text
    assert squeeze(CJK_TEXT) in edge.body
    assert squeeze("Photo caption 0 \u2014 Ωμέγα") in edge.body


def test_no_warnings_for_the_edge_visit(edge):
    """With DejaVu and this computer's CJK font, every character of the edge visit draws."""
    assert edge.warnings == []


def test_progress_rises_from_30_to_95(edge):
    """Progress starts at 30, never goes back and ends at 95, with steps between."""
    percents = [p for p, _ in edge.progress]
    assert percents[0] == 30 and percents[-1] == 95
    assert percents == sorted(percents)
    assert len(set(percents)) > 10
    assert all(isinstance(what, str) and what for _, what in edge.progress)


@pytest.mark.parametrize("stop_at", [30, 50, 70])
def test_an_exception_from_progress_stops_the_writer(edge_report, stop_at):
    """Progress may cancel by raising: the exception reaches the caller unchanged."""
    class Stop(Exception):
        pass

    def progress(percent: int, what: str) -> None:
        if percent >= stop_at:
            raise Stop

    with pytest.raises(Stop):
        write_pdf(edge_report, io.BytesIO(), progress)


def test_code_points_shown_and_counted(demo_reports):
    """A character no font has is shown as U+ code point and reported in a warning; an
    emoji is named instead, and not counted."""
    report = next(iter(demo_reports.values()))
    report = dataclasses.replace(report, next_contact="Call back \U0001F44D soon \U00013000")
    r = render(report, system_fonts=())
    assert "[U+13000]" in r.text and "[thumbs up sign]" in r.text
    assert "U+1F44D" not in r.text
    assert r.warnings == ["1 character could not be drawn with the fonts on this computer "
                          "and is shown as a code point (U+13000)."]


def test_without_system_cjk_fonts_the_shipped_font_draws_cjk(edge_report):
    """On a computer with no CJK font, the shipped WenQuanYi Micro Hei draws the CJK text,
    embedded like every other font of the file; the text reads back and nothing needs a
    warning."""
    r = render(edge_report, system_fonts=())
    assert r.warnings == []
    fonts = {str(ref.get_object()["/BaseFont"]).split("+")[-1]
             for page in PdfReader(io.BytesIO(r.data)).pages
             for ref in page["/Resources"]["/Font"].get_object().values()}
    assert "WenQuanYiMicroHei-0" in fonts
    assert_only_embedded_fonts(r.data)
    assert squeeze(CJK_TEXT) in r.body


# --- the sample visits ----------------------------------------------------------------------

def test_demo_reports_have_every_part(demos):
    """Each sample visit's PDF holds its sections in order, every answer, ladder step,
    note and picture, and the page numbers."""
    assert len(demos) >= 3
    for d in demos:
        r, body = d.report, d.body
        assert d.warnings == []
        assert in_order(body, [squeeze(r.title), *map(squeeze, SECTIONS)])
        for a in r.attendees:
            assert squeeze(a.name) in body and squeeze(a.roles) in body
        for point in r.summary:
            assert squeeze(point.text) in body and point.status_label in body
        for b in r.buckets:
            expected = [squeeze(b.heading)]
            for s in b.sections:
                for q in s.questions:
                    if q.has_content:
                        expected.append(squeeze(f"{q.number} {q.question}"))
                        expected += [squeeze(q.answer)] if q.answer else []
                        expected += [squeeze(step.text) for step in q.ladder]
                        expected += [squeeze(n.text) for n in q.notes]
            assert in_order(body, expected), b.heading
        assert image_count(d.data) == len(list(r.pictures()))
        for number, page in enumerate(d.pages, 1):
            assert f"Page {number} of {len(d.pages)}" in page


def test_demo_draft_shows_its_note(demos):
    """A visit that is not complete says so under the title."""
    drafts = [d for d in demos if d.report.draft_note]
    assert drafts
    for d in drafts:
        assert in_order(d.body, [squeeze(d.report.title), squeeze(d.report.draft_note),
                                 squeeze(d.report.fields[0].label)])


def test_a_very_long_objective_flows_across_pages(edge_report):
    """A title block field longer than a page breaks across pages instead of failing."""
    import dataclasses
    import io

    from voc_desktop.reports.content import Field
    from voc_desktop.reports.pdf import write_pdf

    long = " ".join(["changeover"] * 5000)
    report = dataclasses.replace(edge_report, fields=(*edge_report.fields[:4],
                                                      Field("Objective", long)))
    out = io.BytesIO()
    write_pdf(report, out)
    assert out.getvalue().startswith(b"%PDF-")


def _outline(items, reader: PdfReader, depth: int = 0) -> list[tuple[int, str, int]]:
    out: list[tuple[int, str, int]] = []
    for item in items:
        if isinstance(item, list):
            out += _outline(item, reader, depth + 1)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item)))
    return out


def test_every_heading_is_a_bookmark_on_its_own_page(edge_report):
    """The outline holds each section, bucket and question, nested by level, and each
    bookmark opens the page where its heading is printed."""
    r = render(edge_report)
    reader = PdfReader(io.BytesIO(r.data))
    outline = _outline(reader.outline, reader)
    titles = [title for _, title, _ in outline]
    tops = [title for depth, title, _ in outline if depth == 0]
    assert tops == [s for s in SECTIONS if s in tops] and len(tops) >= 5
    for section in SECTIONS[1:]:
        assert section in titles
    questions = [(d, t) for d, t, _ in outline if d >= 2]
    assert questions, "questions are bookmarks under their section"
    for _, title, page in outline:
        assert squeeze(title)[:20] in squeeze(r.pages[page]), (title, page)
    assert {page for _, _, page in outline} != {0}, "bookmarks point past the first page"
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_the_document_has_a_language_and_only_embedded_fonts(demo_reports):
    r = render(next(iter(demo_reports.values())))
    reader = PdfReader(io.BytesIO(r.data))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"  # as the Word report says
    assert_only_embedded_fonts(r.data)


def assert_only_embedded_fonts(data: bytes) -> None:
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            assert font["/BaseFont"] != "/Helvetica"
            descendants = font.get("/DescendantFonts")
            face = descendants[0].get_object() if descendants else font
            descriptor = face.get("/FontDescriptor")
            assert descriptor is not None, font["/BaseFont"]
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                font["/BaseFont"]


def test_web_addresses_are_links_in_the_pdf(demo_reports):
    report = dataclasses.replace(next(iter(demo_reports.values())),
                                 next_contact="Send the spec via https://example.com/spec?id=4, "
                                              "or see www.example.org.")
    r = render(report)
    reader = PdfReader(io.BytesIO(r.data))
    uris = [a.get_object()["/A"]["/URI"] for page in reader.pages
            for a in page.get("/Annots") or [] if a.get_object()["/Subtype"] == "/Link"
            and "/URI" in a.get_object().get("/A", {})]
    assert uris == ["https://example.com/spec?id=4", "https://www.example.org"]
    assert "https://example.com/spec?id=4, or see www.example.org." in r.text


def test_no_paragraph_leaves_a_lone_line_at_the_top_of_a_page(edge_report):
    """Every paragraph style keeps at least two lines together across a page break."""
    from voc_desktop.reports.pdf_style import styles

    st = styles()
    for f in dataclasses.fields(st):
        style = getattr(st, f.name)
        if f.name != "header_right":
            assert (style.allowWidows, style.allowOrphans) == (0, 0), f.name
    body = render(edge_report).body
    assert squeeze(long_answer()) in body


def test_page_one_answers_a_managers_questions(demo_reports):
    """Page 1 of the PDF holds the overview in order: confirmed points, corrections,
    what we must do with each action's team, owner and due date, the next contact and the
    risks; the coaching comes last."""
    report = max(demo_reports.values(), key=lambda r: (bool(r.glance.risks), len(r.summary)))
    g = report.glance
    r = render(report)
    first = squeeze(r.pages[0])
    expected = [squeeze("At a glance"), squeeze("What the customer confirmed"),
                *(squeeze(t) for t in g.confirmed), squeeze("What the customer corrected"),
                *(squeeze(c.customer) for c in g.corrected), squeeze("What we must do"),
                squeeze("Action Team Owner Due"),
                *(squeeze(t.text) for t in g.to_do), squeeze("Next contact"),
                squeeze(g.next_contact), squeeze("Risks"), *(squeeze(x) for x in g.risks)]
    assert in_order(first, expected)
    owners = [t.owner for t in g.to_do]
    assert any(owners) and all(squeeze(o or "No owner") in first for o in owners)
    assert squeeze("Coaching notes") not in first
    assert squeeze("Coaching notes") in squeeze(r.pages[-1])
