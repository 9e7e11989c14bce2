"""What a pre-visit brief says: the account's history, boiled down for the next contact.

Built from one visit (usually a planned one) and the account's earlier, completed visits:
what they confirmed or corrected, which questions are still open, which actions are still
open, who was met and which key role never was. Like the visit report, everything here is
plain text: names already replaced by roles where a person did not agree to be named, so
the screen and the PDF cannot say different things.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from voc_desktop.domain.accounts import Account, Contact, Role, roles_label
from voc_desktop.domain.guide import Guide
from voc_desktop.domain.names import NameGuard
from voc_desktop.domain.visit import (
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
)
from voc_desktop.reports.content import (
    Field,
    file_stem,
    long_date,
    running_header,
    verdict_label,
)

BRIEF_CONFIDENTIAL = ("Confidential: drawn from notes of customer visits, for use inside the "
                      "company only. Do not forward to the customer or to third parties.")
MAX_EARLIER = 5  # visits shown in full; older ones still count for people and roles
MAX_QUESTIONS = 8
# The roles every account needs to have heard from, with the article they read with.
KEY_ROLES: dict[Role, str] = {Role.ECONOMIC_BUYER: "an economic buyer",
                              Role.DECISION_MAKER: "a decision maker",
                              Role.INFLUENCER: "an influencer", Role.USER: "a user"}
FIRST_VISIT = "First visit to this account: nothing learned yet."


@dataclass(frozen=True)
class PastVisit:
    """One earlier visit as read from the workspace. The guide and entries are needed only
    for the latest one, whose unanswered questions become the open questions."""

    visit: Visit
    attendees: tuple[tuple[Attendee, Contact], ...]
    learnings: tuple[KeyLearning, ...]
    actions: tuple[ActionItem, ...]
    guide: Guide | None = None
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class BriefPoint:
    text: str  # what stands now: the customer's correction when there was one
    status: SummaryStatus
    read_back: str = ""  # a corrected point: what was read back before the correction

    @property
    def verdict(self) -> str:
        return _VERDICTS[self.status]


@dataclass(frozen=True)
class EarlierVisit:
    date: str  # as printed, e.g. "3 March 2026"
    iso_date: str
    objective: str
    stage: str
    met: str  # who was there, by name or role
    points: tuple[BriefPoint, ...]
    note: str = ""  # why there is no read-back, or that nothing was recorded


@dataclass(frozen=True)
class OpenQuestion:
    text: str
    state: str  # "skipped" or "not asked"
    section: str


@dataclass(frozen=True)
class OpenAction:
    text: str
    due: str  # as printed, empty when none was set
    overdue: bool
    raised: str  # the date of the visit that agreed it
    owner: str = ""  # who will do it; empty when no one was named


@dataclass(frozen=True)
class TeamActions:
    team: str
    items: tuple[OpenAction, ...]


@dataclass(frozen=True)
class PersonMet:
    name: str  # their role instead, when they did not agree to be named
    named: bool
    title: str  # empty unless they may be named
    roles: str  # every role they played across the visits
    visits: int
    last_met: str
    coming: bool  # planned for this visit too


@dataclass(frozen=True)
class ComingPerson:
    name: str  # their role instead, when they did not agree to be named
    named: bool
    roles: str
    met_before: int  # earlier visits they were at

    @property
    def history(self) -> str:
        if not self.met_before:
            return "first meeting"
        if self.met_before == 1:
            return "met once before"
        return f"met at {self.met_before} earlier visits"


@dataclass(frozen=True)
class RoleGap:
    role: Role
    covered: bool  # someone at this visit (planned or held) plays the role
    text: str  # "Never met: a user (one is planned for this visit)"


@dataclass(frozen=True)
class VisitBrief:
    title: str
    account: str
    visit_date: str
    iso_date: str
    fields: tuple[Field, ...]
    planned: bool  # the visit has not started yet
    status_note: str  # when the visit has already started or taken place
    coming: tuple[ComingPerson, ...]
    earlier: tuple[EarlierVisit, ...]  # newest first
    history_note: str  # the first visit, or how many older visits are left out
    questions: tuple[OpenQuestion, ...]
    questions_note: str
    actions: tuple[TeamActions, ...]
    actions_note: str
    people: tuple[PersonMet, ...]
    people_note: str
    gaps: tuple[RoleGap, ...]
    gaps_note: str
    confidential: str = BRIEF_CONFIDENTIAL
    generated: str = field(default_factory=lambda: long_date(date.today().isoformat()))

    @property
    def header(self) -> str:
        return running_header(self.account, self.visit_date)

    @property
    def file_stem(self) -> str:
        return brief_stem(self.iso_date, self.account)

    @property
    def first_visit(self) -> bool:
        return not self.earlier


def brief_stem(iso_date: str, account: str) -> str:
    """`2026-07-16 Brightway Regional Logistics brief`: sorts and reads like the reports."""
    return file_stem(iso_date, account, "brief")


def earlier_visits(visit: Visit, candidates: Iterable[Visit]) -> list[Visit]:
    """The completed visits to the same account that came before `visit`, newest first.
    On the same day, one that started earlier counts; a visit not yet started comes last."""
    def key(v: Visit) -> tuple[str, str]:
        return (v.visit_date, v.started_at or "\uffff")

    found = [v for v in candidates if v.id != visit.id and v.account_id == visit.account_id
             and v.status is VisitStatus.COMPLETED and key(v) < key(visit)]
    return sorted(found, key=lambda v: (key(v), v.created_at), reverse=True)


def build_brief(*, visit: Visit, account: Account,
                attendees: Sequence[tuple[Attendee, Contact]], earlier: Sequence[PastVisit],
                people: Iterable[Contact] = (), today: date | None = None) -> VisitBrief:
    """The brief for `visit`. `earlier` are the account's earlier completed visits, in any
    order; `people` all the account's contacts, for the naming rule."""
    today = today or date.today()
    past = sorted(earlier, key=lambda p: (p.visit.visit_date, p.visit.started_at or "",
                                          p.visit.created_at), reverse=True)
    everyone = [*people, *(c for _, c in attendees), *(c for p in past for _, c in p.attendees)]
    staff = [*visit.interviewers, *(i for p in past for i in p.visit.interviewers)]
    g = NameGuard.for_people(everyone, named_freely=staff)
    coming_roles = {r for a, c in attendees for r in (a.roles or c.roles)}
    met_ids = {c.id for p in past for _, c in p.attendees}
    shown = past[:MAX_EARLIER]
    older = len(past) - len(shown)

    questions, questions_note = _open_questions(past[0] if past else None, g)
    actions = _open_actions(past, g, today)
    people_met = _people(past, {c.id for _, c in attendees}, g)
    gaps = tuple(_gap(role, role in coming_roles, visit.status is VisitStatus.PLANNED)
                 for role in KEY_ROLES
                 if not any(role in (a.roles or c.roles) for p in past for a, c in p.attendees))
    return VisitBrief(
        title=f"Pre-visit brief: {g(account.name)}",
        account=g(account.name),
        visit_date=long_date(visit.visit_date),
        iso_date=visit.visit_date,
        fields=_fields(visit, account, g),
        planned=visit.status is VisitStatus.PLANNED,
        status_note=_status_note(visit),
        coming=tuple(ComingPerson(g(c.display_name()), _named(c),
                                  roles_label(a.roles or c.roles),
                                  sum(any(x.id == c.id for _, x in p.attendees) for p in past))
                     for a, c in attendees),
        earlier=tuple(_earlier(p, g) for p in shown),
        history_note=(FIRST_VISIT if not past else
                      f"{older} older visit{'s' if older > 1 else ''} not shown." if older
                      else ""),
        questions=questions,
        questions_note=questions_note,
        actions=actions,
        actions_note=("" if actions else "No earlier visit, so no action items yet."
                      if not past else "No action item from earlier visits is still open."),
        people=people_met,
        people_note="" if met_ids else "Nobody from this account has been met yet.",
        gaps=gaps,
        gaps_note=("" if gaps else "Every key role has been met: economic buyer, decision "
                   "maker, influencer and user."),
        generated=long_date(today.isoformat()),
    )


