"""The contact plan's rules: which date each account is due, why, and with what objective."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from voc_desktop.domain.accounts import Account, LifecycleStage
from voc_desktop.domain.contact_plan import (
    Cadence,
    ContactStatus,
    DueBasis,
    StageCadence,
    cadence_from_dict,
    check_days,
    due_contacts,
    listed_at_first,
    load_cadence,
    plan_account,
)
from voc_desktop.domain.visit import Visit, VisitStatus

TODAY = date(2025, 6, 15)
CADENCE = load_cadence()


def account(name: str = "Acme", stage: LifecycleStage = LifecycleStage.ACTIVE,
            in_icp: bool = True) -> Account:
    return Account(id=f"id-{name.lower()}", name=name, lifecycle_stage=stage, in_icp=in_icp)


def visit(acc: Account, days_ago: int, status: VisitStatus = VisitStatus.COMPLETED,
          objective: str = "Learn something", next_contact: date | None = None,
          vid: str | None = None, created_at: str = "") -> Visit:
    return Visit(id=vid or f"v-{acc.id}-{days_ago}-{status.value}", account_id=acc.id,
                 guide_version_id="g", objective=objective,
                 visit_date=(TODAY - timedelta(days=days_ago)).isoformat(), status=status,
                 next_contact_date=next_contact.isoformat() if next_contact else None,
                 created_at=created_at)


def plan(acc: Account, *visits: Visit, cadence: Cadence = CADENCE):
    return plan_account(acc, visits, TODAY, cadence)


def test_shipped_cadence_covers_every_stage_with_an_objective() -> None:
    """The shipped file has days and a written objective for all six stages; lost is 180."""
    assert [s.stage for s in CADENCE.stages] == list(LifecycleStage)
    assert all(1 <= s.days <= 730 and len(s.objective) > 20 for s in CADENCE.stages)
    days = {s.stage: s.days for s in CADENCE.stages}
    assert days[LifecycleStage.ACTIVE] == 90 and days[LifecycleStage.LOST] == 180
    assert days[LifecycleStage.PROSPECT] == days[LifecycleStage.ONBOARDING] == 30
    assert CADENCE.due_window == 14
    assert "renewal" in CADENCE.for_stage(LifecycleStage.RENEWAL).objective


def test_never_visited_account_is_due_today() -> None:
    """An account with no visit at all is due now, with its stage's default objective."""
    c = plan(account(stage=LifecycleStage.PROSPECT))
    assert (c.due_date, c.days_overdue, c.status, c.basis) == (
        TODAY, 0, ContactStatus.DUE, DueBasis.NEVER_VISITED)
    assert c.last_contact is None and c.planned_visit is None and c.within_window
    assert c.objective == CADENCE.for_stage(LifecycleStage.PROSPECT).objective


def test_overdue_by_days_past_the_cadence() -> None:
    """An active account last visited 100 days ago is 10 days overdue (90-day cadence)."""
    acc = account()
    c = plan(acc, visit(acc, 100))
    assert c.last_contact == TODAY - timedelta(days=100)
    assert c.due_date == TODAY - timedelta(days=10)
    assert (c.days_overdue, c.status, c.basis) == (10, ContactStatus.OVERDUE, DueBasis.CADENCE)
    assert c.objective == CADENCE.for_stage(LifecycleStage.ACTIVE).objective


@pytest.mark.parametrize(("days_ago", "days_overdue", "status", "within"), [
    (90, 0, ContactStatus.DUE, True),  # due today
    (80, -10, ContactStatus.DUE, True),
    (76, -14, ContactStatus.DUE, True),  # the window's last day
    (75, -15, ContactStatus.OK, False),
    (10, -80, ContactStatus.OK, False),
    (91, 1, ContactStatus.OVERDUE, True),
])
def test_due_window_edges(days_ago: int, days_overdue: int, status: ContactStatus,
                          within: bool) -> None:
    """Due counts from today to 14 days ahead; later is ok, earlier is overdue."""
    acc = account()
    c = plan(acc, visit(acc, days_ago))
    assert (c.days_overdue, c.status, c.within_window) == (days_overdue, status, within)


def test_due_window_follows_the_cadence() -> None:
    """A narrower window makes the same contact 'ok' instead of 'due'."""
    acc = account()
    narrow = replace(CADENCE, due_window=3)
    assert plan(acc, visit(acc, 80), cadence=narrow).status is ContactStatus.OK
    assert plan(acc, visit(acc, 88), cadence=narrow).status is ContactStatus.DUE


def test_planned_visit_sets_date_and_objective() -> None:
    """A planned visit wins over an overdue cadence: its date and its objective are shown."""
    acc = account()
    planned = visit(acc, -5, VisitStatus.PLANNED, objective="Watch the night shift")
    c = plan(acc, visit(acc, 200), planned)
    assert (c.status, c.basis, c.due_date, c.days_overdue) == (
        ContactStatus.PLANNED, DueBasis.PLANNED_VISIT, TODAY + timedelta(days=5), -5)
    assert c.objective == "Watch the night shift" and c.planned_visit == planned
    assert c.last_contact == TODAY - timedelta(days=200) and c.within_window


