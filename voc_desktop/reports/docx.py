"""The visit report as a Word document.

The document starts from the shipped template (resources/report-template.docx), whose
styles carry the whole look: this module adds content and names a style for each piece.
Replace the template and every report looks different without a change here. The layout
follows the content model top to bottom, the same as the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import BinaryIO

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from docx.text.paragraph import Paragraph

from voc_desktop import assets
from voc_desktop.domain.visit import SummaryStatus
from voc_desktop.reports.coaching import Coaching
from voc_desktop.reports.content import (
    CONFIRMED,
    CORRECTED,
    CORRECTED_TO,
    DETAILS,
    GLANCE,
    LANGUAGE,
    NOTHING_TO_DO,
    READ_BACK,
    RISKS,
    TO_DO,
    TO_DO_HEADERS,
    VisitReport,
    more_confirmed,
)
from voc_desktop.reports.docx_parts import Ticker, Writer, findings

TEMPLATE = "report-template.docx"
SUMMARY_INTRO = ("Key learnings read back to the customer at the end of the visit, "
                 "with their verdict.")
STATUS_STYLES = {
    SummaryStatus.CONFIRMED: "Status Confirmed",
    SummaryStatus.CORRECTED: "Status Corrected",
    SummaryStatus.REJECTED: "Status Rejected",
    SummaryStatus.PENDING: "Status Not Read Back",
}


def write_docx(report: VisitReport, out: BinaryIO,
               progress: Callable[[int, str], None] = lambda percent, what: None, *,
               template: bytes | None = None) -> list[str]:
    """Write the report as DOCX to `out`. `template` replaces the shipped template (a
    .docx whose styles give the look); returns warnings for the person, usually none."""
    progress(30, "Starting the Word document")
    w = Writer(Document(io.BytesIO(template if template is not None else shipped_template())))
    properties(w, report)
    running_header(w, report)
    title_block(w, report)
    glance(w, report)
    details(w, report)
    attendees(w, report)
    summary(w, report)
    progress(35, "Writing the findings")
    pictures = sum(1 for _ in report.pictures())
    findings(w, report, Ticker(progress, 35, 85, len(report.buckets) + pictures))
    actions(w, report)
    coaching(w, report.coaching)
    w.para("Small Note", f"Report generated on {report.generated} with VOC Desktop.")
    progress(90, "Saving the Word document")
    w.save(out)
    progress(95, "Word document written")
    return w.warnings


def shipped_template() -> bytes:
    return assets.read_bytes(TEMPLATE)


def properties(w: Writer, report: VisitReport) -> None:
    """What a file browser or Word's Info pane shows. Only text from the report, so a
    person quoted by role only is not named here either."""
    fields = {f.label: f.value for f in report.fields}
    interviewers = fields.get("Interviewers", "")
    if interviewers == "Not recorded":
        interviewers = ""
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props = w.doc.core_properties
    props.title = report.title
    props.subject = f"Customer visit report: {report.account}, {report.visit_date}"
    props.author = props.last_modified_by = interviewers
    props.keywords = "customer visit, visit report"
    props.category = "Visit report"
    props.comments = report.draft_note
    props.content_status = "Draft" if report.draft_note else "Final"
    props.language = LANGUAGE
    props.created = props.modified = now
    props.revision = 1


PAGE_NUMBER_WIDTH = Cm(3.2)


def running_header(w: Writer, report: VisitReport) -> None:
    """Account and date left, "Visit report" right; the confidentiality line and
    "Page N of M" at the foot of every page."""
    page_frame(w, report.header, "Visit report", report.confidential)


def page_frame(w: Writer, left: str, right: str, foot_note: str) -> None:
    """The header line of every page (`left`, a tab, `right`) and its footer: `foot_note`
    and "Page N of M"."""
    section = w.doc.sections[0]
    section.different_first_page_header_footer = False
    head = section.header.paragraphs[0]
    w.restyle(head, "Header")
    w.run(head, f"{left}\t{right}")

    # the note and the page number side by side, in a table without lines: on one line
    # with a tab, a long note pushed "Page N of M" onto a line of its own
    footer = section.footer
    table = footer.add_table(1, 2, Emu(w.width))
    table.autofit = False
    _no_cell_margins(table._tbl)
    note, number = table.rows[0].cells
    for column, cell, width in zip(table.columns, (note, number),
                                   (w.width - PAGE_NUMBER_WIDTH, PAGE_NUMBER_WIDTH),
                                   strict=True):
        column.width = cell.width = Emu(int(width))
    w.restyle(note.paragraphs[0], "Footer")
    w.run(note.paragraphs[0], foot_note)
    page = number.paragraphs[0]
    w.restyle(page, "Footer Page")
    w.run(page, "Page ")
    field(page, "PAGE")
    w.run(page, " of ")
    field(page, "NUMPAGES")
    # a footer ends with a paragraph; the one it came with goes below the table, small
    end = footer.paragraphs[0]._p
    end.getparent().remove(end)
    footer._element.append(end)
    w.restyle(footer.paragraphs[-1], "Table Gap")


def _no_cell_margins(tbl) -> None:
    """Cells flush with the text column, so the footer lines up with the header above."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(OxmlElement(f"w:{side}", {qn("w:w"): "0", qn("w:type"): "dxa"}))
    look = tbl.tblPr.find(qn("w:tblLook"))  # the last child the schema allows after it
    if look is None:
        tbl.tblPr.append(margins)
    else:
        look.addprevious(margins)


