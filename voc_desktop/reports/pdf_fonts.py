"""Fonts for the PDF report, and text turned into reportlab paragraph markup.

The report embeds DejaVu Sans, shipped with the package, which draws Latin with all its
diacritics, Greek and Cyrillic. A character it lacks (Chinese, Japanese, Korean, emoji ...)
is drawn with a font of the computer that has it, else with WenQuanYi Micro Hei, shipped
too, which draws Chinese, Japanese and Korean. Every font is embedded, so the report looks
the same in any reader. An emoji no font draws is printed as its name ("[grinning face]");
any other character is shown as its code point, "[U+13000]", and counted, so that nothing a
person wrote disappears from the page without a word.

Fonts are parsed and registered with reportlab once per process, and only when needed:
a CJK font takes a quarter of a second to read, so a report in plain Latin never opens one.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from voc_desktop import assets
from voc_desktop.reports.links import LINK_HEX, links, target

BODY = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
_FILES = {BODY: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf",
          ITALIC: "DejaVuSans-Oblique.ttf", BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf"}

# Fonts with TrueType outlines that cover Chinese, Japanese and Korean, as the common
# systems install them; a ".ttc" collection is read at its first face. reportlab cannot
# embed CFF outlines (NotoSansCJK*.ttc/.otf), so those are not listed: one that slips in
# anyway is skipped when it fails to load.
SYSTEM_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msgothic.ttc",
    "C:/Windows/Fonts/malgun.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)

# Chinese, Japanese and Korean when the computer has no font for them: one TrueType face
# with Han, kana and every Hangul syllable. reportlab's CID fonts would need no file, but
# they are not embedded, and a reader without them shows empty boxes.
SHIPPED_CJK = "fonts/WenQuanYiMicroHei.ttc"

# Scripts whose letters join, stack or reorder, drawn with a shipped Noto font in every
# style (they have no italics: an italic run keeps the upright face, as in print), and
# shaped with HarfBuzz. DejaVu has Arabic in its regular and bold faces only, so without
# this an Arabic quote (set in italics) printed as empty boxes. The Arabic and Thai fonts
# carry Latin punctuation too (tools/make_script_fonts.py): reportlab shapes a word with
# the font of its first letter, so a quotation mark next to an Arabic word must be drawn
# by the same font. Hebrew is drawn by DejaVu, which has it in all four faces.
SCRIPT_FONTS = {  # family: (regular, bold)
    "VocArabic": ("VocArabic-Regular.ttf", "VocArabic-Bold.ttf"),
    "NotoSansDevanagari": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    "VocThai": ("VocThai-Regular.ttf", "VocThai-Bold.ttf"),
}
_SCRIPT_RANGES = (
    (0x0600, 0x06FF, "VocArabic"), (0x0750, 0x077F, "VocArabic"),
    (0x08A0, 0x08FF, "VocArabic"), (0xFB50, 0xFDFF, "VocArabic"),
    (0xFE70, 0xFEFF, "VocArabic"),
    (0x0900, 0x097F, "NotoSansDevanagari"), (0xA8E0, 0xA8FF, "NotoSansDevanagari"),
    (0x1CD0, 0x1CFF, "NotoSansDevanagari"),
    (0x0E00, 0x0E7F, "VocThai"),
)
_HEBREW = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
SHAPED_SCRIPTS = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi, *_ in
                                          (*_SCRIPT_RANGES, *_HEBREW)) + "]")

_lock = threading.RLock()
_body_chars: frozenset[str] | None = None
_loaded: dict[str, _Face | None] = {}  # path -> face, None when it cannot be used
_scripts: dict[str, frozenset[str]] = {}  # family -> the characters it draws


@dataclass(frozen=True)
class _Face:
    name: str  # as registered with reportlab
    chars: frozenset[str]


def register_body_fonts() -> frozenset[str]:
    """Register the DejaVu family with reportlab (once) and return the characters it draws."""
    global _body_chars
    with _lock:
        if _body_chars is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            faces = {name: TTFont(name, BytesIO(assets.read_bytes(f"fonts/{file}")))
                     for name, file in _FILES.items()}
            for face in faces.values():
                pdfmetrics.registerFont(face)
            pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=ITALIC,
                                          boldItalic=BOLD_ITALIC)
            _body_chars = frozenset(map(chr, faces[BODY].face.charToGlyph))
        return _body_chars


def script_family(c: str) -> str:
    """The shipped family that draws `c`, or "" when it is not of a shaped script."""
    cp = ord(c)
    for lo, hi, family in _SCRIPT_RANGES:
        if lo <= cp <= hi:
            return family
    return ""


def _script_font(family: str, c: str) -> str | None:
    """`family` registered with reportlab (once), if it has `c`."""
    with _lock:
        chars = _scripts.get(family)
        if chars is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            regular, bold = SCRIPT_FONTS[family]
            # the upright faces again under italic names: one name for two styles would
            # make reportlab take the regular face for an italic one and lose the bold
            names = {family: regular, f"{family}-Bold": bold,
                     f"{family}-Italic": regular, f"{family}-BoldItalic": bold}
            data = {file: assets.read_bytes(f"fonts/{file}") for file in (regular, bold)}
            faces = [TTFont(name, BytesIO(data[file])) for name, file in names.items()]
            for face in faces:
                pdfmetrics.registerFont(face)
            pdfmetrics.registerFontFamily(family, normal=family, bold=f"{family}-Bold",
                                          italic=f"{family}-Italic",
                                          boldItalic=f"{family}-BoldItalic")
            chars = _scripts[family] = frozenset(map(chr, faces[0].face.charToGlyph))
        return family if c in chars else None


def _system_face(path: str) -> _Face | None:
    """The font at `path` registered under a name of its own, or None when it is missing
    or reportlab cannot embed it."""
    with _lock:
        if path in _loaded:
            return _loaded[path]
        face = None
        if Path(path).is_file():
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            name = f"Fallback{len(_loaded)}-{Path(path).stem}".replace(" ", "")
            try:
                font = TTFont(name, path, subfontIndex=0)
            except Exception:  # noqa: BLE001 - CFF outlines, a damaged file: not usable
                font = None
            if font is not None:
                pdfmetrics.registerFont(font)
                _same_for_all_styles(name)
                face = _Face(name, frozenset(map(chr, font.face.charToGlyph)))
        _loaded[path] = face
        return face


def _same_for_all_styles(name: str) -> None:
    # a fallback run may sit inside <b> or <i>; with no bold face of its own, it keeps its
    # regular face rather than failing the whole paragraph
    from reportlab.pdfbase import pdfmetrics

    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)


def _invisible(c: str) -> bool:
    """Zero-width joiners, variation selectors and the like: they draw nothing anyway."""
    cp = ord(c)
    return (unicodedata.category(c) == "Cf" or 0xFE00 <= cp <= 0xFE0F
            or 0xE0100 <= cp <= 0xE01EF)


class TextMarkup:
    """Plain text to paragraph markup for one document: escaped, line breaks kept, each run
    of characters set in a font that has them. Counts what no font could draw."""

    def __init__(self, system_fonts: Sequence[str] | None = None) -> None:
        self.body_chars = _plain_chars()
        system = SYSTEM_FONTS if system_fonts is None else system_fonts
        self.candidates = [*system, str(assets.path(SHIPPED_CJK))]
        self.faces: list[_Face] = []
        self.missing: Counter[str] = Counter()
        self._font_of: dict[str, str] = {}  # char -> font name, "" for the body font

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        parts = links.split(text)
        if len(parts) == 1:
            return self._plain(text)
        return "".join(self._plain(part) if i % 2 == 0 else _link(part)
                       for i, part in enumerate(parts))

    def _plain(self, text: str) -> str:
        if not set(text) - self.body_chars - {"\n", "\t"}:
            return escape(text).replace("\n", "<br/>")
        return "<br/>".join(self._line(line) for line in text.split("\n"))

    def warnings(self) -> list[str]:
        if not self.missing:
            return []
        count = sum(self.missing.values())
        points = [f"U+{ord(c):04X}" for c in self.missing]
        shown = ", ".join(points[:5]) + (" …" if len(points) > 5 else "")
        if count == 1:
            return [f"1 character could not be drawn with the fonts on this computer and is "
                    f"shown as a code point ({shown})."]
        return [f"{count} characters could not be drawn with the fonts on this computer and "
                f"are shown as code points ({shown})."]

    def _line(self, line: str) -> str:
        flag = _FLAG.search(line)
        if flag and self._font_for(flag.group()[0]) == "?":
            line = _FLAG.sub(_flag_name, line)
        fonts = [self._font_for(c) for c in line]
        _join_script_words(line, fonts)
        out: list[str] = []
        run: list[str] = []
        font = ""
        for c, f in zip(line, fonts, strict=True):
            if f == "?":
                named = emoji_name(c)
                if named is None:
                    self.missing[c] += 1
                c, f = (f"[U+{ord(c):04X}]" if named is None else named), ""
            elif f == "-":
                continue
            if f != font and run:
                out.append(_run(font, "".join(run)))
                run = []
            font = f
            run.append(c)
        if run:
            out.append(_run(font, "".join(run)))
        return "".join(out)

    def _font_for(self, c: str) -> str:
        """"" for the body font, a font name, "-" to leave out, "?" when nothing can draw
        it."""
        if c in self.body_chars or c.isspace():
            return ""
        known = self._font_of.get(c)
        if known is not None:
            return known
        family = script_family(c)
        font = _script_font(family, c) if family else None
        if font is None:
            font = next((f.name for f in self.faces if c in f.chars), None)
        while font is None and self.candidates:
            face = _system_face(self.candidates.pop(0))
            if face is not None:
                self.faces.append(face)
                if c in face.chars:
                    font = face.name
        if font is None and c in register_body_fonts():
            font = ""  # a letter of a shaped script its font lacks but the body font has
        if font is None:
            font = "-" if _invisible(c) else "?"
        self._font_of[c] = font
        return font


def _join_script_words(line: str, fonts: list[str]) -> None:
    """Punctuation, digits and marks inside a word of a shaped script ("“نص”", "ภาษา,")
    are set in that script's font, so the word is shaped in one font."""
    families = set(SCRIPT_FONTS)
    start = 0
    for end in [*(i for i, c in enumerate(line) if c.isspace()), len(line)]:
        word = range(start, end)
        found = {fonts[i] for i in word} & families
        if len(found) == 1:
            (family,) = found
            chars = _scripts.get(family, frozenset())
            for i in word:
                c = line[i]
                if fonts[i] == "" and not c.isalpha() and c in chars:
                    fonts[i] = family
        start = end + 1


