"""Notice when the interviewer's notes or questions drift into pitching.

During a visit the interviewer listens: no product talk, no demo, no roadmap,
no price offers, and no questions that steer the customer towards a yes.
:func:`detect` scans text as it is typed and returns calm flags that say why a
phrase caught the eye. Flags are hints; nothing is ever blocked.

The phrases live in ``resources/pitch_rules.json`` so they can be tuned without
touching code. Patterns there use a small phrase syntax:

* words separated by spaces match across any run of spaces, line breaks,
  commas, semicolons, colons or dashes;
* ``a|b|c`` is a choice of single words for one slot;
* ``{let me|allow me}`` is a choice whose options may span several words;
* ``[quick|short]`` is an optional slot (never first or last);
* ``...`` skips up to ``max_gap_words`` words inside the same sentence;
* ``<num>`` stands for a number, as in ``<num>%``;
* an apostrophe matches a straight, curly or missing one ("don't", "don’t",
  "dont"), because people type fast and editors swap quote styles;
* a word listed under ``inflections`` also matches the forms listed for it, so
  ``demo`` covers "demos" and "demoing".

Matching ignores case. A rule may list phrases that cancel a match when they
come directly before it (``not_after``: "why wouldn't you agree…" is a genuine
why question) or directly after it (``not_before``: "our tool can not…" is a
complaint, not a claim). Rules marked ``skip_when_reported`` stay quiet inside
quotation marks and in sentences that report what someone else said, because
"They said our new version crashes" is listening, not presenting; "Told them our
new version fixes that" reports the interviewer's own words and is flagged.

Notes also record what the interviewer did, in the past tense and often without a
subject ("Walked the buyer through the pricing page."); :mod:`note_acts` finds those
acts and :func:`detect` reports them with the phrase flags.

:mod:`voc_desktop.domain.coaching.pitch_phrases` compiles the syntax. :func:`detect` runs on
every keystroke, so it also derives from each phrase the words a match must contain
and where one can start, and tries the full expression only there.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import json
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from voc_desktop import assets
from voc_desktop.domain.coaching.note_acts import (
    ActRules,
    find_acts,
    load_acts,
    names_our_visit_thing,
    reported_before,
)
from voc_desktop.domain.coaching.note_words import Speaker, speaker, token_range, tokens
from voc_desktop.domain.coaching.pitch_phrases import (
    PhraseCompiler,
    PhraseScan,
    ScanText,
    compile_regex,
    joined,
)

RULES_FILE = "pitch_rules.json"

_SENTENCE_END = re.compile(
    r"[.!?\u2026]+(?=\s|[\"'\u2019\u201d\u00bb)]|$)|\n[ \t]*\n|\n(?=[ \t]*[-*\u2022])"
)
_QUOTE_CLOSERS = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb"}
# Only these characters can open or close a quotation, so only they need a look.
_QUOTE_MARKS = re.compile("[" + "".join(sorted({*_QUOTE_CLOSERS, *_QUOTE_CLOSERS.values()})) + "]")
_LOOK_AROUND = 48  # characters inspected for not_after / not_before phrases
_TOP_KEYS = {"version", "about", "max_gap_words", "inflections", "reported_speech_cues", "rules"}
_RULE_KEYS = {"id", "kind", "reason", "patterns", "not_after", "not_before", "skip_when_reported"}


class FlagKind(StrEnum):
    PITCH = "pitch"  # presenting, demoing, comparing us favourably
    PROMISE = "promise"  # discounts, dates, features, commitments
    LEADING = "leading"  # suggesting the answer, getting agreement, presupposing a problem

    @property
    def label(self) -> str:
        """How the coach names the kind to the interviewer."""
        return _KIND_LABELS[self]


_KIND_LABELS = {FlagKind.PITCH: "Sounds like a pitch", FlagKind.PROMISE: "Sounds like a promise",
                FlagKind.LEADING: "Leading question"}


@dataclass(frozen=True)
class PitchFlag:
    kind: FlagKind
    phrase: str  # the matched text exactly as it appears in the input
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class PitchRule:
    """A family of phrases that share one kind and one reason."""

    rule_id: str
    kind: FlagKind
    reason: str
    patterns: tuple[re.Pattern[str], ...]
    not_after: re.Pattern[str] | None = None
    not_before: re.Pattern[str] | None = None
    skip_when_reported: bool = False
    # The same patterns with the checks that let detect() skip most of a text (see
    # pitch_phrases). Left empty, every pattern is tried at every position.
    scans: tuple[PhraseScan, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.scans and tuple(scan.pattern for scan in self.scans) != self.patterns:
            raise ValueError(f"rule {self.rule_id!r}: scans must cover exactly its patterns")

    def matches(self, view: ScanText) -> Iterator[re.Match[str]]:
        """Each pattern's matches in turn, as ``pattern.finditer`` would give them."""
        if not self.scans:
            for pattern in self.patterns:
                yield from pattern.finditer(view.text)
            return
        for scan in self.scans:
            yield from scan.finditer(view)

    def is_cancelled(self, text: str, start: int, end: int) -> bool:
        if self.not_after and self.not_after.search(text, max(0, start - _LOOK_AROUND), start):
            return True
        return bool(self.not_before and self.not_before.match(text, end, end + _LOOK_AROUND))


