"""Closing a visit: the summarize-back step, completion, action items and the next contact."""

from __future__ import annotations

from datetime import date

from voc_desktop.domain.visit import (
    ActionItem,
    ActionStatus,
    KeyLearning,
    SummaryStatus,
    Team,
    Visit,
    VisitStatus,
    can_complete,
    pending_points,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import get_visit
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import new_id, now_utc


def end_interview(ws: Workspace, visit_id: str) -> Visit:
    """Stop asking and move to reading the key learnings back to the customer."""
    visit = get_visit(ws, visit_id)
    if visit.status is VisitStatus.COMPLETED:
        raise ServiceError("This visit is already completed.")
    with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
        ws.visits.update(visit_id, status=VisitStatus.SUMMARIZING,
                         started_at=visit.started_at or now_utc(),
                         ended_at=visit.ended_at or now_utc())
    return get_visit(ws, visit_id)


def resume_interview(ws: Workspace, visit_id: str) -> Visit:
    """Back from summarize-back to the questions (the customer raised something new)."""
    visit = get_visit(ws, visit_id)
    if visit.status is not VisitStatus.SUMMARIZING:
        raise ServiceError("Only a visit in summarize-back can go back to the questions.")
    with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
        # the interview goes on, so the next end_interview records the real end
        ws.visits.update(visit_id, status=VisitStatus.IN_PROGRESS, ended_at=None)
    return get_visit(ws, visit_id)


def set_point_status(ws: Workspace, learning_id: str, status: SummaryStatus,
                     correction: str = "") -> KeyLearning:
    """Record the customer's verdict on one point read back to them."""
    learning = ws.visits.learning(learning_id)
    if learning is None:
        raise ServiceError("That key learning no longer exists.")
    if get_visit(ws, learning.visit_id).status is VisitStatus.COMPLETED:
        raise ServiceError("This visit is completed and can no longer be changed.")
    correction = correction.strip()
    if status is SummaryStatus.CORRECTED and not correction:
        raise ServiceError("A corrected point needs the customer's corrected wording.")
    with ws.write(["key_learnings"], visit_id=learning.visit_id, ids=[learning_id]):
        ws.visits.update_learning(learning_id, status=status,
                                  correction=correction if status is SummaryStatus.CORRECTED
                                  else "")
    return ws.visits.learning(learning_id) or learning


def skip_summary(ws: Workspace, visit_id: str, reason: str) -> Visit:
    """Skip the read-back, with the reason written down (it shows in the report)."""
    if get_visit(ws, visit_id).status is VisitStatus.COMPLETED:
        raise ServiceError("This visit is completed and can no longer be changed.")
    reason = reason.strip()
    if not reason:
        raise ServiceError("Say why the summarize-back step is skipped.")
    with ws.batch():  # the reason and the completion are written together, or neither
        with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
            ws.visits.update(visit_id, summary_skip_reason=reason)
        return complete_visit(ws, visit_id)


def complete_visit(ws: Workspace, visit_id: str) -> Visit:
    visit = get_visit(ws, visit_id)
    if visit.status is VisitStatus.COMPLETED:
        return visit
    if visit.status is VisitStatus.PLANNED:
        raise ServiceError("This visit has not started yet; a visit that did not happen "
                           "is not completed.")
    learnings = ws.visits.learnings(visit_id)
    if not learnings and not can_complete(learnings, visit.summary_skip_reason):
        raise ServiceError("There is nothing to read back yet: add the key learnings to "
                           "confirm with the customer, or skip the step with a reason.")
    if not can_complete(learnings, visit.summary_skip_reason):
        waiting = len(pending_points(learnings))
        raise ServiceError(
            f"{waiting} key learning{'s still wait' if waiting != 1 else ' still waits'} for the "
            "customer's "
            "answer: confirm, correct or reject each, or skip the step with a reason.")
    with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
        ws.visits.update(visit_id, status=VisitStatus.COMPLETED,
                         started_at=visit.started_at or now_utc(),
                         ended_at=visit.ended_at or now_utc())
    return get_visit(ws, visit_id)


def add_action_item(ws: Workspace, visit_id: str, text: str, team: Team, *,
                    due_date: str | None = None, owner: str = "") -> ActionItem:
    """Route something learned to the team that must act on it, and the person who will."""
    get_visit(ws, visit_id)
    text = text.strip()
    if not text:
        raise ServiceError("An action item needs a description.")
    item = ActionItem(new_id(), visit_id, text, _team(team), due_date=_check_date(due_date),
                      owner=_owner(owner))
    with ws.write(["action_items"], visit_id=visit_id, ids=[item.id]):
        ws.visits.add_action(item)
    return next(a for a in ws.visits.actions(visit_id) if a.id == item.id)


def update_action_item(ws: Workspace, action_id: str, visit_id: str, **changes: object) -> None:
    if "due_date" in changes:
        changes["due_date"] = _check_date(changes["due_date"])  # type: ignore[arg-type]
    if "team" in changes:
        changes["team"] = _team(changes["team"])
    if "owner" in changes:
        changes["owner"] = _owner(changes["owner"])
    if "status" in changes:
        try:
            changes["status"] = ActionStatus(changes["status"])
        except ValueError as exc:
            raise ServiceError(f"'{changes['status']}' is not an action status.") from exc
    with ws.write(["action_items"], visit_id=visit_id, ids=[action_id]):
        if not ws.visits.update_action(action_id, **changes):
            raise ServiceError("That action item no longer exists.")


def set_action_status(ws: Workspace, action_id: str, visit_id: str,
                      status: ActionStatus) -> None:
    update_action_item(ws, action_id, visit_id, status=status)


def delete_action_item(ws: Workspace, action_id: str, visit_id: str) -> None:
    with ws.write(["action_items"], visit_id=visit_id, ids=[action_id]):
        ws.visits.delete_action(action_id)


def set_next_contact(ws: Workspace, visit_id: str, when: str | None) -> Visit:
    when = _check_date(when)
    with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
        ws.visits.update(visit_id, next_contact_date=when)
    return get_visit(ws, visit_id)


def _check_date(value: str | None) -> str | None:
    """The date as YYYY-MM-DD (None when blank), so dates sort as text."""
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise ServiceError(f"'{value}' is not a date (use YYYY-MM-DD).") from exc


def _owner(value: object) -> str:
    """Who will do it on one line, however it was typed or pasted."""
    return " ".join(str(value or "").split())


def _team(value: object) -> Team:
    try:
        return Team(value)
    except ValueError as exc:
        raise ServiceError(f"'{value}' is not a team an action can be routed to.") from exc
