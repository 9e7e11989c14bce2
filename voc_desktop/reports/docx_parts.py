"""Pieces of the DOCX visit report: a thin layer over python-docx that only names styles,
and the findings, which make up most of a report.

Every look (fonts, colours, spacing, borders) comes from the template's styles; the one
thing set on a paragraph is the indent of a why-ladder step, which grows with its depth.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from typing import BinaryIO

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.image.exceptions import (
    InvalidImageStreamError,
    UnexpectedEndOfFileError,
    UnrecognizedImageError,
)
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from voc_desktop.domain.visit import EntryKind
from voc_desktop.reports.bidi import base_direction
from voc_desktop.reports.content import LadderStep, Note, QuestionFinding, VisitReport
from voc_desktop.reports.links import links, target

PICTURE_WIDTH = Cm(12)
PICTURE_HEIGHT = Cm(9)
LADDER_STEP = Cm(0.5)  # extra indent per level of a why-ladder
LADDER_LEVELS = 6  # deeper steps stay at this indent, so a long ladder keeps its width
TIER_INTRO = "Beyond the customer: the industry and the customer's customers."

Progress = Callable[[int, str], None]


class Writer:
    """A document being written, and the styles it uses looked up once each.

    Styles are applied by id: python-docx's own lookup by name scans every style of the
    template for each paragraph, which made a long report take seconds."""

    def __init__(self, document: Document) -> None:
        self.doc = document
        section = document.sections[-1]
        self.width = Emu(section.page_width - section.left_margin - section.right_margin)
        self.warnings: list[str] = []
        self._ids: dict[str, str | None] = {}

    def save(self, out: BinaryIO) -> None:
        """The whole document into `out`. Built in memory first: python-docx leaves its zip
        open when the file under it fails (a full disk), so it never writes to `out` itself."""
        built = io.BytesIO()
        self.doc.save(built)
        out.write(built.getbuffer())

    def style(self, name: str) -> BaseStyle | None:
        """The template's style of that name; None when a replaced template lacks it."""
        try:
            return self.doc.styles[name]
        except KeyError:
            return None

    def style_id(self, name: str, kind: WD_STYLE_TYPE) -> str | None:
        """The id to name in the XML; None for the default style, and for a style a
        replaced template lacks, which costs the look of one kind of text, not the report."""
        if name not in self._ids:
            style = self.style(name)
            if style is None or style.type != kind:
                self._ids[name] = None
                self.warnings.append(f"The report template has no {kind.name.lower()} style "
                                     f"named \u201c{name}\u201d; its text uses the default "
                                     "style.")
            else:
                self._ids[name] = None if style.element.default else style.style_id
        return self._ids[name]

    def para(self, style: str, text: str = "", container: _Cell | None = None) -> Paragraph:
        """A new paragraph at the end of the body, or of a table cell."""
        p = (container or self.doc).add_paragraph()
        self.restyle(p, style)
        if text:
            self.run(p, text)
            reads_right_to_left(p, text)
        return p

    def restyle(self, p: Paragraph, style: str) -> None:
        if style_id := self.style_id(style, WD_STYLE_TYPE.PARAGRAPH):
            p._p.style = style_id

    def run(self, p: Paragraph, text: str, style: str | None = None) -> None:
        """`text` at the end of `p`, in the character style `style`; a web address in it
        becomes a link a reader can click."""
        style_id = self.style_id(style, WD_STYLE_TYPE.CHARACTER) if style else None
        parts = links.split(text)
        for i, part in enumerate(parts):
            if not part:
                continue
            if i % 2:
                self.link(p, part, style_id)
                continue
            r = add_text(p, part)
            if style_id:
                r._r.style = style_id
            if any(_right_to_left(c) for c in part):
                _mark(r._r.get_or_add_rPr(), "w:rtl")  # Word's complex-script formatting

    def link(self, p: Paragraph, address: str, style_id: str | None = None) -> None:
        rel = p.part.relate_to(target(address), RT.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), rel)
        hyperlink.set(qn("w:history"), "1")
        r = OxmlElement("w:r")
        r.style = self.style_id("Hyperlink", WD_STYLE_TYPE.CHARACTER) or style_id
        r.add_t(address)
        hyperlink.append(r)
        p._p.append(hyperlink)

    def stamp(self, p: Paragraph, stamp: str, said_by: str = "") -> None:
        """Who said it (when someone was named) and the time into the visit, after the
        text, at the end of the line where a reader looks for them. After right-to-left
        text a direction mark keeps the bidi rules from carrying its numbers elsewhere: a
        left-to-right mark in a paragraph that reads from the left, a right-to-left one in
        a paragraph that reads from the right (where the end of the line is its left)."""
        if said_by:
            self.run(p, f"  \u2014 {said_by}", "Stamp")
        if stamp:
            text = p.text
            if base_direction(text) == "R":  # and "+0:12" kept whole, sign first
                self.run(p, f"\u200f  \u2066{stamp}\u2069", "Stamp")
                return
            mark = "\u200e" if any(_right_to_left(c) for c in text) else ""
            self.run(p, f"{mark}  {stamp}", "Stamp")

    def table(self, style: str, widths: Sequence[float], header: Sequence[str] = ()) -> Table:
        """A table spanning the text column; `widths` are the columns' shares of it."""
        table = self.doc.add_table(rows=1, cols=len(widths))
        table._tbl.tblStyle_val = self.style_id(style, WD_STYLE_TYPE.TABLE)
        table.autofit = False
        total = sum(widths)
        cells = table.rows[0].cells
        for column, cell, share in zip(table.columns, cells, widths, strict=True):
            column.width = cell.width = Emu(int(self.width * share / total))
        if header:
            for cell, text in zip(cells, header, strict=True):
                self.cell(cell, text)
            _repeat_as_header(table)
        return table

    def row(self, table: Table, *texts: str, first: bool = False,
            style: str = "Table Text") -> list[_Cell]:
        row = table.rows[0] if first else table.add_row()
        _keep_row_together(row)
        cells = row.cells
        for cell, text in zip(cells, texts, strict=False):
            self.cell(cell, text, style)
        return cells

    def cell(self, cell: _Cell, text: str, style: str = "Table Text") -> Paragraph:
        p = cell.paragraphs[0]
        self.restyle(p, style)
        if text:
            self.run(p, text)
            reads_right_to_left(p, text)
        return p

    def gap(self) -> None:
        """A small paragraph after a table: room before the text that follows, which Word
        does not give by itself, and LibreOffice cannot move a heading that follows a table
        straight to the next page with its text, leaving it alone at the foot of a page."""
        self.para("Table Gap")


