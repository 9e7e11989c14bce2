"""Right-to-left text in the order of the page, for the PDF report.

reportlab breaks a paragraph into lines in reading order and HarfBuzz shapes each word,
drawing an Arabic or Hebrew word's letters right to left. What is left is the order of
the pieces of a line: a run of right-to-left words is drawn from the right, numbers and
Latin words inside it keep their own order, and a paragraph that starts in a
right-to-left script reads from the right as a whole. These are the rules of the Unicode
bidirectional algorithm that matter for text without explicit embeddings, applied to the
pieces of a line (words, spaces, numbers) rather than to single characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

# fonts that only hold right-to-left letters: their shaped pieces may carry glyphs with no
# character of their own, so the font, not the text, tells the direction
RIGHT_TO_LEFT_FONTS = ("VocArabic",)


def direction_of(c: str) -> str:
    """ "R" for a right-to-left letter, "L" for a left-to-right one, "EN" for a digit, "N"
    for anything that takes its direction from its neighbours."""
    kind = unicodedata.bidirectional(c)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    if kind in ("EN", "AN"):
        return "EN"
    return "N"


def base_direction(text: str) -> str:
    """The paragraph's direction: that of its first letter with a direction of its own."""
    for c in text:
        d = direction_of(c)
        if d in ("R", "L"):
            return d
    return "L"


def visual_order(pieces: Sequence[Any], right_to_left: bool) -> list[Any]:
    """The pieces of one line (reportlab fragments with a `text`, in reading order) in the
    order they are drawn from left to right. Pieces are cut at spaces first, so each word
    and each space goes where the text around it puts it."""
    parts: list[Any] = []
    for piece in pieces:
        for part in _split_spaces(piece):
            parts += _split_marks(part)
    kinds = [_kind(p) for p in parts]
    base = "R" if right_to_left else "L"
    resolved = _resolve(kinds, base)
    levels = [_level(d, right_to_left) for d in resolved]
    # a bracket read right to left is drawn the other way round: "(" shows as ")"
    parts = [_mirrored(p) if kind == "N" and level % 2 else p
             for p, kind, level in zip(parts, kinds, levels, strict=True)]
    order = list(range(len(parts)))
    top = max(levels, default=0)
    lowest_odd = min((lv for lv in levels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return [parts[i] for i in order]


def _split_spaces(piece: Any) -> list[Any]:
    """A piece cut into its words and the spaces between them: a run of Hebrew words set
    in one font is one piece, and its words must change places."""
    text = getattr(piece, "text", None)
    if not isinstance(text, str) or " " not in text or not text.strip():
        return [piece]
    out = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (text[i] == " ") != (text[start] == " "):
            out.append(piece.clone(text=text[start:i]))
            start = i
    return out


_MIRROR = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))


def _split_marks(piece: Any) -> list[Any]:
    """A left-to-right word cut where punctuation meets a letter or a digit ("(3" is "("
    and "3"), so brackets and marks can take the side the text around them gives. A
    right-to-left word stays whole: HarfBuzz has already drawn it, marks and all."""
    text = getattr(piece, "text", None)
    if not isinstance(text, str) or len(text) < 2 or text.isspace():
        return [piece]
    if (str(getattr(piece, "fontName", "")).startswith(RIGHT_TO_LEFT_FONTS)
            or any(direction_of(c) == "R" for c in text)):
        return _peel(piece)
    marks = _marks(text)
    out = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or marks[i] != marks[start]:
            out.append(piece.clone(text=text[start:i]) if (start, i) != (0, len(text))
                       else piece)
            start = i
    return out