@dataclass(frozen=True)
class PitchRules:
    """Compiled rules, built once from the JSON data."""

    version: int
    rules: tuple[PitchRule, ...]
    reported_speech: re.Pattern[str] | None = None
    # One scan per cue phrase joined in reported_speech; left empty, the joined
    # expression is searched instead.
    reported_speech_scans: tuple[PhraseScan, ...] = field(default=(), compare=False, repr=False)
    # The interviewer-act check (note_acts); the shipped rules carry it, rules built from
    # a dict alone do not.
    acts: ActRules | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        scans, joint = self.reported_speech_scans, self.reported_speech
        if scans and (joint is None or joint.pattern != joined(scans)):
            raise ValueError("reported_speech_scans must cover exactly the reported_speech cues")

    @classmethod
    def from_dict(cls, data: dict) -> PitchRules:
        if not isinstance(data, Mapping):
            raise ValueError(f"pitch rules must be a JSON object, not {type(data).__name__}")
        unknown = sorted(set(data) - _TOP_KEYS)
        if unknown:
            raise ValueError(f"pitch rules: unknown key(s) {unknown}; expected {sorted(_TOP_KEYS)}")
        version = _whole_number(data.get("version"), "'version'", low=1)
        gap = _whole_number(data.get("max_gap_words", 4), "'max_gap_words'", low=1, high=12)
        compiler = PhraseCompiler(_read_inflections(data.get("inflections", {})), gap)
        cues = _strings(
            data.get("reported_speech_cues", []), "'reported_speech_cues'", empty_ok=True
        )
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            raise ValueError("pitch rules: 'rules' must be a non-empty list")
        seen: set[str] = set()
        rules = tuple(_read_rule(raw, index, compiler, seen) for index, raw in enumerate(raw_rules))
        if not cues:
            return cls(version=version, rules=rules)
        reported, cue_scans = compiler.any_of(cues, "'reported_speech_cues'")
        return cls(version, rules, reported_speech=reported, reported_speech_scans=cue_scans)


_reading = threading.Lock()


def load_rules() -> PitchRules:
    """The rules shipped with the app, read once per process. Compiling them takes most of a
    second, so the app warms them on a worker after start-up; a note highlighted meanwhile
    waits for that one read instead of starting another."""
    with _reading:
        return _read_shipped_rules()


_warming: list[threading.Thread] = []


def warm_rules() -> None:
    """Start reading the shipped rules on a worker, once per process, so that the first note
    checked waits only for what is left of it."""
    with _reading:
        if _warming:
            return
        _warming.append(threading.Thread(target=load_rules, name="coach-rules", daemon=True))
    _warming[0].start()


@functools.cache
def _read_shipped_rules() -> PitchRules:
    resource = assets.path(RULES_FILE)
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{RULES_FILE} is not valid JSON: {exc}") from exc
    return dataclasses.replace(PitchRules.from_dict(data), acts=load_acts())


