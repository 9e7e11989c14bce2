"""Planning and opening visits, and reading a whole visit back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from voc_desktop.domain.accounts import Account, Contact, LifecycleStage, Role
from voc_desktop.domain.guide import Guide
from voc_desktop.domain.guide_file import DEFAULT_GUIDE_ID
from voc_desktop.domain.visit import (
    ActionItem,
    Attendee,
    Entry,
    EntryKind,
    KeyLearning,
    Visit,
    VisitStatus,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import new_id, now_utc


@dataclass(frozen=True)
class AttendeeView:
    attendee: Attendee
    contact: Contact


@dataclass(frozen=True)
class VisitRecord:
    """A whole visit as one read: what the screens, the command line and reports show."""

    visit: Visit
    account: Account
    guide_version_id: str
    guide: Guide
    attendees: tuple[AttendeeView, ...]
    entries: tuple[Entry, ...]
    learnings: tuple[KeyLearning, ...]
    actions: tuple[ActionItem, ...]

    def answer(self, question_key: str) -> Entry | None:
        for e in self.entries:
            if e.kind is EntryKind.ANSWER and e.question_key == question_key:
                return e
        return None

    def children(self, entry_id: str) -> list[Entry]:
        return [e for e in self.entries if e.parent_id == entry_id]

    def contact(self, contact_id: str | None) -> Contact | None:
        return next((a.contact for a in self.attendees if a.contact.id == contact_id), None)


def plan_visit(ws: Workspace, account_id: str, objective: str, *, visit_date: str | None = None,
               place: str = "", interviewers: tuple[str, ...] = (),
               guide_version_id: str | None = None,
               attendees: tuple[tuple[str, tuple[Role, ...]], ...] = (),
               stage: LifecycleStage | None = None) -> Visit:
    """A new planned visit. Every contact has one objective, written down before it starts."""
    objective = (objective or "").strip()
    if not objective:
        raise ServiceError("Write down the visit's one objective before it starts.")
    account = ws.accounts.get(account_id)
    if account is None:
        raise ServiceError("That account no longer exists.")
    if guide_version_id is None:
        guide_version_id = default_guide_version(ws, account_id)
    elif ws.guides.version(guide_version_id) is None:
        raise ServiceError("That guide version is not in this workspace.")
    visit_date = visit_date or date.today().isoformat()
    try:
        # stored as YYYY-MM-DD whatever ISO spelling came in, so dates sort as text
        visit_date = date.fromisoformat(visit_date).isoformat()
    except ValueError as exc:
        raise ServiceError(f"'{visit_date}' is not a date (use YYYY-MM-DD).") from exc
    visit = Visit(
        id=new_id(), account_id=account_id, guide_version_id=guide_version_id,
        objective=objective, visit_date=visit_date, place=place.strip(),
        interviewers=tuple(i.strip() for i in interviewers if i.strip()),
        lifecycle_stage=stage or account.lifecycle_stage,
    )
    if len({contact_id for contact_id, _ in attendees}) != len(attendees):
        raise ServiceError("The same person is listed twice among the attendees.")
    with ws.write(["visits", "attendees"], visit_id=visit.id, ids=[visit.id]):
        ws.visits.add(visit)
        for contact_id, roles in attendees:
            contact = ws.accounts.contact(contact_id)
            if contact is None or contact.account_id != account_id:
                raise ServiceError("An attendee is not a contact of this account.")
            ws.visits.add_attendee(Attendee(new_id(), visit.id, contact_id,
                                            tuple(roles) or contact.roles))
    return get_visit(ws, visit.id)


def default_guide_version(ws: Workspace, account_id: str | None = None) -> str:
    """The guide a new visit starts with: the latest version of the guide this account's
    last visit used, else of the guide that ships with the app, else of any guide."""
    last = ws.visits.list(account_id=account_id)[:1] if account_id else []
    if last:
        used = ws.guides.version(last[0].guide_version_id)
        latest = ws.guides.latest(used.guide.guide_id) if used else None
        if latest:
            return latest.version_id
    shipped = ws.guides.latest(DEFAULT_GUIDE_ID)
    if shipped:
        return shipped.version_id
    guides = ws.guides.list_latest()
    if not guides:
        raise ServiceError("There is no guide in this workspace; import one first.")
    return guides[0].version_id


def add_attendee(ws: Workspace, visit_id: str, contact_id: str,
                 roles: tuple[Role, ...] = ()) -> Attendee:
    visit = get_visit(ws, visit_id)
    contact = ws.accounts.contact(contact_id)
    if contact is None or contact.account_id != visit.account_id:
        raise ServiceError("That person is not a contact of this visit's account.")
    if any(a.contact_id == contact_id for a in ws.visits.attendees(visit_id)):
        raise ServiceError(f"{contact.name} is already an attendee of this visit.")
    attendee = Attendee(new_id(), visit_id, contact_id, tuple(roles) or contact.roles)
    with ws.write(["attendees"], visit_id=visit_id, ids=[attendee.id]):
        ws.visits.add_attendee(attendee)
    return attendee


def get_visit(ws: Workspace, visit_id: str) -> Visit:
    visit = ws.visits.get(visit_id)
    if visit is None:
        raise ServiceError(f"No visit with id {visit_id}.")
    return visit


def find_visit(ws: Workspace, ref: str) -> Visit:
    """A visit by its id or by a unique beginning of it (as shown by `voc visit list`)."""
    visit = ws.visits.get(ref)
    if visit:
        return visit
    matches = [v for v in ws.visits.list() if v.id.startswith(ref)] if len(ref) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ServiceError(f"'{ref}' matches {len(matches)} visits; give more of the id.")
    raise ServiceError(f"No visit with id {ref}. `voc visit list` shows them.")


def start_visit(ws: Workspace, visit_id: str) -> Visit:
    """Open the interview; the first start fixes the clock that entries are stamped against."""
    visit = get_visit(ws, visit_id)
    if visit.status is VisitStatus.COMPLETED:
        raise ServiceError("This visit is completed; it can be read but not run again.")
    if visit.status is VisitStatus.PLANNED:
        with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
            ws.visits.update(visit_id, status=VisitStatus.IN_PROGRESS,
                             started_at=visit.started_at or now_utc())
    return get_visit(ws, visit_id)


def load_visit(ws: Workspace, visit_id: str) -> VisitRecord:
    visit = get_visit(ws, visit_id)
    account = ws.accounts.get(visit.account_id)
    stored = ws.guides.version(visit.guide_version_id)
    if account is None or stored is None:
        raise ServiceError("This visit's account or guide is missing from the workspace.")
    attendees = []
    for a in ws.visits.attendees(visit_id):
        contact = ws.accounts.contact(a.contact_id)
        if contact is not None:
            attendees.append(AttendeeView(a, contact))
    return VisitRecord(
        visit, account, stored.version_id, stored.guide, tuple(attendees),
        tuple(ws.visits.entries(visit_id)), tuple(ws.visits.learnings(visit_id)),
        tuple(ws.visits.actions(visit_id)),
    )
