"""The pre-visit brief as a PDF: one A4 page where the history allows, in the report's look.

The visit's facts run across the top; below them two columns: on the left what earlier
visits learned and who was met, on the right what to act on this time (role gaps, open
questions, open actions, who is coming). When the columns do not fit beside each other on
the first page, the same content flows in two columns over as many pages as it needs,
each with the running header and "Page N of M".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import BalancedColumns

from voc_desktop.reports.brief import EarlierVisit, VisitBrief
from voc_desktop.reports.pdf import NumberedCanvas, ReportDocument
from voc_desktop.reports.pdf_fonts import BOLD, TextMarkup
from voc_desktop.reports.pdf_style import (
    BOTTOM_MARGIN,
    CELL_FONT,
    GREY_HEX,
    PAGE_HEIGHT,
    RULE,
    TEXT_WIDTH,
    TOP_MARGIN,
    VERDICT_COLOURS,
    ScriptParagraph,
    callout,
    styles,
    table,
)

GUTTER = 0.6 * cm
COLUMN = (TEXT_WIDTH - GUTTER) / 2
FRAME_PADDING = 6  # reportlab's frames keep this much inside each edge
OVERDUE_HEX = VERDICT_COLOURS["rejected"]
LABEL = 2.8 * cm  # the facts' label column: "Interviewers" in bold on one line


@dataclass(frozen=True)
class BriefStyles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    visit: ParagraphStyle
    body: ParagraphStyle
    objective: ParagraphStyle
    met: ParagraphStyle
    note: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    small: ParagraphStyle


@cache
def brief_styles() -> BriefStyles:
    """The report's styles set smaller, so a whole account's history fits on one page."""
    st = styles()

    def like(parent: ParagraphStyle, name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(f"Brief{name}", parent=parent, **kw)

    return BriefStyles(
        title=like(st.title, "Title", fontSize=16, leading=20, spaceAfter=1),
        subtitle=like(st.small, "Subtitle", spaceAfter=6),
        heading=like(st.h3, "Heading", textColor=st.title.textColor, fontSize=10, leading=13,
                     spaceBefore=9, spaceAfter=3, keepWithNext=1),
        visit=like(st.body, "Visit", fontName=BOLD, fontSize=8.5, leading=11, spaceBefore=4,
                   spaceAfter=1, keepWithNext=1),
        body=like(st.body, "Body", fontSize=8.5, leading=11, spaceAfter=2),
        objective=like(st.body, "Objective", fontSize=8.5, leading=11, spaceAfter=1,
                       keepWithNext=1),
        met=like(st.small, "Met", fontSize=7.5, leading=9.5, spaceAfter=2, keepWithNext=1),
        note=like(st.empty, "Note", fontSize=8.5, leading=11, spaceAfter=2),
        bullet=like(st.bullet, "Bullet", fontSize=8.5, leading=11, leftIndent=10,
                    bulletIndent=1, spaceAfter=2),
        cell=like(st.cell, "Cell", fontSize=8.5, leading=11),
        small=like(st.small, "Small", fontSize=7.5, leading=9.5, spaceAfter=2),
    )


def write_brief_pdf(brief: VisitBrief, out: BinaryIO, *,
                    system_fonts: Sequence[str] | None = None) -> list[str]:
    """Write the brief to `out`; returns warnings (characters no font could draw)."""
    rl_config.useA85 = 0  # binary streams, as for the report
    mark = TextMarkup(system_fonts)
    layout = _Layout(brief, mark, brief_styles())
    doc = ReportDocument(out, mark, styles(), title=brief.title, header=brief.header,
                         kind="Pre-visit brief", footer=brief.confidential,
                         subject=f"Pre-visit brief: {brief.account}")
    doc.build(layout.story(), canvasmaker=NumberedCanvas)
    return mark.warnings()


class _Layout:
    def __init__(self, brief: VisitBrief, mark: TextMarkup, st: BriefStyles) -> None:
        self.b = brief
        self.mark = mark
        self.st = st

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return ScriptParagraph(self.mark(text), style or self.st.body)

    def bullet(self, markup: str, mark: str = "\u2022") -> Paragraph:
        return ScriptParagraph(markup, self.st.bullet, bulletText=mark)

    def story(self) -> list[Flowable]:
        top = self.top()
        left, right = self.history(), self.this_time()
        room = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN - 2 * FRAME_PADDING
        room -= _height(top, TEXT_WIDTH) + 4
        if max(_height(left, COLUMN), _height(right, COLUMN)) <= room:
            return [*top, Spacer(1, 4), _side_by_side(left, right)]
        # too long for one page: the same order, flowing column by column
        return [*top, Spacer(1, 4), BalancedColumns([*left, *right], nCols=2,
                                                    innerPadding=GUTTER, leftPadding=0,
                                                    rightPadding=0, endSlack=0.1)]

    # --- the visit itself --------------------------------------------------------------

    def top(self) -> list[Flowable]:
        b, st = self.b, self.st
        shown = len(b.earlier)
        basis = ("first visit to this account" if b.first_visit else
                 f"drawn from {shown} earlier visit{'s' if shown > 1 else ''}")
        out: list[Flowable] = [
            self.p(b.title, st.title),
            self.p(f"{basis.capitalize()} \u00b7 made on {b.generated}", st.subtitle)]
        if b.status_note:
            out += [callout(self.p(b.status_note, styles().callout)), Spacer(1, 6)]
        rows = [[ScriptParagraph(f"<b>{self.mark(f.label)}</b>", st.cell), self.p(f.value, st.cell)]
                for f in b.fields]
        # split_rows: an objective pasted in at great length must not stop the brief
        facts = table(rows, [LABEL, TEXT_WIDTH - LABEL], header=False, split_rows=True)
        facts.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 2),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        return [*out, facts]

    # --- the left column: what is known ------------------------------------------------

    def history(self) -> list[Flowable]:
        b, st = self.b, self.st
        visits: list[Flowable] = []
        for visit in b.earlier:
            visits += self.earlier(visit)
        out = _kept([self.p("What earlier visits learned", st.heading)], visits,
                    [self.p(b.history_note, st.note)] if b.history_note else [])
        people = []
        for person in b.people:
            times = "once" if person.visits == 1 else f"at {person.visits} visits"
            line = self.who(person.name, person.named, person.roles)
            if person.title:
                line = line.replace(" \u2014 ", f", {self.mark(person.title)} \u2014 ", 1)
            people.append(self.bullet(line + _grey(
                f"Met {times}, last on {person.last_met}"
                + ("; coming again" if person.coming else ""))))
        return out + _kept([self.p("People met before", st.heading)], people,
                           [self.p(b.people_note, st.note)] if b.people_note else [])

    def earlier(self, v: EarlierVisit) -> list[Flowable]:
        st, mark = self.st, self.mark
        head = [self.p(f"{v.date} \u00b7 {v.stage}", st.visit),
                ScriptParagraph(f"<i>{mark(v.objective)}</i>", st.objective),
                ScriptParagraph(_grey(f"Met: {mark(v.met)}"), st.met)]
        points = []
        for pt in v.points:
            text = f"{mark(pt.text)} {_verdict(pt.status.value, pt.verdict)}"
            if pt.read_back:
                text += "<br/>" + _grey(f"We had read back: {mark(pt.read_back)}")
            points.append(self.bullet(text))
        return _kept(head, points, [self.p(v.note, st.note)] if v.note else [])

    # --- the right column: what to do this time ----------------------------------------

    def this_time(self) -> list[Flowable]:
        b, st, mark = self.b, self.st, self.mark
        gaps = [self.bullet(f'<font color="{OVERDUE_HEX}"><b>{mark(gap.text)}</b></font>', "!")
                for gap in b.gaps]
        out = _kept([self.p("Roles never met", st.heading)], gaps,
                    [self.p(b.gaps_note, st.note)] if b.gaps_note else [])
        questions = [self.bullet(f"{mark(q.text)} "
                                 + _grey(f"{q.state} \u00b7 {mark(q.section)}"))
                     for q in b.questions]
        out += _kept([self.p("Open questions from the last visit", st.heading)], questions,
                     [self.p(b.questions_note, st.note)] if b.questions_note else [])
        teams: list[Flowable] = []
        for group in b.actions:
            items = []
            for item in group.items:
                due = f"due {item.due}" if item.due else "no due date"
                if item.overdue:
                    due = f'<font color="{OVERDUE_HEX}"><b>overdue</b></font>, {due}'
                owner = f"owner {mark(item.owner)}, " if item.owner else ""
                items.append(self.bullet(f"{mark(item.text)} "
                                         + _grey(f"{owner}{due}; agreed {item.raised}")))
            teams += _kept([self.p(group.team, st.visit)], items)
        out += _kept([self.p("Open action items", st.heading)], teams,
                     [self.p(b.actions_note, st.note)] if b.actions_note else [])
        coming = [self.bullet(self.who(person.name, person.named, person.roles)
                              + _grey(person.history)) for person in b.coming]
        nobody = ("Nobody is listed for this visit yet." if b.planned else
                  "No attendees were recorded.")
        return out + _kept([self.p("Who is coming" if b.planned else "Who attended",
                                   st.heading)], coming,
                           [] if coming else [self.p(nobody, st.note)])

    def who(self, name: str, named: bool, roles: str) -> str:
        """`Name — roles. `: a name in bold; a role standing in for a name in italics and
        marked as such, without the roles again when they are what stands in."""
        if named:
            return f"<b>{self.mark(name)}</b> \u2014 {self.mark(roles)}. "
        who = f"<i>{self.mark(name)}</i> {_grey('(not named)')}"
        return f"{who}. " if roles == name else f"{who} \u2014 {self.mark(roles)}. "


class _Together(Flowable):
    """Flowables that move to the next column or page as one, such as a heading and its
    first line. reportlab's KeepTogether cannot be measured inside balanced columns."""

    def __init__(self, content: list[Flowable]) -> None:
        super().__init__()
        self.content = content
        self.bottoms: list[float] = []  # each flowable's bottom, measured from the top

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        y, self.bottoms = 0.0, []
        for i, f in enumerate(self.content):
            _, h = f.wrapOn(self.canv, aW, aH)
            if i:
                y += max(self.content[i - 1].getSpaceAfter(), f.getSpaceBefore())
            y += h
            self.bottoms.append(y)
        self.width, self.height = aW, y
        return aW, y

    def draw(self) -> None:
        for f, bottom in zip(self.content, self.bottoms, strict=True):
            f.drawOn(self.canv, 0, self.height - bottom)

    def split(self, aW: float, aH: float) -> list[Flowable]:
        # a group taller than a third of a page (one huge point) may break after all,
        # or it could find no column to stand in
        return list(self.content) if self.height > PAGE_HEIGHT / 3 else []

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return self.content[0].getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return self.content[-1].getSpaceAfter()


