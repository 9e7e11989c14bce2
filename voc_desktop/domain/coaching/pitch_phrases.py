"""The phrase syntax of ``pitch_rules.json`` (described in
:mod:`voc_desktop.domain.coaching.pitch`), compiled to regular expressions, plus cheap
checks that say where a phrase cannot match.

:func:`~voc_desktop.domain.coaching.pitch.detect` runs on every keystroke, yet trying each of the
fifty-odd case-insensitive expressions at every character of a paragraph is slow: each one
opens with word-boundary lookbehinds, which stop the regex engine from skipping ahead to a
promising character, so every alternative of the first slot is tried at every position.
Two facts read off the phrase itself let a scan skip nearly all of that work:

* each fixed slot must appear in a match, so unless the text contains, for every fixed slot,
  the plain letters of at least one of its options (the *anchors*), the phrase cannot match
  anywhere and is not tried at all;
* a match starts at the beginning of a word with the letters that open one of the first
  slot's options (the *openings*), so a plain search of the lower-cased text lists every
  position a match could start at, and the full expression is only tried there.

Both are necessary conditions, so skipping never changes a result; the tests compare
every scan against the straightforward one that tries each expression everywhere.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"
_ANY_APOSTROPHE = "['\u2019\u2018\u02bc`\u00b4]?"
_SEP = r"[\s,;:\u2013\u2014]+"
_GAP_WORD = r"[\w'\u2019%/-]+"
_NUMBER = r"\d+(?:[.,]\d+)?"
# A contraction such as "can't" must not count as the word "can", so a word
# boundary also refuses an apostrophe that is followed by more letters.
_WORD_START = r"(?<!\w)(?<!\w['\u2019\u2018\u02bc])"
_WORD_END = r"(?!\w)(?!['\u2019\u2018\u02bc]\w)"
_TOKEN = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]|\S+")
# Only plain ASCII letters and digits are used for anchors and openings: for them the
# folding below is known to agree with re.IGNORECASE. An apostrophe (optional when
# matching), a <num> or any other character simply ends a run.
_PLAIN_RUN = re.compile(r"[A-Za-z0-9]+")
_FOLDED_RUN = re.compile(r"[a-z0-9]+")
_NUM = "<num>"

# Under re.IGNORECASE the ASCII letters also match "\u0130" and "\u0131" (as i), "\u017f"
# (as s) and the Kelvin sign (as k). str.lower() already maps the Kelvin sign to "k" but
# leaves "\u0131" and "\u017f" alone and turns "\u0130" into two characters, so those three
# are mapped first. The folded text thus keeps every offset and every character's \w-ness,
# and any character an expression accepts for an ASCII letter folds to that very letter.
_FOLD_FIRST = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold(text: str) -> str:
    """``text`` lower-cased the way the case-insensitive expressions see ASCII letters."""
    return text.lower() if text.isascii() else text.translate(_FOLD_FIRST).lower()


def compile_regex(regex: str, where: str, source: str) -> re.Pattern[str]:
    try:
        return re.compile(regex, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"{where}: pattern {source!r} cannot be used ({exc})") from exc


@dataclass(frozen=True)
class Anchors:
    """Plain strings of which the folded text of any match holds at least one."""

    # Runs that stand whole, between characters that are not ASCII letters or digits:
    # "our" in {our|my}. These are looked up in the set of the text's runs.
    words: frozenset[str] = frozenset()
    # Runs that may be part of a longer one: "don" from "don't", typed as "dont" too.
    fragments: tuple[str, ...] = ()

    def found_in(self, view: ScanText) -> bool:
        if not self.words.isdisjoint(view.runs):
            return True
        return any(fragment in view.folded for fragment in self.fragments)


@dataclass(frozen=True)
class PhraseScan:
    """One compiled phrase with the checks that rule out most of a text before trying it."""

    pattern: re.Pattern[str]
    # One entry per fixed slot that has something plain to look for.
    anchors: tuple[Anchors, ...] = ()
    # Searches folded text for every position where a match could start; None means the
    # phrase opens in a way this cannot vouch for, so it is tried at every position.
    openings: re.Pattern[str] | None = None

    def finditer(self, view: ScanText) -> Iterator[re.Match[str]]:
        """The same matches as ``self.pattern.finditer(view.text)``, found with less work."""
        if not all(anchors.found_in(view) for anchors in self.anchors):
            return
        if self.openings is None:
            yield from self.pattern.finditer(view.text)
            return
        # finditer takes the leftmost match, then searches on from its end; every position
        # it could succeed at is among the openings, so trying only those finds the same.
        resume = 0
        for start in view.openings(self.openings):
            if start >= resume and (match := self.pattern.match(view.text, start)):
                yield match
                resume = match.end()

    def occurs(self, view: ScanText, pos: int, endpos: int) -> bool:
        """Whether ``self.pattern.search(view.text, pos, endpos)`` would find a match."""
        if self.openings is None or view.splits_a_run(endpos):
            # Cut inside a word, the text ends on a shorter word that the whole text's
            # runs do not list, so the anchors cannot vouch for it.
            return self.pattern.search(view.text, pos, endpos) is not None
        if not all(anchors.found_in(view) for anchors in self.anchors):
            return False
        # The openings were found in the whole text; the ones inside the range are a
        # superset of where a match confined to it could start.
        starts = view.openings(self.openings)
        for start in starts[bisect.bisect_left(starts, pos) :]:
            if start >= endpos:
                break
            if self.pattern.match(view.text, start, endpos):
                return True
        return False


def joined(scans: Sequence[PhraseScan]) -> str:
    """The expression matching wherever any one of ``scans`` matches."""
    return "|".join(f"(?:{scan.pattern.pattern})" for scan in scans)


class ScanText:
    """A text being scanned, with its folded form and what has been looked up in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self.runs = frozenset(_FOLDED_RUN.findall(self.folded))
        # Phrases that open alike, such as {our|my} ..., share their list of openings.
        self._openings: dict[re.Pattern[str], list[int]] = {}

    def openings(self, finder: re.Pattern[str]) -> list[int]:
        starts = self._openings.get(finder)
        if starts is None:
            starts = self._openings[finder] = [m.start() for m in finder.finditer(self.folded)]
        return starts

    def splits_a_run(self, index: int) -> bool:
        pair = self.folded[index - 1 : index + 1] if 0 < index < len(self.folded) else ""
        return len(pair) == 2 and pair.isascii() and pair.isalnum()


