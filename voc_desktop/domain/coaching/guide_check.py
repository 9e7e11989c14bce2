"""Check a guide's wording before it goes on a visit: open, neutral, one ask at a time.

An interview teaches most when the customer talks: questions that can be answered with
yes or no, that suggest the answer, ask about an imagined product, ask two things at once
or describe our product get short or polite answers instead of their story.
:func:`check_guide` reads each question for those signs and notes which parts of the
customer's world no section covers. The result only advises; a guide with findings can
still be used as it is.

Pitching and leading wording is found by the same rules that watch the notes during a
visit (:mod:`voc_desktop.domain.coaching.pitch`), so a guide and a visit are held to one standard.
What this module looks for lives in ``resources/question_rules.json`` (read by
:mod:`voc_desktop.domain.coaching.question_rules`): phrase rules in the pitch rules' phrase syntax,
and the word lists the sentence checks below work from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voc_desktop.domain.coaching.pitch import detect
from voc_desktop.domain.coaching.question_rules import (
    CheckKind,
    ClosedRules,
    DoubleRules,
    PhraseRule,
    QuestionRules,
    load_question_rules,
)
from voc_desktop.domain.coaching.question_shapes import find_shapes
from voc_desktop.domain.guide import Bucket, Guide

__all__ = ["BucketGap", "CheckKind", "Finding", "GuideCheck", "QuestionCheck",
           "check_guide", "check_question", "load_question_rules"]

# Where a sentence ends: the question checks work sentence by sentence.
_SENTENCE_END = re.compile(r"[.!?\u2026]+(?=[\s\"'\u2019\u201d)]|$)")
# Where a clause ends inside a sentence: a lead-in such as "Thinking about last year,"
# comes before the words that make a question open or closed.
_CLAUSE_END = re.compile(r"[,;:\u2013\u2014]|\s-\s")
_NON_WORD = re.compile(r"[^\w]*")
_NEXT_WORD = re.compile(r"[\s,]+[\w'\u2019-]+")
_MAX_LEAD_CLAUSES = 4
_ORDER = {kind: index for index, kind in enumerate(CheckKind)}
_SHARPER_THAN_CLOSED = (CheckKind.PITCHING, CheckKind.LEADING, CheckKind.HYPOTHETICAL)


@dataclass(frozen=True)
class Finding:
    """One problem in a question: its kind, why it matters, and the words that show it."""

    kind: CheckKind
    reason: str
    phrase: str  # exactly as it appears in the question, at text[start:end]
    start: int
    end: int


@dataclass(frozen=True)
class QuestionCheck:
    """One question of the guide with what the check found in it."""

    number: int  # position in interview order, from 1
    key: str
    text: str
    section_key: str
    findings: tuple[Finding, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True)
class BucketGap:
    """A bucket or tier that no section of the guide asks about."""

    bucket: Bucket
    reason: str


@dataclass(frozen=True)
class GuideCheck:
    """The advice for one guide; nothing in it stops the guide from being used."""

    guide: Guide
    all: tuple[QuestionCheck, ...]  # every question, in interview order
    uncovered: tuple[BucketGap, ...]

    @property
    def questions(self) -> tuple[QuestionCheck, ...]:
        """Only the questions with findings."""
        return tuple(q for q in self.all if q.flagged)

    @property
    def ok(self) -> bool:
        """True when no question is flagged and every bucket and tier is covered."""
        return not self.questions and not self.uncovered


def check_guide(guide: Guide, rules: QuestionRules | None = None) -> GuideCheck:
    """Findings for every question of ``guide`` and the buckets no section covers."""
    active = rules if rules is not None else load_question_rules()
    checks = tuple(
        QuestionCheck(number, question.key, question.text, section.key,
                      check_question(question.text, active))
        for number, (section, question) in enumerate(guide.questions(), start=1)
    )
    covered = guide.covered_buckets()
    gaps = tuple(BucketGap(b, active.uncovered[b]) for b in Bucket if b not in covered)
    return GuideCheck(guide, checks, gaps)


def check_question(text: str, rules: QuestionRules | None = None) -> tuple[Finding, ...]:
    """What is wrong with one question's wording, at most one finding per kind."""
    if not text or text.isspace():
        return ()
    active = rules if rules is not None else load_question_rules()
    found: list[Finding] = []
    for kind, subset in active.pitch:
        found += [Finding(kind, f.reason, f.phrase, f.start, f.end) for f in detect(text, subset)]
    found += [f for rule in active.phrases if (f := _phrase(rule, text))]
    sentences = _sentences(text)
    found += [f for s, e in sentences if (f := _opener(text, s, e, active.closed))]
    found += [f for s, e in sentences if (f := _tag_ending(text, s, e, active))]
    if double := _double(text, sentences, active.double):
        found.append(double)
    if active.shapes is not None:
        for shape in find_shapes(text, sentences, active.shapes):
            kind = CheckKind(shape.kind)
            found.append(Finding(kind, active.shape_reasons[kind], text[shape.start:shape.end],
                                 shape.start, shape.end))
    # The first phrase of each kind is enough: rewording the question settles the rest.
    first: dict[CheckKind, Finding] = {}
    for finding in sorted(found, key=lambda f: f.start):
        first.setdefault(finding.kind, finding)
    closed = first.get(CheckKind.CLOSED)
    if closed and (any(_overlap(closed, f) for f in first.values() if f is not closed)
                   or any(kind in first for kind in _SHARPER_THAN_CLOSED)):
        # "Would you buy…" is closed too, but the finding that names why says more; and
        # "ask how or what instead" would turn "Have you seen our new portal?" into an
        # open pitch, so a pitching, leading or hypothetical question gets only that advice.
        del first[CheckKind.CLOSED]
    return tuple(sorted(first.values(), key=lambda f: _ORDER[f.kind]))


