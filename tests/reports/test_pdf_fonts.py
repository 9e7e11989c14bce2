"""Fonts of the PDF report: the shipped DejaVu Sans, a system CJK font, the shipped CJK
font, and code points for what nothing can draw."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph, SimpleDocTemplate
from support.report_visits import CJK_TEXT, CYRILLIC, NAMED, pdf_pages, squeeze

from voc_desktop import assets
from voc_desktop.reports import pdf_fonts
from voc_desktop.reports.pdf_fonts import SHIPPED_CJK, TextMarkup, register_body_fonts
from voc_desktop.reports.pdf_style import styles

WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
needs_wqy = pytest.mark.skipif(not Path(WQY).is_file(), reason="no WenQuanYi Zen Hei here")


def render(markup: list[str]) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, initialFontName=pdf_fonts.BODY).build(
        [Paragraph(m, styles().body) for m in markup])
    return out.getvalue()


def base_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].get_object().values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def unembedded_fonts(data: bytes) -> set[str]:
    """The fonts of a PDF whose outlines are not inside the file."""
    out = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].get_object().values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            face = descendants[0].get_object() if descendants else font
            descriptor = face.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                out.add(str(font["/BaseFont"]))
    return out


def test_fonts_and_licence_ship_inside_the_package():
    """The four DejaVu faces and their licence are package resources."""
    folder = assets.path("fonts")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                 "DejaVuSans-BoldOblique.ttf"):
        assert folder.joinpath(name).read_bytes()[:4] == b"\x00\x01\x00\x00", name
    licence = folder.joinpath("LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Arev" in licence


def test_the_cjk_font_and_its_licence_ship_inside_the_package():
    """WenQuanYi Micro Hei, a TrueType collection, ships with the Apache licence it is
    used under."""
    assert assets.read_bytes(SHIPPED_CJK)[:4] == b"ttcf"
    licence = assets.read_text("fonts/LICENSE-WenQuanYi.txt")
    assert "WenQuanYi Project" in licence and "Apache License" in licence
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in licence


def test_body_font_is_registered_once_and_covers_greek_and_cyrillic():
    """DejaVu is parsed once per process and draws Latin diacritics, Greek and Cyrillic."""
    chars = register_body_fonts()
    assert register_body_fonts() is chars
    assert set(NAMED + CYRILLIC + "ÅøŁłőčßÿ") - {" "} <= chars


def test_markup_escapes_and_keeps_line_breaks():
    """&, < and > are escaped and a line break becomes <br/>."""
    mark = TextMarkup(system_fonts=())
    assert mark('a & b <c> "d"\nnext') == 'a &amp; b &lt;c&gt; "d"<br/>next'
    assert mark(f"{NAMED} {CYRILLIC}") == f"{NAMED} {CYRILLIC}"
    assert mark.warnings() == []


@needs_wqy
def test_system_cjk_font_draws_and_extracts():
    """With a system CJK font, CJK runs use it and the text can be copied out."""
    mark = TextMarkup(system_fonts=("/nowhere/font.ttf", WQY))
    markup = mark(f"{NAMED}: {CJK_TEXT} & more")
    assert '<font name="Fallback' in markup and "&amp; more" in markup
    data = render([markup])
    assert squeeze(f"{NAMED}: {CJK_TEXT} & more") in squeeze(pdf_pages(data)[0])
    assert "WenQuanYiZenHei-0" in base_fonts(data)
    assert mark.warnings() == []


def test_the_shipped_cjk_font_when_the_computer_has_none():
    """Without system CJK fonts, Japanese, Korean and Chinese are drawn with the shipped
    WenQuanYi Micro Hei, embedded in the file, and read back as written."""
    mark = TextMarkup(system_fonts=())
    markup = mark(CJK_TEXT)
    assert '<font name="Fallback' in markup and "WenQuanYiMicroHei" in markup
    data = render([markup])
    assert "WenQuanYiMicroHei-0" in base_fonts(data)
    assert unembedded_fonts(data) == set()
    assert squeeze(CJK_TEXT) in squeeze(pdf_pages(data)[0])
    assert mark.warnings() == []


def test_undrawable_characters_become_code_points_and_a_warning(tmp_path):
    """Characters no font has are shown as [U+XXXX], counted, and listed in a warning;
    a file that is not a usable font is skipped."""
    junk = tmp_path / "broken.ttf"
    junk.write_bytes(b"not a font at all")
    mark = TextMarkup(system_fonts=(str(junk),))
    markup = mark("ok \U00013000 and \U00013080 and \U00013000")
    assert markup == "ok [U+13000] and [U+13080] and [U+13000]"
    assert "[U+13000]" in pdf_pages(render([markup]))[0]
    assert mark.warnings() == ["3 characters could not be drawn with the fonts on this "
                               "computer and are shown as code points (U+13000, U+13080)."]


def test_emoji_no_font_draws_are_named_not_numbered():
    """An emoji no font draws is printed as its name, a skin tone leaves no trace, and
    neither is counted as a character that could not be drawn; one the body font has
    (a hot beverage) is drawn."""
    mark = TextMarkup(system_fonts=())
    markup = mark("Great \U0001F642 thanks \U0001F44D\U0001F3FD and \u2615")
    assert markup == ("Great [slightly smiling face] thanks [thumbs up sign] and "
                      "\u2615")
    text = pdf_pages(render([markup]))[0]
    assert "[slightly smiling face]" in text and "U+" not in text
    assert mark.warnings() == []


def test_a_flag_no_font_draws_is_named_by_its_country_code():
    """A flag (two regional indicator letters) prints as "[flag: DK]", not as two letter
    names, and counts as nothing missing; a lone indicator letter keeps its name."""
    mark = TextMarkup(system_fonts=())
    assert mark("Made in \U0001F1E9\U0001F1F0, sold in \U0001F1F3\U0001F1F4.") == (
        "Made in [flag: DK], sold in [flag: NO].")
    assert mark("\U0001F1E6") == "[regional indicator symbol letter a]"
    assert mark.warnings() == []


def test_many_distinct_missing_characters_are_summarised():
    """The warning names the first few code points and says there are more."""
    mark = TextMarkup(system_fonts=())
    mark("".join(chr(0x13000 + i) for i in range(7)))
    (warning,) = mark.warnings()
    assert warning.startswith("7 characters could not be drawn")
    assert "(U+13000, U+13001, U+13002, U+13003, U+13004 …)" in warning


def test_invisible_format_characters_are_left_out():
    """A zero-width format character no font has is dropped, not shown as a code point."""
    assert "\u2066" not in register_body_fonts()
    mark = TextMarkup(system_fonts=())
    assert mark("a\u2066b") == "ab"
    assert mark.warnings() == []


def test_decomposed_accents_are_composed():
    """An e followed by a combining accent is drawn as the single letter é."""
    assert TextMarkup(system_fonts=())("e\u0301t\u00e9") == "\u00e9t\u00e9"


def test_system_fonts_are_loaded_once(tmp_path):
    """A system font file is parsed once per process, however many documents use it."""
    junk = tmp_path / "junk.ttc"
    junk.write_bytes(b"junk")
    assert pdf_fonts._system_face(str(junk)) is None
    assert str(junk) in pdf_fonts._loaded
    if Path(WQY).is_file():
        assert pdf_fonts._system_face(WQY) is pdf_fonts._system_face(WQY)
