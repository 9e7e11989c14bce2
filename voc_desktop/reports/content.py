"""What a visit report says, decided once for both the DOCX and the PDF writer.

Everything here is plain text and numbers: names already replaced by roles where a person
did not agree to be named, dates formatted, empty parts explained. A writer only lays it
out, so the two formats cannot say different things.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from voc_desktop.domain.accounts import Account, Contact, LifecycleStage, roles_label
from voc_desktop.domain.guide import Bucket, Guide
from voc_desktop.domain.names import NameGuard
from voc_desktop.domain.photos import label
from voc_desktop.domain.visit import (
    ROOM,
    ActionItem,
    ActionStatus,
    Attendee,
    Entry,
    EntryKind,
    KeyLearning,
    SummaryStatus,
    Team,
    Visit,
    VisitStatus,
    format_offset,
)
from voc_desktop.reports.coaching import Coaching, coaching_for
from voc_desktop.reports.photos import Picture, prepare_all

LANGUAGE = "en-GB"  # the reports' own words, as Word, PDF readers and screen readers learn
CONFIDENTIAL = ("Confidential: notes from a customer visit, for use inside the company only. "
                "Do not forward to the customer or to third parties.")


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class AttendeeLine:
    name: str  # their role instead, when they did not agree to be named
    title: str  # empty unless they may be named: a job title can identify someone too
    roles: str  # the roles they played on the day
    consent: str


@dataclass(frozen=True)
class SummaryPoint:
    number: int
    text: str  # as read back
    status: SummaryStatus
    correction: str = ""

    @property
    def status_label(self) -> str:
        return verdict_label(self.status)


def verdict_label(status: SummaryStatus) -> str:
    """The customer's verdict on a key learning, in the words every report uses."""
    return {SummaryStatus.PENDING: "Not read back"}.get(status, status.label)


@dataclass(frozen=True)
class LadderStep:
    depth: int  # 1 for the first "why?", 2 for the why behind that answer, ...
    text: str
    stamp: str = ""
    said_by: str = ""  # who said it, by name or role; '' for the room