def field(p: Paragraph, code: str) -> None:
    """A field Word and LibreOffice fill in when they lay out the page (PAGE, NUMPAGES)."""
    def run(child: str, **attrs: str) -> None:
        r = p.add_run()
        el = OxmlElement(child, {qn(f"w:{k}"): v for k, v in attrs.items()})
        if child == "w:instrText":
            el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            el.text = f" {code} "
        r._r.append(el)

    run("w:fldChar", fldCharType="begin")
    run("w:instrText")
    run("w:fldChar", fldCharType="separate")
    p.add_run("1")  # shown until the reader lays out the pages
    run("w:fldChar", fldCharType="end")


def title_block(w: Writer, report: VisitReport) -> None:
    w.para("Title", report.title)
    if report.draft_note:
        w.para("Draft Note", report.draft_note)


def glance(w: Writer, report: VisitReport) -> None:
    """Page 1: what the customer confirmed and corrected, what we must do, the next
    contact and the risks."""
    g = report.glance
    w.para("Heading 1", GLANCE)
    if g.confirmed:
        w.para("Heading 3", CONFIRMED)
        for text in g.confirmed:
            w.para("List Bullet", text)
        if g.more_confirmed:
            w.para("Small Note", more_confirmed(g.more_confirmed))
    if g.corrected:
        w.para("Heading 3", CORRECTED)
        for c in g.corrected:
            p = w.para("List Bullet", c.customer)
            w.run(p, f"  (read back as: {c.read_back})", "Stamp")
    w.para("Heading 3", TO_DO)
    if g.to_do:
        table = w.table("Report Table", (0.43, 0.19, 0.2, 0.18), TO_DO_HEADERS)
        for t in g.to_do:
            w.row(table, *t.cells)
        w.gap()
    else:
        w.para("Normal", NOTHING_TO_DO)
    w.para("Heading 3", "Next contact")
    w.para("Normal", g.next_contact)
    if g.risks:
        w.para("Heading 3", RISKS)
        for risk in g.risks:
            w.para("List Bullet", risk)


def details(w: Writer, report: VisitReport) -> None:
    if not report.fields:
        return
    w.para("Heading 1", DETAILS)
    table = w.table("Field Table", (0.22, 0.78))
    for i, f in enumerate(report.fields):
        cells = w.row(table, "", f.value, first=i == 0)
        w.cell(cells[0], f.label, "Table Label")
    w.gap()


def attendees(w: Writer, report: VisitReport) -> None:
    w.para("Heading 1", "Who we met")
    if not report.attendees:
        w.para("Normal", "No attendees were recorded.")
        return
    table = w.table("Report Table", (0.24, 0.22, 0.2, 0.34),
                    ("Name", "Title", "Roles on the day", "Consent"))
    for a in report.attendees:
        w.row(table, a.name, a.title, a.roles, a.consent)
    w.gap()


def summary(w: Writer, report: VisitReport) -> None:
    w.para("Heading 1", READ_BACK)
    if report.summary:
        w.para("Normal", SUMMARY_INTRO)
        table = w.table("Report Table", (0.06, 0.72, 0.22),
                        ("#", "Key learning", "Customer\u2019s verdict"))
        for point in report.summary:
            cells = w.row(table, str(point.number), point.text)
            verdict = w.cell(cells[2], "")
            w.run(verdict, point.status_label, STATUS_STYLES.get(point.status))
            if point.status is SummaryStatus.CORRECTED and point.correction:
                # beside what was read back, where it has room, not under the verdict
                w.para("Table Text", f"{CORRECTED_TO} {point.correction}", cells[1])
        w.gap()
    if report.summary_note:
        w.para("Subtle Note", report.summary_note)


def coaching(w: Writer, c: Coaching) -> None:
    w.para("Heading 1", "Coaching notes")
    w.para("Normal", "A self-check for the interviewer.")
    for fact in c.facts:
        w.para("List Bullet", fact)
    if c.flags:
        if c.facts:
            w.gap()
        table = w.table("Report Table", (0.18, 0.14, 0.34, 0.34),
                        ("Where", "Kind", "Wording", "Why it matters"))
        for flag in c.flags:
            w.row(table, flag.where, flag.kind, flag.phrase, flag.reason)
        w.gap()
    for advice in c.advice:
        w.para("List Bullet", advice)


def actions(w: Writer, report: VisitReport) -> None:
    w.para("Heading 1", "Action items")
    if not report.actions:
        w.para("Normal", "No action items were agreed.")
    for group in report.actions:
        w.para("Heading 3", group.team)
        for item in group.items:
            w.para("List Bullet", item.listed)
