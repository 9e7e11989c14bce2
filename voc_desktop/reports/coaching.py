"""The interviewer's self-check at the end of a report: where the notes read like a pitch,
a promise or a leading question, and how far the why-ladders went. Short, factual, and the same
rules for everyone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from voc_desktop.domain.coaching.language import guess_language
from voc_desktop.domain.coaching.pitch import FlagKind
from voc_desktop.domain.guide import Guide
from voc_desktop.domain.visit import Entry, EntryKind, KeyLearning, SummaryStatus, Visit

_KIND_NAMES = {FlagKind.PITCH: "Pitch", FlagKind.PROMISE: "Promise",
               FlagKind.LEADING: "Leading question"}
GOOD_DEPTH = 3  # the first answer is rarely the real reason; the third "why" often is


@dataclass(frozen=True)
class FlagNote:
    where: str  # "Answer to 2.3", "Why? under 4.1", "Observation"
    kind: str  # "Pitch", "Promise" or "Leading question"
    phrase: str
    reason: str


@dataclass(frozen=True)
class Coaching:
    flags: tuple[FlagNote, ...]
    answers: int  # questions with a written answer
    laddered: int  # answers followed by at least one "why?"
    probes: int
    deepest: int
    average_depth: float  # over the answers that were laddered
    skipped: int
    read_back: str
    advice: tuple[str, ...]
    # Languages of the notes the coaching could not read, one entry per note: the check
    # covers English, and silence about a German note is no praise.
    unread: tuple[str, ...] = ()

    @property
    def facts(self) -> tuple[str, ...]:
        """The figures as sentences a person reads in a second."""
        if not self.answers:
            ladder = "No answers were written down against the guide's questions."
        else:
            ladder = (f"{self.laddered} of {self.answers} answers were followed up with at least "
                      f"one \u201cwhy?\u201d ({self.probes} why-probes in all)")
            ladder += (f"; the deepest ladder went {self.deepest} "
                       f"{'level' if self.deepest == 1 else 'levels'} deep, "
                       f"{self.average_depth:.1f} on average." if self.laddered else ".")
        flags = (f"{len(self.flags)} "
                 f"{'note reads' if len(self.flags) == 1 else 'notes read'} like a pitch, a "
                 "promise or a leading question." if self.flags
                 else "No pitch, promise or leading wording was flagged in the notes.")
        skipped = (f"{self.skipped} {'question was' if self.skipped == 1 else 'questions were'} "
                   "skipped." if self.skipped else "")
        return tuple(x for x in (ladder, flags, self._unread(), skipped, self.read_back) if x)

    def _unread(self) -> str:
        if not self.unread:
            return ""
        languages = " or ".join(sorted(set(self.unread)))
        count = len(self.unread)
        return (f"{count} {'note looks' if count == 1 else 'notes look'} {languages}; "
                "coaching covers English, so they were not checked.")


def coaching_for(guide: Guide, entries: Sequence[Entry], learnings: Sequence[KeyLearning],
                 visit: Visit, guard: Callable[[str], str] = str) -> Coaching:
    numbers = {q.key: f"{si}.{qi}" for si, s in enumerate(guide.sections, 1)
               for qi, q in enumerate(s.questions, 1)}
    children: dict[str, list[Entry]] = {}
    for e in entries:
        if e.parent_id:
            children.setdefault(e.parent_id, []).append(e)
    answers = [e for e in entries if e.kind is EntryKind.ANSWER and e.parent_id is None
               and e.question_key in numbers and e.text.strip()]
    depths = [d for a in answers if (d := _depth(a.id, children))]

    flags = []
    for e in sorted(entries, key=lambda e: e.position):
        for f in e.pitch_flags:
            flags.append(FlagNote(
                where=_where(e, numbers),
                kind=_KIND_NAMES[f.kind],
                phrase=guard(f.phrase), reason=f.reason))

    unread = tuple(language for e in entries if e.kind is not EntryKind.QUOTE
                   and (language := guess_language(e.text)) not in (None, "English"))
    read_back = _read_back(visit, learnings)
    deepest = max(depths, default=0)
    return Coaching(
        flags=tuple(flags), answers=len(answers), laddered=len(depths),
        probes=sum(e.kind is EntryKind.PROBE for e in entries), deepest=deepest,
        average_depth=sum(depths) / len(depths) if depths else 0.0,
        skipped=len(visit.skipped_questions), read_back=read_back,
        advice=_advice(len(answers), depths, flags, visit, learnings), unread=unread)


def _depth(entry_id: str, children: dict[str, list[Entry]]) -> int:
    depth, frontier = 0, children.get(entry_id, [])
    while frontier:
        depth += 1
        frontier = [c for f in frontier for c in children.get(f.id, [])]
    return depth


def _where(e: Entry, numbers: dict[str, str]) -> str:
    number = numbers.get(e.question_key or "")
    if e.kind is EntryKind.ANSWER:
        return f"Answer to {number}" if number else "Answer"
    if e.kind is EntryKind.PROBE:
        return f"Why? under {number}" if number else "Why?"
    label = "Caption" if e.kind is EntryKind.ATTACHMENT else e.kind.label
    return f"{label} at {number}" if number else label


def _read_back(visit: Visit, learnings: Sequence[KeyLearning]) -> str:
    if visit.summary_skip_reason:
        return "The summarize-back was skipped, with a reason written down."
    if not learnings:
        return ""
    counts = {s: sum(kl.status is s for kl in learnings) for s in SummaryStatus}
    parts = [f"{counts[s]} {s.label.lower()}" for s in
             (SummaryStatus.CONFIRMED, SummaryStatus.CORRECTED, SummaryStatus.REJECTED)
             if counts[s]]
    if counts[SummaryStatus.PENDING]:
        parts.append(f"{counts[SummaryStatus.PENDING]} not read back")
    return f"Read back {len(learnings)} key learnings: " + ", ".join(parts) + "."


def _advice(answers: int, depths: list[int], flags: list[FlagNote], visit: Visit,
            learnings: Sequence[KeyLearning]) -> tuple[str, ...]:
    out = []
    if flags:
        out.append("Some notes sound like presenting or steering. Next time, ask about their "
                   "world in open words and let the silence work.")
    if answers >= 3 and len(depths) * 2 < answers:
        out.append("Fewer than half of the answers got a \u201cwhy?\u201d. Ask why again until "
                   "you reach the reason behind the reason.")
    elif answers and max(depths, default=0) < GOOD_DEPTH:
        out.append(f"No ladder reached {GOOD_DEPTH} levels. The first answer is rarely the real "
                   "reason: keep asking why a little longer.")
    unread = any(kl.status is SummaryStatus.PENDING for kl in learnings)
    if unread and not visit.summary_skip_reason:
        out.append("Some key learnings were not read back. Confirm them with the customer "
                   "before acting on them.")
    if not out and answers:
        out.append("Good listening: the answers were laddered and nothing reads like a pitch.")
    return tuple(out)