@dataclass(frozen=True)
class Note:
    """A quote, an observation, a photo or another attached file, with its own ladder."""

    kind: EntryKind
    text: str  # the quote, the observation, or a photo's caption
    stamp: str = ""
    speaker: str = ""  # who said it, by name or role; a quote no one was named for: the room
    file_name: str = ""
    picture: Picture | None = None
    figure: int = 0  # photos are numbered through the report
    ladder: tuple[LadderStep, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """The label a writer puts before the text, e.g. `Photo 3` or `Observation`."""
        if self.kind is EntryKind.ATTACHMENT:
            return f"Photo {self.figure}" if self.picture else "Attached file"
        return self.kind.label


@dataclass(frozen=True)
class QuestionFinding:
    number: str  # "2.3": section and question as numbered in the guide
    question: str
    answer: str = ""
    stamp: str = ""
    said_by: str = ""  # who gave the answer, by name or role; '' for the room
    state: str = "answered"  # "answered", "skipped" or "not asked"
    ladder: tuple[LadderStep, ...] = ()
    notes: tuple[Note, ...] = ()
    tags: tuple[str, ...] = ()
    key_point: int = 0  # the summary point it was read back as, if any

    @property
    def has_content(self) -> bool:
        return bool(self.answer or self.ladder or self.notes)


@dataclass(frozen=True)
class SectionFindings:
    title: str
    questions: tuple[QuestionFinding, ...]

    def heading_under(self, bucket: BucketFindings) -> str:
        """The section's heading under its bucket's, or "" when it would only repeat it
        ("How they use and value it" twice)."""
        same = " ".join(self.title.casefold().split()) == " ".join(
            bucket.heading.casefold().split())
        return "" if same else self.title


@dataclass(frozen=True)
class BucketFindings:
    bucket: Bucket
    sections: tuple[SectionFindings, ...]

    @property
    def heading(self) -> str:
        return self.bucket.label

    @property
    def answered(self) -> tuple[QuestionFinding, ...]:
        return tuple(q for s in self.sections for q in s.questions if q.has_content)

    @property
    def empty_note(self) -> str:
        if not self.sections:
            return "The guide used for this visit has no questions here."
        return "Nothing was captured here during this visit."


@dataclass(frozen=True)
class ActionGroup:
    team: str
    items: tuple[ActionLine, ...]


@dataclass(frozen=True)
class ActionLine:
    text: str
    done: bool = False
    due: str = ""  # as printed
    due_iso: str = ""  # for sorting
    owner: str = ""  # who will do it; empty when no one was named

    @property
    def listed(self) -> str:
        """The action as the full list prints it: 'Send the study (done) — owner Maria
        (product) — due 3 May 2030'."""
        text = self.text + (" (done)" if self.done else "")
        text += f" \u2014 owner {self.owner}" if self.owner else ""
        return text + (f" \u2014 due {self.due}" if self.due else "")


GLANCE_POINTS = 5  # confirmed learnings on page 1; the rest are in the full read-back

# the headings both writers print, in the order they print them
GLANCE = "At a glance"
CONFIRMED = "What the customer confirmed"
CORRECTED = "What the customer corrected"
TO_DO = "What we must do"
TO_DO_HEADERS = ("Action", "Team", "Owner", "Due")
NO_OWNER = "No owner"
NO_DUE_DATE = "No date set"
RISKS = "Risks"
NOTHING_TO_DO = "No open action items."
DETAILS = "About this visit"
READ_BACK = "Every key learning read back"
CORRECTED_TO = "The customer\u2019s wording:"


def more_confirmed(count: int) -> str:
    point = "point is" if count == 1 else "points are"
    return f"{count} more confirmed {point} in the full read-back below."


@dataclass(frozen=True)
class Correction:
    read_back: str
    customer: str  # the customer's own wording


@dataclass(frozen=True)
class ToDo:
    text: str
    team: str
    due: str = ""
    owner: str = ""

    @property
    def cells(self) -> tuple[str, str, str, str]:
        """The row of page 1's table, under TO_DO_HEADERS."""
        return self.text, self.team, self.owner or NO_OWNER, self.due or NO_DUE_DATE


@dataclass(frozen=True)
class Glance:
    """What a manager reads first: what the customer confirmed (the first few), what they
    corrected, what we must do, when we next meet them, and what puts the account at
    risk."""

    confirmed: tuple[str, ...]
    more_confirmed: int  # confirmed points left for the full read-back
    corrected: tuple[Correction, ...]
    to_do: tuple[ToDo, ...]  # open action items, soonest due first
    next_contact: str
    risks: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.confirmed or self.corrected or self.to_do or self.risks)


@dataclass(frozen=True)
class VisitReport:
    title: str
    account: str
    visit_date: str  # as printed, e.g. "20 November 2026"
    iso_date: str
    fields: tuple[Field, ...]
    draft_note: str  # why the report is not final yet; empty once the visit is complete
    attendees: tuple[AttendeeLine, ...]
    summary: tuple[SummaryPoint, ...]
    summary_note: str  # why there is no read-back, when there is none
    buckets: tuple[BucketFindings, ...]  # the four buckets, then the two tiers
    other_notes: tuple[Note, ...]  # notes tied to no question of the guide
    coaching: Coaching
    actions: tuple[ActionGroup, ...]
    next_contact: str
    confidential: str = CONFIDENTIAL
    generated: str = field(default_factory=lambda: long_date(date.today().isoformat()))
    stage_risk: str = ""  # why the account's stage is a risk, when it is one

    @property
    def glance(self) -> Glance:
        confirmed = [p.text for p in self.summary if p.status is SummaryStatus.CONFIRMED]
        to_do = [(item.due_iso or "9999", ToDo(item.text, group.team, item.due, item.owner))
                 for group in self.actions for item in group.items if not item.done]
        risks = [self.stage_risk] if self.stage_risk else []
        risks += [f"The customer rejected \u201c{p.text}\u201d" for p in self.summary
                  if p.status is SummaryStatus.REJECTED]
        return Glance(
            confirmed=tuple(confirmed[:GLANCE_POINTS]),
            more_confirmed=max(0, len(confirmed) - GLANCE_POINTS),
            corrected=tuple(Correction(p.text, p.correction) for p in self.summary
                            if p.status is SummaryStatus.CORRECTED),
            to_do=tuple(t for _, t in sorted(to_do, key=lambda pair: pair[0])),
            next_contact=self.next_contact,
            risks=tuple(risks))

    @property
    def header(self) -> str:
        return running_header(self.account, self.visit_date)

    @property
    def file_stem(self) -> str:
        return file_stem(self.iso_date, self.account)

    def pictures(self) -> Iterator[Note]:
        for note in self.all_notes():
            if note.picture is not None:
                yield note

    def all_notes(self) -> Iterator[Note]:
        for b in self.buckets:
            for s in b.sections:
                for q in s.questions:
                    yield from q.notes
        yield from self.other_notes


