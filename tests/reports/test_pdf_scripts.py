"""Every script in the PDF: drawn by a font that has it in regular, bold and italic,
shaped where letters join, right to left where it reads so, and read back in reading
order by a PDF text extractor (poppler's, which viewers' copy and search follow)."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from voc_desktop.reports.bidi import visual_order
from voc_desktop.reports.pdf_fonts import BODY, TextMarkup
from voc_desktop.reports.pdf_style import ScriptParagraph, styles

LINES = {
    "Latin": "Große Straße in Ærøskøbing, café",
    "Greek": "Ο Σωκράτης είπε ότι η γραμμή σταματά",
    "Cyrillic": "Линия останавливается дважды в месяц",
    "Arabic": "قال إن الخط يتوقف مرتين في الشهر",
    "Hebrew": "הוא אמר שהקו נעצר פעמיים בחודש",
    "Hindi": "उन्होंने कहा कि लाइन महीने में दो बार रुकती है",
    "Thai": "เขาบอกว่าสายการผลิตหยุดเดือนละสองครั้ง",
    "Chinese": "他说生产线每月停两次",
    "Japanese": "ラインは月に二回止まると言った",
    "Korean": "라인이 한 달에 두 번 멈춘다고 말했다",
}
STYLES = ("body", "h3", "quote")  # regular, bold, italic


def _pdf(texts: list[str]) -> tuple[bytes, TextMarkup]:
    st = styles()
    mark = TextMarkup()
    story = [ScriptParagraph(mark(text), getattr(st, name))
             for text in texts for name in STYLES]
    out = io.BytesIO()
    SimpleDocTemplate(out, initialFontName=BODY).build(story)
    return out.getvalue(), mark


def _read(data: bytes) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True)
    lines = [" ".join(_logical(line).split()) for line in done.stdout.decode().splitlines()]
    return [line for line in lines if line]


def _logical(text: str) -> str:
    # poppler marks right-to-left runs with embedding controls and returns Arabic in its
    # presentation forms; NFKC gives the letters as typed
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", text)


@pytest.fixture(scope="module")
def rendered() -> tuple[bytes, TextMarkup]:
    assert shutil.which("pdftotext"), "poppler-utils is installed by .ci/run"
    return _pdf(list(LINES.values()))


def test_every_script_draws_in_every_style_without_a_warning(rendered):
    data, mark = rendered
    assert mark.warnings() == []
    reader = PdfReader(io.BytesIO(data))
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1]
             for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    # the shipped faces of the shaped scripts, in their regular and bold weights (italic
    # keeps the upright face), beside DejaVu for Latin, Greek, Cyrillic and Hebrew
    for face in ("VOCArabic-Regular", "VOCArabic-Bold", "VOCThai-Regular", "VOCThai-Bold",
                 "NotoSansDevanagari-Regular", "NotoSansDevanagari-Bold", "DejaVuSans",
                 "DejaVuSans-Bold", "DejaVuSans-Oblique"):
        assert face in fonts, (face, fonts)


@pytest.mark.parametrize("script", list(LINES))
def test_extracted_text_reads_as_written(rendered, script):
    """Copying from the PDF gives the line as typed, in reading order, in each style:
    Arabic joined and Hebrew right to left on the page, yet logical when read back;
    Hindi's conjuncts and vowel signs and Thai's tone marks, drawn by glyphs of their own,
    read back as the letters they were shaped from."""
    lines = _read(rendered[0])
    want = _logical(LINES[script])
    assert lines.count(want) == len(STYLES), (script, lines)


def test_hindi_is_shaped_into_conjuncts(rendered):
    """Devanagari letters are shaped: the conjunct and the vowel sign before its
    consonant take glyphs of their own, so fewer glyphs are drawn than characters typed."""
    from reportlab.pdfbase.ttfonts import shapeStr

    from voc_desktop.reports.pdf_fonts import SCRIPT_FONTS, TextMarkup

    TextMarkup()("क")  # registers the Devanagari face
    word = "उन्होंने"
    shaped = shapeStr(word, "NotoSansDevanagari", 10, force=True)
    assert len(shaped) < len(word)
    assert "NotoSansDevanagari" in SCRIPT_FONTS


def test_a_right_to_left_paragraph_is_set_flush_right_and_a_mixed_one_is_not():
    st = styles()
    arabic = ScriptParagraph(TextMarkup()(LINES["Arabic"]), st.body)
    mixed = ScriptParagraph(TextMarkup()("Answer: " + LINES["Arabic"]), st.body)
    assert arabic.right_to_left and arabic.style.alignment == 2  # TA_RIGHT
    assert not mixed.right_to_left and mixed.style.alignment == 0
    assert mixed.has_rtl


class _Piece:
    def __init__(self, text: str, font: str = BODY) -> None:
        self.text, self.fontName = text, font

    def clone(self, **changes: str) -> _Piece:
        return _Piece(changes.get("text", self.text), self.fontName)

    def __repr__(self) -> str:
        return self.text


def _order(texts: list[str], rtl: bool) -> str:
    return "".join(p.text for p in visual_order([_Piece(t) for t in texts], rtl))


def test_pieces_of_a_line_are_put_in_page_order():
    """Right-to-left words run from the right; a number or a Latin word inside keeps its
    place in the run; spaces follow the text around them; the paragraph's direction
    settles what lies between runs of different directions; a bracket inside a
    right-to-left run is drawn the other way round."""
    # "Answer: <two Hebrew words> 12" in a left-to-right paragraph (Hebrew letters are
    # drawn right to left inside each word by the shaper, not here)
    assert _order(["Answer:", " ", "שלום", " ", "עולם", " 12"], rtl=False) == (
        "Answer: 12 עולם שלום")
    # the same words in a right-to-left paragraph, with a Latin name inside
    assert _order(["שלום", " ", "Bosch GmbH", " ", "עולם"], rtl=True) == (
        "עולם Bosch GmbH שלום")
    # "(3 <Hebrew>)": the brackets swap, the number stays whole
    assert _order(["(3", " ", "פעמים", ")"], rtl=True) == "(פעמים 3)"
    # nothing to turn round
    assert _order(["one", " two", " 3"], rtl=False) == "one two 3"


def test_a_long_right_to_left_paragraph_keeps_its_order_across_pages():
    """Split over two pages, both parts are still drawn right to left."""
    text = " ".join([LINES["Arabic"]] * 120)
    st = styles()
    paragraph = ScriptParagraph(TextMarkup()(text), st.body)
    paragraph.wrap(400, 10_000)
    first, second = paragraph.split(400, 200)
    assert first.has_rtl and second.has_rtl
    assert first.right_to_left and second.right_to_left
    out = io.BytesIO()
    SimpleDocTemplate(out, initialFontName=BODY).build([ScriptParagraph(TextMarkup()(text),
                                                                        st.body)])
    words = " ".join(_read(out.getvalue())).split()
    assert words[:7] == LINES["Arabic"].split()


def test_times_and_signed_numbers_stay_whole_in_a_right_to_left_line():
    """"14:05" and "+0:20" are numbers, not a digit, a colon and a digit: inside a
    right-to-left run they keep their own order."""
    assert _order(["שלום", " 14:05", " ", "+0:20"], rtl=True) == "+0:20 14:05 שלום"
    paragraph = ScriptParagraph("1.2&nbsp;&nbsp;" + TextMarkup()("كيف تعمل الوردية؟"),
                                styles().question)
    assert paragraph.right_to_left  # the entity is no letter of its own


def test_a_word_in_two_fonts_is_written_and_latin_keeps_plain_letters():
    """"1.2&nbsp;<Arabic>" is one word in two fonts: the PDF is written and reads back;
    "Customer" in a shaped paragraph keeps its "st" (no discretionary ligature)."""
    st = styles()
    mark = TextMarkup()
    story = [ScriptParagraph("1.2&nbsp;&nbsp;" + mark("كيف تعمل الوردية؟"), st.question),
             ScriptParagraph(mark("Customer visit: شركة النور"), st.title)]
    out = io.BytesIO()
    SimpleDocTemplate(out, initialFontName=BODY).build(story)
    text = " ".join(_read(out.getvalue()))
    assert "كيف تعمل الوردية؟" in text and "1.2" in text
    assert "Customer visit:" in text
    from reportlab.lib.abag import ABag
    from reportlab.platypus import paragraph

    frag = ABag(fontName=BODY, fontSize=10)
    word = paragraph.shapeFragWord([40.0, (frag, "Customer")])
    drawn = "".join(text for _, text in word[1:])
    assert len(drawn) == len("Customer")  # one glyph a letter: no "st" ligature


def _runs(data: bytes) -> list[tuple[int, str, float, float]]:
    """Each piece of text drawn, as page number, text and where its line starts."""
    out = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        def seen(text, cm, tm, font, size, number=number):
            if text.strip():
                out.append((number, text.strip(), tm[4] + cm[4], tm[5] + cm[5]))
        page.extract_text(visitor_text=seen)
    return out


def test_a_right_to_left_bullet_stands_at_the_right_and_stays_with_its_first_line():
    """An Arabic bullet point has its bullet at the right of the line, as Word puts it; a
    Latin one keeps it at the left. Split over two pages, the bullet is drawn once, on
    the first."""
    st = styles()
    mark = TextMarkup()
    story = [ScriptParagraph(mark(LINES["Arabic"]), st.bullet, bulletText="\u2022"),
             ScriptParagraph(mark(LINES["Latin"]), st.bullet, bulletText="\u2022"),
             ScriptParagraph(mark(" ".join([LINES["Arabic"]] * 400)), st.bullet,
                             bulletText="\u2022")]
    out = io.BytesIO()
    SimpleDocTemplate(out, initialFontName=BODY).build(story)
    runs = _runs(out.getvalue())
    bullets = [(page, x, y) for page, text, x, y in runs if text == "\u2022"]
    assert [page for page, _, _ in bullets] == [0, 0, 0]
    assert max(page for page, *_ in runs) >= 1, "the long point runs over a page"
    (_, arabic_x, arabic_y), (_, latin_x, latin_y), _ = bullets
    arabic_line = [x for page, text, x, y in runs if y == arabic_y and text != "\u2022"]
    latin_line = [x for page, text, x, y in runs if y == latin_y and text != "\u2022"]
    assert arabic_x > max(arabic_line) + 100  # right of where the line's text starts
    assert latin_x < min(latin_line)
    # read from the right, the bullet comes first, then the line as written
    assert _read(out.getvalue())[0] == "\u2022 " + _logical(LINES["Arabic"])


def test_quotation_marks_around_right_to_left_words_take_the_side_of_their_line():
    """In "rejected “<Arabic>.”" on a left-to-right line the opening mark stays at the
    left of the Arabic and the full stop and closing mark come after it at the right, as
    Word and LibreOffice draw it; on a right-to-left line the opening mark is at the
    right, where reading starts."""
    from reportlab.pdfbase.ttfonts import shapeStr

    TextMarkup()("\u0627")  # registers the Arabic face
    first = _Piece(shapeStr("\u201cالسعر", "VocArabic", 10, force=True), "VocArabic")
    last = _Piece(shapeStr("الأولى.\u201d", "VocArabic", 10, force=True), "VocArabic")
    line = [_Piece("rejected"), _Piece(" "), first, _Piece(" "), last]
    drawn = [str(p.text) for p in visual_order(line, right_to_left=False)]
    assert drawn[:3] == ["rejected", " ", "\u201c"]
    assert drawn[-2:] == [".", "\u201d"]
    drawn = [str(p.text) for p in visual_order([first, _Piece(" "), last], right_to_left=True)]
    assert drawn[0] == "\u201d" and drawn[-1] == "\u201c"
