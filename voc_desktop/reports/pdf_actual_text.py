"""What a reader copies out of shaped Devanagari and Thai in the PDF: the words as written.

HarfBuzz draws a conjunct, a vowel sign set before its consonant or a tone mark moved
above a vowel with a glyph that has no character of its own; reportlab gives such a glyph
a private code, so copying "रुकती" gave "कती" and search found nothing. Each shaped word
is remembered with the text it came from, and a run of words drawn with such glyphs is
wrapped in a marked-content span whose /ActualText is that text, which PDF readers copy
and search instead of the glyphs. Right-to-left words are left as they are: their glyphs
carry their letters, and a reader turns them back into reading order itself.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from voc_desktop.reports.bidi import direction_of

_PRIVATE = range(0xE000, 0xF900)  # where reportlab numbers glyphs without a character
_LIMIT = 50_000  # words remembered; past that the oldest half is forgotten
_lock = threading.Lock()
# (font, a shaped word's glyphs) -> the text it was shaped from; the private codes are the
# font's own, so the same codes in another font are other glyphs
_sources: dict[tuple[str, str], str] = {}


def _has_private(text: str) -> bool:
    return any(ord(c) in _PRIVATE for c in text)


def remember(shaped: Any, pieces: Sequence[tuple[Any, str]]) -> None:
    """Keep the text of a word reportlab shaped (`[width, (frag, glyphs), ...]`) from
    its `pieces` (`(frag, text)`), when its glyphs would not read back as that text."""
    drawn = [(frag, text) for frag, text in shaped[1:] if isinstance(text, str)]
    glyphs = "".join(text for _, text in drawn)
    if not _has_private(glyphs):
        return
    source = "".join(text for frag, text in pieces if not hasattr(frag, "cbDefn"))
    if any(direction_of(c) == "R" for c in source):
        return
    fonts = {getattr(frag, "fontName", "") for frag, _ in drawn}
    found = {(fonts.pop(), glyphs): source} if len(fonts) == 1 else {}
    if len(drawn) > 1:  # a word in two fonts or styles is drawn a piece at a time
        for frag, text in drawn:
            found[(getattr(frag, "fontName", ""), str(text))] = "".join(
                t for f, t in pieces if f is frag)
    with _lock:
        if len(_sources) > _LIMIT:
            for key in list(_sources)[:_LIMIT // 2]:
                del _sources[key]
        _sources.update(found)


def actual_text(font: str, drawn: str) -> str | None:
    """The text a run of words shaped in `font` was made from, or None when it reads
    back as it is or a word of it is not known."""
    if not _has_private(drawn):
        return None
    words = []
    for word in str(drawn).split(" "):
        source = _sources.get((font, word))
        if source is None:
            if _has_private(word):
                return None
            source = word
        words.append(source)
    return " ".join(words)


def install() -> None:
    """Wrap reportlab's text output so each run of shaped words carries its text."""
    from reportlab.pdfgen import textobject

    draw = textobject.PDFTextObject._formatText
    if getattr(draw, "with_actual_text", False):
        return

    def with_actual_text(self: Any, text: Any) -> str:
        code = draw(self, text)
        actual = actual_text(self._fontname, text) if isinstance(text, str) else None
        if actual is None:
            return code
        hexed = actual.encode("utf-16-be").hex().upper()
        return f"/Span <</ActualText <FEFF{hexed}>>> BDC {code} EMC"

    with_actual_text.with_actual_text = True  # type: ignore[attr-defined]
    textobject.PDFTextObject._formatText = with_actual_text