def running_header(account: str, visit_date: str) -> str:
    """The running header of a visit's documents: short enough for one line on every page."""
    account = account if len(account) <= 60 else account[:57] + "…"
    return f"{account} · visit of {visit_date}"


def file_stem(iso_date: str, account: str, what: str = "visit report") -> str:
    """A file name a person would pick: date first so reports sort, then the account and
    what the file is; only characters every file system and mail program accepts. The
    account's name comes masked (`NameGuard`): a firm named after a person who is shown by
    role only reads "(Economic buyer) Bakery"."""
    account = account.replace("[", "(").replace("]", ")")  # a role put for a hidden name
    safe = "".join(c if c.isalnum() or c in " -_.&()" else " " for c in account)
    safe = " ".join(safe.split()).strip(" .") or "visit"
    return f"{iso_date} {safe[:60]} {what}"


def build_visit_report(*, visit: Visit, account: Account, guide: Guide,
                       attendees: Sequence[tuple[Attendee, Contact]],
                       entries: Sequence[Entry], learnings: Sequence[KeyLearning],
                       actions: Sequence[ActionItem], people: Iterable[Contact] = (),
                       attachment: Callable[[str], bytes | None] = lambda sha: None,
                       ) -> VisitReport:
    """The report of one visit. `people` are all the account's contacts: anyone of them
    who did not agree to be named is replaced by their role wherever their name appears;
    `attachment` returns a stored file's bytes by its hash."""
    contacts = {c.id: c for _, c in attendees}
    guard = NameGuard.for_people([*contacts.values(), *people], named_freely=visit.interviewers)
    files = {e.attachment_sha: data for e in entries
             if e.attachment_sha and (data := attachment(e.attachment_sha))}
    # the photos are prepared in the background while the coaching notes are worked out
    pictures, coaching = prepare_all(
        files, lambda: coaching_for(guide, entries, learnings, visit, guard))
    builder = _Builder(guard, entries, pictures, contacts)
    point_of = {kl.source_entry_id: n for n, kl in enumerate(learnings, 1) if kl.source_entry_id}
    skipped = set(visit.skipped_questions)

    sections: dict[Bucket, list[SectionFindings]] = {b: [] for b in Bucket}
    # in the order they are printed, bucket by bucket, so photos are numbered 1, 2, 3 down
    # the pages even when the guide's sections are not in bucket order
    numbered = list(enumerate(guide.sections, 1))
    for si, section in sorted(numbered, key=lambda pair: list(Bucket).index(pair[1].bucket)):
        found = []
        for qi, q in enumerate(section.questions, 1):
            answer = builder.answer_to(q.key)
            if answer and not answer.text.strip() and not builder.children.get(answer.id):
                answer = None  # an answer field opened and left empty says nothing
            notes = tuple(builder.note(e) for e in builder.notes_of(q.key))
            state = ("answered" if answer or notes else
                     "skipped" if q.key in skipped else "not asked")
            found.append(QuestionFinding(
                number=f"{si}.{qi}", question=guard(q.text), state=state,
                answer=guard(answer.text) if answer else "",
                stamp=format_offset(answer.offset_seconds) if answer else "",
                said_by=builder.said_by(answer) if answer else "",
                ladder=builder.ladder(answer.id) if answer else (),
                notes=notes, tags=tuple(guard(t) for t in answer.tags) if answer else (),
                key_point=point_of.get(answer.id, 0) if answer else 0))
        sections[section.bucket].append(SectionFindings(guard(section.title), tuple(found)))
    known = {q.key for _, q in guide.questions()}
    loose = tuple(builder.note(e) for e in entries
                  if e.parent_id is None and e.question_key not in known
                  and e.kind is not EntryKind.PROBE)

    return VisitReport(
        title=f"Customer visit: {guard(account.name)}",
        account=guard(account.name),
        visit_date=long_date(visit.visit_date),
        iso_date=visit.visit_date,
        fields=_title_fields(visit, account, guide, guard),
        draft_note=_draft_note(visit),
        attendees=tuple(_attendee(a, c, guard) for a, c in attendees),
        summary=tuple(SummaryPoint(n, guard(kl.text), kl.status, guard(kl.correction))
                      for n, kl in enumerate(learnings, 1)),
        summary_note=_summary_note(visit, learnings, guard),
        buckets=tuple(BucketFindings(b, tuple(sections[b])) for b in Bucket),
        other_notes=loose,
        coaching=coaching,
        actions=tuple(
            ActionGroup(team.label, tuple(
                ActionLine(guard(x.text), x.status is ActionStatus.DONE,
                           long_date(x.due_date) if x.due_date else "", x.due_date or "",
                           guard(x.owner))
                for x in sorted(items, key=lambda x: x.position)))
            for team in Team if (items := [x for x in actions if x.team is team])),
        next_contact=(long_date(visit.next_contact_date) if visit.next_contact_date
                      else "Not set yet"),
        stage_risk=_STAGE_RISKS.get(visit.lifecycle_stage, ""),
    )


