"""The look of the PDF report: page geometry, paragraph styles, table styles, and the small
builders every section uses. One accent colour, quiet greys, no heavy grids."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from voc_desktop.reports.bidi import base_direction, direction_of, visual_order
from voc_desktop.reports.pdf_actual_text import install as install_actual_text
from voc_desktop.reports.pdf_actual_text import remember as remember_text
from voc_desktop.reports.pdf_fonts import (
    BODY,
    BOLD,
    BOLD_ITALIC,
    ITALIC,
    SHAPED_SCRIPTS,
    TextMarkup,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm
TOP_MARGIN = 2.4 * cm  # room for the running header above the text
BOTTOM_MARGIN = 2.5 * cm  # and for the two-line footer below it
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

ACCENT_HEX = "#1F4E79"
ACCENT = colors.HexColor(ACCENT_HEX)
GREY = colors.HexColor("#6B6B6B")
RULE = colors.HexColor("#C9D3DE")
SHADE = colors.HexColor("#EEF3F8")
GREY_HEX = "#6B6B6B"

# reportlab's tables set Helvetica in every cell before drawing what it holds; naming the
# body font instead keeps the PDF free of a font it would not embed
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), BODY)

VERDICT_COLOURS = {"confirmed": "#2E7D32", "corrected": "#B26A00", "rejected": "#C62828",
                   "pending": GREY_HEX}

LADDER_STEP = 0.5 * cm
LADDER_MAX_DEPTH = 6  # deeper steps stay at this indent, so a long ladder keeps its width


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    question: ParagraphStyle
    small: ParagraphStyle
    small_italic: ParagraphStyle
    tiers: ParagraphStyle
    empty: ParagraphStyle
    quote: ParagraphStyle
    quote_by: ParagraphStyle
    caption: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    callout: ParagraphStyle
    header: ParagraphStyle
    header_right: ParagraphStyle

    def ladder(self, depth: int, indent: float = 0) -> ParagraphStyle:
        return _ladder_style(min(depth, LADDER_MAX_DEPTH), indent)


@cache
def styles() -> Styles:
    def style(name: str, **kw: object) -> ParagraphStyle:
        kw.setdefault("fontName", BODY)
        kw.setdefault("fontSize", 10)
        kw.setdefault("leading", 14)
        # a paragraph's last line never starts a page alone (its first never ends one)
        kw.setdefault("allowWidows", 0)
        kw.setdefault("allowOrphans", 0)
        return ParagraphStyle(name, alignment=TA_LEFT, **kw)

    return Styles(
        title=style("Title", fontName=BOLD, fontSize=20, leading=25, textColor=ACCENT,
                    spaceAfter=10),
        h1=style("H1", fontName=BOLD, fontSize=15, leading=19, textColor=ACCENT,
                 spaceBefore=20, spaceAfter=8),
        h2=style("H2", fontName=BOLD, fontSize=12.5, leading=16, textColor=ACCENT,
                 spaceBefore=14, spaceAfter=2),
        h3=style("H3", fontName=BOLD, fontSize=10.5, leading=14,
                 textColor=colors.HexColor("#2F3B48"), spaceBefore=10, spaceAfter=2),
        body=style("Body", spaceAfter=4),
        question=style("Question", fontName=BOLD, spaceBefore=8, spaceAfter=2),
        small=style("Small", fontSize=8, leading=10.5, textColor=GREY, spaceAfter=3),
        small_italic=style("SmallItalic", fontName=ITALIC, fontSize=8.5, leading=11,
                           textColor=GREY, spaceAfter=6),
        tiers=style("Tiers", fontName=ITALIC, fontSize=8.5, leading=11, textColor=GREY,
                    spaceBefore=16, spaceAfter=0),
        empty=style("Empty", fontName=ITALIC, textColor=GREY, spaceAfter=4),
        quote=style("Quote", fontName=ITALIC, leftIndent=0.8 * cm, rightIndent=0.8 * cm,
                    textColor=colors.HexColor("#2F3B48"), spaceBefore=4, spaceAfter=1),
        quote_by=style("QuoteBy", fontSize=9, leading=12, leftIndent=0.8 * cm, textColor=GREY,
                       spaceAfter=5),
        caption=style("Caption", fontSize=9, leading=12, spaceBefore=3, spaceAfter=8),
        bullet=style("Bullet", leftIndent=14, bulletIndent=3, bulletFontName=BODY,
                     spaceAfter=3),
        cell=style("Cell", fontSize=9, leading=12),
        cell_head=style("CellHead", fontName=BOLD, fontSize=9, leading=12,
                        textColor=colors.white),
        callout=style("Callout", fontName=BOLD, textColor=colors.HexColor("#7A4A00")),
        header=style("Header", fontSize=7.5, leading=9.5, textColor=GREY),
        header_right=ParagraphStyle("HeaderRight", fontName=BODY, fontSize=7.5, leading=9.5,
                                    textColor=GREY, alignment=TA_RIGHT),
    )


@cache
def _ladder_style(depth: int, indent: float) -> ParagraphStyle:
    return ParagraphStyle(f"Ladder{depth}-{indent}", parent=styles().body, fontSize=9.5,
                          leading=13, spaceAfter=2, leftIndent=indent + depth * LADDER_STEP)


# Room a heading needs below it, or it starts the next page. Each level's room covers its
# own height plus the room of the level that may follow it at once, so a chain such as
# "Findings" > bucket > section > question moves to the next page as a whole.
QUESTION_ROOM = 2 * cm
HEADING_ROOM = {"H3": 3 * cm, "H2": 5.2 * cm, "H1": 5 * cm}
H1_BEFORE_H2 = 7 * cm


class ScriptParagraph(Paragraph):
    """A paragraph that shapes its text when it holds a script whose letters join, stack or
    reorder (Arabic, Hebrew, Devanagari, Thai): HarfBuzz picks each letter's form, and
    right-to-left runs are drawn right to left, line by line. A paragraph that starts in
    a right-to-left script is set flush right, its bullet at the right as in the Word
    report. Other text is laid out as a plain paragraph, without the cost of shaping."""

    def __init__(self, text: str, style: ParagraphStyle | None = None, *args: object,
                 **kwargs: object) -> None:
        self.right_to_left = False
        self.has_rtl = False
        self.bullet_at_right: str | None = None
        if text is None:  # a part of a paragraph split across pages: as the whole was
            # (its style says it was shaped; a line with nothing to turn round stays put)
            self.has_rtl = hasattr(style, "right_to_left")
            self.right_to_left = getattr(style, "right_to_left", False)
        elif style is not None and SHAPED_SCRIPTS.search(text):
            plain = html.unescape(_TAGS.sub("", text))
            self.has_rtl = any(direction_of(c) == "R" for c in plain)
            self.right_to_left = base_direction(plain) == "R"
            bullet = kwargs.get("bulletText")
            if self.right_to_left and isinstance(bullet, str) and not args:
                # reportlab draws a bullet only at the left: this one is drawn here
                self.bullet_at_right = bullet
                kwargs["bulletText"] = None
                style = ParagraphStyle(style.name, parent=style, leftIndent=style.rightIndent,
                                       rightIndent=style.leftIndent)
            # the running header keeps its side of the page
            keep_side = bool(args) or style.name == "Header"
            style = _shaped(style, self.right_to_left and not keep_side)
            text = _weighted(text, style.fontName in (BOLD, BOLD_ITALIC),
                             style.fontName in (ITALIC, BOLD_ITALIC))
        super().__init__(text, style, *args, **kwargs)

    def draw(self) -> None:
        """Lines are broken in reading order; each is put in the order of the page only
        while it is drawn, so a split across pages still sees the reading order."""
        lines = getattr(getattr(self, "blPara", None), "lines", None)
        if self.bullet_at_right and lines:
            self._draw_bullet_at_right(lines[0] if self.blPara.kind == 1 else self.blPara)
        if not self.has_rtl or not lines or self.blPara.kind != 1:
            super().draw()
            return
        kept = [line.words for line in lines]
        try:
            for line in lines:
                line.words = visual_order(line.words, self.right_to_left)
            super().draw()
        finally:
            for line, words in zip(lines, kept, strict=True):
                line.words = words

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        if parts and self.bullet_at_right:
            parts[0].bullet_at_right = self.bullet_at_right  # the first line has it
        return parts

    def _draw_bullet_at_right(self, first_line: Any) -> None:
        """The bullet as reportlab would draw it at the left, mirrored: it ends
        `bulletIndent` from the right edge, on the first line's baseline."""
        st = self.style
        bullet = self.bullet_at_right or ""
        width = pdfmetrics.stringWidth(bullet, st.bulletFontName, st.bulletFontSize)
        size = getattr(first_line, "fontSize", st.fontSize)
        y = (self.height - (size if rl_config.paraFontSizeHeightOffset else
                            getattr(first_line, "ascent", size))
             + getattr(st, "bulletOffsetY", 0))
        canv = self.canv
        canv.saveState()
        canv.setFont(st.bulletFontName, st.bulletFontSize)
        canv.setFillColor(getattr(st, "bulletColor", st.textColor))
        canv.drawString(self.width - st.bulletIndent - width, y, bullet)
        canv.restoreState()


