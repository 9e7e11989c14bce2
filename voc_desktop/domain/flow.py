"""The interview flow: which question is on screen and where the interviewer can go next.

Pure data plus functions, so the same navigation serves the window, the command line
and the tests. Moves return a new state; nothing is mutated.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from voc_desktop.domain.guide import Guide, Section


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    answered: int
    skipped: int
    total: int

    @property
    def done(self) -> bool:
        return self.answered + self.skipped >= self.total


@dataclass(frozen=True)
class FlowState:
    order: tuple[str, ...]  # question keys in guide order
    current: int = 0
    answered: frozenset[str] = frozenset()
    skipped: frozenset[str] = frozenset()
    history: tuple[int, ...] = field(default=())  # back-stack of earlier positions

    @property
    def key(self) -> str:
        return self.order[self.current]

    @property
    def at_last(self) -> bool:
        return self.current == len(self.order) - 1

    @property
    def remaining(self) -> tuple[str, ...]:
        """Questions neither answered nor skipped, in order."""
        done = self.answered | self.skipped
        return tuple(k for k in self.order if k not in done)


def start(guide: Guide, *, answered: set[str] | frozenset[str] = frozenset(),
          skipped: set[str] | frozenset[str] = frozenset(),
          current: str | None = None) -> FlowState:
    """A flow over the guide, resumed at `current` or at the first open question."""
    order = tuple(q.key for _, q in guide.questions())
    if not order:
        raise ValueError("the guide has no questions")
    known = set(order)
    state = FlowState(order, 0, frozenset(answered) & known, frozenset(skipped) & known)
    if current in known:
        return replace(state, current=order.index(current))
    first_open = state.remaining[0] if state.remaining else order[0]
    return replace(state, current=order.index(first_open))


def _move(state: FlowState, index: int) -> FlowState:
    if index == state.current:
        return state
    return replace(state, current=index, history=(*state.history, state.current))


def next_question(state: FlowState) -> FlowState:
    """Forward to the next question that is still open, else simply the next one."""
    done = state.answered | state.skipped
    for i in range(state.current + 1, len(state.order)):
        if state.order[i] not in done:
            return _move(state, i)
    for i in range(0, state.current):  # wrap round to anything left open earlier
        if state.order[i] not in done:
            return _move(state, i)
    return _move(state, min(state.current + 1, len(state.order) - 1))


def previous_question(state: FlowState) -> FlowState:
    return _move(state, max(state.current - 1, 0))


def go_to(state: FlowState, key: str) -> FlowState:
    return _move(state, state.order.index(key))


def back(state: FlowState) -> FlowState:
    """Return to where the interviewer was before the last move."""
    if not state.history:
        return state
    *rest, last = state.history
    return replace(state, current=last, history=tuple(rest))


def mark_answered(state: FlowState, key: str) -> FlowState:
    return replace(state, answered=state.answered | {key}, skipped=state.skipped - {key})


def mark_unanswered(state: FlowState, key: str) -> FlowState:
    """The answer was emptied again: the question is open once more."""
    return replace(state, answered=state.answered - {key})


def skip(state: FlowState) -> FlowState:
    """Set the current question aside for now and move on; it can be revisited."""
    key = state.key
    if key in state.answered:
        return next_question(state)
    return next_question(replace(state, skipped=state.skipped | {key}))


def progress(guide: Guide, state: FlowState) -> list[SectionProgress]:
    result = []
    for section in guide.sections:
        keys = [q.key for q in section.questions]
        result.append(SectionProgress(
            section,
            answered=sum(k in state.answered for k in keys),
            skipped=sum(k in state.skipped and k not in state.answered for k in keys),
            total=len(keys),
        ))
    return result


def position_label(guide: Guide, state: FlowState) -> str:
    """"Section 2 of 7 · question 3 of 24" for the header above the question."""
    section = guide.section_of(state.key)
    s_index = guide.sections.index(section) + 1
    return (f"Section {s_index} of {len(guide.sections)} · "
            f"question {state.current + 1} of {len(state.order)}")
