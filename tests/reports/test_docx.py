"""The visit report as a Word document: every part of the content, read back with python-docx,
styled only by the shipped template."""

from __future__ import annotations

import dataclasses
import io
import re
import runpy
import zipfile
from enum import Enum
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, RGBColor
from support.report_visits import (
    CJK_TEXT,
    CYRILLIC,
    HIDDEN_NAME,
    LADDER_DEPTH,
    MARKUP,
    NAMED,
    PHOTOS,
    docx_text,
    long_answer,
    pdf_pages,
    squeeze,
)

from voc_desktop.domain.visit import EntryKind
from voc_desktop.reports.content import (
    BucketFindings,
    LadderStep,
    Note,
    QuestionFinding,
    SectionFindings,
    VisitReport,
)
from voc_desktop.reports.docx import shipped_template, write_docx
from voc_desktop.reports.photos import Picture

ROOT = Path(__file__).resolve().parents[2]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def write(report: VisitReport, **kwargs) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    warnings = write_docx(report, out, **kwargs)
    return out.getvalue(), warnings


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def styled(document, style: str) -> list[str]:
    """The text of every body paragraph in that style, in order."""
    return [p.text for p in document.paragraphs if p.style.name == style]


def after(document, heading: str, count: int = 1) -> list[str]:
    """The texts of the `count` body paragraphs following a heading."""
    texts = [p.text for p in document.paragraphs]
    i = texts.index(heading)
    return texts[i + 1:i + 1 + count]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_with_header(document, first: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first)


def package_text(data: bytes) -> str:
    """Every XML part of the package as text: body, headers, styles, properties..."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist()
                         if n.endswith((".xml", ".rels")))


def model_strings(value: object, path: str = ""):
    """Every piece of text of the report model a reader should find in the document."""
    if isinstance(value, Enum | Picture):
        return  # shown by its label; embedded
    if isinstance(value, BucketFindings):
        yield from ((path, t) for t in (value.heading, value.bucket.description))
        if not value.answered:  # its note, and its questions by number only
            yield path, value.empty_note
            yield from ((path, q.number) for s in value.sections for q in s.questions)
            return
    if isinstance(value, QuestionFinding) and not value.has_content:
        yield path, value.number  # listed as skipped or not asked, by number
        return
    if isinstance(value, str):
        yield path, value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if f.name in ("iso_date", "state", "due_iso"):
                continue  # the file name's date; a question's state shows as its list;
                # an action's date as printed is there
            if f.name == "file_name" and getattr(value, "picture", None) is not None:
                continue  # an embedded photo is shown by its caption
            yield from model_strings(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from model_strings(item, f"{path}[{i}]")


@pytest.fixture(scope="module")
def edge_docx(edge_report):
    data, warnings = write(edge_report)
    assert warnings == []
    return data


@pytest.fixture(scope="module")
def edge_doc(edge_docx):
    return read(edge_docx)


# --- the title block and the overview ---------------------------------------------------------

def test_title_block_has_title_and_every_field(edge_report, edge_doc):
    """The title comes first in the Title style; every field, as label and value, comes
    under "About this visit", after the page-1 overview."""
    assert edge_doc.paragraphs[0].text == edge_report.title
    assert edge_doc.paragraphs[0].style.name == "Title"
    (fields,) = [t for t in edge_doc.tables if t.style.name == "Field Table"]
    assert body_order(edge_doc).index(("table", "Field Table")) > body_order(edge_doc).index(
        ("p", "About this visit"))
    assert table_rows(fields) == [[f.label, f.value] for f in edge_report.fields]
    assert all(row.cells[0].paragraphs[0].style.name == "Table Label" for row in fields.rows)


def body_order(document) -> list[tuple[str, str]]:
    """The body's blocks in order: ("p", text) for a paragraph, ("table", style name)."""
    out = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            out.append(("table", block.style.name))
        else:
            out.append(("p", block.text))
    return out