_FEATURES = {"kern": True, "liga": True}


def _shape_each_font_apart() -> None:
    """reportlab shapes a word (the text between two spaces) in the font of its first
    letter, and gives the glyphs it gets to every font in the word: a word such as
    "1.2\u00a0<Arabic>" then names glyphs its second font does not have, and the PDF
    cannot be written. A word set in several fonts is shaped one font at a time, and
    without discretionary ligatures, which reportlab asks for by default. Each shaped
    word keeps the text it came from, for readers to copy (pdf_actual_text)."""
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph

    shape = ttfonts.shapeFragWord
    if getattr(paragraph.shapeFragWord, "each_font_apart", False):
        return
    install_actual_text()

    def each_font_apart(word: Any, *args: Any, **kwargs: Any) -> Any:
        shaped = _shape_by_font(word, *args, **kwargs)
        if shaped is not word:
            remember_text(shaped, word[1:])
        return shaped

    def _shape_by_font(word: Any, *args: Any, **kwargs: Any) -> Any:
        if not args:  # no discretionary ligatures: DejaVu's "st" one is a curiosity
            kwargs.setdefault("features", _FEATURES)
        pieces = word[1:]
        fonts = {getattr(f, "fontName", None) for f, _ in pieces if not hasattr(f, "cbDefn")}
        if len(fonts) <= 1:
            return shape(word, *args, **kwargs)
        runs: list[list[Any]] = []
        for frag, text in pieces:
            font = getattr(frag, "fontName", None)
            if runs and getattr(runs[-1][-1][0], "fontName", None) == font:
                runs[-1].append((frag, text))
            else:
                runs.append([(frag, text)])
        shaped = ttfonts.makeShapedFragWord(word)([0])
        for run in runs:
            width = sum(pdfmetrics.stringWidth(text, f.fontName, f.fontSize)
                        for f, text in run if not hasattr(f, "cbDefn"))
            done = shape([width, *run], *args, **kwargs)
            shaped[0] += done[0]
            shaped.extend(done[1:])
        return shaped

    each_font_apart.each_font_apart = True  # type: ignore[attr-defined]
    paragraph.shapeFragWord = each_font_apart


