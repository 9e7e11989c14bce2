"""Words and clauses of a note, as the interviewer-act check reads them.

A note is cut into word tokens (lower-cased, any apostrophe read as a straight one) and
sentences. :class:`WordList` finds listed words and short phrases among the tokens, and
:func:`speaker` says who the subject of a verb is: the interviewer (``I``, ``we``, or no
subject at all, as in "Walked the buyer through…"), or someone else ("The buyer said…").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

# Words with their apostrophes and hyphens ("didn't", "add-on", "XR-200"), or one mark.
_TOKEN = re.compile(r"\w+(?:['\u2019\u02bc-]\w+)*|[^\w\s]")
_SENTENCE_END = re.compile(
    r"[.!?\u2026]+(?=\s|[\"'\u2019\u201d\u00bb)]|$)|\n[ \t]*\n|\n(?=[ \t]*[-*\u2022])"
)
# Marks that end a clause for the purpose of finding its subject.
HARD_STOPS = frozenset(";:\u2014\u2013()[]")
SOFT_STOPS = frozenset(',"\u201c\u201d\u201e\u00ab\u00bb')
CONJUNCTIONS = frozenset(
    "and but then so because while when after before as that who which where until once "
    "if whether or nor though although since".split()
)
# Names of things we sell: CamelCase (TrackPro), versions (v3) and models (X200), but
# not quarters (Q3).
_CAMEL = re.compile(
    r"[A-Z][a-z]+[A-Z][A-Za-z]*|[vV]\d+(?:\.\d+)?|(?!Q\d\b)[A-Z]{1,3}-?\d{1,4}[A-Za-z]?")


class Token(NamedTuple):
    """One word or mark of a note: where it is, and its lower-case form with straight
    apostrophes. A tuple, because a note has hundreds and they are made on every keystroke."""

    start: int
    end: int
    word: str
    raw: str

    @property
    def is_mark(self) -> bool:
        return not self.raw[0].isalnum()

    @property
    def looks_like_a_product(self) -> bool:
        """CamelCase names (TrackPro), versions (v3) and models (X200) are things we sell."""
        return _CAMEL.fullmatch(self.raw) is not None


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``text``, or of its part from ``start`` to ``end``."""
    part = text[start:end]
    lowered = fold_words(part)
    # Tokens cover every character but white space, so each is the next find of its text;
    # that is quicker than asking each match for its span.
    found, at, find, make = [], 0, part.find, tuple.__new__
    for raw in _TOKEN.findall(part):
        begin = find(raw, at)
        at = begin + len(raw)
        found.append(make(Token, (begin + start, at + start, lowered[begin:at], raw)))
    return found


def fold_words(text: str) -> str:
    """``text`` in lower case with straight apostrophes, when that keeps every offset."""
    lowered = text.lower().replace("\u2019", "'").replace("\u02bc", "'")
    return lowered if len(lowered) == len(text) else "".join(
        c.lower() if len(c.lower()) == 1 else c for c in text).replace("\u2019", "'")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for mark in _SENTENCE_END.finditer(text):
        spans.append((start, mark.end()))
        start = mark.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def token_range(toks: Sequence[Token], start: int, end: int,
                starts: Sequence[int] | None = None) -> tuple[int, int]:
    """Indices of the first token at or after ``start`` and past the last before ``end``;
    ``starts`` (each token's start) saves working them out again."""
    at = starts if starts is not None else [t.start for t in toks]
    return bisect.bisect_left(at, start), bisect.bisect_left(at, end)