def test_page_one_answers_a_managers_questions(demo_reports):
    """Under the title: the confirmed points (the first five at most, the rest counted),
    the corrections in the customer's words, the open actions with team, owner and due
    date soonest first, the next contact and the risks; the details and the full read-back
    follow, and coaching comes last."""
    report = max(demo_reports.values(), key=lambda r: (bool(r.glance.risks), len(r.summary)))
    g = report.glance
    assert g.confirmed and g.corrected and g.to_do and g.risks
    document = read(write(report)[0])
    texts = [p.text for p in document.paragraphs]
    start = texts.index("At a glance")
    assert start <= 2
    glance = texts[start:texts.index("About this visit")]
    confirmed = [p.text for p in report.summary if p.status.value == "confirmed"]
    assert glance[1:2 + len(g.confirmed)] == [
        "What the customer confirmed", *confirmed[:5]]
    for c in g.corrected:
        assert f"{c.customer}  (read back as: {c.read_back})" in glance
    assert glance[-len(g.risks) - 1:] == ["Risks", *g.risks]
    assert "The account is at risk." in g.risks or any("rejected" in r for r in g.risks)
    (to_do,) = [t for t in document.tables if t.rows[0].cells[0].text == "Action"]
    rows = table_rows(to_do)[1:]
    assert [r[0] for r in rows] == [t.text for t in g.to_do]
    dues = [i.due_iso for grp in report.actions for i in grp.items if not i.done]
    assert len(rows) == len(dues)
    assert table_rows(to_do)[0] == ["Action", "Team", "Owner", "Due"]
    assert [r[2] for r in rows] == [t.owner or "No owner" for t in g.to_do]
    assert [r[3] for r in rows] == [t.due or "No date set" for t in g.to_do]
    owned = [t for t in g.to_do if t.owner]
    assert owned and any(r[2] == owned[0].owner and r[0] == owned[0].text for r in rows)
    assert glance[glance.index("Next contact") + 1] == report.next_contact
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "At a glance" and headings[-1] == "Coaching notes"


def test_draft_note_is_a_callout_under_the_title(demo_reports):
    """A report of an unfinished visit says so in a shaded note right under its title."""
    report = next(r for r in demo_reports.values() if r.draft_note)
    document = read(write(report)[0])
    assert [(p.text, p.style.name) for p in document.paragraphs[:2]] == [
        (report.title, "Title"), (report.draft_note, "Draft Note")]
    assert document.core_properties.content_status == "Draft"


def test_attendees_table_shows_roles_and_consent(edge_report, edge_doc):
    """Who we met: name (or role), title, roles and consent for each attendee."""
    table = table_with_header(edge_doc, "Name")
    assert table.style.name == "Report Table"
    assert table_rows(table) == [["Name", "Title", "Roles on the day", "Consent"]] + [
        [a.name, a.title, a.roles, a.consent] for a in edge_report.attendees]
    assert [r[0] for r in table_rows(table)[1:]] == ["User", NAMED, CYRILLIC]


def test_no_attendees_says_so(edge_report):
    """A visit without attendees says none were recorded instead of an empty table."""
    document = read(write(dataclasses.replace(edge_report, attendees=()))[0])
    assert after(document, "Who we met") == ["No attendees were recorded."]
    assert not [t for t in document.tables if t.rows[0].cells[0].text == "Name"]


def test_summary_shows_verdicts_and_the_correction(edge_report, edge_doc):
    """Each read-back point with its verdict, coloured by a status style; a correction is
    spelled out under its verdict."""
    table = table_with_header(edge_doc, "#")
    rows = table_rows(table)
    assert rows[0] == ["#", "Key learning", "Customer\u2019s verdict"]
    assert [r[:2] for r in rows[1:]] == [
        [str(p.number), p.text + (f"\nThe customer\u2019s wording: {p.correction}"
                                  if p.status.value == "corrected" else "")]
        for p in edge_report.summary]
    assert [r[2] for r in rows[1:]] == ["Confirmed", "Corrected", "Rejected"]
    # the customer's wording stands beside what was read back, not under the verdict
    assert rows[2][1] == (f"{edge_report.summary[1].text}\n"
                          "The customer\u2019s wording: Closer to 55 minutes")
    verdicts = [row.cells[2].paragraphs[0].runs[0] for row in table.rows[1:]]
    assert [r.style.name for r in verdicts] == [
        "Status Confirmed", "Status Corrected", "Status Rejected"]
    assert after(edge_doc, "Every key learning read back") == [
        "Key learnings read back to the customer at the end of the visit, with their verdict."]