def detect(text: str, rules: PitchRules | None = None) -> list[PitchFlag]:
    """Flags for pitch-like or leading phrases in ``text``, ordered by position."""
    if not text or text.isspace():
        return []
    active = rules if rules is not None else load_rules()
    view = ScanText(text)
    context = _TextContext(view, active)
    found: list[tuple[int, int, int, PitchRule]] = []
    for order, rule in enumerate(active.rules):
        for match in rule.matches(view):
            start, end = match.span()
            if start == end or rule.is_cancelled(text, start, end):
                continue
            if rule.skip_when_reported and context.is_reported(start, end):
                continue
            if active.acts is not None and names_our_visit_thing(text, start, end, active.acts):
                continue  # "Introduced our product manager": one of us, not a thing we sell
            found.append((start, -end, order, rule))
    # Earliest first, then the longest phrase, then the rule listed first in the
    # data; anything overlapping an accepted flag would only repeat the message.
    found.sort(key=lambda item: item[:3])
    flags: list[PitchFlag] = []
    for start, negative_end, _order, rule in found:
        if flags and start < flags[-1].end:
            continue
        end = -negative_end
        flags.append(PitchFlag(rule.kind, text[start:end], start, end, rule.reason))
    if active.acts is not None:
        # An act spans the clause it records; a phrase found inside it is more precise.
        for act in find_acts(text, context.inside_quotes, active.acts):
            if not any(f.start < act.end and act.start < f.end for f in flags):
                flags.append(PitchFlag(FlagKind(act.kind), text[act.start:act.end],
                                       act.start, act.end, act.reason))
        flags.sort(key=lambda f: f.start)
    return flags


class _TextContext:
    """Sentence and quotation layout of one text, worked out only when needed."""

    def __init__(self, view: ScanText, rules: PitchRules) -> None:
        self._view = view
        self._text = view.text
        self._cues = rules.reported_speech
        self._cue_scans = rules.reported_speech_scans
        self._acts = rules.acts
        self._subjects = rules.acts.subjects if rules.acts is not None else None
        self._boundaries: tuple[list[int], list[int]] | None = None
        self._quotes: list[tuple[int, int]] | None = None
        self._sentences_with_cue: dict[tuple[int, int], bool] = {}

    def is_reported(self, start: int, end: int) -> bool:
        return self.inside_quotes(start) or self._sentence_has_cue(start, end)

    def inside_quotes(self, position: int) -> bool:
        if self._quotes is None:
            self._quotes = _quoted_spans(self._text)
        return any(opened < position < closed for opened, closed in self._quotes)

    def _sentence_has_cue(self, start: int, end: int) -> bool:
        if self._cues is None:
            return False
        if self._boundaries is None:
            spans = [m.span() for m in _SENTENCE_END.finditer(self._text)]
            self._boundaries = ([s for s, _ in spans], [e for _, e in spans])
        starts, ends = self._boundaries
        before = bisect.bisect_right(ends, start)
        sentence_start = ends[before - 1] if before else 0
        after = bisect.bisect_left(starts, end)
        sentence_end = starts[after] if after < len(starts) else len(self._text)
        key = (sentence_start, sentence_end)
        if key not in self._sentences_with_cue:
            has_cue = (
                any(scan.occurs(self._view, *key) for scan in self._cue_scans)
                if self._cue_scans
                else self._cues.search(self._text, *key) is not None
            )
            self._sentences_with_cue[key] = has_cue and (
                self._subjects is None or self._someone_else_speaks(*key))
        if not self._sentences_with_cue[key] and self._acts is not None:
            # A verb of saying or thinking whose subject is someone else, even one the cue
            # phrases do not list: "The CFO thinks our prices are fair".
            return reported_before(self._text, *key, start, self._acts)
        return self._sentences_with_cue[key]

    def _someone_else_speaks(self, start: int, end: int) -> bool:
        """Whether a cue in the sentence reports another person's words. "Told them our…"
        and "I explained that our…" are the interviewer's own; "They said", "told us" and
        "complained" are not."""
        assert self._cues is not None and self._subjects is not None
        toks = tokens(self._text[start:end])
        for cue in self._cues.finditer(self._text, start, end):
            words = cue.group().lower().split()
            if words[0] in _OWN_CUE_STARTS and not {"us", "me"} & set(words):
                lo, _hi = token_range(toks, cue.start() - start, cue.end() - start)
                if speaker(toks, 0, lo, self._subjects) is not Speaker.SOMEONE_ELSE:
                    continue
            return True
        return False