def test_planned_visit_far_ahead_is_planned_but_not_in_window() -> None:
    """A visit planned beyond the window stays 'planned' and is not counted as due."""
    acc = account()
    c = plan(acc, visit(acc, -40, VisitStatus.PLANNED))
    assert c.status is ContactStatus.PLANNED and not c.within_window


def test_planned_visit_whose_date_passed_is_overdue() -> None:
    """A planned visit never started after its date is overdue, still with its objective."""
    acc = account()
    c = plan(acc, visit(acc, 3, VisitStatus.PLANNED, objective="Meet the new buyer"))
    assert (c.status, c.days_overdue, c.objective) == (
        ContactStatus.OVERDUE, 3, "Meet the new buyer")
    assert c.basis is DueBasis.PLANNED_VISIT and c.planned_visit is not None


@pytest.mark.parametrize("status", [VisitStatus.IN_PROGRESS, VisitStatus.SUMMARIZING])
def test_visit_under_way_is_never_overdue(status: VisitStatus) -> None:
    """A visit already started counts as the planned contact, even a day after its date."""
    acc = account()
    c = plan(acc, visit(acc, 1, status, objective="Under way"))
    assert c.status is ContactStatus.PLANNED and c.objective == "Under way"


def test_earliest_open_visit_is_the_next_contact() -> None:
    """With two planned visits, the sooner one is the next contact."""
    acc = account()
    later = visit(acc, -30, VisitStatus.PLANNED, objective="Later")
    sooner = visit(acc, -2, VisitStatus.PLANNED, objective="Sooner")
    assert plan(acc, later, sooner).objective == "Sooner"


@pytest.mark.parametrize("offset", [20, 200])
def test_recorded_next_contact_date_wins_over_cadence(offset: int) -> None:
    """The next contact date written at the last visit sets the due date, sooner or later."""
    acc = account()
    noted = TODAY - timedelta(days=30) + timedelta(days=offset)
    c = plan(acc, visit(acc, 30, next_contact=noted))
    assert (c.due_date, c.basis) == (noted, DueBasis.NEXT_CONTACT_DATE)
    assert c.objective == CADENCE.for_stage(LifecycleStage.ACTIVE).objective


def test_next_contact_date_of_an_older_visit_is_superseded() -> None:
    """Only the last completed visit's next contact date counts; an older one is stale."""
    acc = account()
    old = visit(acc, 120, next_contact=TODAY + timedelta(days=100))
    c = plan(acc, old, visit(acc, 50))
    assert c.basis is DueBasis.CADENCE and c.due_date == TODAY + timedelta(days=40)


def test_unreadable_next_contact_date_falls_back_to_cadence() -> None:
    """A next contact date that is not a date plans as if none were written."""
    acc = account()
    broken = replace(visit(acc, 30), next_contact_date="soon")
    assert plan(acc, broken).basis is DueBasis.CADENCE


def test_last_contact_is_the_latest_completed_visit() -> None:
    """The newest completed visit counts whatever the order given; open ones do not."""
    acc = account()
    c = plan(acc, visit(acc, 10), visit(acc, 95), visit(acc, 40))
    assert c.last_contact == TODAY - timedelta(days=10)
    assert c.due_date == TODAY + timedelta(days=80)


def test_other_accounts_visits_are_ignored() -> None:
    """A visit to another account does not count as contact with this one."""
    acc, other = account("Acme"), account("Other")
    c = plan(acc, visit(other, 1), visit(other, -3, VisitStatus.PLANNED))
    assert c.basis is DueBasis.NEVER_VISITED and c.planned_visit is None


def test_lost_accounts_keep_a_long_cadence() -> None:
    """A lost account is due 180 days after the last visit, to learn why we lost."""
    acc = account(stage=LifecycleStage.LOST)
    assert plan(acc, visit(acc, 100)).status is ContactStatus.OK
    c = plan(acc, visit(acc, 170))
    assert (c.status, c.days_overdue) == (ContactStatus.DUE, -10)
    assert "lost" in c.objective


def test_stage_change_applies_the_new_stage_at_once() -> None:
    """An active account moved to at risk is judged by the at-risk cadence and objective."""
    acc = account(stage=LifecycleStage.ACTIVE)
    last = visit(acc, 40)
    assert plan(acc, last).status is ContactStatus.OK
    moved = replace(acc, lifecycle_stage=LifecycleStage.AT_RISK)
    c = plan(moved, last)
    assert (c.stage, c.status, c.days_overdue) == (
        LifecycleStage.AT_RISK, ContactStatus.OVERDUE, 10)
    assert c.objective == CADENCE.for_stage(LifecycleStage.AT_RISK).objective