def test_summary_note_when_nothing_was_read_back(edge_report):
    """Without read-back points the summary gives the reason instead of a table."""
    report = dataclasses.replace(edge_report, summary=(),
                                 summary_note="The read-back was skipped: no time")
    document = read(write(report)[0])
    assert after(document, "Every key learning read back") == [
        "The read-back was skipped: no time"]
    assert not [t for t in document.tables if t.rows[0].cells[0].text == "#"]


# --- findings ---------------------------------------------------------------------------------

def test_findings_follow_the_buckets(edge_report, edge_doc):
    """Every bucket is a level-2 heading in order, the tiers introduced once; an empty
    bucket says why and lists its unasked questions."""
    texts = [p.text for p in edge_doc.paragraphs]
    headings = styled(edge_doc, "Heading 2")
    assert headings == [b.heading for b in edge_report.buckets] + [
        "Notes not tied to a question"]
    tier = next(b for b in edge_report.buckets if b.bucket.is_tier)
    intro = texts.index("Beyond the customer: the industry and the customer's customers.")
    assert texts[intro + 1] == tier.heading and texts.count(texts[intro]) == 1
    buying = edge_report.buckets[1]
    assert after(edge_doc, buying.heading, 3) == [
        buying.bucket.description, buying.empty_note, "Skipped: 3.1, 3.2"]
    assert texts[texts.index("Skipped: 3.1, 3.2") + 1].startswith("Not asked: 3.3")


def test_questions_answers_stamps_and_tags(edge_report, edge_doc):
    """Each answered question: its number and text in the Question style, then the answer
    with its time stamp in the Stamp style."""
    answered = edge_report.buckets[0].answered
    assert styled(edge_doc, "Question") == [f"{q.number}  {q.question}" for q in answered]
    second = answered[1]
    paragraphs = edge_doc.paragraphs
    findings = [p.text for p in paragraphs].index("Findings")
    answer = next(p for p in paragraphs[findings:]
                  if p.text.startswith("[User] said the line"))
    assert answer.text == f"{second.answer}  {second.stamp}"
    assert answer.runs[-1].style.name == "Stamp"
    assert after(edge_doc, answer.text) == [f"Read back as key learning {second.key_point}"]


def test_fifty_step_ladder_in_order_and_indented_up_to_a_limit(edge_doc):
    """All 50 why-steps come in order, prefixed by their level; the indent grows with
    depth up to level 6 and then stays."""
    steps = [p for p in edge_doc.paragraphs if p.style.name == "Ladder Step"
             and "Because of reason level" in p.text]
    assert len(steps) == LADDER_DEPTH
    for depth, p in enumerate(steps, 1):
        prefix = "Why? " if depth == 1 else f"Why? (level {depth}) "
        assert p.text.startswith(f"{prefix}Because of reason level {depth}  ")
        assert p.runs[0].style.name == "Ladder Why"
    indents = [p.paragraph_format.left_indent for p in steps]
    assert indents[0] is None  # the style's own indent
    assert all(a < b for a, b in zip(indents[1:5], indents[2:6], strict=True))
    assert set(indents[5:]) == {indents[5]}