def _phrase(rule: PhraseRule, text: str) -> Finding | None:
    for pattern in rule.patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            clause = _clause_start(text, start)
            if rule.unless_clause_has and rule.unless_clause_has.search(text, clause, start):
                continue
            if rule.not_before and rule.not_before.match(text, end):
                continue
            return Finding(rule.kind, rule.reason, match.group(), start, end)
    return None


def _overlap(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def _sentences(text: str) -> list[tuple[int, int]]:
    """Start and end (past the closing mark) of each sentence with any words in it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for mark in _SENTENCE_END.finditer(text):
        spans.append((start, mark.end()))
        start = mark.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if any(c.isalnum() for c in text[s:e])]


def _clause_start(text: str, position: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, position)]
    ends += [m.end() for m in _CLAUSE_END.finditer(text, 0, position)]
    return max(ends, default=0)


def _opener(text: str, start: int, end: int, rules: ClosedRules) -> Finding | None:
    """A yes/no or negative opener of a question sentence, looking past lead-in clauses."""
    if "?" in text and not text[start:end].rstrip().endswith("?"):
        return None  # a statement next to the question, such as its context
    pos = start
    for _ in range(_MAX_LEAD_CLAUSES):
        pos = _NON_WORD.match(text, pos, end).end()
        while lead := rules.lead_in.match(text, pos, end):
            pos = _NON_WORD.match(text, lead.end(), end).end()
        if negative := rules.negative.match(text, pos, end):
            return _finding(text, negative, end, CheckKind.LEADING, rules.negative_reason)
        if auxiliary := rules.auxiliary.match(text, pos, end):
            if any(p.match(text, pos, end) for p in rules.not_closed):
                return None
            for pattern in rules.ever:
                if ever := pattern.match(text, pos, end):
                    return Finding(CheckKind.CLOSED, rules.ever_reason, ever.group(), *ever.span())
            return _finding(text, auxiliary, end, CheckKind.CLOSED, rules.reason)
        if rules.open_start.match(text, pos, end):
            return None
        clause = _CLAUSE_END.search(text, pos, end)
        if clause is None:
            return None
        pos = clause.end()
    return None


def _finding(text: str, opener: re.Match[str], end: int, kind: CheckKind,
             reason: str) -> Finding:
    # The opening word and the one after it ("Is the", "Do you") show where it starts.
    stop = opener.end()
    if following := _NEXT_WORD.match(text, stop, end):
        stop = following.end()
    return Finding(kind, reason, text[opener.start():stop], opener.start(), stop)


def _tag_ending(text: str, start: int, end: int, rules: QuestionRules) -> Finding | None:
    tail = text[start:end].rstrip()
    for match in rules.tag_ending.finditer(text, start, end):
        if match.end() == start + len(tail):
            return Finding(CheckKind.LEADING, rules.tag_reason, match.group(), *match.span())
    return None


def _double(text: str, sentences: list[tuple[int, int]], rules: DoubleRules) -> Finding | None:
    for start, end in sentences:
        for match in rules.joined_ask.finditer(text, start, end):
            asked = match.start(match.lastindex or 0)
            if rules.allowed_tail.match(text[asked:end]):
                continue
            if rules.comparison.search(text, start, match.start()):
                continue  # "the difference between how you buy and how they buy" is one ask
            if rules.embedded.match(text, match.end(), end):
                continue
            return Finding(CheckKind.DOUBLE_BARRELLED, rules.reason, match.group(), *match.span())
        if joined := rules.joined_yes_no.search(text, start, end):
            return Finding(CheckKind.DOUBLE_BARRELLED, rules.reason, joined.group(),
                           *joined.span())
    asks = [(s, e) for s, e in sentences if text[s:e].rstrip().endswith("?")
            and not rules.allowed_tail.match(_strip_lead(text[s:e]))]
    if len(asks) > 1:
        s, e = asks[1]
        phrase = text[s:e].strip()
        begin = text.index(phrase, s)
        return Finding(CheckKind.DOUBLE_BARRELLED, rules.reason, phrase, begin,
                       begin + len(phrase))
    return None


def _strip_lead(sentence: str) -> str:
    words = sentence.strip().split(maxsplit=1)
    if len(words) == 2 and words[0].lower().strip(",") in {"and", "but", "so"}:
        return words[1]
    return sentence.strip()
