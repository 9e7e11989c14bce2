"""The coach on its labelled corpus: the held-out part, never tuned on, must show at least
90 % of bad notes and questions caught, at most 5 % of good ones flagged, and the right
kind named for at least 85 % of those caught."""

from __future__ import annotations

from collections import Counter

import pytest
from support.coach_corpus import CLEAN, NOTE_KINDS, QUESTION_KINDS, figures, rows

MIN_RECALL = 0.90
MAX_FALSE_FLAGS = 0.05
MIN_KIND_NAMED = 0.85
KINDS = {"notes": (*NOTE_KINDS, "clean"), "questions": (*QUESTION_KINDS, "good")}


@pytest.mark.parametrize("name", ["notes", "questions"])
def test_corpus_has_several_hundred_of_each_kind(name: str) -> None:
    """Each kind has at least 300 rows, each text once, and a real held-out share."""
    found = rows(name)
    counts = Counter(row.kind for row in found)
    assert set(counts) == set(KINDS[name])
    assert min(counts.values()) >= 300
    assert len({row.text for row in found}) == len(found)
    held = Counter(row.kind for row in found if row.part == "held_out")
    assert set(held) == set(KINDS[name]) and min(held.values()) >= 40


@pytest.mark.parametrize("name", ["notes", "questions"])
def test_a_template_lands_wholly_on_one_side_of_the_split(name: str) -> None:
    """The held-out part holds templates never seen while tuning, and hand-written rows."""
    sides: dict[str, set[str]] = {}
    for row in rows(name):
        if row.source != "hand":
            sides.setdefault(row.source, set()).add(row.part)
    assert all(len(parts) == 1 for parts in sides.values())
    held = {source for source, parts in sides.items() if parts == {"held_out"}}
    assert len(held) >= 5 and len(held) < len(sides)
    assert any(row.source == "hand" for row in rows(name, "held_out"))


@pytest.mark.parametrize("name", ["notes", "questions"])
def test_held_out_bad_ones_are_caught(name: str) -> None:
    """At least 90 % of held-out pitch, promise and leading notes (or bad questions) get
    a flag."""
    result = figures(name)
    assert result.bad >= 200
    assert result.recall >= MIN_RECALL, f"{result.caught} of {result.bad} caught"


@pytest.mark.parametrize("name", ["notes", "questions"])
def test_held_out_good_ones_are_left_alone(name: str) -> None:
    """At most 5 % of held-out clean notes (customer speech, quotes, observations) or good
    questions get a flag."""
    result = figures(name)
    assert result.good >= 75
    assert result.false_flag_rate <= MAX_FALSE_FLAGS, (
        f"{result.false_flags} of {result.good} {CLEAN[name]} ones flagged")


@pytest.mark.parametrize("name", ["notes", "questions"])
def test_held_out_catches_name_the_right_kind(name: str) -> None:
    """For at least 85 % of the held-out bad ones caught, the kind named is theirs."""
    result = figures(name)
    assert result.kind_accuracy >= MIN_KIND_NAMED, (
        f"right kind for {result.kind_named} of {result.caught}")


def test_figures_fall_when_the_coach_hears_less() -> None:
    """The figures are measured, not assumed: a coach that names only some kinds, or
    flags everything, fails the targets."""
    deaf = figures("notes", kinds_of=lambda _text: [])
    assert deaf.recall == 0.0
    eager = figures("notes", kinds_of=lambda _text: ["pitch"])
    assert eager.false_flag_rate == 1.0 and eager.kind_accuracy < MIN_KIND_NAMED
    assert eager.precision_recall("pitch")[1] == 1.0
