"""Shapes of a guide question that phrase rules cannot see (used by :mod:`guide_check`).

* a product named without "our": "Did you know the SAP connector removes double entry?",
  "How would TrackPro fit into your day?", or a claim put before the question;
* two questions in one that no conjunction list finds: "…as well as…", two verbs under
  one "how" ("How do you plan and track maintenance?"), two topics to judge at once
  ("What do you think about the price and the delivery times?"), and a request followed
  by a second question ("Tell me about returns. How does pricing fit in?");
* an imagined scene opened by "Imagine…" or "Picture…", unless it asks them to recall a
  real one ("Imagine a day when the printer stops…").

The words come from ``question_rules.json`` (``shapes``) and from the interviewer-act
words (``coach_acts.json``): what counts as something of ours, and what as a claim.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voc_desktop.domain.coaching.note_acts import ActRules
from voc_desktop.domain.coaching.note_words import tokens
from voc_desktop.domain.coaching.pitch_phrases import PhraseCompiler, compile_regex

# "if the audit were automatic": a wish, not a memory ("if they were late" is left alone)
_IF_WERE = re.compile(r"\bif\s+(?:the|a|an|our|your|it|this|that|every|all|everything)\b"
                      r"[^,;:?]{0,50}?\s(?:were|was to|were to)\b", re.IGNORECASE)
_WOULD_USE = re.compile(r"\bhow would (?:you|your team|they) use (?:a|an|something|such)\b",
                        re.IGNORECASE)
_IF = re.compile(r"\bif\b", re.IGNORECASE)
# "What would a system that does this automatically be worth to you?"
_WORTH = re.compile(r"\bwould\b[^?.;:]{0,60}?\bbe worth\b", re.IGNORECASE)
_CLAUSE = re.compile(r"[^;:.!?\u2014\u2013]+")
_WORDS = re.compile(r"[\w'\u2019-]+")
_PEOPLE = frozenset("you your they their we i he she it its them".split())


@dataclass(frozen=True)
class Shape:
    """What one shape found: the words at fault and where they are."""

    kind: str  # "pitching", "leading", "double_barrelled" or "hypothetical"
    start: int
    end: int


@dataclass(frozen=True)
class ShapeRules:
    """The compiled shapes, built from ``question_rules.json`` and the act words."""

    acts: ActRules
    tells: re.Pattern[str]  # did you know, are you aware …
    ours_helps: re.Pattern[str]  # how would …, with … you could
    judges: re.Pattern[str]  # what do you think of / like most about
    claims: re.Pattern[str]
    two_verbs: re.Pattern[str]
    verbs: frozenset[str]
    two_topics: re.Pattern[str]
    requests: re.Pattern[str]
    imagine: re.Pattern[str]
    recall: re.Pattern[str]
    given: re.Pattern[str]  # "Since the audit is so slow, …": the problem taken as given
    pairs: re.Pattern[str]  # "like and dislike"

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], acts: ActRules,
                  compiler: PhraseCompiler) -> ShapeRules:
        def words(name: str) -> list[str]:
            value = raw.get(name)
            if not isinstance(value, list) or not value or not all(
                    isinstance(v, str) and v.strip() for v in value):
                raise ValueError(f"question rules: 'shapes': '{name}' must be a non-empty "
                                 "list of texts")
            return [v.strip() for v in value]

        def choice(name: str) -> str:
            return compiler.choice(words(name))

        def pattern(regex: str, name: str) -> re.Pattern[str]:
            return compile_regex(regex, "question rules: 'shapes'", name)

        return cls(
            acts=acts,
            tells=pattern(r"\b" + choice("tells") + r"\b", "tells"),
            ours_helps=pattern(r"^(?:how|where|when|in what way)\s+(?:would|could|will|might|"
                               r"can)\s+|^with\s+", "ours_helps"),
            judges=pattern(r"\b" + choice("judges") + r"\s+", "judges"),
            claims=pattern(r"\b" + choice("claims") + r"\b", "claims"),
            two_verbs=pattern(r"\bhow\s+(?:do|does|did|would|could|can|should|will)\s+"
                              r"(?:you|they|we|your\s+\w+|the\s+\w+)\s+(\w+)\s+"
                              r"((?:[\w'-]+\s+){0,3}?)(?:and|or)\s+(\w+)\b", "two_verbs"),
            verbs=frozenset(words("verbs")),
            two_topics=pattern(r"\b" + choice("topic_verbs") + r"\s+(?:about|of|on|with)\s+"
                               r"(?:the|your|our|their)\s+[\w' -]{2,40}?\s+(?:and|or|as well "
                               r"as)\s+(?:the|your|our|their)\s+\w+", "two_topics"),
            requests=pattern(r"^\W*" + choice("requests") + r"\b", "requests"),
            imagine=pattern(r"^\W*(?:so\s+|now\s+)?(?:imagine|picture)\b", "imagine"),
            recall=pattern(r"^\W*(?:so\s+|now\s+)?(?:imagine|picture)\s+" + choice("recall"),
                           "recall"),
            pairs=pattern(r"\b" + choice("pairs") + r"\b", "pairs"),
            given=pattern(r"^\W*" + choice("given_openers") + r"\b[^,;:?]*?\b(?:so|such|really|"
                          r"very|too|that|how)\s+" + choice("loaded") + r"\b", "given"),
        )


def find_shapes(text: str, sentences: Sequence[tuple[int, int]],
                rules: ShapeRules) -> list[Shape]:
    """Every shape in ``text``; ``sentences`` are its sentence spans."""
    found: list[Shape] = []
    for start, end in sentences:
        sentence = text[start:end]
        found += _product_shapes(text, start, end, rules)
        if hit := re.search(r"\bas well as\b", sentence, re.IGNORECASE):
            found.append(Shape("double_barrelled", start + hit.start(), start + hit.end()))
        if (hit := rules.two_verbs.search(sentence)) and _two_verbs(hit, rules.verbs):
            found.append(Shape("double_barrelled", start + hit.start(), start + hit.end()))
        if hit := rules.pairs.search(sentence):
            found.append(Shape("double_barrelled", start + hit.start(), start + hit.end()))
        if hit := rules.two_topics.search(sentence):
            found.append(Shape("double_barrelled", start + hit.start(), start + hit.end()))
        if hit := rules.given.search(sentence):
            found.append(Shape("leading", start + hit.start(), start + hit.end()))
        if hit := _WORTH.search(sentence):
            found.append(Shape("hypothetical", start + hit.start(), start + hit.end()))
        if (hit := _WOULD_USE.search(sentence)) and not _IF.search(sentence):
            # "How would you use a shared dashboard?"; with an "if" the if-clause says more
            found.append(Shape("hypothetical", start + hit.start(), start + hit.end()))
        if hit := _IF_WERE.search(sentence):
            found.append(Shape("hypothetical", start + hit.start(), start + hit.end()))
        if rules.imagine.match(sentence) and not rules.recall.match(sentence):
            at = rules.imagine.match(sentence)
            assert at is not None
            found.append(Shape("hypothetical", start + at.start(), start + at.end()))
    asks = [(s, e) for s, e in sentences if text[s:e].rstrip().endswith("?")]
    requests = [(s, e) for s, e in sentences if rules.requests.match(text[s:e])
                and not text[s:e].rstrip().endswith("?")]
    if requests and asks and requests[0][0] < asks[0][0]:
        s, e = asks[0]
        phrase = text[s:e].strip()
        begin = text.index(phrase, s)
        found.append(Shape("double_barrelled", begin, begin + len(phrase)))
    return found


_NOT_VERBS = frozenset("the a an your their our my his her its this that these those all both "
                       "any some more less".split())


def _two_verbs(hit: re.Match[str], verbs: frozenset[str]) -> bool:
    """ "How do you plan and track…": both words verbs, at least one of them a known one;
    with words between ("plan the menu and order…") both must be known verbs."""
    first, between, second = hit.group(1).lower(), hit.group(2), hit.group(3).lower()
    if {first, second} & _NOT_VERBS:
        return False
    return {first, second} <= verbs if between.strip() else bool({first, second} & verbs)


def _product_shapes(text: str, start: int, end: int, rules: ShapeRules) -> list[Shape]:
    found: list[Shape] = []
    for clause in _CLAUSE.finditer(text, start, end):
        body = clause.group()
        lead = len(body) - len(body.lstrip())
        at = clause.start() + lead
        stripped = body.strip()
        if not stripped:
            continue
        product = _product_end(stripped, rules.acts)
        if product is None:
            continue
        if rules.claims.search(stripped) or rules.tells.search(stripped):
            found.append(Shape("pitching", at, at + len(stripped)))
        elif (opener := rules.ours_helps.search(stripped)) and product > opener.end() and (
                _PEOPLE.isdisjoint(w.lower() for w in _WORDS.findall(
                    stripped[opener.end():product]))):
            # "How would TrackPro fit…", "With our portal you could…": ours is the subject.
            found.append(Shape("pitching", at, at + product))
        elif (judge := rules.judges.search(stripped)) and _named(stripped[judge.end():]):
            found.append(Shape("pitching", at + judge.start(), at + len(stripped)))
    return found


def _product_end(clause: str, acts: ActRules) -> int | None:
    """Where the first mention of something we sell ends in ``clause``, if there is one."""
    toks = tokens(clause)
    ours = acts["ours"]
    for index, tok in enumerate(toks):
        if tok.looks_like_a_product or tok.word in {"our", "we", "we're", "we've"}:
            return tok.end
        size = ours.match(toks, index)
        # "the SAP connector", "the new route planner": a thing, not a habit ("planning")
        if size and any(t.word in {"the", "new", "upcoming", "latest"}
                        for t in toks[max(0, index - 4):index]):
            return toks[index + size - 1].end
    return None


def _named(rest: str) -> bool:
    """Whether what is judged is named as ours or as new: "the new AutoSync feature"."""
    words = _WORDS.findall(rest)[:4]
    lowered = [w.lower() for w in words]
    return bool(words) and (
        any(w in {"new", "upcoming", "latest", "beta"} for w in lowered)
        or any(re.fullmatch(r"[A-Z][a-z]+[A-Z]\w*|[vV]\d+", w) for w in words))