def test_quotes_use_the_quote_style_and_name_the_speaker(edge_doc):
    """Quotes stand in the Quote style with the speaker after a dash; a person quoted by
    role only is named by role."""
    quotes = styled(edge_doc, "Quote")
    assert len(quotes) == 2
    assert quotes[0].startswith("\u201cWe lose an hour & more <every> shift.\n")
    assert "\n\u2014 User  +" in quotes[0]
    assert quotes[1].startswith("\u201c\u0397 \u03b3\u03c1\u03b1\u03bc\u03bc\u03ae")
    assert f"\n\u2014 {NAMED}  +" in quotes[1]


def test_every_photo_is_embedded_with_its_caption(edge_report, edge_doc):
    """The 20 photos are pictures in the document, each in a Figure paragraph kept with
    the caption right after it, within 12 x 9 cm and with its own shape."""
    assert len(edge_doc.inline_shapes) == PHOTOS
    notes = list(edge_report.pictures())
    paragraphs = edge_doc.paragraphs
    figures = [i for i, p in enumerate(paragraphs) if p.style.name == "Figure"]
    assert len(figures) == PHOTOS
    assert [paragraphs[i + 1].text for i in figures] == [
        f"Photo {n.figure}: {n.text}  {n.stamp}" for n in notes]
    assert {paragraphs[i + 1].style.name for i in figures} == {"Caption"}
    for shape, note in zip(edge_doc.inline_shapes, notes, strict=True):
        assert shape.width <= docx.shared.Cm(12) + 1 and shape.height <= docx.shared.Cm(9) + 1
        assert shape.height / shape.width == pytest.approx(note.picture.aspect, rel=0.01)
    assert edge_doc.styles["Figure"].paragraph_format.keep_with_next


def test_observations_files_and_loose_notes(edge_doc):
    """An observation reads "Observation: ..." and notes tied to no question get their
    own heading."""
    texts = [p.text for p in edge_doc.paragraphs]
    stamp = r"  \+0:\d\d"  # minutes:seconds into the visit; the sample takes a moment to build
    # who said it comes before the time, when someone was named
    said = r"(  \u2014 [^+]+)?"
    assert any(re.fullmatch(r"Observation: Whiteboard lists 14 open work orders\." + said + stamp,
                            t)
               for t in texts)
    (loose,) = after(edge_doc, "Notes not tied to a question")
    # written after a quote, the note carried its speaker over, and the report names her
    assert re.fullmatch(r"Observation: A note tied to no question\.  \u2014 \S+ \S+" + stamp,
                        loose)


def test_attached_file_without_picture_is_listed(edge_report):
    """A file that is not a picture is named, with its caption when that differs."""
    notes = (Note(EntryKind.ATTACHMENT, "Price list for 2027", "+1:00", file_name="prices.xlsx"),
             Note(EntryKind.ATTACHMENT, "notes.pdf", file_name="notes.pdf"))
    document = read(write(dataclasses.replace(edge_report, other_notes=notes))[0])
    assert after(document, "Notes not tied to a question", 2) == [
        "Attached file: prices.xlsx \u2014 Price list for 2027  +1:00",
        "Attached file: notes.pdf"]


def test_a_picture_that_cannot_be_embedded_warns_and_keeps_its_caption(edge_report):
    """Bytes python-docx cannot read cost the picture, not the report: a warning says so
    and the caption stays."""
    broken = Note(EntryKind.ATTACHMENT, "Line 2", picture=Picture(b"not a picture", 4, 3, "png"),
                  figure=21, file_name="x.png")
    data, warnings = write(dataclasses.replace(edge_report, other_notes=(broken,)))
    document = read(data)
    assert len(document.inline_shapes) == PHOTOS
    assert after(document, "Notes not tied to a question") == ["Photo 21: Line 2"]
    assert len(warnings) == 1 and warnings[0].startswith("Photo 21 could not be placed")


# --- coaching, actions, ending ----------------------------------------------------------------