class WordList:
    """Single words and short phrases, found whole among tokens."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(w.word for w in tokens(phrase))
            if words:
                self._by_first.setdefault(words[0], []).append(words)
        for options in self._by_first.values():
            options.sort(key=len, reverse=True)

    def match(self, toks: Sequence[Token], index: int, stop: int | None = None) -> int:
        """How many tokens from ``index`` on make one of the phrases (0 for none)."""
        end = len(toks) if stop is None else stop
        if index >= end:
            return 0
        for words in self._by_first.get(toks[index].word, ()):
            size = len(words)
            if size == 1:
                return 1  # the longest come first, so a single word is the last option
            if index + size <= end and all(
                    toks[index + k].word == words[k] for k in range(1, size)):
                return size
        return 0

    def match_words(self, words: Sequence[str], index: int, stop: int) -> int:
        """:meth:`match` for plain lower-case words rather than tokens."""
        if index >= stop:
            return 0
        for option in self._by_first.get(words[index], ()):
            size = len(option)
            if size == 1:
                return 1
            if index + size <= stop and tuple(words[index:index + size]) == option:
                return size
        return 0

    def find(self, toks: Sequence[Token], lo: int, hi: int) -> tuple[int, int] | None:
        """The first phrase between token ``lo`` and ``hi``: (index, length)."""
        for index in range(lo, hi):
            if toks[index].word in self._by_first and (size := self.match(toks, index, hi)):
                return index, size
        return None

    def covers(self, words: Sequence[str]) -> bool:
        """Whether ``words`` are exactly one of the phrases."""
        return bool(words) and tuple(words) in self._by_first.get(words[0], ())

    def opens_with(self, word: str) -> bool:
        """Whether some phrase starts with ``word`` (a quick test before :meth:`match`)."""
        return word in self._by_first


class Speaker(Enum):
    INTERVIEWER = "interviewer"  # I, we, our rep
    NOBODY = "nobody"  # no subject: in a note, the writer's own act
    SOMEONE_ELSE = "someone else"  # they, the buyer, Acme, Maria


@dataclass(frozen=True)
class SubjectWords:
    interviewer: WordList
    helpers: WordList  # modal and adverb words between a subject and its verb
    lead_ins: WordList  # "at the end", "afterwards": no subject


def clause_start(toks: Sequence[Token], lo: int, index: int) -> tuple[int, bool]:
    """Where the clause holding token ``index`` starts, and whether a hard stop (or the
    sentence start) opens it."""
    for back in range(index - 1, lo - 1, -1):
        tok = toks[back]
        if tok.raw in HARD_STOPS:
            return back + 1, True
        if tok.raw in SOFT_STOPS or tok.word in CONJUNCTIONS:
            return back + 1, False
    return lo, True


def subject_of(toks: Sequence[Token], lo: int, index: int, words: SubjectWords) -> Speaker:
    """Who does the verb at token ``index``, judged from its own clause only."""
    begin, _hard = clause_start(toks, lo, index)
    return _classify([t.word for t in toks[begin:index] if not t.is_mark], words)


def speaker(toks: Sequence[Token], lo: int, index: int, words: SubjectWords) -> Speaker:
    """Who does the verb at token ``index`` in the sentence starting at token ``lo``. A
    clause without a subject after "and" or a comma shares the sentence's first subject."""
    begin, hard = clause_start(toks, lo, index)
    prefix = [t.word for t in toks[begin:index] if not t.is_mark]
    if prefix and (toks[index].word.endswith("ing") or prefix[-1] == "to") and (
            looks_like_a_verb(prefix[0]) or prefix[0] in _LEAD_IN_AUXILIARIES):
        # A verb, then this one: "Got carried away telling them…", "Kept asking…",
        # "Used the whiteboard to sketch…" are the writer's own doing.
        prefix = []
    found = _classify(prefix, words)
    if found is not Speaker.NOBODY or hard or begin == lo:
        return found
    return sentence_subject(toks, lo, begin, words)


def sentence_subject(toks: Sequence[Token], lo: int, hi: int, words: SubjectWords) -> Speaker:
    """Who the sentence from token ``lo`` is about first: its opening subject, if any."""
    first = toks[lo].word if lo < hi else ""
    if first not in _SUBJECT_OPENERS and not words.interviewer.opens_with(first):
        # A name ("Maria asked…") is a subject when a verb follows; a verb ("Brought the
        # brochure…") opens a note without one.
        second = toks[lo + 1].word if lo + 1 < hi else ""
        return Speaker.SOMEONE_ELSE if looks_like_a_verb(second) else Speaker.NOBODY
    head: list[str] = []
    for tok in toks[lo:hi]:
        if tok.is_mark or tok.word in CONJUNCTIONS:
            break
        if looks_like_a_verb(tok.word) or words.helpers.opens_with(tok.word):
            break
        head.append(tok.word)
    return _classify(head, words)


_SUBJECT_OPENERS = frozenset(
    "they he she it the a an their his her this that these those your one two some all both "
    "each every everyone everybody nobody someone people".split()
)


def looks_like_a_verb(word: str) -> bool:
    """A past form, or one of the commonest verbs of notes (said, uses, wants …)."""
    return (word.endswith("ed") and len(word) > 4) or word in _COMMON_VERBS


# "Couldn't resist showing…", "Can't stop telling…": the writer's own doing too.
_LEAD_IN_AUXILIARIES = frozenset("couldn't can't cannot could".split())

_COMMON_VERBS = frozenset(
    "said says told tells asked asks wants want wanted thinks think thought feels feel felt "
    "likes like liked loves love hates hate uses use used needs need prefers prefer showed shows "
    "walked walks took takes gave gives ran runs made makes got gets has have had is are "
    "was were keeps keep kept sent sends spent buys buy bought sold sells pays pay paid "
    "demoed pitched promised offered explained mentioned complained described did does do "
    "went goes came comes saw sees knew knows wrote writes expects expect hopes hope".split()
)


def _classify(words: list[str], lists: SubjectWords) -> Speaker:
    if not words:
        return Speaker.NOBODY
    begin = 0
    while begin < len(words) and (size := lists.lead_ins.match_words(words, begin, len(words))):
        begin += size
    end = len(words)
    changed = True
    while changed and end > begin:
        changed = False
        for cut in range(begin, end):
            if lists.helpers.match_words(words, cut, end) == end - cut:
                end, changed = cut, True
                break
    core = words[begin:end]
    if not core:
        return Speaker.NOBODY
    if lists.interviewer.covers(core) or core[-1] in {"i", "we"}:
        return Speaker.INTERVIEWER  # "we", "our rep", "before leaving I", "Tom and I"
    return Speaker.SOMEONE_ELSE
