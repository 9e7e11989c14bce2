"""The contact plan read from a workspace, and the per-workspace cadence settings."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

import pytest

from voc_desktop.domain.accounts import LifecycleStage
from voc_desktop.domain.contact_plan import ContactStatus, DueBasis, load_cadence
from voc_desktop.domain.visit import Visit, VisitStatus
from voc_desktop.services.accounts import create_account, update_account
from voc_desktop.services.closing import set_next_contact
from voc_desktop.services.contact_plan import (
    META_CADENCE,
    cadence,
    cadence_settings,
    contact_plan,
    due_now,
    parse_stage,
    set_cadence,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import plan_visit
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import get_meta, set_meta
from voc_desktop.store.plans import plan_visits

TODAY = date(2025, 6, 15)


def add_visit(ws: Workspace, account_id: str, days_ago: int,
              status: VisitStatus = VisitStatus.COMPLETED, objective: str = "Learn") -> Visit:
    visit = plan_visit(ws, account_id, objective,
                       visit_date=(TODAY - timedelta(days=days_ago)).isoformat())
    if status is not VisitStatus.PLANNED:
        with ws.write(["visits"]):
            ws.visits.update(visit.id, status=status)
    got = ws.visits.get(visit.id)
    assert got is not None
    return got


def names(contacts) -> list[str]:
    return [c.account.name for c in contacts]


def test_plan_of_a_workspace_lists_due_accounts_soonest_first(ws: Workspace) -> None:
    """Overdue and never-visited accounts are due; a recent visit is ok; outside the
    profile is left out."""
    late = create_account(ws, "Late Co")
    add_visit(ws, late.id, 100)
    create_account(ws, "New Co", stage=LifecycleStage.PROSPECT)
    recent = create_account(ws, "Recent Co")
    add_visit(ws, recent.id, 10)
    outside = create_account(ws, "Tiny Co", in_icp=False, icp_note="too small")
    add_visit(ws, outside.id, 300)
    plan = contact_plan(ws, TODAY)
    assert names(plan) == ["Late Co", "New Co", "Recent Co"]
    assert [c.status for c in plan] == [ContactStatus.OVERDUE, ContactStatus.DUE,
                                        ContactStatus.OK]
    assert names(due_now(plan)) == ["Late Co", "New Co"]
    everything = contact_plan(ws, TODAY, include_outside_icp=True)
    # asked for, the account outside the profile takes its place by date (300 days ago)
    assert names(everything) == ["Tiny Co", "Late Co", "New Co", "Recent Co"]
    assert everything[0].outside_icp


def test_a_visit_planned_outside_the_profile_is_always_due_now(ws: Workspace) -> None:
    """The plan lists a visit planned in nine days with an account outside the profile
    without being asked, and one planned two months ahead, soonest first."""
    from voc_desktop.services.visits import plan_visit

    later = create_account(ws, "Later Co")
    outside = create_account(ws, "Tiny Co", in_icp=False, icp_note="too small")
    recent = create_account(ws, "Recent Co")
    add_visit(ws, recent.id, 10)
    plan_visit(ws, outside.id, "Hear why they left",
               visit_date=(TODAY + timedelta(days=9)).isoformat())
    plan_visit(ws, later.id, "Hear about the renewal",
               visit_date=(TODAY + timedelta(days=60)).isoformat())
    plan = contact_plan(ws, TODAY)
    assert names(due_now(plan)) == ["Tiny Co", "Later Co"]
    assert due_now(plan)[0].outside_icp and due_now(plan)[0].planned_visit is not None


def test_planned_visit_and_next_contact_date_come_from_the_workspace(ws: Workspace) -> None:
    """A planned visit gives date and objective; a next contact date set at closing wins
    over the cadence."""
    planned = create_account(ws, "Planned Co")
    add_visit(ws, planned.id, 200)
    upcoming = add_visit(ws, planned.id, -3, VisitStatus.PLANNED, "See the night shift")
    noted = create_account(ws, "Noted Co")
    last = add_visit(ws, noted.id, 20)
    set_next_contact(ws, last.id, (TODAY + timedelta(days=5)).isoformat())
    by_name = {c.account.name: c for c in contact_plan(ws, TODAY)}
    p = by_name["Planned Co"]
    assert (p.status, p.objective, p.planned_visit.id) == (
        ContactStatus.PLANNED, "See the night shift", upcoming.id)
    n = by_name["Noted Co"]
    assert (n.basis, n.due_date, n.status) == (
        DueBasis.NEXT_CONTACT_DATE, TODAY + timedelta(days=5), ContactStatus.DUE)


def test_stage_change_in_the_workspace_moves_the_due_date(ws: Workspace) -> None:
    """Moving an account to at risk makes a 40-day-old visit overdue at once."""
    acc = create_account(ws, "Acme", stage=LifecycleStage.ACTIVE)
    add_visit(ws, acc.id, 40)
    assert contact_plan(ws, TODAY)[0].status is ContactStatus.OK
    update_account(ws, acc.id, lifecycle_stage=LifecycleStage.AT_RISK)
    c = contact_plan(ws, TODAY)[0]
    assert (c.stage, c.status, c.days_overdue) == (
        LifecycleStage.AT_RISK, ContactStatus.OVERDUE, 10)


def test_today_defaults_to_the_local_date(ws: Workspace) -> None:
    """Without a date, the plan is made for today: a new account is due today."""
    create_account(ws, "Fresh")
    c = contact_plan(ws)[0]
    assert c.due_date == date.today() and c.days_overdue == 0


def test_plan_visits_reads_last_completed_and_open_visits_only(ws: Workspace) -> None:
    """The store query returns each account's latest completed visit and every open one,
    leaving out older and deleted visits."""
    a = create_account(ws, "A")
    b = create_account(ws, "B")
    add_visit(ws, a.id, 300)
    middle = add_visit(ws, a.id, 100)
    newest = add_visit(ws, a.id, 50)
    open_a = add_visit(ws, a.id, -10, VisitStatus.PLANNED)
    running = add_visit(ws, b.id, 0, VisitStatus.IN_PROGRESS)
    only_b = add_visit(ws, b.id, 70)
    assert {v.id for v in plan_visits(ws.db)} == {newest.id, open_a.id, running.id, only_b.id}
    with ws.write(["visits"]):
        ws.visits.records.delete("visits", newest.id)
    assert {v.id for v in plan_visits(ws.db)} == {middle.id, open_a.id, running.id, only_b.id}


def test_same_day_visits_pick_the_one_written_last(ws: Workspace) -> None:
    """Two completed visits on one day: the later-written one is the last contact, in the
    store query and in the rules alike."""
    acc = create_account(ws, "Twice")
    add_visit(ws, acc.id, 30)
    time.sleep(0.005)  # stamps are to the millisecond
    second = add_visit(ws, acc.id, 30)
    set_next_contact(ws, second.id, TODAY.isoformat())
    assert [v.id for v in plan_visits(ws.db)] == [second.id]
    assert contact_plan(ws, TODAY)[0].basis is DueBasis.NEXT_CONTACT_DATE


def test_set_cadence_changes_the_plan_and_survives_reopening(ws: Workspace) -> None:
    """A 30-day active cadence makes a 40-day gap overdue, and is kept in the workspace."""
    acc = create_account(ws, "Acme")
    add_visit(ws, acc.id, 40)
    setting = set_cadence(ws, "active", 30)
    assert (setting.days, setting.default_days, setting.changed) == (30, 90, True)
    assert contact_plan(ws, TODAY)[0].days_overdue == 10
    again = Workspace.open(ws.data_dir)
    try:
        assert cadence(again).for_stage(LifecycleStage.ACTIVE).days == 30
    finally:
        again.close()


def test_set_cadence_tells_listeners(ws: Workspace) -> None:
    """Changing a cadence is one write that listeners hear about as a meta change."""
    heard = []
    ws.subscribe(heard.append)
    set_cadence(ws, LifecycleStage.LOST, 365)
    assert len(heard) == 1 and heard[0].tables == frozenset({"meta"})


def test_setting_the_shipped_value_drops_the_change(ws: Workspace) -> None:
    """Only changed stages are stored; going back to the shipped days forgets the change."""
    set_cadence(ws, "renewal", 45)
    set_cadence(ws, "prospect", 10)
    assert json.loads(get_meta(ws.db, META_CADENCE)) == {"prospect": 10, "renewal": 45}
    set_cadence(ws, "renewal", load_cadence().for_stage(LifecycleStage.RENEWAL).days)
    assert json.loads(get_meta(ws.db, META_CADENCE)) == {"prospect": 10}
    settings = {s.stage: s for s in cadence_settings(ws)}
    assert not settings[LifecycleStage.RENEWAL].changed
    assert settings[LifecycleStage.PROSPECT].changed


@pytest.mark.parametrize("days", [0, 731, -1, True, 2.5])
def test_set_cadence_refuses_days_out_of_range(ws: Workspace, days: object) -> None:
    """Days outside 1–730 (or not whole) are refused and nothing is stored."""
    with pytest.raises(ServiceError, match="1 to 730"):
        set_cadence(ws, "active", days)  # type: ignore[arg-type]
    assert get_meta(ws.db, META_CADENCE) is None


def test_set_cadence_refuses_an_unknown_stage(ws: Workspace) -> None:
    """An unknown stage name is refused with the list of stages."""
    with pytest.raises(ServiceError, match="at_risk, lost"):
        set_cadence(ws, "dormant", 30)
    assert get_meta(ws.db, META_CADENCE) is None


@pytest.mark.parametrize("text", ["at_risk", "at-risk", "At risk", " AT RISK "])
def test_stage_names_are_read_as_people_type_them(text: str) -> None:
    """Spaces, hyphens and capitals all name the same stage."""
    assert parse_stage(text) is LifecycleStage.AT_RISK


def test_damaged_stored_cadence_is_reported_and_can_be_set_again(ws: Workspace) -> None:
    """A stored value that cannot be used names the stage and the command that fixes it;
    setting the stage again repairs the plan."""
    set_meta(ws.db, META_CADENCE, json.dumps({"active": 0, "future_stage": 12}))
    with pytest.raises(ServiceError, match="active stage .*voc plan cadence active DAYS"):
        contact_plan(ws, TODAY)
    set_cadence(ws, "active", 60)
    assert cadence(ws).for_stage(LifecycleStage.ACTIVE).days == 60


def test_unreadable_stored_cadence_is_replaced_by_the_next_setting(ws: Workspace) -> None:
    """Settings that are not JSON are reported, then replaced by the next change."""
    set_meta(ws.db, META_CADENCE, "{not json")
    with pytest.raises(ServiceError, match="cannot be read"):
        cadence_settings(ws)
    set_cadence(ws, "lost", 90)
    assert json.loads(get_meta(ws.db, META_CADENCE)) == {"lost": 90}
