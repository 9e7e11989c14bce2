"""The visit report as a PDF (A4, reportlab), laid out like the DOCX from the same content.

Every page carries the account and date at the top and the confidentiality line and
"Page N of M" at the foot. M is known only once the last page is laid out, so the canvas
keeps each finished page and stamps the numbers when the document is saved: one layout
pass instead of two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from voc_desktop.domain.visit import SummaryStatus
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
    BucketFindings,
    SummaryPoint,
    VisitReport,
    more_confirmed,
)
from voc_desktop.reports.pdf_findings import Findings
from voc_desktop.reports.pdf_fonts import BODY, TextMarkup
from voc_desktop.reports.pdf_style import (
    BOTTOM_MARGIN,
    GREY,
    H1_BEFORE_H2,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    TEXT_WIDTH,
    TOP_MARGIN,
    VERDICT_COLOURS,
    ScriptParagraph,
    Styles,
    callout,
    heading,
    small,
    styles,
    table,
)

Progress = Callable[[int, str], None]
BUILD_FROM = 40  # percent reached when the content is laid out and pages are being made
FOOTER_RULE = 1.9 * cm  # height of the line above the footer


def write_pdf(report: VisitReport, out: BinaryIO,
              progress: Progress = lambda percent, what: None, *,
              system_fonts: Sequence[str] | None = None) -> list[str]:
    """Write the report to `out`. Returns warnings for the person exporting it (characters
    no font could draw). `system_fonts` replaces the list of font files searched for
    characters DejaVu Sans lacks; by default the usual places on Linux, Windows and macOS."""
    progress(30, "Laying out the PDF")
    # binary streams: ASCII85 text would make the file a quarter larger and, without
    # reportlab's optional C accelerator, cost a tenth of a second per twenty photos
    rl_config.useA85 = 0
    mark = TextMarkup(system_fonts)
    st = styles()
    story = _Story(report, mark, st, progress).flowables()
    doc = ReportDocument(out, mark, st, title=report.title, header=report.header,
                         kind="Visit report", footer=report.confidential,
                         subject=f"Customer visit report: {report.account}",
                         progress=progress, total=len(story))
    doc.build(story, canvasmaker=NumberedCanvas)
    progress(95, "PDF written")
    return mark.warnings()


class _Story:
    """The report's content as flowables, top to bottom."""

    def __init__(self, report: VisitReport, mark: TextMarkup, st: Styles,
                 progress: Progress) -> None:
        self.r = report
        self.mark = mark
        self.st = st
        self.progress = progress

    def p(self, text: str, style: ParagraphStyle) -> Paragraph:
        return ScriptParagraph(self.mark(text), style)

    def flowables(self) -> list[Flowable]:
        out = self.title_block() + self.glance() + self.details() + self.attendees()
        out += self.summary()
        out += heading(self.mark, "Findings", self.st.h1, room=H1_BEFORE_H2)
        count = max(1, len(self.r.buckets))

        def step(done: int, bucket: BucketFindings) -> None:
            self.progress(30 + (BUILD_FROM - 30) * done // count,
                          f"Laying out \u201c{bucket.heading}\u201d")

        out += Findings(self.mark, self.st).buckets(self.r.buckets, self.r.other_notes, step)
        out += self.actions() + self.coaching()
        out += [Spacer(1, 0.8 * cm),
                self.p(f"Report generated on {self.r.generated} with VOC Desktop.",
                       self.st.small)]
        self.progress(BUILD_FROM, "Making the pages")
        return out

    def title_block(self) -> list[Flowable]:
        st, r = self.st, self.r
        out: list[Flowable] = [self.p(r.title, st.title)]
        if r.draft_note:
            out += [callout(self.p(r.draft_note, st.callout)), Spacer(1, 8)]
        return out

    def glance(self) -> list[Flowable]:
        """Page 1: what the customer confirmed and corrected, what we must do, the next
        contact and the risks."""
        st, g, mark = self.st, self.r.glance, self.mark
        out = heading(mark, GLANCE, st.h1)
        if g.confirmed:
            out += heading(mark, CONFIRMED, st.h3)
            out += [self.bullet(text) for text in g.confirmed]
            if g.more_confirmed:
                out.append(self.p(more_confirmed(g.more_confirmed), st.small))
        if g.corrected:
            out += heading(mark, CORRECTED, st.h3)
            out += [ScriptParagraph(f"{mark(c.customer)} "
                              f'{small(mark(f"(read back as: {c.read_back})"))}',
                              st.bullet, bulletText="\u2022") for c in g.corrected]
        out += heading(mark, TO_DO, st.h3)
        if g.to_do:
            head = [self.p(h, st.cell_head) for h in TO_DO_HEADERS]
            rows = [[self.p(cell, st.cell) for cell in t.cells] for t in g.to_do]
            out.append(table([head, *rows],
                             [TEXT_WIDTH - 10.8 * cm, 3.4 * cm, 3.9 * cm, 3.5 * cm]))
        else:
            out.append(self.p(NOTHING_TO_DO, st.body))
        out += heading(mark, "Next contact", st.h3)
        out.append(self.p(g.next_contact, st.body))
        if g.risks:
            out += heading(mark, RISKS, st.h3)
            out += [self.bullet(risk) for risk in g.risks]
        return out

    def details(self) -> list[Flowable]:
        st, r = self.st, self.r
        if not r.fields:
            return []
        rows = [[ScriptParagraph(f"<b>{self.mark(f.label)}</b>", st.cell),
                 self.p(f.value, st.cell)] for f in r.fields]
        return [*heading(self.mark, DETAILS, st.h1),
                table(rows, [4 * cm, TEXT_WIDTH - 4 * cm], header=False, split_rows=True)]

    def attendees(self) -> list[Flowable]:
        st = self.st
        out = heading(self.mark, "Who we met", st.h1)
        if not self.r.attendees:
            return [*out, self.p("No attendees were recorded.", st.body)]
        head = [self.p(h, st.cell_head) for h in ("Name", "Title", "Roles on the day",
                                                  "Consent")]
        rows = [[self.p(a.name, st.cell), self.p(a.title, st.cell), self.p(a.roles, st.cell),
                 self.p(a.consent, st.cell)] for a in self.r.attendees]
        out.append(table([head, *rows], [4.2 * cm, 3.6 * cm, 3.4 * cm,
                                         TEXT_WIDTH - 11.2 * cm]))
        return out

    def summary(self) -> list[Flowable]:
        st, r = self.st, self.r
        out = heading(self.mark, READ_BACK, st.h1)
        if r.summary:
            out.append(self.p("Key learnings read back to the customer at the end of the "
                              "visit, with their verdict.", st.body))
            out.append(Spacer(1, 4))
            head = [self.p(h, st.cell_head) for h in ("#", "Key learning", "Customer's verdict")]
            rows = [[self.p(str(pt.number), st.cell), ScriptParagraph(self.point(pt), st.cell),
                     ScriptParagraph(self.verdict(pt), st.cell)] for pt in r.summary]
            out.append(table([head, *rows], [1 * cm, TEXT_WIDTH - 4.4 * cm, 3.4 * cm]))
        if r.summary_note:
            out.append(Spacer(1, 4))
            out.append(ScriptParagraph(f"<i>{self.mark(r.summary_note)}</i>", st.body))
        return out

    def verdict(self, point: SummaryPoint) -> str:
        colour = VERDICT_COLOURS.get(point.status.value, "#000000")
        return f'<font color="{colour}"><b>{self.mark(point.status_label)}</b></font>'

    def point(self, point: SummaryPoint) -> str:
        """What was read back, and the customer's own wording where they corrected it:
        beside the text, where it has room, not under the verdict."""
        text = self.mark(point.text)
        if point.status is SummaryStatus.CORRECTED and point.correction:
            text += f"<br/><i>{self.mark(CORRECTED_TO)}</i> {self.mark(point.correction)}"
        return text

    def coaching(self) -> list[Flowable]:
        st, c = self.st, self.r.coaching
        out = heading(self.mark, "Coaching notes", st.h1)
        out.append(self.p("A self-check for the interviewer.", st.body))
        out += [self.bullet(fact) for fact in c.facts]
        if c.flags:
            head = [self.p(h, st.cell_head)
                    for h in ("Where", "Kind", "Wording", "Why it matters")]
            rows = [[self.p(f.where, st.cell), self.p(f.kind, st.cell),
                     self.p(f.phrase, st.cell), self.p(f.reason, st.cell)] for f in c.flags]
            out += [Spacer(1, 4), table([head, *rows], [3.2 * cm, 2.8 * cm, 4.6 * cm,
                                                       TEXT_WIDTH - 10.6 * cm]),
                    Spacer(1, 6)]
        out += [self.bullet(advice) for advice in c.advice]
        return out

    def actions(self) -> list[Flowable]:
        st = self.st
        out = heading(self.mark, "Action items", st.h1)
        if not self.r.actions:
            return [*out, self.p("No action items were agreed.", st.body)]
        for group in self.r.actions:
            out += heading(self.mark, group.team, st.h3)
            for item in group.items:
                out.append(self.bullet(item.listed))
        return out

    def bullet(self, text: str) -> Paragraph:
        return ScriptParagraph(self.mark(text), self.st.bullet, bulletText="\u2022")


