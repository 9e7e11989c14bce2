"""The pattern report's bar chart of its top themes: a PNG for the Word document, a
reportlab flowable for the PDF, both drawn from the same rows so they show the same bars.

The PNG is drawn with Pillow in the report's accent colour and DejaVu Sans, which the
package ships; a theme in a script DejaVu lacks is drawn with a system font that has it.
The PDF sets each label as a paragraph, so the PDF's own font fallback applies and a
reader can copy the labels out.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Table, TableStyle

from voc_desktop import assets
from voc_desktop.reports.archive_report import ThemeLine
from voc_desktop.reports.pdf_fonts import BODY, SYSTEM_FONTS, TextMarkup, register_body_fonts
from voc_desktop.reports.pdf_style import (
    ACCENT,
    ACCENT_HEX,
    CELL_FONT,
    GREY,
    GREY_HEX,
    RULE,
    TEXT_WIDTH,
    ScriptParagraph,
    Styles,
)

DPI = 200
ROW_CM = 0.62
LABEL_SHARE = 0.42  # of the chart's width, for the theme names
LABEL_CHARS = 60  # longer names are cut with an ellipsis: the full name heads its own part
GRID_HEX = "#C9D3DE"
TEXT_HEX = "#2F3B48"


def nice_ticks(top: int) -> list[int]:
    """Round values for the axis, from 0 to at least `top`, at most six of them."""
    top = max(top, 1)
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return list(range(0, math.ceil(top / step) * step + 1, step))


def short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


# --- the picture for the Word document ---------------------------------------------------------

def chart_png(themes: Sequence[ThemeLine], width_cm: float) -> tuple[bytes, float]:
    """The chart as PNG bytes and its height in centimetres at `width_cm` wide."""
    px = _px(width_cm)
    row = _px(ROW_CM)
    axis = _px(0.9)
    height = row * len(themes) + axis + _px(0.2)
    image = Image.new("RGB", (px, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(None, 8.5)
    small = _font(None, 7.5)
    label_w = int(px * LABEL_SHARE)
    left = label_w + _px(0.25)
    right = px - _px(1.2)  # room for the count after the longest bar
    ticks = nice_ticks(max(t.accounts for t in themes))
    scale = (right - left) / ticks[-1]
    bottom = row * len(themes)
    for tick in ticks:
        x = left + int(tick * scale)
        draw.line([(x, 0), (x, bottom)], fill=GRID_HEX, width=1)
        text = f"{tick:,}"
        draw.text((x - draw.textlength(text, font=small) / 2, bottom + _px(0.12)), text,
                  fill=GREY_HEX, font=small)
    caption = "Accounts"
    draw.text((left + (right - left - draw.textlength(caption, font=small)) / 2,
               bottom + _px(0.48)), caption, fill=GREY_HEX, font=small)
    for i, theme in enumerate(themes):
        top = i * row
        label = short(theme.theme)
        face = _font(_fallback_for(label), 8.5)
        label = _fit(draw, label, face, label_w)
        w = draw.textlength(label, font=face)
        draw.text((label_w - w, top + row / 2), label, fill=TEXT_HEX, font=face, anchor="lm")
        bar = max(int(theme.accounts * scale), 1 if theme.accounts else 0)
        pad = int(row * 0.18)
        if bar:
            draw.rectangle([left, top + pad, left + bar, top + row - pad], fill=ACCENT_HEX)
        draw.text((left + bar + _px(0.12), top + row / 2), f"{theme.accounts:,}",
                  fill=TEXT_HEX, font=font, anchor="lm")
    draw.line([(left, 0), (left, bottom)], fill=TEXT_HEX, width=2)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True, dpi=(DPI, DPI))
    return out.getvalue(), height * 2.54 / DPI


def alt_text(themes: Sequence[ThemeLine]) -> str:
    """What a screen reader says for the picture: every bar as words."""
    return "Bar chart of accounts per theme: " + "; ".join(
        f"{t.theme}: {t.accounts:,}" for t in themes)


def _px(length_cm: float) -> int:
    return round(length_cm / 2.54 * DPI)


def _fit(draw: ImageDraw.ImageDraw, label: str, font: ImageFont.FreeTypeFont,
         width: int) -> str:
    while len(label) > 1 and draw.textlength(label, font=font) > width:
        label = label[:-2].rstrip() + "…"
    return label


def _fallback_for(text: str) -> str | None:
    """A system font file for a label with characters DejaVu Sans lacks, if there is one."""
    if not set(text) - register_body_fonts() - {" "}:
        return None
    return next((p for p in SYSTEM_FONTS if Path(p).is_file()), None)


@cache
def _font(path: str | None, points: float) -> ImageFont.FreeTypeFont:
    size = round(points / 72 * DPI)
    if path is not None:
        try:
            return ImageFont.truetype(path, size, index=0)
        except OSError:
            pass
    return ImageFont.truetype(io.BytesIO(assets.read_bytes("fonts/DejaVuSans.ttf")), size)


# --- the chart in the PDF -----------------------------------------------------------------------

BAR_ROW = 0.55 * cm
PDF_LABEL = TEXT_WIDTH * LABEL_SHARE
PDF_BARS = TEXT_WIDTH - PDF_LABEL
COUNT_ROOM = 1.2 * cm


@cache
def _label_style(st: Styles) -> ParagraphStyle:
    return ParagraphStyle("ChartLabel", parent=st.cell, fontSize=8.5, leading=10,
                          alignment=TA_RIGHT)


def pdf_chart(themes: Sequence[ThemeLine], mark: TextMarkup, st: Styles) -> Flowable:
    """One row per theme: its name set as a paragraph, then a drawn bar and its count;
    an axis row below. Rows keep together, so the chart is never split over two pages."""
    ticks = nice_ticks(max(t.accounts for t in themes))
    scale = (PDF_BARS - COUNT_ROOM - 8) / ticks[-1]
    label = _label_style(st)
    rows: list[list[Flowable | str]] = []
    for theme in themes:
        rows.append([ScriptParagraph(mark(short(theme.theme)), label),
                     _bar(theme.accounts, scale, ticks)])
    rows.append(["", _axis(scale, ticks)])
    t = Table(rows, colWidths=[PDF_LABEL, PDF_BARS], hAlign="LEFT")
    t.setStyle(TableStyle([
        CELL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 6),
        ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("NOSPLIT", (0, 0), (-1, -1)),
    ]))
    return t


def _bar(accounts: int, scale: float, ticks: Sequence[int]) -> Drawing:
    d = Drawing(PDF_BARS, BAR_ROW)
    for tick in ticks:
        x = tick * scale
        d.add(Line(x, 0, x, BAR_ROW, strokeColor=RULE, strokeWidth=0.4))
    d.add(Line(0, 0, 0, BAR_ROW, strokeColor=GREY, strokeWidth=0.8))
    width = accounts * scale
    pad = BAR_ROW * 0.18
    if accounts:
        d.add(Rect(0, pad, max(width, 0.8), BAR_ROW - 2 * pad, fillColor=ACCENT,
                   strokeColor=None))
    d.add(String(width + 4, BAR_ROW / 2 - 3, f"{accounts:,}", fontName=BODY, fontSize=8.5,
                 fillColor=ACCENT))
    return d


def _axis(scale: float, ticks: Sequence[int]) -> Drawing:
    d = Drawing(PDF_BARS, 0.8 * cm)
    top = 0.8 * cm
    for tick in ticks:
        x = tick * scale
        d.add(Line(x, top, x, top - 3, strokeColor=GREY, strokeWidth=0.5))
        d.add(String(x, top - 11, f"{tick:,}", fontName=BODY, fontSize=7.5, fillColor=GREY,
                     textAnchor="middle"))
    d.add(String(ticks[-1] * scale / 2, 2, "Accounts", fontName=BODY, fontSize=7.5,
                 fillColor=GREY, textAnchor="middle"))
    return d
