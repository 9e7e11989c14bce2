"""The interview flow engine: where the interviewer is and where they can go."""

from __future__ import annotations

import pytest

from voc_desktop.domain import flow
from voc_desktop.domain.guide import Bucket, Guide, Question, Section
from voc_desktop.domain.guide_file import load_default_guide

GUIDE_ID = "0b9e3f52-1c4d-4e6f-8a7b-9c0d1e2f3a4b"


def small_guide() -> Guide:
    """Two sections: a, b, c in the first; d, e in the second."""
    return Guide(
        guide_id=GUIDE_ID,
        name="Small",
        version=1,
        description="",
        sections=(
            Section("one", "One", Bucket.OPERATIONS,
                    questions=(Question("a", "A?"), Question("b", "B?"), Question("c", "C?"))),
            Section("two", "Two", Bucket.BUYING,
                    questions=(Question("d", "D?"), Question("e", "E?"))),
        ),
    )


@pytest.fixture
def guide() -> Guide:
    return small_guide()


def test_start_at_first_question_of_the_default_guide() -> None:
    """A fresh flow over the shipped guide opens on its very first question."""
    guide = load_default_guide()
    state = flow.start(guide)
    first_key = guide.sections[0].questions[0].key
    assert state.key == first_key
    assert state.current == 0
    assert len(state.order) == guide.question_count
    assert state.history == ()


def test_start_at_first_open_question(guide: Guide) -> None:
    """Answered and skipped questions at the front are passed over on start."""
    state = flow.start(guide, answered={"a"}, skipped={"b"})
    assert state.key == "c"


def test_start_resumes_at_current(guide: Guide) -> None:
    """A saved current question wins over the first open one."""
    state = flow.start(guide, answered={"a"}, current="d")
    assert state.key == "d"


def test_start_ignores_unknown_current_and_keys(guide: Guide) -> None:
    """Keys no longer in the guide are dropped instead of breaking the flow."""
    state = flow.start(guide, answered={"a", "gone"}, skipped={"old"}, current="removed")
    assert state.key == "b"
    assert state.answered == frozenset({"a"})
    assert state.skipped == frozenset()


def test_start_when_everything_is_done_opens_the_first_question(guide: Guide) -> None:
    """With nothing left open the flow still has a question on screen: the first."""
    state = flow.start(guide, answered={"a", "b", "c", "d", "e"})
    assert state.key == "a"
    assert state.remaining == ()


def test_empty_guide_is_rejected() -> None:
    """A guide without questions cannot be run."""
    empty = Guide(GUIDE_ID, "Empty", 1, "", (Section("s", "S", Bucket.USAGE),))
    with pytest.raises(ValueError, match="no questions"):
        flow.start(empty)


def test_next_goes_forward_in_order(guide: Guide) -> None:
    """Next moves to the following question when nothing is done."""
    state = flow.next_question(flow.start(guide))
    assert state.key == "b"
    assert flow.next_question(state).key == "c"


def test_next_crosses_into_the_next_section(guide: Guide) -> None:
    """Next from the last question of a section goes to the first of the next one."""
    state = flow.start(guide, current="c")
    assert flow.next_question(state).key == "d"


def test_next_skips_answered_and_skipped(guide: Guide) -> None:
    """Next passes over questions already answered or set aside."""
    state = flow.start(guide, answered={"b"}, skipped={"c"}, current="a")
    assert flow.next_question(state).key == "d"


def test_next_wraps_to_earlier_open_question(guide: Guide) -> None:
    """At the end, next wraps round to a question left open earlier."""
    state = flow.start(guide, answered={"a", "c", "d"}, current="e")
    assert flow.next_question(state).key == "b"