class ReportDocument(SimpleDocTemplate):
    """A4 with the running header and footer, reporting progress as pages are made.
    `header` and `kind` head every page at the left and right; `footer` is the
    confidentiality line. Build it with `canvasmaker=NumberedCanvas`."""

    def __init__(self, out: BinaryIO, mark: TextMarkup, st: Styles, *, title: str,
                 subject: str, header: str, kind: str, footer: str,
                 progress: Progress = lambda percent, what: None, total: int = 1) -> None:
        super().__init__(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN,
                         rightMargin=MARGIN, topMargin=TOP_MARGIN, bottomMargin=BOTTOM_MARGIN,
                         title=title, author="VOC Desktop", creator="VOC Desktop",
                         subject=subject, lang=LANGUAGE, initialFontName=BODY)
        self.header = ScriptParagraph(mark(header), st.header)
        self.kind = ScriptParagraph(mark(kind), st.header_right)
        self.footer = ScriptParagraph(mark(footer), st.header)
        self.progress = progress
        self.total = max(1, total)
        self.percent = BUILD_FROM
        self.story: list[Flowable] = []

    def build(self, flowables: list[Flowable], **kw: Any) -> None:  # type: ignore[override]
        self.story = flowables
        super().build(flowables, onFirstPage=self.decorate, onLaterPages=self.decorate, **kw)

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables is not self.story:  # reportlab's own short lists, e.g. at a page start
            super().handle_flowable(flowables)
            return
        # the story shrinks as flowables are placed (a split may add a little back)
        done = max(0.0, 1 - len(flowables) / self.total)
        percent = BUILD_FROM + int((94 - BUILD_FROM) * done)
        if percent > self.percent:
            self.percent = percent
            self.progress(percent, f"Making page {self.page}")
        super().handle_flowable(flowables)

    def decorate(self, canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - 1.1 * cm
        _, h = self.header.wrap(TEXT_WIDTH - 3 * cm, 3 * cm)
        self.header.drawOn(canvas, MARGIN, top - h)
        _, h2 = self.kind.wrap(3 * cm, 3 * cm)
        self.kind.drawOn(canvas, PAGE_WIDTH - MARGIN - 3 * cm, top - h2)
        h = max(h, h2)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - h - 2, PAGE_WIDTH - MARGIN, top - h - 2)
        canvas.line(MARGIN, FOOTER_RULE, PAGE_WIDTH - MARGIN, FOOTER_RULE)
        _, h = self.footer.wrap(TEXT_WIDTH - 3.5 * cm, 3 * cm)
        self.footer.drawOn(canvas, MARGIN, FOOTER_RULE - 4 - h)
        canvas.restoreState()


class NumberedCanvas(Canvas):
    """Holds every page until the document is saved, then adds "Page N of M". A bookmark
    made on a page is kept with it and set when the page is made, so it points there."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._marks: list[tuple[str, float]] = []

    def mark_page(self, key: str, top: float) -> None:
        self._marks.append((key, top))

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._marks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        if self._pages and any(state["_marks"] for state in self._pages):
            self.showOutline()
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            for key, top in state["_marks"]:
                self.bookmarkHorizontalAbsolute(key, top)
            self.setFont(BODY, 7.5)
            self.setFillColor(GREY)
            self.drawRightString(PAGE_WIDTH - MARGIN, FOOTER_RULE - 4 - 7.5,
                                 f"Page {number} of {total}")
            super().showPage()
        super().save()