def _kept(heads: list[Flowable], items: list[Flowable],
          tail: list[Flowable] | None = None) -> list[Flowable]:
    """`heads` stay with the first item, and a closing note (`tail`) with the last one."""
    body = list(items)
    if tail:
        body = [*body[:-1], _Together([*body[-1:], *tail])]
    if not body:
        return [_Together(heads)]
    return [_Together([*heads, body[0]]), *body[1:]]


def _grey(markup: str) -> str:
    return f'<font color="{GREY_HEX}">{markup}</font>'


def _verdict(key: str, label: str) -> str:
    colour = VERDICT_COLOURS.get(key, GREY_HEX)
    return f'<font color="{colour}" size="7.5"><b>{label}</b></font>'


def _height(flowables: Sequence[Flowable], width: float) -> float:
    """How tall the flowables stand one below the other. Measured on a scratch canvas:
    some flowables need one to measure, and the document's canvas does not exist yet."""
    canvas = Canvas(BytesIO())
    total = 0.0
    for f in flowables:
        _, h = f.wrapOn(canvas, width, PAGE_HEIGHT)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def _side_by_side(left: list[Flowable], right: list[Flowable]) -> Table:
    t = Table([[left, right]], colWidths=[COLUMN + GUTTER / 2, COLUMN + GUTTER / 2],
              hAlign="LEFT")
    t.setStyle(TableStyle([
        CELL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), GUTTER / 2),
        ("LEFTPADDING", (1, 0), (1, -1), GUTTER / 2),
        ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("LINEAFTER", (0, 0), (0, -1), 0.4, RULE),
    ]))
    return t

