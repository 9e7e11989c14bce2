"""Rules of a visit: why-ladders, completion, the customer's final wording, time stamps."""

from __future__ import annotations

import pytest

from voc_desktop.domain.visit import (
    Entry,
    EntryKind,
    KeyLearning,
    SummaryStatus,
    can_complete,
    deepest_ladder,
    format_offset,
    ladder_depth,
    pending_points,
)

VISIT = "v1"


def entry(entry_id: str, parent: str | None = None) -> Entry:
    kind = EntryKind.PROBE if parent else EntryKind.ANSWER
    return Entry(id=entry_id, visit_id=VISIT, kind=kind, text=entry_id, parent_id=parent)


def learning(learning_id: str, status: SummaryStatus = SummaryStatus.PENDING,
             text: str = "They buy on lead time", correction: str = "") -> KeyLearning:
    return KeyLearning(id=learning_id, visit_id=VISIT, text=text, status=status,
                       correction=correction)


# answer "a" has a branching ladder: a -> p1 -> p11 -> p111, and a -> p2;
# answer "b" has one probe; answer "c" has none.
BRANCHING = [
    entry("a"), entry("p1", "a"), entry("p2", "a"), entry("p11", "p1"),
    entry("p111", "p11"), entry("b"), entry("q1", "b"), entry("c"),
]


@pytest.mark.parametrize(("root", "depth"), [
    ("a", 3), ("p1", 2), ("p11", 1), ("p111", 0), ("p2", 0), ("b", 1), ("c", 0),
])
def test_ladder_depth_follows_the_longest_branch(root: str, depth: int) -> None:
    """The depth under an entry is its longest chain of why-probes, not the probe count."""
    assert ladder_depth(root, BRANCHING) == depth


def test_ladder_depth_ignores_entry_order() -> None:
    """Probes listed before their parents still count."""
    assert ladder_depth("a", list(reversed(BRANCHING))) == 3


def test_ladder_depth_of_unknown_entry_is_zero() -> None:
    """An id with no probes under it has depth zero."""
    assert ladder_depth("nope", BRANCHING) == 0


def test_ladder_depth_accepts_a_generator() -> None:
    """Entries may come as a one-shot iterable."""
    assert ladder_depth("a", (e for e in BRANCHING)) == 3


def test_deepest_ladder_across_a_visit() -> None:
    """The deepest ladder is the maximum over all top-level entries."""
    assert deepest_ladder(BRANCHING) == 3
    assert deepest_ladder(e for e in BRANCHING) == 3


def test_deepest_ladder_many_wide_probes_are_not_deep() -> None:
    """Five probes side by side under one answer make a ladder one level deep."""
    entries = [entry("a")] + [entry(f"p{i}", "a") for i in range(5)]
    assert deepest_ladder(entries) == 1


@pytest.mark.parametrize("entries", [[], [entry("a"), entry("b")]])
def test_deepest_ladder_without_probes_is_zero(entries: list[Entry]) -> None:
    """No probes at all means no ladder."""
    assert deepest_ladder(entries) == 0


def test_pending_points_keeps_only_pending() -> None:
    """Only points without the customer's verdict are pending, in their order."""
    points = [learning("1"), learning("2", SummaryStatus.CONFIRMED), learning("3"),
              learning("4", SummaryStatus.REJECTED)]
    assert [p.id for p in pending_points(points)] == ["1", "3"]


def test_cannot_complete_with_a_pending_point() -> None:
    """One pending point among verdicts blocks completion."""
    points = [learning("1", SummaryStatus.CONFIRMED), learning("2")]
    assert not can_complete(points)


@pytest.mark.parametrize("status", [
    SummaryStatus.CONFIRMED, SummaryStatus.CORRECTED, SummaryStatus.REJECTED])
def test_can_complete_when_every_point_has_a_verdict(status: SummaryStatus) -> None:
    """Any verdict, including rejection, counts as the customer's answer."""
    points = [learning("1", SummaryStatus.CONFIRMED), learning("2", status, correction="x")]
    assert can_complete(points)


def test_nothing_to_read_back_needs_a_reason() -> None:
    """A visit with no key learnings completes only with a reason for skipping the step."""
    assert not can_complete([])
    assert not can_complete([], "   ")
    assert can_complete([], "The customer was called away")


def test_skip_reason_allows_completion_with_pending_points() -> None:
    """A written reason for skipping the read-back lets a visit complete."""
    assert can_complete([learning("1")], "Customer had to leave early")


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_blank_skip_reason_does_not_count(reason: str) -> None:
    """Whitespace is not a reason."""
    assert not can_complete([learning("1")], reason)


def test_final_text_is_the_correction_when_corrected() -> None:
    """A corrected point reads as the customer's wording."""
    kl = learning("1", SummaryStatus.CORRECTED, text="They buy on price",
                  correction="They buy on lead time")
    assert kl.final_text == "They buy on lead time"


@pytest.mark.parametrize("status", [
    SummaryStatus.PENDING, SummaryStatus.CONFIRMED, SummaryStatus.REJECTED])
def test_final_text_is_the_original_otherwise(status: SummaryStatus) -> None:
    """Without a correction verdict the stored correction is ignored."""
    kl = learning("1", status, text="They buy on price", correction="stale")
    assert kl.final_text == "They buy on price"


@pytest.mark.parametrize(("seconds", "expected"), [
    (None, ""),
    (0, "+0:00"),
    (9, "+0:09"),
    (65, "+1:05"),
    (3599, "+59:59"),
    (3600, "+1:00:00"),
    (3909, "+1:05:09"),
    (36000 + 61, "+10:01:01"),
    (-5, "+0:00"),
])
def test_format_offset(seconds: int | None, expected: str) -> None:
    """Offsets read as minutes:seconds, with hours once past the hour; never negative."""
    assert format_offset(seconds) == expected