def test_coaching_facts_flags_and_advice(edge_report, edge_doc):
    """Coaching: the figures and the advice as bullets, the flagged wording as a table."""
    coaching = edge_report.coaching
    assert after(edge_doc, "Coaching notes") == ["A self-check for the interviewer."]
    bullets = styled(edge_doc, "List Bullet")
    start = bullets.index(coaching.facts[0])
    assert bullets[start:start + len(coaching.facts) + len(coaching.advice)] == [
        *coaching.facts, *coaching.advice]
    table = table_with_header(edge_doc, "Where")
    assert table_rows(table) == [["Where", "Kind", "Wording", "Why it matters"]] + [
        [f.where, f.kind, f.phrase, f.reason] for f in coaching.flags]
    assert len(coaching.flags) == 2


def test_action_items_by_team_and_next_contact(edge_report, edge_doc):
    """Actions under a heading per team, with owners and due dates, after the findings;
    the next contact is on page 1; the generation line ends the report."""
    teams = [g.team for g in edge_report.actions]
    assert styled(edge_doc, "Heading 3")[-len(teams):] == teams == ["Sales", "Product"]
    assert after(edge_doc, "Sales") == ["Call back about renewal"]
    assert after(edge_doc, "Product") == [
        "Send the changeover study & <data> \u2014 owner Maria (product) \u2014 due "
        "1 December 2026"]
    assert after(edge_doc, "Next contact") == ["15 February 2027"]
    assert edge_doc.paragraphs[-1].text == (
        f"Report generated on {edge_report.generated} with VOC Desktop.")


def test_done_items_and_no_actions(edge_report):
    """A done item says so; a visit without actions says none were agreed."""
    groups = (dataclasses.replace(edge_report.actions[0], items=(
        dataclasses.replace(edge_report.actions[0].items[0], done=True),)),)
    document = read(write(dataclasses.replace(edge_report, actions=groups))[0])
    assert after(document, "Sales") == ["Call back about renewal (done)"]
    document = read(write(dataclasses.replace(edge_report, actions=()))[0])
    assert after(document, "Action items") == ["No action items were agreed."]


# --- text as typed, names as agreed -----------------------------------------------------------

def test_text_is_literal_with_line_breaks_and_unicode(edge_docx, edge_doc):
    """Markup characters stay text, a line feed becomes a line break, and Greek, Cyrillic
    and CJK text arrive whole; the 5,000-word answer is complete."""
    text = docx_text(edge_docx)
    assert MARKUP in text and CJK_TEXT in text and CYRILLIC in text
    assert long_answer() in text
    (fields,) = [t for t in edge_doc.tables if t.style.name == "Field Table"]
    objective = fields.rows[4].cells[1].paragraphs[0]
    assert objective.text == "Learn why changeovers\nrun long & <late>"
    assert objective.runs[0]._r.find(f"{W}br") is not None
    assert "&lt;late&gt;" in package_text(edge_docx)


def test_hidden_name_appears_nowhere_in_the_package(edge_docx):
    """A person quoted by role only is named nowhere: not in the text, tables, headers,
    picture descriptions or document properties."""
    everything = package_text(edge_docx) + docx_text(edge_docx)
    parts = HIDDEN_NAME.replace("-", " ").split()
    assert not [p for p in parts if p in everything]
    assert "[User] said the line stops" in everything


def test_document_properties(edge_report, edge_doc):
    """Title, subject and author (the interviewers) are set from the report."""
    props = edge_doc.core_properties
    assert props.title == edge_report.title
    assert props.subject == ("Customer visit report: \u00c5ngstr\u00f6m & S\u00f8n <Ops>, "
                             "20 November 2026")
    assert props.author == "\u00c5sa Lindqvist"
    assert props.content_status == "Final"
    assert props.language == "en-GB"