@dataclass(frozen=True)
class PhraseCompiler:
    inflections: Mapping[str, tuple[str, ...]]
    max_gap_words: int

    def scan(self, pattern: str, where: str) -> PhraseScan:
        slots = self._slots(pattern, where)
        return PhraseScan(
            pattern=compile_regex(self._regex(slots), where, pattern),
            anchors=self._anchors(slots),
            openings=self._openings(slots[0][1]),
        )

    def any_of(
        self, phrases: Sequence[str], where: str
    ) -> tuple[re.Pattern[str], tuple[PhraseScan, ...]]:
        """One expression that matches any of ``phrases``, and a scan for each phrase."""
        scans = tuple(self.scan(phrase, where) for phrase in phrases)
        return compile_regex(joined(scans), where, " | ".join(phrases)), scans

    def choice(self, options: Sequence[str]) -> str:
        ordered = sorted(options, key=len, reverse=True)  # prefer the longest wording
        return "(?:" + "|".join(self._phrase(option) for option in ordered) + ")"

    def _regex(self, slots: list[tuple[str, list[str]]]) -> str:
        parts: list[str] = []
        for index, (kind, options) in enumerate(slots):
            if kind == "gap":
                parts.append(f"(?:{_GAP_WORD}{_SEP}){{0,{self.max_gap_words}}}")
            elif kind == "optional":
                parts.append(f"(?:{self.choice(options)}{_SEP})?")
            else:
                body = self.choice(options)
                parts.append(body if index == len(slots) - 1 else body + _SEP)
        return "".join(parts)

    def _slots(self, pattern: str, where: str) -> list[tuple[str, list[str]]]:
        tokens = _TOKEN.findall(pattern)
        if not tokens:
            raise ValueError(f"{where}: a pattern is empty")
        slots: list[tuple[str, list[str]]] = []
        for token in tokens:
            if token == "...":
                slots.append(("gap", []))
                continue
            bracketed = token[0] in "{[" and token[-1] in "}]"
            inner = token[1:-1] if bracketed else token
            if any(char in inner for char in "{}[]"):
                raise ValueError(
                    f"{where}: pattern {pattern!r} has unbalanced brackets at {token!r}"
                )
            options = [option.strip() for option in inner.split("|")]
            if not all(options):
                raise ValueError(f"{where}: pattern {pattern!r} has an empty choice in {token!r}")
            slots.append(("optional" if token[0] == "[" else "word", options))
        if slots[0][0] != "word" or slots[-1][0] != "word":
            raise ValueError(
                f"{where}: pattern {pattern!r} must begin and end with a fixed word, "
                "not '...' or an optional [slot]"
            )
        return slots

    def _phrase(self, phrase: str) -> str:
        return _SEP.join(self._word(word) for word in phrase.split())

    def _forms(self, word: str) -> set[str]:
        return {word, *self.inflections.get(word.lower(), ())}

    def _word(self, word: str) -> str:
        forms = sorted(self._forms(word), key=len, reverse=True)
        body = "|".join(_literal(form) for form in forms)
        start = _WORD_START if _starts_a_word(word) else ""
        end = _WORD_END if _ends_a_word(word) else ""
        return f"{start}(?:{body}){end}"

    def _anchors(self, slots: list[tuple[str, list[str]]]) -> tuple[Anchors, ...]:
        found = {self._slot_anchors(options) for kind, options in slots if kind == "word"}
        found.discard(None)
        # Cheap set lookups first, then the longest strings: the likeliest to be missing.
        return tuple(
            sorted(
                found,
                key=lambda a: (len(a.fragments), -min(map(len, [*a.words, *a.fragments]))),
            )
        )

    def _slot_anchors(self, options: list[str]) -> Anchors | None:
        """What a match of one fixed slot must contain, or None if nothing is certain."""
        found: set[tuple[str, bool]] = set()
        for option in options:
            # All words of an option must match, so the most telling one stands for it.
            per_word = [self._word_anchors(word) for word in option.split()]
            usable = [anchors for anchors in per_word if anchors]
            if not usable:
                return None
            found |= max(usable, key=_telling)
        fragments = {run for run, whole in found if not whole}

        def redundant(run: str, whole: bool) -> bool:
            # Wherever a run holding one of the fragments is, that fragment is too.
            return any(f in run and (f, False) != (run, whole) for f in fragments)

        kept = {(run, whole) for run, whole in found if not redundant(run, whole)}
        return Anchors(
            words=frozenset(run for run, whole in kept if whole),
            fragments=tuple(sorted(run for run, whole in kept if not whole)),
        )

    def _word_anchors(self, word: str) -> set[tuple[str, bool]] | None:
        """One (run, stands whole) per form of ``word``, or None if a form has no run."""
        found: set[tuple[str, bool]] = set()
        for form in self._forms(word):
            runs = _form_runs(form, _starts_a_word(word), _ends_a_word(word))
            if not runs:
                return None  # e.g. "<num>%": nothing fixed to look for
            found.add(max(runs, key=lambda run: (run[1], len(run[0]))))
        return found

    def _openings(self, options: list[str]) -> re.Pattern[str] | None:
        """A search for the folded letters every match of a first slot begins with."""
        leads: set[str] = set()
        for option in options:
            for form in self._forms(option.split()[0]):
                lead = _PLAIN_RUN.match(form)
                if lead is None:
                    return None  # e.g. "<num>%" or "'til": no fixed letters to look for
                leads.add(lead.group().lower())
        # Each first word is one of its own forms, so it opens with a letter or digit and
        # has the _WORD_START guard: no word character comes before a real start. Folding
        # keeps \w-ness, so each lead checks that once it has been read: "(?<!\w.{3})"
        # behind "our" looks at the character before it. Put first, that check (or "\b")
        # would stop the regex engine from jumping straight to the leads' first letters.
        # Case-sensitive on purpose: the text searched is already folded.
        return re.compile("|".join(f"{lead}(?<!\\w.{{{len(lead)}}})" for lead in sorted(leads)))