def test_next_when_all_done_moves_one_step_and_stops_at_the_end(guide: Guide) -> None:
    """With nothing open, next simply steps forward and stays on the last question."""
    everything = {"a", "b", "c", "d", "e"}
    state = flow.start(guide, answered=everything, current="b")
    assert flow.next_question(state).key == "c"
    last = flow.start(guide, answered=everything, current="e")
    moved = flow.next_question(last)
    assert moved.key == "e"
    assert moved.history == ()


def test_previous_steps_back_one_even_over_answered(guide: Guide) -> None:
    """Previous goes to the question just before, answered or not."""
    state = flow.start(guide, answered={"b"}, current="c")
    assert flow.previous_question(state).key == "b"


def test_previous_at_first_question_stays(guide: Guide) -> None:
    """Previous on the first question changes nothing and records no history."""
    state = flow.start(guide)
    assert flow.previous_question(state) == state


def test_go_to_jumps_and_remembers(guide: Guide) -> None:
    """go_to opens any question and pushes the old position on the back-stack."""
    state = flow.go_to(flow.start(guide), "e")
    assert state.key == "e"
    assert state.history == (0,)


def test_go_to_unknown_key_raises(guide: Guide) -> None:
    """go_to a key that is not in the guide fails rather than guessing."""
    with pytest.raises(ValueError):
        flow.go_to(flow.start(guide), "zz")


def test_go_to_current_question_records_no_history(guide: Guide) -> None:
    """Jumping to the question already on screen is not a move."""
    state = flow.start(guide)
    assert flow.go_to(state, "a").history == ()


def test_back_retraces_moves_in_reverse(guide: Guide) -> None:
    """back walks the back-stack: the last move is undone first."""
    state = flow.start(guide)
    state = flow.go_to(state, "d")
    state = flow.next_question(state)
    state = flow.go_to(state, "b")
    assert state.key == "b"
    state = flow.back(state)
    assert state.key == "e"
    state = flow.back(state)
    assert state.key == "d"
    state = flow.back(state)
    assert state.key == "a"
    assert state.history == ()


def test_back_with_empty_history_stays(guide: Guide) -> None:
    """back without history leaves the state as it is."""
    state = flow.start(guide, current="c")
    assert flow.back(state) == state


def test_moves_do_not_mutate_the_state(guide: Guide) -> None:
    """Every move returns a new state and leaves the old one untouched."""
    state = flow.start(guide)
    before = (state.current, state.answered, state.skipped, state.history)
    flow.skip(flow.go_to(flow.mark_answered(state, "a"), "c"))
    assert (state.current, state.answered, state.skipped, state.history) == before


def test_skip_sets_aside_and_moves_on(guide: Guide) -> None:
    """skip marks the current question skipped and goes to the next open one."""
    state = flow.skip(flow.start(guide))
    assert state.key == "b"
    assert "a" in state.skipped
    assert "a" not in state.remaining


def test_skipped_question_stays_revisitable(guide: Guide) -> None:
    """A skipped question can be opened again and answered, which un-skips it."""
    state = flow.skip(flow.start(guide))
    state = flow.go_to(state, "a")
    assert state.key == "a"
    state = flow.mark_answered(state, "a")
    assert "a" not in state.skipped
    assert "a" in state.answered


def test_back_returns_to_a_skipped_question(guide: Guide) -> None:
    """After a skip, back brings the skipped question back on screen."""
    state = flow.skip(flow.start(guide, current="b"))
    assert flow.back(state).key == "b"


def test_skip_an_answered_question_keeps_it_answered(guide: Guide) -> None:
    """Skipping a question that already has an answer only moves on."""
    state = flow.mark_answered(flow.start(guide), "a")
    state = flow.skip(state)
    assert "a" in state.answered
    assert "a" not in state.skipped
    assert state.key == "b"


def test_skip_everything_open_wraps_to_earlier_open(guide: Guide) -> None:
    """Skipping the last open question at the end goes back to an earlier open one."""
    state = flow.start(guide, answered={"a", "c", "d"}, current="e")
    state = flow.skip(state)
    assert state.key == "b"
    assert state.remaining == ("b",)