def _fields(visit: Visit, account: Account, g: NameGuard) -> tuple[Field, ...]:
    kind = ", ".join(x for x in (account.vertical, account.segment) if x)
    stage = account.lifecycle_stage.label
    if visit.lifecycle_stage is not account.lifecycle_stage:
        stage += f" (this visit: {visit.lifecycle_stage.label.lower()})"
    profile = ("Inside the ideal customer profile" if account.in_icp else
               "Outside the ideal customer profile"
               + (f": {g(account.icp_note)}" if account.icp_note else ""))
    rows = [
        ("Objective", g(visit.objective) or "Not written down yet"),
        ("Date", long_date(visit.visit_date)),
        ("Place", g(visit.place) or "Not recorded"),
        ("Interviewers", g(", ".join(visit.interviewers)) or "Not recorded"),
        ("Account", g(account.name) + (f" ({g(kind)})" if kind else "")),
        ("Stage", stage),
        ("Profile", profile),
    ]
    return tuple(Field(label, value) for label, value in rows)


def _gap(role: Role, covered: bool, planned: bool) -> RoleGap:
    text = f"Never met: {KEY_ROLES[role]}"
    if covered:
        text += " (one is planned for this visit)" if planned else " (one came to this visit)"
    return RoleGap(role, covered, text)


