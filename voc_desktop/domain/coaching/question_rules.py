"""The rules behind the guide check, read from ``resources/question_rules.json``.

The file holds what :mod:`voc_desktop.domain.coaching.guide_check` looks for, so the wording can be
tuned without touching code:

* ``pitch_rule_kinds``: the pitch rules (``pitch_rules.json``) that count as another kind
  in a guide than during a visit, such as "would you buy…", which is hypothetical here;
  every other pitch rule keeps its own kind (a pitch or a promise is pitching here, leading
  stays leading);
* ``phrase_rules``: phrases in the pitch rules' phrase syntax, each with a kind and a
  reason; ``unless_clause_has`` drops a match when one of its words comes earlier in the
  same clause, and ``not_before`` when one of its phrases follows directly;
* ``closed``: the word lists that tell a yes/no question from an open one, and the forms
  that only look closed (polite requests, "anything else?", the summary check-back);
* ``double``: the word lists that find a second question joined to the first;
* ``tag_endings``: tags such as ", right?" that ask for a yes;
* ``shapes``: the word lists and reasons of :mod:`voc_desktop.domain.coaching.question_shapes`
  (a product named without "our", "as well as", two verbs under one "how" …);
* ``uncovered``: the sentence shown for each bucket or tier that no section covers.

Word lists are matched whole and ignoring case, with any apostrophe style.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from voc_desktop import assets
from voc_desktop.domain.coaching.pitch import FlagKind, PitchRules, load_rules
from voc_desktop.domain.coaching.pitch_phrases import PhraseCompiler, compile_regex
from voc_desktop.domain.coaching.question_shapes import ShapeRules
from voc_desktop.domain.guide import Bucket

RULES_FILE = "question_rules.json"

_TOP_KEYS = ("version", "about", "max_gap_words", "pitch_rule_kinds", "closed", "double",
             "tag_endings", "phrase_rules", "shapes", "uncovered")
_RULE_KEYS = ("id", "kind", "reason", "patterns", "unless_clause_has", "not_before")


class CheckKind(StrEnum):
    """What is wrong with a question's wording, most serious first."""

    PITCHING = "pitching"
    LEADING = "leading"
    HYPOTHETICAL = "hypothetical"
    DOUBLE_BARRELLED = "double_barrelled"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """Short name for lists and the command line."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    CheckKind.PITCHING: "Pitching",
    CheckKind.LEADING: "Leading",
    CheckKind.HYPOTHETICAL: "Hypothetical",
    CheckKind.DOUBLE_BARRELLED: "Two questions in one",
    CheckKind.CLOSED: "Yes/no question",
}


@dataclass(frozen=True)
class PhraseRule:
    """Phrases that show one kind of problem, with the reason shown for them."""

    rule_id: str
    kind: CheckKind
    reason: str
    patterns: tuple[re.Pattern[str], ...]
    # A match is dropped when one of these words comes earlier in its clause: "would you
    # switch" asks yes or no, "which one would you switch" does not.
    unless_clause_has: re.Pattern[str] | None
    not_before: re.Pattern[str] | None


@dataclass(frozen=True)
class ClosedRules:
    """What tells a yes/no question from an open one by the way it starts."""

    reason: str
    auxiliary: re.Pattern[str]
    negative: re.Pattern[str]
    negative_reason: str
    lead_in: re.Pattern[str]
    open_start: re.Pattern[str]
    ever: tuple[re.Pattern[str], ...]
    ever_reason: str
    not_closed: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class DoubleRules:
    """What finds a second question joined to the first."""

    reason: str
    joined_ask: re.Pattern[str]  # "and how", "or what" ...
    allowed_tail: re.Pattern[str]  # "..., and why?" is a probe, not a second question
    comparison: re.Pattern[str]
    # "tell us about your role and what you do": a clause inside the one ask, not a question
    embedded: re.Pattern[str]
    joined_yes_no: re.Pattern[str]  # "and do you", "and is it" ...


@dataclass(frozen=True)
class QuestionRules:
    """Compiled question rules, built once from the JSON data and the pitch rules."""

    version: int
    pitch: tuple[tuple[CheckKind, PitchRules], ...]
    phrases: tuple[PhraseRule, ...]
    closed: ClosedRules
    double: DoubleRules
    tag_ending: re.Pattern[str]
    tag_reason: str
    uncovered: Mapping[Bucket, str]
    shapes: ShapeRules | None = None
    shape_reasons: Mapping[CheckKind, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any, pitch_rules: PitchRules) -> QuestionRules:
        data = _Data(data, "question rules").only(*_TOP_KEYS)
        compiler = PhraseCompiler({}, data.number("max_gap_words", 1, 12))
        closed, double, tags = data.part("closed"), data.part("double"), data.part("tag_endings")
        ever = closed.part("ever")
        uncovered = data.part("uncovered")
        return cls(
            version=data.number("version", 1, None),
            pitch=_pitch_groups(pitch_rules, data.part("pitch_rule_kinds")),
            phrases=_phrase_rules(data.items("phrase_rules"), compiler),
            closed=ClosedRules(
                reason=closed.text("reason"),
                auxiliary=_words(compiler, closed.words("auxiliaries")),
                negative=_words(compiler, closed.words("negative_auxiliaries")),
                negative_reason=closed.text("negative_reason"),
                lead_in=_words(compiler, closed.words("lead_ins")),
                open_start=_words(compiler, closed.words("open_starts")),
                ever=_patterns(compiler, ever.words("patterns")),
                ever_reason=ever.text("reason"),
                not_closed=_patterns(compiler, closed.words("not_closed")),
            ),
            double=DoubleRules(
                reason=double.text("reason"),
                joined_ask=_joined(compiler, double.words("conjunctions"),
                                   double.words("question_words")),
                allowed_tail=compile_regex(
                    compiler.choice(double.words("allowed_tails")) + r"[\s?.!]*\Z",
                    "question rules", "allowed_tails"),
                comparison=_words(compiler, double.words("comparison_cues")),
                embedded=compile_regex(r"[\s,]+" + compiler.choice(double.words(
                    "embedded_subjects")), "question rules", "embedded_subjects"),
                joined_yes_no=_joined(compiler, ["and"], closed.words("auxiliaries"),
                                      double.words("subjects")),
            ),
            tag_ending=compile_regex(
                r"[,\u2013\u2014][ \t]*" + compiler.choice(tags.words("tags")) + r"[ \t]*\?",
                "question rules", "tag_endings"),
            tag_reason=tags.text("reason"),
            uncovered={bucket: uncovered.text(bucket.value) for bucket in Bucket},
            **_shapes(data, compiler, pitch_rules),
        )


def _shapes(data: _Data, compiler: PhraseCompiler, pitch_rules: PitchRules) -> dict[str, Any]:
    """The ``shapes`` part, read only when the pitch rules carry the act words it uses."""
    if "shapes" not in data.raw or pitch_rules.acts is None:
        return {}
    shapes = data.part("shapes")
    reasons = shapes.part("reasons")
    wanted = (CheckKind.PITCHING, CheckKind.LEADING, CheckKind.DOUBLE_BARRELLED,
              CheckKind.HYPOTHETICAL)
    return {
        "shapes": ShapeRules.from_dict(shapes.raw, pitch_rules.acts, compiler),
        "shape_reasons": {kind: reasons.text(kind.value) for kind in wanted},
    }


@functools.cache
def load_question_rules() -> QuestionRules:
    """The rules shipped with the app, read once per process."""
    resource = assets.path(RULES_FILE)
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{RULES_FILE} is not valid JSON: {exc}") from exc
    return QuestionRules.from_dict(data, load_rules())


class _Data:
    """One object of the rules file, with reads that say where a value is wrong."""

    def __init__(self, raw: Any, where: str) -> None:
        if not isinstance(raw, Mapping):
            raise ValueError(f"{where} must be a JSON object")
        self.raw, self.where = raw, where

    def only(self, *names: str) -> _Data:
        unknown = sorted(set(self.raw) - set(names))
        if unknown:
            raise ValueError(f"{self.where}: unknown key(s) {unknown}; expected {sorted(names)}")
        return self

    def get(self, name: str) -> Any:
        if name not in self.raw:
            raise ValueError(f"{self.where}: '{name}' is missing")
        return self.raw[name]

    def part(self, name: str) -> _Data:
        return _Data(self.get(name), f"{self.where}: '{name}'")

    def text(self, name: str) -> str:
        value = self.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{self.where}: '{name}' must be a sentence")
        return value.strip()

    def items(self, name: str) -> list[Any]:
        value = self.get(name)
        if not isinstance(value, list) or not value:
            raise ValueError(f"{self.where}: '{name}' must be a non-empty list")
        return value

    def words(self, name: str, *, empty_ok: bool = False) -> list[str]:
        value = self.get(name) if not empty_ok else self.raw.get(name, [])
        if not isinstance(value, list) or (not value and not empty_ok):
            raise ValueError(f"{self.where}: '{name}' must be a non-empty list of texts")
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise ValueError(f"{self.where}: '{name}' must hold only non-empty texts")
        return [item.strip() for item in value]

    def number(self, name: str, low: int, high: int | None) -> int:
        value = self.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (
                high is not None and value > high):
            raise ValueError(f"{self.where}: '{name}' must be a whole number from {low}"
                             + (f" to {high}" if high is not None else ""))
        return value


def _pitch_groups(
    pitch_rules: PitchRules, kinds: _Data
) -> tuple[tuple[CheckKind, PitchRules], ...]:
    known = {rule.rule_id for rule in pitch_rules.rules}
    for rule_id in kinds.raw:
        if rule_id not in known:
            raise ValueError(f"{kinds.where}: there is no pitch rule '{rule_id}'")
    own = {FlagKind.PITCH: CheckKind.PITCHING, FlagKind.PROMISE: CheckKind.PITCHING,
           FlagKind.LEADING: CheckKind.LEADING}
    groups: dict[CheckKind, list[Any]] = {}
    for rule in pitch_rules.rules:
        named = kinds.raw.get(rule.rule_id)
        kind = own[rule.kind] if named is None else _kind(named, kinds.where)
        groups.setdefault(kind, []).append(rule)
    # Each group is searched on its own, so a rule's phrase is never hidden by an
    # overlapping phrase of a rule that counts as another kind here.
    # A question is the interviewer's own words, so the act check for notes ("Walked the
    # buyer through…") has nothing to read in it.
    return tuple((kind, dataclasses.replace(pitch_rules, rules=tuple(group), acts=None))
                 for kind, group in groups.items())


def _kind(value: Any, where: str) -> CheckKind:
    try:
        return CheckKind(value)
    except ValueError:
        allowed = ", ".join(kind.value for kind in CheckKind)
        raise ValueError(f"{where}: {value!r} is not a kind; use one of {allowed}") from None


def _phrase_rules(items: list[Any], compiler: PhraseCompiler) -> tuple[PhraseRule, ...]:
    rules: list[PhraseRule] = []
    for index, raw in enumerate(items):
        data = _Data(raw, f"question rules: phrase rule #{index + 1}").only(*_RULE_KEYS)
        rule_id = data.text("id")
        if any(rule.rule_id == rule_id for rule in rules):
            raise ValueError(f"{data.where}: id '{rule_id}' is used twice")
        data.where = f"question rules: phrase rule '{rule_id}'"
        rules.append(_phrase_rule(rule_id, data, compiler))
    return tuple(rules)


def _phrase_rule(rule_id: str, data: _Data, compiler: PhraseCompiler) -> PhraseRule:
    unless = data.words("unless_clause_has", empty_ok=True)
    not_before = data.words("not_before", empty_ok=True)
    return PhraseRule(
        rule_id=rule_id,
        kind=_kind(data.get("kind"), data.where),
        reason=data.text("reason"),
        patterns=_patterns(compiler, data.words("patterns"), data.where),
        unless_clause_has=_words(compiler, unless) if unless else None,
        not_before=compile_regex(r"[\s,;:]*" + compiler.choice(not_before), data.where,
                                 "not_before") if not_before else None,
    )


def _words(compiler: PhraseCompiler, words: list[str]) -> re.Pattern[str]:
    """Any one of ``words`` (or short phrases) standing whole."""
    return compile_regex(compiler.choice(words), "question rules", " | ".join(words))


def _joined(compiler: PhraseCompiler, *slots: list[str]) -> re.Pattern[str]:
    """The slots' words in a row; the last slot's word is the only capturing group."""
    parts = [compiler.choice(words) for words in slots]
    parts[-1] = f"({parts[-1]})"
    return compile_regex(r"[\s,]+".join(parts), "question rules", str(slots))


def _patterns(compiler: PhraseCompiler, phrases: list[str],
              where: str = "question rules") -> tuple[re.Pattern[str], ...]:
    return tuple(compiler.scan(phrase, where).pattern for phrase in phrases)
