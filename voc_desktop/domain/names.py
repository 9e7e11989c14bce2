"""Text as it leaves the app: printable, and with people named only when they agreed.

Every way out (reports, briefs, exports, archive screens, file names, themes) passes text
through `NameGuard`, so one rule decides who is named.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from voc_desktop.domain.accounts import Contact, roles_label

# Characters that XML 1.0 cannot hold (DOCX is XML; reportlab parses its markup as XML),
# apart from tab and line feed, which are kept as a tab and a line break.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_MIN_NAME_PART = 3


def clean(text: str | None) -> str:
    """Line breaks made uniform; characters no document can hold shown as U+ code points,
    so nothing a person typed disappears without a trace."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text).strip()


@dataclass(frozen=True)
class NameGuard:
    """Replaces the names of people who did not agree to be named with their role.

    A name can slip into any free text ("Maria showed us the line"), a file name or a tag,
    and in any form: capitals without accents, decomposed accents, a curly apostrophe, a
    soft hyphen, joined to Chinese text or to an underscore, or declined ("Παπαδόπουλου").
    Names are found in folded text (see `fold`) and the replacement covers the name exactly
    as it was written. The full name and each part of it are replaced, unless that part also
    belongs to someone who may be named.
    """

    pattern: re.Pattern[str] | None
    roles: tuple[str, ...] = ()
    keep: frozenset[str] = frozenset()

    @classmethod
    def for_people(cls, people: Iterable[Contact], named_freely: Iterable[str] = ()) -> NameGuard:
        people = list(people)
        keep: set[str] = set()
        for name in [*named_freely, *(c.name for c in people if _may_name(c))]:
            folded = [fold(part)[0] for part in _parts(name)]
            keep |= {_words(p) for p in folded if p}
            keep.add(_words(fold(name)[0]))
        alternatives: dict[str, tuple[int, str]] = {}  # folded word -> (order, role)
        for contact in people:
            if _may_name(contact) or not fold(contact.name)[0].strip():
                continue
            role = f"[{roles_label(contact.roles) if contact.roles else 'a participant'}]"
            full = " ".join(contact.name.split())
            for word in [full, *_parts(full)]:
                folded = _words(fold(word)[0])
                if not folded:
                    continue
                if word == full or (_long_enough(folded) and folded not in keep):
                    alternatives.setdefault(folded, (0 if word == full else 1, role))
        if not alternatives:
            return cls(None)
        # full names first and longest first, so "Maria Kovač" is replaced whole before
        # "Maria" could match
        order = sorted(alternatives, key=lambda w: (alternatives[w][0], -len(w)))
        pattern = re.compile("|".join(f"(?P<a{i}>{_name_pattern(w, i)})"
                                      for i, w in enumerate(order)))
        return cls(pattern, tuple(alternatives[w][1] for w in order), frozenset(keep))

    def __call__(self, text: str | None) -> str:
        text = clean(text)
        if self.pattern is None or not text:
            return text
        out: list[str] = []
        done = 0
        for start, end, role in self._spans(text):
            out += [text[done:start], role]
            done = end
        return "".join([*out, text[done:]])

    def hides(self, text: str | None) -> bool:
        """Whether the text holds, in any form, the name of someone shown by role only."""
        return bool(text) and self.pattern is not None and next(
            iter(self._spans(clean(text))), None) is not None

    def _spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, role) of each hidden name in `text`, in the text as written."""
        assert self.pattern is not None
        folded, starts, ends = fold(text)
        for m in self.pattern.finditer(folded):
            group = m.lastgroup or ""
            index = int(group[1:])
            first = m.end(f"p{index}") if f"p{index}" in self.pattern.groupindex and \
                m.start(f"p{index}") >= 0 else m.start()
            if first >= m.end() or _words(folded[first:m.end()]) in self.keep:
                continue
            yield starts[first], ends[m.end() - 1], self.roles[index]


def fold(text: str) -> tuple[str, list[int], list[int]]:
    """The text as names are compared: compatibility forms unified (NFKC), case folded,
    accents dropped, curly apostrophes plain, soft hyphens and zero-width characters gone.
    With it, for each character of the folded text, where its source starts and ends in
    `text`, so a match maps back onto the text as written."""
    if text.isascii():
        lower = text.lower()
        return lower, list(range(len(text))), list(range(1, len(text) + 1))
    folded: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and _joins_previous(text[j]):
            j += 1
        piece = _fold_cluster(text[i:j])
        folded.append(piece)
        starts += [i] * len(piece)
        ends += [j] * len(piece)
        i = j
    return "".join(folded), starts, ends


# Characters that are not there as far as a name is concerned: soft hyphen, zero-width
# space and joiners, word joiner, byte-order mark, Mongolian vowel separator, Arabic tatweel
_IGNORED = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u0640")
_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201b": "'", "\u02bc": "'",
                        "\u2032": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"',
                        "\u201e": '"', "\u201f": '"', "\u2033": '"',
                        # Arabic spellings that readers take for the same letter
                        "\u0649": "\u064a", "\u0629": "\u0647"})
# the kana voicing marks make a different sound, not an accent: they stay
_KEPT_MARKS = frozenset("\u3099\u309a")


def _joins_previous(ch: str) -> bool:
    # combining marks, and the vowel and final jamo of a decomposed Hangul syllable
    return unicodedata.category(ch)[0] == "M" or "\u1160" <= ch <= "\u11ff"


@functools.lru_cache(maxsize=4096)
def _fold_cluster(piece: str) -> str:
    piece = "".join(ch for ch in piece if ch not in _IGNORED).translate(_PLAIN)
    piece = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", piece).casefold())
    piece = "".join(ch for ch in piece
                    if unicodedata.category(ch) not in ("Mn", "Me") or ch in _KEPT_MARKS)
    return unicodedata.normalize("NFC", piece)


# Scripts written without spaces between words: a name there matches wherever it stands,
# and a name in another script joined to them ("Σωκράτης氏") still stands alone.
_SPACELESS = ("\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf"
              "\u3005-\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3130-\u318f"
              "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
              "\U00020000-\U0002fa1f")
_IS_SPACELESS = re.compile(f"[{_SPACELESS}]")
_BEFORE = rf"(?:(?<=[{_SPACELESS}])|(?<![^\W_]))"
_AFTER = rf"(?:(?=[{_SPACELESS}])|(?![^\W_]))"
_ENDING = rf"(?:(?![{_SPACELESS}])[^\W\d_])"
_MORE_ENDING = 3  # letters a case ending adds beyond what the stem cut: -ου, -ovi, -ella
_MIN_STEM = 4  # shorter stems would hit ordinary words
# letters written joined to the front of a word: Arabic "and", "so", "with", "like", "for"
# and the article; Hebrew "and", "the", "in", "to", "from", "that", "as"
_ARABIC_PREFIX = ("(?:[\u0648\u0641]?"
                  "(?:[\u0628\u0643\u0644]?\u0627\u0644|\u0644\u0644|[\u0628\u0643\u0644])?)")
_HEBREW_PREFIX = "[\u05d5\u05d4\u05d1\u05dc\u05de\u05e9\u05db]{0,2}"


def _name_pattern(folded: str, index: int) -> str:
    """A regular expression for a folded name (one or more words) over folded text."""
    words = folded.split(" ")
    parts = [_word_pattern(w) for w in words]
    pattern = parts[0]
    for prev, word, part in zip(words, words[1:], parts[1:], strict=False):
        joined = _IS_SPACELESS.search(prev[-1]) and _IS_SPACELESS.search(word[0])
        pattern += (r"[\W_]{0,4}" if joined else r"[\W_]{1,4}") + part
    if _IS_SPACELESS.search(folded):
        return pattern  # matched wherever it stands, even inside other words
    first = words[0][0]
    prefix = ""
    if "\u0600" <= first <= "\u06ff":
        prefix = f"(?P<p{index}>{_ARABIC_PREFIX})"
    elif "\u05d0" <= first <= "\u05ea":
        prefix = f"(?P<p{index}>{_HEBREW_PREFIX})"
    return f"{_BEFORE}{prefix}{pattern}{_AFTER}"


def _word_pattern(word: str) -> str:
    """One word of a name, with the case endings it may carry when it is long enough."""
    letters = len(word)
    if _IS_SPACELESS.search(word) or letters <= _MIN_STEM or not word[-1].isalpha():
        return re.escape(word)
    cut = min(2, letters - _MIN_STEM)
    return f"{re.escape(word[:-cut])}{_ENDING}{{0,{cut + _MORE_ENDING}}}"


def _long_enough(folded: str) -> bool:
    """A part of a name replaced on its own: three letters, or two in a script without
    spaces (a Chinese or Japanese given name)."""
    return len(folded) >= (2 if _IS_SPACELESS.search(folded) else _MIN_NAME_PART)


def _words(folded: str) -> str:
    """Folded text with whatever stands between words reduced to one space."""
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def _may_name(contact: Contact) -> bool:
    return contact.consent.given and contact.consent.quote_by_name


def _parts(name: str) -> list[str]:
    """The words of a name, and the pieces of double-barrelled ones."""
    words = [p for p in re.split(r"[\s,_@]+", name) if p]
    return words + [p for w in words if "-" in w for p in w.split("-") if p]