def _status_note(visit: Visit) -> str:
    if visit.status is VisitStatus.PLANNED:
        return ""
    if visit.status is VisitStatus.COMPLETED:
        return "This visit has taken place: the brief shows what was known before it."
    return "This visit has started: the brief shows what was known before it."


_VERDICTS = {status: verdict_label(status).lower() for status in SummaryStatus}


def _earlier(p: PastVisit, g: NameGuard) -> EarlierVisit:
    v = p.visit
    order = sorted(p.learnings, key=lambda kl: kl.position)
    points = tuple(
        BriefPoint(g(kl.final_text), kl.status,
                   g(kl.text) if kl.status is SummaryStatus.CORRECTED else "")
        for kl in order)
    if v.summary_skip_reason:
        note = f"The read-back was skipped: {g(v.summary_skip_reason)}"
    elif not points:
        note = "No key learnings were recorded."
    else:
        note = ""
    # semicolons: a person shown by role may have several roles, joined by commas
    met = "; ".join(g(c.display_name()) for _, c in p.attendees) or "No attendees recorded"
    return EarlierVisit(date=long_date(v.visit_date), iso_date=v.visit_date,
                        objective=g(v.objective), stage=v.lifecycle_stage.label, met=met,
                        points=points, note=note)


def _open_questions(last: PastVisit | None,
                    g: NameGuard) -> tuple[tuple[OpenQuestion, ...], str]:
    """The last visit's guide questions that got no answer: skipped ones first, since the
    interviewer chose to leave them, then the ones never reached, in guide order."""
    if last is None:
        return (), "No earlier visit, so no open questions yet."
    if last.guide is None:
        return (), "The guide of the last visit is not available."
    answered = _answered(last.entries)
    skipped = set(last.visit.skipped_questions)
    found = [OpenQuestion(g(q.text), "skipped" if q.key in skipped else "not asked",
                          g(s.title))
             for s, q in last.guide.questions() if q.key not in answered]
    found.sort(key=lambda q: q.state != "skipped")  # stable: guide order within each kind
    if not found:
        return (), "Every question of the guide was answered at the last visit."
    shown = tuple(found[:MAX_QUESTIONS])
    rest = len(found) - len(shown)
    return shown, (f"{rest} more not answered at the last visit." if rest else "")


def _answered(entries: Sequence[Entry]) -> set[str]:
    """Questions that got something: an answer with text or probes, or a note beside them.
    The same test the visit report applies, so both agree on what was left open."""
    parents = {e.parent_id for e in entries if e.parent_id}
    out = set()
    for e in entries:
        if not e.question_key or e.parent_id or e.kind is EntryKind.PROBE:
            continue
        if e.kind is not EntryKind.ANSWER or e.text.strip() or e.id in parents:
            out.add(e.question_key)
    return out


def _open_actions(past: Sequence[PastVisit], g: NameGuard,
                  today: date) -> tuple[TeamActions, ...]:
    rows: dict[Team, list[tuple[str, OpenAction]]] = {}
    for p in past:
        for x in sorted(p.actions, key=lambda x: x.position):
            if x.status is ActionStatus.DONE:
                continue
            overdue = bool(x.due_date) and (x.due_date or "") < today.isoformat()
            item = OpenAction(g(x.text), long_date(x.due_date) if x.due_date else "",
                              overdue, long_date(p.visit.visit_date), g(x.owner))
            rows.setdefault(x.team, []).append((x.due_date or "\uffff", item))
    # soonest due first; sorting is stable, so items due the same day keep their order
    return tuple(TeamActions(team.label, tuple(i for _, i in sorted(rows[team],
                                                                     key=lambda r: r[0])))
                 for team in Team if team in rows)


def _people(past: Sequence[PastVisit], coming: set[str], g: NameGuard) -> tuple[PersonMet, ...]:
    """Everyone met before, most often met first; `past` is newest first."""
    seen: dict[str, tuple[Contact, set[Role], int, str]] = {}
    for p in past:
        for a, c in p.attendees:
            contact, roles, count, last = seen.get(c.id, (c, set(), 0, p.visit.visit_date))
            seen[c.id] = (contact, roles | set(a.roles or c.roles), count + 1, last)
    order = sorted(seen.values(), key=lambda s: (s[2], s[3]), reverse=True)
    return tuple(
        PersonMet(name=g(c.display_name()), named=_named(c),
                  title=g(c.title) if _named(c) else "",
                  roles=roles_label(tuple(r for r in Role if r in roles)), visits=count,
                  last_met=long_date(last), coming=c.id in coming)
        for c, roles, count, last in order)


def _named(c: Contact) -> bool:
    return c.display_name() == c.name