def test_header_and_footer_on_every_page(edge_report, edge_doc):
    """The header names the account and "Visit report"; the footer carries the
    confidentiality line and Word fields for the page number and count."""
    section = edge_doc.sections[0]
    assert not section.different_first_page_header_footer
    assert [p.text for p in section.header.paragraphs] == [f"{edge_report.header}\tVisit report"]
    (table,) = section.footer.tables
    note, page = (cell.paragraphs[0] for cell in table.rows[0].cells)
    assert (note.text, note.style.name) == (edge_report.confidential, "Footer")
    # the page number has a cell of its own, so a long note cannot push it to a new line
    assert (page.text, page.style.name) == ("Page 1 of 1", "Footer Page")
    assert page.paragraph_format.alignment is None  # right-aligned by its style alone
    assert page.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    widths = [cell.width for cell in table.rows[0].cells]
    assert widths[1] >= Cm(3) and widths[0] + widths[1] <= Cm(17.1)
    codes = [t.text.strip() for t in section.footer._element.iter(f"{W}instrText")]
    assert codes == ["PAGE", "NUMPAGES"]


def test_demo_reports_say_everything_the_model_says(demo_reports):
    """Every text of each sample visit's model is somewhere in its document: the writer
    drops nothing."""
    for report in demo_reports.values():
        text = squeeze(docx_text(write(report)[0]))
        missing = [(path, s) for path, s in model_strings(report)
                   if squeeze(s) not in text]
        assert missing == [], report.title


def test_demo_report_layout(demo_reports):
    """A finished sample visit: sections in their order, photos embedded, no warnings."""
    report = max(demo_reports.values(), key=lambda r: sum(len(b.answered) for b in r.buckets))
    data, warnings = write(report)
    document = read(data)
    assert warnings == []
    headings = styled(document, "Heading 1")
    assert headings == ["At a glance", "About this visit", "Who we met",
                        "Every key learning read back", "Findings", "Action items",
                        "Coaching notes"]
    assert len(document.inline_shapes) == sum(1 for _ in report.pictures())
    assert styled(document, "Heading 2")[:len(report.buckets)] == [
        b.heading for b in report.buckets]


# --- styles from the template -----------------------------------------------------------------

def test_every_style_comes_from_the_template(edge_docx):
    """The document uses only styles the shipped template defines, and no run or paragraph
    carries its own font, size, colour or spacing (a ladder step's indent aside)."""
    template = read(shipped_template())
    names = {s.name for s in template.styles}
    document = read(edge_docx)
    used = {s.name for s in document.styles if s.style_id in package_text(edge_docx)}
    assert {p.style.name for p in document.paragraphs} <= names
    assert used <= names | {"Normal Table", "Default Paragraph Font", "No List"}
    with zipfile.ZipFile(io.BytesIO(edge_docx)) as z:
        body = z.read("word/document.xml").decode()
    run_props = set(re.findall(r"<w:rPr>(.*?)</w:rPr>", body))
    assert {re.sub(r'w:val="[^"]*"', "", p) for p in run_props} == {'<w:rStyle />'}
    para_props = re.findall(r"<w:pPr>(.*?)</w:pPr>", body)
    tags = {t for p in para_props for t in re.findall(r"<w:(\w+)", p)}
    assert tags <= {"pStyle", "ind"}


def test_template_styles_have_the_intended_look():
    """The shipped template: A4 with 2 cm margins, an empty body, the accent colour on
    headings kept with the next paragraph, 10.5 pt Normal with an East Asian font."""
    template = read(shipped_template())
    section = template.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == round(section.right_margin.cm, 1) == 2.0
    assert len(template.element.body) == 1  # only the section properties
    for level in (1, 2, 3):
        heading = template.styles[f"Heading {level}"]
        assert heading.font.color.rgb == RGBColor(0x1F, 0x4E, 0x79)
        assert heading.paragraph_format.keep_with_next
    normal = template.styles["Normal"]
    assert normal.font.size.pt == 10.5 and normal.font.name == "Calibri"
    assert normal.element.rPr.rFonts.get(f"{W}eastAsia")
    for name in ("Quote", "Ladder Step", "Caption", "Small Note", "Draft Note", "Header",
                 "Footer", "Report Table", "Stamp", "Table Gap"):
        assert template.styles[name] is not None