_STAGE_RISKS = {LifecycleStage.AT_RISK: "The account is at risk.",
                LifecycleStage.LOST: "The account is marked lost."}


class _Builder:
    """Walks the visit's entries once and hands out answers, notes and ladders."""

    def __init__(self, guard: NameGuard, entries: Sequence[Entry],
                 pictures: dict[str, Picture | None], contacts: dict[str, Contact]) -> None:
        self.guard = guard
        self.pictures = pictures
        self.contacts = contacts
        self.children: dict[str, list[Entry]] = {}
        self.answers: dict[str, Entry] = {}
        self.top: dict[str | None, list[Entry]] = {}
        for e in sorted(entries, key=lambda e: (e.position, e.created_at)):
            if e.parent_id:
                self.children.setdefault(e.parent_id, []).append(e)
            elif e.kind is EntryKind.ANSWER and e.question_key:
                self.answers.setdefault(e.question_key, e)
            else:
                self.top.setdefault(e.question_key, []).append(e)
        self.figures = 0
        self.attachments = 0

    def answer_to(self, question_key: str) -> Entry | None:
        return self.answers.get(question_key)

    def notes_of(self, question_key: str) -> list[Entry]:
        return [e for e in self.top.get(question_key, []) if e.kind is not EntryKind.PROBE]

    def ladder(self, entry_id: str) -> tuple[LadderStep, ...]:
        """The why-probes under an entry, depth first, as steps one can read in order.
        Iterative, so a ladder hundreds of levels deep is no risk to the stack."""
        steps: list[LadderStep] = []
        stack = [(child, 1) for child in reversed(self.children.get(entry_id, []))]
        while stack:
            e, depth = stack.pop()
            steps.append(LadderStep(depth, self.guard(e.text) or "(no answer written down)",
                                    format_offset(e.offset_seconds), self.said_by(e)))
            stack.extend((c, depth + 1) for c in reversed(self.children.get(e.id, [])))
        return tuple(steps)

    def note(self, e: Entry) -> Note:
        g = self.guard
        common = dict(stamp=format_offset(e.offset_seconds), ladder=self.ladder(e.id),
                      tags=tuple(g(t) for t in e.tags))
        if e.kind is EntryKind.QUOTE:
            return Note(EntryKind.QUOTE, g(e.text), speaker=self.said_by(e) or ROOM, **common)
        if e.kind is EntryKind.ATTACHMENT:
            picture = self.pictures.get(e.attachment_sha or "")
            if picture:
                self.figures += 1
            self.attachments += 1
            name = g(e.attachment_name)
            # the figure's heading already says "Photo 3"; a file is named by its number
            caption = g(e.text) or ("no caption" if picture else label(False, self.attachments))
            return Note(EntryKind.ATTACHMENT, caption, file_name=name, picture=picture,
                        figure=self.figures if picture else 0, **common)
        return Note(e.kind, g(e.text), speaker=self.said_by(e), **common)

    def said_by(self, e: Entry) -> str:
        """Who said an entry, by name or role as the naming rule allows; '' for the room."""
        people = [self.contacts[c] for c in e.speakers if c in self.contacts]
        return "; ".join(self.guard(p.display_name()) for p in people)


