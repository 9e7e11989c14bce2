"""A second opinion on a note sentence the act rules leave alone: a small linear model,
trained on the coach corpus's tuning part, that has read many ways of writing down a
pitch, a promise or a leading question.

The rules (:mod:`voc_desktop.domain.coaching.note_acts`) know who the subject is and what
each verb needs after it; they miss verbs and wordings nobody listed ("Played them the
testimonial from the winery", "Shared my screen and clicked through the dashboard"). The
model scores the sentence's words, word pairs, opening verb and a few signs the rules
already read (something of ours named, one of the visit's own things, a neutral act),
and says pitch, promise or leading when it is sure enough. It never speaks for someone
else: a sentence whose subject is the customer, that reports their words, or that holds a
quotation, and a neutral act of the interviewer's (asked how, listened, noted), stay
quiet whatever it scores.

The weights live in ``resources/coach_note_model.json``, written by
``tools/train_coach_model.py`` from the corpus; at run time it is a few dictionary looks
per word, in plain Python.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from voc_desktop.domain.coaching.note_words import (
    Speaker,
    SubjectWords,
    Token,
    WordList,
    sentence_subject,
)

MODEL_FILE = "coach_note_model.json"
CLEAN = "clean"
KINDS = (CLEAN, "pitch", "promise", "leading")
_QUOTE_MARKS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
_OPEN_WORDS = frozenset("how what why who which when where".split())
_OURS = frozenset(("our", "ours"))


class ModelWords(Protocol):
    """What the model reads from the act rules: their word lists and subject words."""

    subjects: SubjectWords

    def __getitem__(self, name: str) -> WordList: ...


@dataclass(frozen=True)
class Signs:
    """What the act rules already know of a sentence."""

    neutral_first: bool  # it opens on a neutral act ("Asked", "Listened") or their reaction
    opens_on_a_verb: bool  # "Played them…", "Couldn't help bragging…", not "Ops manager…"
    others_spoke: bool  # it reports someone else's words
    neutral_after: Callable[[int], bool]  # the words at an index name a thing of the visit's


@dataclass(frozen=True)
class Guess:
    kind: str  # pitch, promise or leading
    confidence: float  # the model's probability that the sentence is not clean


def features(toks: Sequence[Token], words: ModelWords, signs: Signs) -> set[str]:
    """The features of one sentence: its words and word pairs, its first word (and
    whether it is a past form), and signs the act rules read."""
    plain = [t.word for t in toks if not t.is_mark]
    found = {"bias"}
    found.update(f"w:{w}" for w in plain)
    found.update(f"b:{a}_{b}" for a, b in zip(plain, plain[1:], strict=False))
    if plain:
        found.add(f"f:{plain[0]}")
        if plain[0].endswith("ed"):
            found.add("f:-ed")
        if len(plain) > 1:
            found.add(f"f2:{plain[0]}_{plain[1]}")
    if toks and toks[-1].raw == "?":
        found.add("q")
    if signs.neutral_first:
        found.add("neutral-first")
    for index, tok in enumerate(toks):
        if tok.word in _OURS:
            found.add("our-neutral" if signs.neutral_after(index + 1) else "our-thing")
    if words["follow_up"].find(toks, 0, len(toks)):
        found.add("follow-up")
    if words["readback"].find(toks, 0, len(toks)):
        found.add("readback")
    return found


class NoteModel:
    """The trained weights: one table of feature weights per kind, and the confidence a
    guess needs."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        weights = data.get("weights")
        threshold = data.get("threshold")
        if not isinstance(weights, Mapping) or set(weights) != set(KINDS):
            raise ValueError(f"coach note model: 'weights' must hold one table for each of "
                             f"{KINDS}")
        if not isinstance(threshold, int | float) or not 0.5 <= threshold < 1:
            raise ValueError("coach note model: 'threshold' must be a number from 0.5 to 1")
        self.weights = {kind: {str(k): float(v) for k, v in weights[kind].items()}
                        for kind in KINDS}
        self.threshold = float(threshold)

    @classmethod
    def from_json(cls, text: str) -> NoteModel:
        return cls(json.loads(text))

    def probabilities(self, found: set[str]) -> dict[str, float]:
        scores = {kind: sum(table.get(f, 0.0) for f in found)
                  for kind, table in self.weights.items()}
        top = max(scores.values())
        exps = {kind: math.exp(score - top) for kind, score in scores.items()}
        total = sum(exps.values())
        return {kind: value / total for kind, value in exps.items()}

    def guess(self, toks: Sequence[Token], words: ModelWords, signs: Signs) -> Guess | None:
        """Pitch, promise or leading for a sentence the rules found nothing in, when the
        model is sure and the sentence is the interviewer's own doing; otherwise None."""
        if len(toks) < 3 or signs.others_spoke or not _QUOTE_MARKS.isdisjoint(
                t.raw for t in toks) or (toks[0].word, toks[1].word) == ("according", "to"):
            return None
        if not (signs.opens_on_a_verb or sentence_subject(
                toks, 0, len(toks), words.subjects) is Speaker.INTERVIEWER):
            return None  # the interviewer's notes of what they did open on a verb or "I"
        if (negation := words["negation"].find(toks, 0, len(toks))) and not words[
                "not_negation"].match(toks, negation[0], len(toks)):
            return None  # "Said we don't have a date yet"
        odds = self.probabilities(features(toks, words, signs))
        if odds[CLEAN] > 1 - self.threshold:
            return None
        kind = max(KINDS[1:], key=odds.__getitem__)
        if signs.neutral_first and (kind != "leading" or toks[1].word in _OPEN_WORDS):
            return None  # "Asked how they plan…", "Noted that they use our app"
        return Guess(kind, 1 - odds[CLEAN])