@cache
def _shaped(style: ParagraphStyle, right_to_left: bool) -> ParagraphStyle:
    _shape_each_font_apart()
    flush_right = right_to_left and style.alignment == TA_LEFT
    shaped = ParagraphStyle(style.name, parent=style, shaping=1,
                            alignment=TA_RIGHT if flush_right else style.alignment)
    shaped.right_to_left = right_to_left
    return shaped


_TAGS = re.compile(r"<[^>]*>")
_FONT_RUN = re.compile(r'(<font name="[^"]+">)([^<]*)(</font>)|<(/?)([bi])>')


def _weighted(markup: str, bold: bool, italic: bool) -> str:
    """Each run set in a font of its own made bold or italic where the text around it is:
    reportlab's "<font name=…>" starts from that font's regular face, whatever encloses
    it, so the tags go inside."""
    state = {"b": int(bold), "i": int(italic)}
    out: list[str] = []
    last = 0
    for m in _FONT_RUN.finditer(markup):
        out.append(markup[last:m.start()])
        last = m.end()
        if m.group(5):
            state[m.group(5)] += -1 if m.group(4) else 1
            out.append(m.group())
            continue
        inner = m.group(2)
        if state["b"] > 0:
            inner = f"<b>{inner}</b>"
        if state["i"] > 0:
            inner = f"<i>{inner}</i>"
        out.append(m.group(1) + inner + m.group(3))
    out.append(markup[last:])
    return "".join(out)