def test_another_template_changes_the_look(edge_report):
    """Write with a template whose Heading 1 is red: the report's headings are red, with
    the same content."""
    custom = read(shipped_template())
    custom.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    buffer = io.BytesIO()
    custom.save(buffer)
    data, warnings = write(edge_report, template=buffer.getvalue())
    document = read(data)
    assert warnings == []
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert styled(document, "Heading 1")[0] == "At a glance"


def test_a_template_missing_a_style_still_writes_the_report(edge_report):
    """A replaced template without one of the report's styles costs that look only: the
    text is there in the default style, and a warning names the style."""
    custom = read(shipped_template())
    ladder = custom.styles["Ladder Step"].element
    ladder.getparent().remove(ladder)
    buffer = io.BytesIO()
    custom.save(buffer)
    data, warnings = write(edge_report, template=buffer.getvalue())
    assert "Because of reason level 50" in docx_text(data)
    assert len(warnings) == 1 and "\u201cLadder Step\u201d" in warnings[0]


def test_shipped_template_is_what_the_build_script_makes():
    """tools/make_report_template.py rebuilds the shipped template part for part, so the
    template can be reviewed and changed as code."""
    build = runpy.run_path(str(ROOT / "tools" / "make_report_template.py"))["build_template"]
    with (zipfile.ZipFile(io.BytesIO(build())) as built,
          zipfile.ZipFile(io.BytesIO(shipped_template())) as shipped):
        assert sorted(built.namelist()) == sorted(shipped.namelist())
        assert [n for n in built.namelist() if built.read(n) != shipped.read(n)] == []


# --- progress and speed -----------------------------------------------------------------------

def test_progress_rises_from_30_to_95(edge_report):
    """Progress starts at 30, ends at 95 and never goes back."""
    seen: list[int] = []
    write(edge_report, progress=lambda percent, what: seen.append(percent))
    assert seen[0] == 30 and seen[-1] == 95
    assert seen == sorted(seen) and len(seen) > PHOTOS


def test_an_exception_from_progress_stops_the_writer(edge_report):
    """Progress may cancel: its exception comes out of write_docx and nothing is saved."""
    class Stop(Exception):
        pass

    def progress(percent: int, what: str) -> None:
        if percent >= 50:
            raise Stop

    out = io.BytesIO()
    with pytest.raises(Stop):
        write_docx(edge_report, out, progress)
    assert out.getvalue() == b""


