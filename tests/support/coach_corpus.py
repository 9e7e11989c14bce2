"""The labelled coach corpus (tests/domain/coaching/coach_corpus/) and the figures the coach reaches
on it: how many bad notes or questions it catches, how many good ones it flags, and how
often it names the right kind. The tests assert the figures on the held-out part;
benchmarks/bench_pitch.py prints them per kind.

The corpus is written by tools/make_coach_corpus.py; each row holds ``text``, ``kind``,
``source`` (a template, or "hand") and ``part`` (``tune`` or ``held_out``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voc_desktop.domain.coaching.guide_check import check_question
from voc_desktop.domain.coaching.pitch import detect

FOLDER = Path(__file__).resolve().parent.parent / "domain" / "coaching" / "coach_corpus"
NOTE_KINDS = ("pitch", "promise", "leading")
QUESTION_KINDS = ("leading", "closed", "double", "hypothetical", "pitch")
CLEAN = {"notes": "clean", "questions": "good"}
# The guide check's own names for the kinds of the corpus.
_QUESTION_KIND = {"pitching": "pitch", "leading": "leading", "hypothetical": "hypothetical",
                  "double_barrelled": "double", "closed": "closed"}


@dataclass(frozen=True)
class Row:
    text: str
    kind: str
    source: str
    part: str


def rows(name: str, part: str | None = None) -> list[Row]:
    """The rows of ``notes`` or ``questions``, all of them or one part's."""
    with (FOLDER / f"{name}.jsonl").open(encoding="utf-8") as handle:
        found = [Row(**json.loads(line)) for line in handle if line.strip()]
    return [row for row in found if part is None or row.part == part]


def note_kinds(text: str) -> list[str]:
    """The kinds the live detector names for a note, in the order of its flags."""
    return [flag.kind.value for flag in detect(text)]


def question_kinds(text: str) -> list[str]:
    """The kinds the guide check names for a question, most serious first."""
    return [_QUESTION_KIND[finding.kind.value] for finding in check_question(text)]


@dataclass
class Figures:
    """What the coach did with one set of rows."""

    bad: int = 0
    caught: int = 0
    good: int = 0
    false_flags: int = 0
    kind_named: int = 0  # caught rows whose kind is among the kinds named
    first_kind_right: int = 0  # caught rows whose first named kind is theirs
    # per kind: [rows with that label, rows whose first kind named is it, both at once]
    per_kind: dict[str, list[int]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.caught / self.bad if self.bad else 0.0

    @property
    def false_flag_rate(self) -> float:
        return self.false_flags / self.good if self.good else 0.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_named / self.caught if self.caught else 0.0

    @property
    def first_kind_accuracy(self) -> float:
        return self.first_kind_right / self.caught if self.caught else 0.0

    def precision_recall(self, kind: str) -> tuple[float, float]:
        labelled, named, both = self.per_kind.get(kind, [0, 0, 0])
        return (both / named if named else 0.0, both / labelled if labelled else 0.0)


def figures(name: str, part: str = "held_out",
            kinds_of: Callable[[str], list[str]] | None = None) -> Figures:
    """The figures for ``notes`` or ``questions`` on one part of the corpus."""
    read = kinds_of or (note_kinds if name == "notes" else question_kinds)
    kinds = NOTE_KINDS if name == "notes" else QUESTION_KINDS
    return tally(rows(name, part), read, CLEAN[name], kinds)


def tally(found: Sequence[Row], kinds_of: Callable[[str], list[str]], clean: str,
          kinds: Sequence[str]) -> Figures:
    result = Figures(per_kind={kind: [0, 0, 0] for kind in kinds})
    for row in found:
        named = kinds_of(row.text)
        first = named[0] if named else clean
        if first in result.per_kind:
            result.per_kind[first][1] += 1
        if row.kind == clean:
            result.good += 1
            result.false_flags += bool(named)
            continue
        result.bad += 1
        result.per_kind[row.kind][0] += 1
        result.per_kind[row.kind][2] += first == row.kind
        if named:
            result.caught += 1
            result.kind_named += row.kind in named
            result.first_kind_right += first == row.kind
    return result
