"""A customer visit and everything captured during it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from voc_desktop.domain.accounts import LifecycleStage, Role

if TYPE_CHECKING:
    from voc_desktop.domain.coaching.pitch import PitchFlag


class VisitStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    SUMMARIZING = "summarizing"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class EntryKind(StrEnum):
    ANSWER = "answer"
    PROBE = "probe"  # a "why?" follow-up nested under an answer or another probe
    QUOTE = "quote"  # the customer's own words
    OBSERVATION = "observation"  # what the interviewer saw of their environment
    ATTACHMENT = "attachment"  # a photo or file taken from disk

    @property
    def label(self) -> str:
        return {"probe": "Why?"}.get(self.value, self.value.capitalize())


class SummaryStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return "Not read back" if self is SummaryStatus.PENDING else self.value.capitalize()


class Team(StrEnum):
    SALES = "sales"
    PRODUCT = "product"
    MARKETING = "marketing"
    CUSTOMER_SERVICE = "customer_service"
    EXECUTIVE = "executive"

    @property
    def label(self) -> str:
        return {"executive": "Executive / strategy"}.get(
            self.value, self.value.replace("_", " ").capitalize()
        )


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Attendee:
    id: str
    visit_id: str
    contact_id: str
    roles: tuple[Role, ...] = ()  # the roles they played on the day


@dataclass(frozen=True)
class Entry:
    """One thing captured during the interview, stamped relative to the visit start."""

    id: str
    visit_id: str
    kind: EntryKind
    text: str = ""
    question_key: str | None = None
    parent_id: str | None = None  # probes nest under the entry they follow up
    speaker_id: str | None = None  # quotes: the contact whose words they are
    # who said it: contacts among the attendees; none recorded means the room as a whole
    speaker_ids: tuple[str, ...] = ()
    attachment_sha: str | None = None
    attachment_name: str = ""
    offset_seconds: int | None = None
    tags: tuple[str, ...] = ()
    position: int = 0
    created_at: str = ""
    updated_at: str = ""

    @property
    def speakers(self) -> tuple[str, ...]:
        """The contacts who said this; () is the room. A quote written before speakers were
        kept for every note names its one speaker in `speaker_id`."""
        if self.speaker_ids:
            return self.speaker_ids
        return (self.speaker_id,) if self.speaker_id else ()

    @cached_property
    def pitch_flags(self) -> tuple[PitchFlag, ...]:
        """Pitch, promise and leading-question flags in the interviewer's own text. Derived
        from the text, never stored; a quote is the customer's words, so it is never flagged."""
        if self.kind is EntryKind.QUOTE or not self.text.strip():
            return ()
        from voc_desktop.domain.coaching.pitch import (
            detect,  # its rules load only when first needed
        )

        return tuple(detect(self.text))

    @property
    def flags(self) -> tuple[str, ...]:
        """The flags as short lines, e.g. `pitch: let me show you`."""
        return tuple(f"{f.kind.value}: {f.phrase}" for f in self.pitch_flags)


@dataclass(frozen=True)
class KeyLearning:
    id: str
    visit_id: str
    text: str
    source_entry_id: str | None = None
    status: SummaryStatus = SummaryStatus.PENDING
    correction: str = ""
    position: int = 0

    @property
    def final_text(self) -> str:
        """What the customer agreed we learned, after their correction."""
        return self.correction if self.status is SummaryStatus.CORRECTED else self.text


@dataclass(frozen=True)
class ActionItem:
    id: str
    visit_id: str
    text: str
    team: Team
    status: ActionStatus = ActionStatus.OPEN
    due_date: str | None = None
    position: int = 0
    owner: str = ""  # the person who will do it, in free words: "Maria (product)"

    def overdue(self, today: str) -> bool:
        """Still open after its due date (ISO dates)."""
        return self.status is ActionStatus.OPEN and bool(self.due_date) and \
            (self.due_date or "") < today


@dataclass(frozen=True)
class Visit:
    id: str
    account_id: str
    guide_version_id: str
    objective: str
    visit_date: str  # ISO date
    place: str = ""
    interviewers: tuple[str, ...] = ()
    lifecycle_stage: LifecycleStage = LifecycleStage.ACTIVE
    status: VisitStatus = VisitStatus.PLANNED
    started_at: str | None = None
    ended_at: str | None = None
    current_question: str | None = None
    skipped_questions: tuple[str, ...] = ()
    summary_skip_reason: str = ""
    next_contact_date: str | None = None
    created_at: str = ""
    updated_at: str = ""


class VisitLine(NamedTuple):
    """A visit as a list of visits shows it."""

    id: str
    account_id: str
    status: VisitStatus
    visit_date: str
    objective: str


@dataclass(frozen=True)
class ResumePoint:
    """Where the interviewer was in a running visit: the question on screen, the note being
    written (None: the question's answer, not written yet) and the cursor in it."""

    visit_id: str
    question_key: str
    entry_id: str | None = None
    cursor: int = 0


ROOM = "The room"  # what a note without a named speaker was said by


def format_offset(seconds: int | None) -> str:
    """`+1:05:09` style stamp for an entry, relative to the visit start."""
    if seconds is None:
        return ""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"+{hours}:{minutes:02d}:{secs:02d}" if hours else f"+{minutes}:{secs:02d}"


def ladder_depth(entry_id: str, entries: Iterable[Entry]) -> int:
    """How many why-probes deep the ladder under one entry goes."""
    children: dict[str, list[str]] = {}
    for e in entries:
        if e.parent_id:
            children.setdefault(e.parent_id, []).append(e.id)
    depth, frontier = 0, children.get(entry_id, [])
    while frontier:
        depth += 1
        frontier = [c for f in frontier for c in children.get(f, [])]
    return depth


def deepest_ladder(entries: Iterable[Entry]) -> int:
    """The deepest why-ladder anywhere in a visit."""
    entries = list(entries)
    roots = [e.id for e in entries if e.parent_id is None]
    return max((ladder_depth(r, entries) for r in roots), default=0)


def pending_points(learnings: Iterable[KeyLearning]) -> list[KeyLearning]:
    return [kl for kl in learnings if kl.status is SummaryStatus.PENDING]


def can_complete(learnings: Iterable[KeyLearning], skip_reason: str = "") -> bool:
    """A visit completes once every point read back has the customer's verdict, or the step
    was skipped with a reason written down. Nothing to read back is not a read-back: it
    needs the reason too."""
    if skip_reason.strip():
        return True
    learnings = list(learnings)
    return bool(learnings) and not pending_points(learnings)