def long_visit(report: VisitReport) -> VisitReport:
    """150 answers, 40 why-probes and 10 photos, spread over the buckets."""
    photos = [n for n in report.pictures()][:10]
    buckets = []
    for b, bucket in enumerate(report.buckets):
        questions = []
        for i in range(25):
            n = b * 25 + i
            ladder = tuple(LadderStep(d, f"Why number {d} under {n}", "+1:00")
                           for d in range(1, 5)) if n % 15 == 0 else ()
            notes = (photos[n // 15],) if n % 15 == 7 else ()
            questions.append(QuestionFinding(
                f"{b + 1}.{i + 1}", f"Question {n}?", answer=f"Answer {n}. " + "word " * 80,
                stamp="+2:00", ladder=ladder, notes=notes, tags=("tag",)))
        buckets.append(dataclasses.replace(bucket, sections=(
            SectionFindings("Section", tuple(questions)),)))
    return dataclasses.replace(report, buckets=tuple(buckets))


def test_a_long_visit_is_written_whole(edge_report):
    """150 answers, 40 why-probes and 10 photos all reach the document (how fast is
    benchmarks/bench_report.py's to say)."""
    report = long_visit(edge_report)
    data, warnings = write(report)
    document = read(data)
    assert warnings == [] and len(document.inline_shapes) == 10
    text = "\n".join(p.text for p in document.paragraphs)
    assert all(f"Answer {n}. " in text for n in range(len(report.buckets) * 25))
    assert text.count("Why number 4 under") == sum(
        1 for n in range(len(report.buckets) * 25) if n % 15 == 0)


LINKED = "Send the spec via https://example.com/spec?id=4, or see www.example.org."


def test_web_addresses_are_links_a_reader_can_click(demo_reports):
    """An address in what was written becomes a hyperlink in the Hyperlink style, its
    target the address (https added to a bare www.), the sentence's punctuation left out."""
    report = dataclasses.replace(next(iter(demo_reports.values())), next_contact=LINKED)
    document = read(write(report)[0])
    (p,) = [p for p in document.paragraphs if "Send the spec" in p.text]
    assert p.text == LINKED
    found = [(h.url, h.text) for h in p.hyperlinks]
    assert found == [("https://example.com/spec?id=4", "https://example.com/spec?id=4"),
                     ("https://www.example.org", "www.example.org")]
    for h in p.hyperlinks:
        assert h.runs[0].style.name == "Hyperlink"


def test_a_stamp_after_right_to_left_text_stays_at_the_end_of_the_line():
    """A direction mark goes before a stamp that follows Arabic or Hebrew, so the bidi
    rules do not carry its numbers into the text: left-to-right in a paragraph that reads
    from the left, right-to-left in one that reads from the right; Latin needs none."""
    from voc_desktop.reports.docx_parts import Writer

    w = Writer(docx.Document(io.BytesIO(shipped_template())))
    arabic = w.para("Normal", "قال إن الخط يتوقف 14:05")
    w.stamp(arabic, "+0:12")
    mixed = w.para("Normal", "Answer: قال إن الخط يتوقف")
    w.stamp(mixed, "+0:12")
    latin = w.para("Normal", "The line stops twice")
    w.stamp(latin, "+0:12")
    assert arabic.text == "قال إن الخط يتوقف 14:05\u200f  \u2066+0:12\u2069"
    assert mixed.text == "Answer: قال إن الخط يتوقف\u200e  +0:12"
    assert latin.text == "The line stops twice  +0:12"


def test_a_section_named_like_its_bucket_has_no_second_heading(edge_report):
    """A section whose title repeats its bucket's heading is not headed twice, in Word or
    in the PDF; a section with a title of its own keeps it."""
    from voc_desktop.reports.pdf import write_pdf

    bucket = next(b for b in edge_report.buckets if b.answered)
    first = dataclasses.replace(bucket.sections[0], title=f" {bucket.heading.upper()} ")
    changed = dataclasses.replace(bucket, sections=(first, *bucket.sections[1:]))
    report = dataclasses.replace(edge_report, buckets=tuple(
        changed if b is bucket else b for b in edge_report.buckets))
    document = read(write(report)[0])
    texts = [p.text for p in document.paragraphs]
    at = texts.index(bucket.heading, texts.index("Findings"))
    assert first.title not in texts
    assert texts[at + 1] == bucket.bucket.description
    assert document.paragraphs[at + 2].style.name == "Question"
    out = io.BytesIO()
    write_pdf(report, out)
    assert squeeze(first.title) not in squeeze("\n".join(pdf_pages(out.getvalue())))


def test_right_to_left_paragraphs_and_runs_are_marked_for_word():
    """A paragraph that starts in Arabic or Hebrew reads from the right (w:bidi) and its
    right-to-left runs take Word's complex-script formatting (w:rtl); Latin is untouched."""
    from voc_desktop.reports.docx_parts import Writer

    w = Writer(docx.Document(io.BytesIO(shipped_template())))
    arabic = w.para("Normal", "قال إن الخط يتوقف 12 مرة")
    latin = w.para("Normal", "Answer: the line stops")
    w.run(latin, " — قال")
    assert arabic._p.pPr.find(f"{W}bidi") is not None
    assert latin._p.pPr is None or latin._p.pPr.find(f"{W}bidi") is None
    assert [r._r.rPr is not None and r._r.rPr.find(f"{W}rtl") is not None
            for r in latin.runs] == [False, True]
    assert arabic.runs[0]._r.rPr.find(f"{W}rtl") is not None