def test_mark_answered_unskips(guide: Guide) -> None:
    """Answering a skipped question moves it from skipped to answered."""
    state = flow.start(guide, skipped={"c"})
    state = flow.mark_answered(state, "c")
    assert state.skipped == frozenset()
    assert state.answered == frozenset({"c"})


def test_remaining_is_in_guide_order(guide: Guide) -> None:
    """remaining lists open questions in the order the guide asks them."""
    state = flow.start(guide, answered={"b", "d"}, skipped={"a"})
    assert state.remaining == ("c", "e")


def test_at_last(guide: Guide) -> None:
    """at_last is true only on the final question."""
    assert not flow.start(guide, current="d").at_last
    assert flow.start(guide, current="e").at_last


def test_progress_per_section(guide: Guide) -> None:
    """Progress counts answered and skipped per section, and knows when a section is done."""
    state = flow.start(guide, answered={"a", "b"}, skipped={"c", "e"})
    one, two = flow.progress(guide, state)
    assert (one.section.key, one.answered, one.skipped, one.total, one.done) == (
        "one", 2, 1, 3, True)
    assert (two.section.key, two.answered, two.skipped, two.total, two.done) == (
        "two", 0, 1, 2, False)


def test_progress_counts_a_question_once(guide: Guide) -> None:
    """A question both answered and skipped counts as answered, never twice."""
    state = flow.FlowState(order=("a", "b", "c", "d", "e"), answered=frozenset({"a"}),
                           skipped=frozenset({"a", "b"}))
    one = flow.progress(guide, state)[0]
    assert (one.answered, one.skipped) == (1, 1)
    assert not one.done


def test_progress_of_the_default_guide_covers_every_section() -> None:
    """Progress has one row per section of the shipped guide, with its question count."""
    guide = load_default_guide()
    rows = flow.progress(guide, flow.start(guide))
    assert [r.section.key for r in rows] == [s.key for s in guide.sections]
    assert sum(r.total for r in rows) == guide.question_count
    assert all(r.answered == r.skipped == 0 for r in rows)


@pytest.mark.parametrize(("key", "expected"), [
    ("a", "Section 1 of 2 · question 1 of 5"),
    ("c", "Section 1 of 2 · question 3 of 5"),
    ("d", "Section 2 of 2 · question 4 of 5"),
    ("e", "Section 2 of 2 · question 5 of 5"),
])
def test_position_label(guide: Guide, key: str, expected: str) -> None:
    """The header names the section and the question's place in the whole guide."""
    assert flow.position_label(guide, flow.start(guide, current=key)) == expected


def test_position_label_on_the_default_guide_last_question() -> None:
    """On the shipped guide the last question reports the last section and full count."""
    guide = load_default_guide()
    last_key = guide.sections[-1].questions[-1].key
    label = flow.position_label(guide, flow.start(guide, current=last_key))
    n_sections, n_questions = len(guide.sections), guide.question_count
    assert label == (f"Section {n_sections} of {n_sections} · "
                     f"question {n_questions} of {n_questions}")


def test_walk_the_default_guide_by_next_visits_every_question_once() -> None:
    """Answering and pressing next from the start reaches every question exactly once."""
    guide = load_default_guide()
    state = flow.start(guide)
    seen = []
    for _ in range(guide.question_count):
        seen.append(state.key)
        state = flow.next_question(flow.mark_answered(state, state.key))
    assert seen == [q.key for _, q in guide.questions()]
    assert state.remaining == ()


def test_an_emptied_answer_reopens_its_question() -> None:
    """Clearing an answer makes its question open again, so next finds it."""
    from voc_desktop.domain import flow as f
    from voc_desktop.domain.guide_file import load_default_guide

    guide = load_default_guide()
    state = f.start(guide)
    first = state.key
    state = f.mark_unanswered(f.mark_answered(state, first), first)
    assert first in state.remaining
    assert first not in state.answered