def _title_fields(visit: Visit, account: Account, guide: Guide,
                  guard: NameGuard) -> tuple[Field, ...]:
    kind = ", ".join(x for x in (account.vertical, account.segment) if x)
    when = long_date(visit.visit_date)
    if visit.started_at and visit.ended_at:
        when += f", {visit.started_at[11:16]}–{visit.ended_at[11:16]} UTC"
    rows = [
        ("Account", guard(account.name) + (f" ({guard(kind)})" if kind else "")),
        ("Date", when),
        ("Place", guard(visit.place) or "Not recorded"),
        ("Interviewers", guard(", ".join(visit.interviewers)) or "Not recorded"),
        ("Objective", guard(visit.objective)),
        ("Lifecycle stage", visit.lifecycle_stage.label),
        ("Guide", f"{guard(guide.name)}, version {guide.version}"),
    ]
    if not account.in_icp:
        rows.append(("Profile", "Outside the ideal customer profile"
                     + (f": {guard(account.icp_note)}" if account.icp_note else "")))
    return tuple(Field(label, value) for label, value in rows)


def _attendee(a: Attendee, c: Contact, guard: NameGuard) -> AttendeeLine:
    named = c.display_name() == c.name
    consent = c.consent
    if not consent.given:
        text = "No consent recorded: shown by role only"
    else:
        how = f" ({guard(consent.method)})" if consent.method else ""
        text = (f"Consent given{how}; "
                + ("may be quoted by name" if consent.quote_by_name else "quoted by role only"))
        if consent.scope:
            text += f". Scope: {guard(consent.scope)}"
    return AttendeeLine(name=guard(c.display_name()), title=guard(c.title) if named else "",
                        roles=roles_label(a.roles or c.roles), consent=text)


def _draft_note(visit: Visit) -> str:
    if visit.status is VisitStatus.COMPLETED:
        return ""
    if visit.status is VisitStatus.PLANNED:
        return "Draft: this visit has not taken place yet."
    return "Draft: the visit is not finished, and its key learnings are not all read back."


def _summary_note(visit: Visit, learnings: Sequence[KeyLearning], guard: NameGuard) -> str:
    if visit.summary_skip_reason:
        return f"The read-back was skipped: {guard(visit.summary_skip_reason)}"
    if not learnings:
        return "No key learnings were recorded."
    return ""


def long_date(iso: str | None) -> str:
    try:
        d = date.fromisoformat(iso or "")
    except ValueError:
        return iso or ""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# spelled out rather than taken from the locale, so a report reads the same everywhere
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