# Cue verbs that the interviewer may be the subject of; any other cue (complained,
# according to, "they think") always reports someone else.
_OWN_CUE_STARTS = frozenset(
    "said says saying told tells tell mentioned mentions noted explained described claimed "
    "claims argued insisted pointed asked asks asking showed shows show shared sent "
    "presented gave offered offers promised promises quoted pitched demoed".split()
)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    opened_at, closer = -1, ""
    for mark in _QUOTE_MARKS.finditer(text):
        index, char = mark.start(), mark.group()
        if opened_at < 0:
            # 3" is a size in inches, not the start of a quotation.
            if char in _QUOTE_CLOSERS and not (char == '"' and index and text[index - 1].isdigit()):
                opened_at, closer = index, _QUOTE_CLOSERS[char]
        elif char == closer:
            spans.append((opened_at, index + 1))
            opened_at = -1
    if opened_at >= 0:
        # The interviewer is still typing the quotation.
        spans.append((opened_at, len(text)))
    return spans


def _read_rule(raw: Any, index: int, compiler: PhraseCompiler, seen: set[str]) -> PitchRule:
    where = f"pitch rules: rule #{index + 1}"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be an object")
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; expected {sorted(_RULE_KEYS)}")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise ValueError(f"{where}: 'id' must be a non-empty text")
    if rule_id in seen:
        raise ValueError(f"{where}: id {rule_id!r} is used twice")
    seen.add(rule_id)
    where = f"pitch rules: rule {rule_id!r}"
    try:
        kind = FlagKind(raw.get("kind"))
    except ValueError:
        allowed = [kind.value for kind in FlagKind]
        raise ValueError(
            f"{where}: 'kind' must be one of {allowed}, not {raw.get('kind')!r}"
        ) from None
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"{where}: 'reason' must be a sentence the interviewer can read")
    skip = raw.get("skip_when_reported", False)
    if not isinstance(skip, bool):
        raise ValueError(f"{where}: 'skip_when_reported' must be true or false")
    patterns = _strings(raw.get("patterns"), f"{where} 'patterns'")
    not_after = _strings(raw.get("not_after", []), f"{where} 'not_after'", empty_ok=True)
    not_before = _strings(raw.get("not_before", []), f"{where} 'not_before'", empty_ok=True)
    scans = tuple(compiler.scan(pattern, where) for pattern in patterns)
    return PitchRule(
        rule_id=rule_id,
        kind=kind,
        reason=reason.strip(),
        patterns=tuple(scan.pattern for scan in scans),
        not_after=(
            compile_regex(f"{compiler.choice(not_after)}[\\s,;:]*\\Z", where, str(not_after))
            if not_after
            else None
        ),
        not_before=(
            compile_regex(f"[\\s,;:]*{compiler.choice(not_before)}", where, str(not_before))
            if not_before
            else None
        ),
        skip_when_reported=skip,
        scans=scans,
    )


def _read_inflections(raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise ValueError("pitch rules: 'inflections' must map a word to a list of its forms")
    table: dict[str, tuple[str, ...]] = {}
    for word, forms in raw.items():
        if not isinstance(word, str) or not word.strip() or " " in word.strip():
            raise ValueError(f"pitch rules: inflection key {word!r} must be a single word")
        table[word.strip().lower()] = tuple(
            _strings(forms, f"pitch rules: inflections of {word!r}")
        )
    return table


def _strings(raw: Any, where: str, *, empty_ok: bool = False) -> list[str]:
    if not isinstance(raw, list) or (not raw and not empty_ok):
        raise ValueError(f"{where} must be a {'' if empty_ok else 'non-empty '}list of texts")
    if not all(isinstance(item, str) and item.strip() for item in raw):
        raise ValueError(f"{where} must contain only non-empty texts")
    return [item.strip() for item in raw]


def _whole_number(raw: Any, where: str, *, low: int, high: int | None = None) -> int:
    # bool is an int subclass, and `true` as a version is certainly a mistake.
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < low or (high and raw > high):
        limit = f"between {low} and {high}" if high else f"at least {low}"
        raise ValueError(f"pitch rules: {where} must be a whole number {limit}, not {raw!r}")
    return raw
