"""Changing a visit before it starts: its objective, date, place and interviewers, moving
it to the newest version of its guide, or cancelling it. A visit under way or done keeps
what it was planned with."""

from __future__ import annotations

from datetime import date

from voc_desktop.domain.visit import Visit, VisitStatus
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import get_visit
from voc_desktop.services.workspace.workspace import Workspace


def _planned(ws: Workspace, visit_id: str) -> Visit:
    visit = get_visit(ws, visit_id)
    if visit.status is not VisitStatus.PLANNED:
        raise ServiceError(f"This visit is {visit.status.label.lower()}; only a planned visit "
                           "can be changed.")
    return visit


def edit_planned_visit(ws: Workspace, visit_id: str, *, objective: str | None = None,
                       visit_date: str | None = None, place: str | None = None,
                       interviewers: tuple[str, ...] | None = None) -> Visit:
    """Change what a planned visit is for, when and where it is, and who goes; a new date
    is a reschedule."""
    _planned(ws, visit_id)
    changes: dict[str, object] = {}
    if objective is not None:
        if not objective.strip():
            raise ServiceError("Write down the visit's one objective before it starts.")
        changes["objective"] = objective.strip()
    if visit_date is not None:
        try:
            changes["visit_date"] = date.fromisoformat(visit_date).isoformat()
        except ValueError as exc:
            raise ServiceError(f"'{visit_date}' is not a date (use YYYY-MM-DD).") from exc
    if place is not None:
        changes["place"] = place.strip()
    if interviewers is not None:
        changes["interviewers"] = tuple(i.strip() for i in interviewers if i.strip())
    if changes:
        with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
            ws.visits.update(visit_id, **changes)
    return get_visit(ws, visit_id)


def move_to_current_guide(ws: Workspace, visit_id: str) -> Visit:
    """Plan the visit with the newest version of its guide."""
    visit = _planned(ws, visit_id)
    used = ws.guides.version(visit.guide_version_id)
    latest = ws.guides.latest(used.guide.guide_id) if used else None
    if latest is None:
        raise ServiceError("The visit's guide is no longer in this workspace.")
    if latest.version_id != visit.guide_version_id:
        with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
            ws.visits.update(visit_id, guide_version_id=latest.version_id,
                             current_question=None, skipped_questions=())
    return get_visit(ws, visit_id)


def cancel_planned_visit(ws: Workspace, visit_id: str) -> None:
    """Take a planned visit off the plan (a tombstone, so bundles carry the cancellation)."""
    _planned(ws, visit_id)
    with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
        ws.visits.cancel(visit_id)
