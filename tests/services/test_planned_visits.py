"""A planned visit can be changed before it starts: edited, rescheduled, moved to the
newest version of its guide, or cancelled; once started it keeps what it was planned with."""

from __future__ import annotations

import pytest

from voc_desktop.domain.guide_file import load_default_guide
from voc_desktop.services.accounts import create_account
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.planned_visits import (
    cancel_planned_visit,
    edit_planned_visit,
    move_to_current_guide,
)
from voc_desktop.services.visits import get_visit, plan_visit, start_visit


@pytest.fixture
def planned(ws):
    account = create_account(ws, "Nordic Cans")
    return plan_visit(ws, account.id, "Why changeovers take long", visit_date="2026-09-01")


def test_edit_and_reschedule(ws, planned):
    """New objective, date, place and interviewers are kept; bad input changes nothing."""
    changed = edit_planned_visit(ws, planned.id, objective=" Hear the night shift ",
                                 visit_date="2026-09-15", place="Line 2",
                                 interviewers=("Ana", " "))
    assert (changed.objective, changed.visit_date, changed.place, changed.interviewers) == (
        "Hear the night shift", "2026-09-15", "Line 2", ("Ana",))
    with pytest.raises(ServiceError, match="not a date"):
        edit_planned_visit(ws, planned.id, visit_date="15/09")
    with pytest.raises(ServiceError, match="objective"):
        edit_planned_visit(ws, planned.id, objective="  ")
    assert get_visit(ws, planned.id) == changed


def test_move_to_the_newest_guide_version(ws, planned):
    """With a newer version of its guide in the workspace, the visit moves to it."""
    newer = load_default_guide().with_version(99)
    with ws.write(["guide_versions"]):
        ws.guides.add_version(newer.version_id, newer)
    assert planned.guide_version_id != newer.version_id
    assert move_to_current_guide(ws, planned.id).guide_version_id == newer.version_id


def test_cancel_takes_it_off_the_plan(ws, planned):
    """A cancelled visit is no longer listed or found."""
    cancel_planned_visit(ws, planned.id)
    assert planned.id not in {v.id for v in ws.visits.list()}
    with pytest.raises(ServiceError):
        get_visit(ws, planned.id)


def test_a_started_visit_cannot_be_changed(ws, planned):
    """Once under way, the plan is what it was."""
    start_visit(ws, planned.id)
    for change in (lambda: edit_planned_visit(ws, planned.id, place="x"),
                   lambda: move_to_current_guide(ws, planned.id),
                   lambda: cancel_planned_visit(ws, planned.id)):
        with pytest.raises(ServiceError, match="only a planned visit"):
            change()
    assert get_visit(ws, planned.id).place == ""