def _peel(piece: Any) -> list[Any]:
    """A word shaped right to left, its glyphs already in the order of the page, with the
    quotation marks and punctuation at its ends taken off as pieces of their own, so
    that they go where the text around them puts them: in "rejected “<Arabic>.”" the
    opening mark stays at the left of the Arabic, the full stop and closing mark at its
    right. Brackets stay: HarfBuzz has drawn them the way the word reads. Returns the
    pieces in reading order."""
    glyphs = piece.text
    if getattr(glyphs, "__shapeData__", None) is None:
        return [piece]  # not shaped: nothing was turned round
    left, right = 0, len(glyphs)
    while left < right - 1 and _loose(glyphs[left]):
        left += 1  # the left end holds the marks that end the word
    while right > left + 1 and _loose(glyphs[right - 1]):
        right -= 1  # the right end those that start it
    if glyphs.__shapeData__[left].y_offset:
        left = 0  # reportlab cannot start a run with a raised mark ("صباحاً.")
    if (left, right) == (0, len(glyphs)):
        return [piece]
    one = [piece.clone(text=glyphs[i:i + 1]) for i in range(len(glyphs))]
    return [*reversed(one[right:]), piece.clone(text=glyphs[left:right]),
            *reversed(one[:left])]


def _loose(c: str) -> bool:
    """Punctuation that takes its side from the text around it and looks the same both
    ways (not a bracket, not a vowel mark drawn over a letter)."""
    return (unicodedata.category(c)[0] in "PS" and direction_of(c) == "N"
            and not unicodedata.mirrored(c))


_NUMBER_SIGNS = ("CS", "ES", "ET")  # 14:05, 1,200.50, +3, 40 %, $5


def _marks(text: str) -> list[bool]:
    """Which characters are punctuation standing on its own: a separator or sign that
    touches a digit belongs to the number ("14:05", "+0:20" stay whole)."""
    kinds = [unicodedata.bidirectional(c) for c in text]
    out = []
    for i, c in enumerate(text):
        if direction_of(c) != "N" or c.isspace():
            out.append(False)
            continue
        near_digit = any(0 <= j < len(text) and kinds[j] in ("EN", "AN")
                         for j in (i - 1, i + 1))
        out.append(not (kinds[i] in _NUMBER_SIGNS and near_digit))
    return out


def _mirrored(piece: Any) -> Any:
    text = getattr(piece, "text", None)
    if not isinstance(text, str) or not any(c in _MIRROR for c in text):
        return piece
    swapped = "".join(_MIRROR.get(c, c) for c in reversed(text))
    data = getattr(text, "__shapeData__", None)
    if data is not None:
        swapped = type(text)(swapped, shapeData=list(reversed(data)))
    return piece.clone(text=swapped)


def _kind(piece: Any) -> str:
    text = getattr(piece, "text", "")
    if not isinstance(text, str):
        return "N"  # an image or another object placed in the line
    kinds = {direction_of(c) for c in text}
    if (str(getattr(piece, "fontName", "")).startswith(RIGHT_TO_LEFT_FONTS) and text.strip()
            and not kinds <= {"N"}):
        return "R"  # glyphs without a character of their own are letters too
    for kind in ("R", "L", "EN"):
        if kind in kinds:
            return kind
    return "N"


def _resolve(kinds: list[str], base: str) -> list[str]:
    """Numbers take the direction of the letters before them (the base's at the start);
    spaces and marks between two runs of one direction take it, others the base's."""
    out = list(kinds)
    strong = base
    for i, kind in enumerate(out):
        if kind in ("R", "L"):
            strong = kind
        elif kind == "EN":
            out[i] = "R" if strong == "R" else "L"
    i = 0
    while i < len(out):
        if out[i] != "N":
            i += 1
            continue
        j = i
        while j < len(out) and out[j] == "N":
            j += 1
        before = out[i - 1] if i > 0 else base
        after = out[j] if j < len(out) else base
        out[i:j] = [before if before == after else base] * (j - i)
        i = j
    return out


def _level(direction: str, right_to_left: bool) -> int:
    if right_to_left:
        return 1 if direction == "R" else 2
    return 1 if direction == "R" else 0