def _form_runs(form: str, guarded_start: bool, guarded_end: bool) -> list[tuple[str, bool]]:
    """The plain runs of one form, each with whether it stands whole in matching text.

    A run stands whole when each side is the guarded start or end of the word, or a
    character that only matches itself and is no ASCII letter or digit (a hyphen, a "?").
    An apostrophe may be left out and a number has digits, so next to either the run may
    merge with its neighbour; so it may next to other letters, which case-insensitive
    matching can pair with plain ones (the Kelvin sign with "k").
    """
    pieces = form.split(_NUM)
    runs: list[tuple[str, bool]] = []
    for index, piece in enumerate(pieces):
        for run in _PLAIN_RUN.finditer(piece):
            start, end = run.span()
            left = _hard_edge(piece[start - 1]) if start else index == 0 and guarded_start
            right = (
                _hard_edge(piece[end])
                if end < len(piece)
                else index == len(pieces) - 1 and guarded_end
            )
            runs.append((run.group().lower(), left and right))
    return runs


def _hard_edge(char: str) -> bool:
    return char.isascii() and not char.isalnum() and char not in _APOSTROPHES


def _telling(anchors: set[tuple[str, bool]]) -> tuple[bool, int]:
    """Whole words beat fragments (a set lookup, and rarer); then longer beats shorter."""
    return all(whole for _, whole in anchors), min(len(run) for run, _ in anchors)


# Whether a word gets the _WORD_START / _WORD_END guards; a number has \w at its edges.
def _starts_a_word(word: str) -> bool:
    return re.match(r"\w", word.replace(_NUM, "0")) is not None


def _ends_a_word(word: str) -> bool:
    return re.search(r"\w$", word.replace(_NUM, "0")) is not None


def _literal(form: str) -> str:
    pieces = (
        "".join(_ANY_APOSTROPHE if char in _APOSTROPHES else re.escape(char) for char in piece)
        for piece in form.split(_NUM)
    )
    return _NUMBER.join(pieces)
