"""Why-probe suggestions for laddering and the ladder depth hint."""

from __future__ import annotations

import json

import pytest

from voc_desktop import assets
from voc_desktop.domain.coaching.probes import (
    ProbePhrasings,
    ladder_hint,
    load_phrasings,
    load_probe_phrasings,
    suggest_probe,
)

ANSWER = "We re-plan the whole shift whenever a coil arrives late."


def test_same_answer_and_depth_always_get_the_same_suggestion() -> None:
    """A redraw never changes the suggestion for the same answer."""
    first = suggest_probe(ANSWER, 0, "answer-42")
    assert first is not None
    assert all(suggest_probe(ANSWER, 0, "answer-42") == first for _ in range(5))


def test_different_answers_get_varied_suggestions() -> None:
    """Across 20 answers the interviewer sees at least five different phrasings."""
    suggestions = {suggest_probe(ANSWER, 0, f"answer-{n}") for n in range(20)}
    assert None not in suggestions
    assert len(suggestions) >= 5


@pytest.mark.parametrize("seed", ["a", "answer-7", "5f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f"])
def test_next_level_down_uses_different_wording(seed: str) -> None:
    """Going one why deeper never repeats the wording just used."""
    shallow = [suggest_probe(ANSWER, depth, seed) for depth in range(5)]
    assert all(a != b for a, b in zip(shallow, shallow[1:], strict=False))


@pytest.mark.parametrize("answer", ["", "   ", "\n\t  \n"])
def test_blank_answer_gets_no_suggestion(answer: str) -> None:
    """There is nothing to ask why about before something was said."""
    assert suggest_probe(answer, 0, "answer-1") is None


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 4])
def test_shallow_ladders_get_an_ordinary_probe(depth: int) -> None:
    """Before the deep level the suggestion is one of the packaged why-probes."""
    assert suggest_probe(ANSWER, depth, "answer-3") in load_phrasings()


@pytest.mark.parametrize("depth", [5, 6, 9])
def test_deep_ladders_suggest_keeping_a_key_learning(depth: int) -> None:
    """At five whys or more the app suggests the need may have been reached."""
    suggestion = suggest_probe(ANSWER, depth, "answer-3")
    assert suggestion is not None
    assert suggestion not in load_phrasings()
    assert str(depth) in suggestion
    assert "key learning" in suggestion
    assert "{depth}" not in suggestion


def test_negative_depth_is_refused() -> None:
    """A ladder cannot be less than zero whys deep."""
    with pytest.raises(ValueError, match="at least 0"):
        suggest_probe(ANSWER, -1, "answer-1")


@pytest.mark.parametrize(
    ("depth", "hint"),
    [
        (0, "No why yet"),
        (1, "1 why deep"),
        (2, "2 whys deep"),
        (3, "3 whys deep"),
        (7, "7 whys deep"),
    ],
)
def test_ladder_hint_reads_naturally(depth: int, hint: str) -> None:
    """The depth status uses singular and plural the way a person would."""
    assert ladder_hint(depth) == hint


def test_phrasings_load_from_the_packaged_json() -> None:
    """The shipped file parses into at least twelve distinct open questions."""
    resource = assets.path("why_probes.json")
    data = json.loads(resource.read_text(encoding="utf-8"))
    phrasings = load_phrasings()
    assert phrasings == tuple(data["phrasings"])
    assert len(phrasings) >= 12
    assert len(set(phrasings)) == len(phrasings)
    assert all(p.endswith("?") for p in phrasings)
    assert load_probe_phrasings() is load_probe_phrasings()


def test_custom_phrasings_can_be_supplied() -> None:
    """Callers may pass their own wording, for instance a translated set."""
    probes = ProbePhrasings.from_dict(
        {
            "version": 1,
            "deep_level": 2,
            "phrasings": ["Warum?", "Wieso?"],
            "deep_phrasings": ["Tiefe {depth}."],
        }
    )
    assert suggest_probe(ANSWER, 0, "x", probes=probes) in {"Warum?", "Wieso?"}
    assert suggest_probe(ANSWER, 2, "x", probes=probes) == "Tiefe 2."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("just text", "must be a JSON object"),
        ({"version": 0, "phrasings": ["A?", "B?"], "deep_phrasings": ["D"]}, "'version'"),
        ({"version": 1, "phrasings": ["A?"], "deep_phrasings": ["D"]}, "at least 2"),
        ({"version": 1, "phrasings": ["A?", "A?"], "deep_phrasings": ["D"]}, "same phrasing twice"),
        ({"version": 1, "phrasings": ["A?", ""], "deep_phrasings": ["D"]}, "non-empty texts"),
        ({"version": 1, "phrasings": ["A?", "B?"], "deep_phrasings": []}, "at least 1"),
        ({"version": 1, "phrasings": ["A?", "B?"], "deep_phrasings": ["D"], "x": 1}, "unknown key"),
    ],
)
def test_malformed_phrasings_are_rejected(data: object, message: str) -> None:
    """Bad probe data fails early with a message that names the problem."""
    with pytest.raises(ValueError, match=message):
        ProbePhrasings.from_dict(data)  # type: ignore[arg-type]