def add_text(p: Paragraph, text: str) -> Run:
    """A run holding `text`, a line feed as a line break and a tab as a tab. Plain text goes
    in as one piece: python-docx's own setter walks it a character at a time."""
    if "\n" in text or "\t" in text:
        return p.add_run(text)
    run = p.add_run()
    run._r.add_t(text)
    return run


# the end of w:rPr's sequence, which python-docx does not spell out
_RUN_PROPERTIES_END = ("w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                       "w:specVanish", "w:oMath")


def reads_right_to_left(p: Paragraph, text: str) -> None:
    """A paragraph whose first letter is Arabic or Hebrew reads from the right: Word and
    LibreOffice then set it flush right and place its numbers and stamps by that."""
    if base_direction(text) == "R":
        _mark(p._p.get_or_add_pPr(), "w:bidi")


def _mark(parent, tag: str) -> None:
    """An empty on/off element such as <w:bidi/>, in its place in the schema's order."""
    if parent.find(qn(tag)) is not None:
        return
    sequence = list(getattr(parent, "_tag_seq", _RUN_PROPERTIES_END))
    later = sequence[sequence.index(tag) + 1:] if tag in sequence else []
    parent.insert_element_before(OxmlElement(tag), *later)


def _right_to_left(c: str) -> bool:
    return unicodedata.bidirectional(c) in ("R", "AL")


def _keep_row_together(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_as_header(table: Table) -> None:
    """The header row comes back at the top of each page a long table runs onto."""
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


class Ticker:
    """Progress from `start` to `end` percent over a known number of steps."""

    def __init__(self, progress: Progress, start: int, end: int, steps: int) -> None:
        self.progress, self.start, self.end = progress, start, end
        self.steps, self.done = max(steps, 1), 0

    def tick(self, what: str) -> None:
        self.done = min(self.done + 1, self.steps)
        self.progress(self.start + (self.end - self.start) * self.done // self.steps, what)


# --- findings ----------------------------------------------------------------------------------

def findings(w: Writer, report: VisitReport, ticker: Ticker) -> None:
    w.para("Heading 1", "Findings")
    tiers_introduced = False
    for bucket in report.buckets:
        if bucket.bucket.is_tier and not tiers_introduced:
            w.para("Tier Intro", TIER_INTRO)
            tiers_introduced = True
        w.para("Heading 2", bucket.heading)
        w.para("Intro Note", bucket.bucket.description)
        if not bucket.answered:
            w.para("Subtle Note", bucket.empty_note)
            for section in bucket.sections:
                unanswered(w, section.questions)
        else:
            for section in bucket.sections:
                answered = [q for q in section.questions if q.has_content]
                if not answered and not any(q.state != "answered" for q in section.questions):
                    continue
                if title := section.heading_under(bucket):
                    w.para("Heading 3", title)
                for q in answered:
                    question(w, q, ticker)
                unanswered(w, section.questions)
        ticker.tick(f"Wrote \u201c{bucket.heading}\u201d")
    if report.other_notes:
        w.para("Heading 2", "Notes not tied to a question")
        for n in report.other_notes:
            note(w, n, ticker)


def unanswered(w: Writer, questions: Sequence[QuestionFinding]) -> None:
    """One small line per kind: "Skipped: 3.1, 3.2", "Not asked: 3.3"."""
    for state, label in (("skipped", "Skipped"), ("not asked", "Not asked")):
        numbers = [q.number for q in questions if q.state == state and not q.has_content]
        if numbers:
            w.para("Small Note", f"{label}: {', '.join(numbers)}")


def question(w: Writer, q: QuestionFinding, ticker: Ticker) -> None:
    w.para("Question", f"{q.number}  {q.question}")
    if q.answer:
        p = w.para("Normal", q.answer)
        w.stamp(p, q.stamp, q.said_by)
    tags(w, q.tags)
    if q.key_point:
        w.para("Small Note", f"Read back as key learning {q.key_point}")
    ladder(w, q.ladder)
    for n in q.notes:
        note(w, n, ticker)


def tags(w: Writer, values: Sequence[str]) -> None:
    if values:
        w.para("Small Note", "Tags: " + ", ".join(values))


def ladder(w: Writer, steps: Sequence[LadderStep], under: int = 0) -> None:
    """Each "why?" its own paragraph, indented by its depth up to LADDER_LEVELS, and by
    `under` more when it follows something indented itself (a quote)."""
    if not steps:
        return
    style = w.style("Ladder Step")
    base = style.paragraph_format.left_indent if style is not None else None
    base = (Cm(0.6) if base is None else base) + under
    for step in steps:
        p = w.para("Ladder Step")
        if step.depth > 1 or under:
            p.paragraph_format.left_indent = Length(
                base + LADDER_STEP * (min(step.depth, LADDER_LEVELS) - 1))
        w.run(p, ladder_prefix(step.depth), "Ladder Why")
        w.run(p, step.text)
        w.stamp(p, step.stamp, step.said_by)


def ladder_prefix(depth: int) -> str:
    return "Why? " if depth <= 1 else f"Why? (level {depth}) "


def note(w: Writer, n: Note, ticker: Ticker) -> None:
    if n.kind is EntryKind.QUOTE:
        p = w.para("Quote", f"\u201c{n.text}\u201d")
        p.add_run().add_break()
        w.run(p, f"\u2014 {n.speaker}")
        w.stamp(p, n.stamp)
    elif n.picture is not None:
        picture(w, n)
        ticker.tick(f"Placed {n.heading.lower()}")
    else:
        text = n.text
        if n.kind is EntryKind.ATTACHMENT:
            text = n.file_name + (f" \u2014 {n.text}" if n.text and n.text != n.file_name
                                  else "")
        p = w.para("Normal")
        w.run(p, f"{n.heading}: ", "Strong")
        w.run(p, text)
        w.stamp(p, n.stamp, n.speaker)
    tags(w, n.tags)
    ladder(w, n.ladder, _indent_of(w, "Quote") if n.kind is EntryKind.QUOTE else 0)


def _indent_of(w: Writer, style_name: str) -> int:
    style = w.style(style_name)
    return (style.paragraph_format.left_indent or 0) if style is not None else 0


def picture(w: Writer, n: Note) -> None:
    """The photo scaled into the column within PICTURE_WIDTH x PICTURE_HEIGHT, its caption
    right under it; the Figure style keeps the two on one page."""
    pic = n.picture
    assert pic is not None
    width = min(PICTURE_WIDTH, w.width)
    height = width * pic.aspect
    if height > PICTURE_HEIGHT:
        height, width = PICTURE_HEIGHT, PICTURE_HEIGHT / pic.aspect
    p = w.para("Figure")
    try:
        shape = p.add_run().add_picture(io.BytesIO(pic.data), width=Emu(int(width)),
                                        height=Emu(int(height)))
    except (UnrecognizedImageError, InvalidImageStreamError, UnexpectedEndOfFileError,
            ValueError) as exc:
        p._p.getparent().remove(p._p)
        w.warnings.append(f"{n.heading} could not be placed in the Word document ({exc}); "
                          "its caption is there.")
    else:
        inline = shape._inline
        # no gap around the picture: LibreOffice otherwise indents it off the text edge
        for side in ("distT", "distB", "distL", "distR"):
            inline.set(side, "0")
        inline.docPr.set("descr", f"{n.heading}: {n.text}")  # what a screen reader says
    caption = w.para("Caption")
    w.run(caption, f"{n.heading}: ", "Strong")
    w.run(caption, n.text)
    w.stamp(caption, n.stamp)