@functools.cache
def _plain_chars() -> frozenset[str]:
    """What the body font draws, less the shaped scripts: those go to their own fonts."""
    return frozenset(c for c in register_body_fonts() if not script_family(c))


# a flag is two regional indicator letters, the country's code: 🇩🇰 is D and K
_FLAG = re.compile("[\U0001F1E6-\U0001F1FF]{2}")


def _flag_name(match: re.Match[str]) -> str:
    """A flag no font draws, by its country code: "[flag: DK]"."""
    return "[flag: " + "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in match.group()) + "]"


def emoji_name(c: str) -> str | None:
    """An emoji no font can draw, as its name in brackets ("[thumbs up sign]"); "" for the
    skin-tone modifiers, which only colour the emoji before them; None for any other
    character."""
    cp = ord(c)
    if 0x1F3FB <= cp <= 0x1F3FF:
        return ""
    if not (0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF):
        return None
    name = unicodedata.name(c, "")
    return f"[{name.lower()}]" if name else None


def _link(address: str) -> str:
    """A web address as a link a reader can click, in the accent colour."""
    return (f'<a href="{escape(target(address), {chr(34): "&quot;"})}" color="{LINK_HEX}">'
            f"<u>{escape(address)}</u></a>")


def _run(font: str, text: str) -> str:
    return f'<font name="{font}">{escape(text)}</font>' if font else escape(text)