def test_changed_cadence_moves_the_due_date() -> None:
    """A workspace cadence of 30 days for active accounts makes a 40-day gap overdue."""
    acc = account()
    c = plan(acc, visit(acc, 40), cadence=CADENCE.with_days(LifecycleStage.ACTIVE, 30))
    assert (c.status, c.days_overdue) == (ContactStatus.OVERDUE, 10)


def test_due_list_is_soonest_first_then_by_name() -> None:
    """Most overdue first; on the same date, accounts sort by name ignoring case."""
    a, b, c, d = (account(n) for n in ("beta", "Alpha", "Gamma", "Delta"))
    e = account("Epsilon")
    visits = [visit(a, 100), visit(b, 100), visit(c, 100), visit(d, 120), visit(e, 0)]
    names = [x.account.name for x in due_contacts([e, a, b, c, d], visits, TODAY, CADENCE)]
    assert names == ["Delta", "Alpha", "beta", "Gamma", "Epsilon"]


def test_outside_profile_left_out_unless_asked_then_soonest_first() -> None:
    """Accounts outside the profile are excluded by default; asked for, they take their
    place by date like any other, marked as outside."""
    inside, outside = account("Inside"), account("Outside", in_icp=False)
    visits = [visit(inside, 80), visit(outside, 300)]
    assert [c.account.name for c in due_contacts([inside, outside], visits, TODAY,
                                                  CADENCE)] == ["Inside"]
    both = due_contacts([outside, inside], visits, TODAY, CADENCE, include_outside_icp=True)
    assert [(c.account.name, c.outside_icp) for c in both] == [
        ("Outside", True), ("Inside", False)]
    assert both[0].status is ContactStatus.OVERDUE


def test_a_planned_visit_is_always_listed_soonest_first() -> None:
    """A visit planned with an account outside the profile is listed without asking, and
    planned visits far beyond the window are listed at first too, in date order."""
    near, far = account("Near"), account("Far")
    outside = account("Outside", in_icp=False)
    quiet = account("Quiet")
    visits = [visit(near, -3, VisitStatus.PLANNED), visit(far, -60, VisitStatus.PLANNED),
              visit(outside, -9, VisitStatus.PLANNED), visit(quiet, 5)]
    plan = due_contacts([quiet, far, outside, near], visits, TODAY, CADENCE)
    assert [c.account.name for c in plan] == ["Near", "Outside", "Far", "Quiet"]
    assert [c.account.name for c in plan if listed_at_first(c)] == ["Near", "Outside", "Far"]


@pytest.mark.parametrize("days", [0, -5, 731, True, 1.5, "30", None])
def test_check_days_rejects_out_of_range_and_non_whole(days: object) -> None:
    """A cadence is a whole number from 1 to 730; anything else is refused."""
    with pytest.raises(ValueError, match="1 to 730"):
        check_days(days)


@pytest.mark.parametrize("days", [1, 730])
def test_check_days_accepts_the_range_ends(days: int) -> None:
    """Both ends of the range are allowed."""
    assert check_days(days) == days
    assert CADENCE.with_days(LifecycleStage.LOST, days).for_stage(LifecycleStage.LOST).days \
        == days


def test_with_days_leaves_other_stages_alone() -> None:
    """Changing one stage's days keeps every other stage and all objectives."""
    changed = CADENCE.with_days(LifecycleStage.RENEWAL, 45)
    for before, after in zip(CADENCE.stages, changed.stages, strict=True):
        assert after.objective == before.objective
        assert after.days == (45 if before.stage is LifecycleStage.RENEWAL else before.days)


def test_cadence_must_name_every_stage_once() -> None:
    """A cadence missing a stage, or with stages out of order, cannot be built."""
    stages = list(CADENCE.stages)
    with pytest.raises(ValueError, match="one entry per stage"):
        Cadence(tuple(stages[:-1]))
    with pytest.raises(ValueError, match="one entry per stage"):
        Cadence(tuple(reversed(stages)))
    with pytest.raises(ValueError, match="objective"):
        Cadence((*stages[:-1], StageCadence(LifecycleStage.LOST, 180, "  ")))


def _shipped_dict() -> dict:
    return {"version": 1, "due_window_days": 14, "stages": {
        s.stage.value: {"days": s.days, "objective": s.objective} for s in CADENCE.stages}}


def test_cadence_file_reads_back_as_shipped() -> None:
    """The file form read by cadence_from_dict gives the shipped cadence."""
    assert cadence_from_dict(_shipped_dict()) == CADENCE


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["stages"].pop("lost"), "each of"),
    (lambda d: d.update(extra=1), "unknown key"),
    (lambda d: d["stages"]["active"].update(days=0), "1 to 730"),
    (lambda d: d["stages"]["active"].pop("objective"), "needs exactly"),
    (lambda d: d["stages"]["active"].update(objective=5), "must be text"),
    (lambda d: d.update(due_window_days=-1), "window"),
])
def test_cadence_file_problems_are_named(change, message: str) -> None:
    """A damaged cadence file is refused with a message that says what is wrong."""
    data = _shipped_dict()
    change(data)
    with pytest.raises(ValueError, match=message):
        cadence_from_dict(data)