OUTLINE_LEVEL = {"Title": 0, "H1": 0, "H2": 1, "H3": 2, "Question": 3}


def heading(mark: TextMarkup, text: str, style: ParagraphStyle,
            before: Sequence[Flowable] = (), room: float = 0) -> list[Flowable]:
    """A heading that never stands alone at the foot of a page; `before` are flowables
    that introduce it and go with it. It is a bookmark in the PDF's outline."""
    return [CondPageBreak(room or HEADING_ROOM[style.name]), *before,
            Heading(mark(text), style, text)]


class Heading(ScriptParagraph):
    """A paragraph that is also an entry of the document's outline (bookmarks), nested by
    its style: H1 under nothing, H2 under the H1 before it, and so on. A level is never
    skipped, so a section without a bucket above it still has a parent."""

    def __init__(self, markup: str, style: ParagraphStyle, title: str) -> None:
        super().__init__(markup, style)
        self.title = " ".join(title.split())

    def draw(self) -> None:
        canv = self.canv
        level = min(OUTLINE_LEVEL.get(self.style.name, 1), getattr(canv, "outline_level", -1) + 1)
        canv.outline_level = level
        key = f"heading-{getattr(canv, 'outline_count', 0)}"
        canv.outline_count = getattr(canv, "outline_count", 0) + 1
        x, top = canv.absolutePosition(0, self.height)
        mark_page = getattr(canv, "mark_page", None)
        if mark_page is not None:
            mark_page(key, top)
        else:
            canv.bookmarkHorizontalAbsolute(key, top)
        canv.addOutlineEntry(self.title or "\u2014", key, level=level, closed=level >= 1)
        super().draw()


# A line longer than this gets its stamp on a line of its own: one font change inside a
# paragraph sends reportlab down its slow path, which for a 5,000-word answer costs
# a quarter of a second.
INLINE_TAIL_LIMIT = 1500


def lines(mark: TextMarkup, text: str, style: ParagraphStyle, head: str = "",
          tail: str = "") -> list[Flowable]:
    """Text that may be long, as one paragraph per line: each one quick to lay out and
    free to break across pages, looking the same as line breaks inside one paragraph.
    `head` and `tail` are markup put before the first and after the last line."""
    parts = text.split("\n")
    out: list[Flowable] = []
    last = len(parts) - 1
    inner = _tight(style)
    for i, part in enumerate(parts):
        markup = (head if i == 0 else "") + mark(part)
        if i == last and tail and len(part) < INLINE_TAIL_LIMIT:
            markup, tail = markup + tail, ""
        if not markup.strip():
            out.append(Spacer(1, style.leading))
            continue
        out.append(ScriptParagraph(markup, style if len(parts) == 1 else
                             _first(style) if i == 0 else inner if i < last else _last(style)))
    if tail:
        out.append(ScriptParagraph(tail, _last(style)))
    return out


@cache
def _tight(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "Inner", parent=style, spaceBefore=0, spaceAfter=0)


@cache
def _first(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "First", parent=style, spaceAfter=0)


@cache
def _last(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "Last", parent=style, spaceBefore=0)


def small(text: str) -> str:
    """Markup for a small grey run inside a paragraph (stamps)."""
    return f'<font size="8" color="{GREY_HEX}">{text}</font>'


def table(rows: Sequence[Sequence[Flowable]], widths: Sequence[float], *,
          header: bool = True, split_rows: bool = False) -> Table:
    """A calm table: accent header row, thin rules between rows, nothing vertical.
    `split_rows` lets a row taller than a page break across pages."""
    commands: list[tuple[object, ...]] = [
        CELL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT))
    t = Table(list(map(list, rows)), colWidths=list(widths), repeatRows=1 if header else 0,
              hAlign="LEFT", splitInRow=int(split_rows))
    t.setStyle(TableStyle(commands))
    return t


def callout(paragraph: Flowable) -> Table:
    """A shaded box for what a reader must not miss (a draft report)."""
    t = Table([[paragraph]], colWidths=[TEXT_WIDTH], hAlign="LEFT")
    t.setStyle(TableStyle([
        CELL_FONT,
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FFF4E0")),
        ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor("#E0A040")),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    return t
