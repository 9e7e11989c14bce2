"""Closing a visit: summarize-back verdicts, completion, action items and the next contact."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from voc_desktop.domain.visit import ActionStatus, SummaryStatus, Team, Visit, VisitStatus
from voc_desktop.services import closing
from voc_desktop.services.accounts import create_account
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.interview import add_key_learning
from voc_desktop.services.visits import get_visit, plan_visit, start_visit
from voc_desktop.services.workspace.workspace import Change, Workspace


@dataclass
class Setup:
    ws: Workspace
    visit: Visit

    @property
    def id(self) -> str:
        return self.visit.id

    def reload(self) -> Visit:
        return get_visit(self.ws, self.visit.id)


@pytest.fixture
def s(ws: Workspace) -> Setup:
    account = create_account(ws, "Acme")
    visit = plan_visit(ws, account.id, "Understand the lost deal", visit_date="2030-05-06")
    return Setup(ws, start_visit(ws, visit.id))


def learnings(s: Setup, n: int) -> list[str]:
    return [add_key_learning(s.ws, s.id, f"Point {i}").id for i in range(n)]


def confirmed_point(s: Setup) -> None:
    """One point read back and confirmed, so the visit may complete."""
    closing.set_point_status(s.ws, learnings(s, 1)[0], SummaryStatus.CONFIRMED)


# ending and resuming -----------------------------------------------------------------


def test_end_interview_moves_to_summarizing(s: Setup) -> None:
    """Ending the interview starts summarize-back and stamps the end, keeping the start."""
    ended = closing.end_interview(s.ws, s.id)
    assert ended.status is VisitStatus.SUMMARIZING
    assert ended.ended_at is not None and ended.ended_at >= ended.started_at
    assert ended.started_at == s.visit.started_at


def test_end_interview_of_a_planned_visit_stamps_both_times(ws: Workspace) -> None:
    """A visit ended without a formal start still gets a start and an end time."""
    account = create_account(ws, "Acme")
    visit = plan_visit(ws, account.id, "Objective")
    ended = closing.end_interview(ws, visit.id)
    assert ended.status is VisitStatus.SUMMARIZING
    assert ended.started_at is not None and ended.ended_at is not None


def test_end_interview_twice_keeps_the_first_end(s: Setup) -> None:
    """Ending again while already summarizing does not move the end time."""
    first = closing.end_interview(s.ws, s.id)
    s.ws.visits.update(s.id, ended_at="2030-05-06T10:00:00.000Z")
    assert closing.end_interview(s.ws, s.id).ended_at == "2030-05-06T10:00:00.000Z"
    assert first.status is VisitStatus.SUMMARIZING


def test_resume_interview_goes_back_to_questions(s: Setup) -> None:
    """From summarize-back the interviewer can return to the questions."""
    closing.end_interview(s.ws, s.id)
    assert closing.resume_interview(s.ws, s.id).status is VisitStatus.IN_PROGRESS


def test_ending_again_after_resuming_records_the_later_end(s: Setup) -> None:
    """After going back to the questions, the next end time is the real, later one."""
    closing.end_interview(s.ws, s.id)
    s.ws.visits.update(s.id, ended_at="2000-01-01T00:00:00.000Z")  # an early first end
    closing.resume_interview(s.ws, s.id)
    again = closing.end_interview(s.ws, s.id)
    assert again.ended_at > "2000-01-01T00:00:00.000Z"


@pytest.mark.parametrize("status", [VisitStatus.PLANNED, VisitStatus.IN_PROGRESS])
def test_resume_only_from_summarizing(s: Setup, status: VisitStatus) -> None:
    """Only a visit in summarize-back can go back to the questions."""
    s.ws.visits.update(s.id, status=status)
    with pytest.raises(ServiceError, match="summarize-back"):
        closing.resume_interview(s.ws, s.id)
    assert s.reload().status is status


def test_end_interview_of_completed_visit_refused(s: Setup) -> None:
    """A completed visit cannot be reopened for summarize-back."""
    confirmed_point(s)
    closing.complete_visit(s.ws, s.id)
    with pytest.raises(ServiceError, match="completed"):
        closing.end_interview(s.ws, s.id)


# verdicts --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [SummaryStatus.CONFIRMED, SummaryStatus.REJECTED])
def test_set_point_status(s: Setup, status: SummaryStatus) -> None:
    """A verdict is stored on the point."""
    [point] = learnings(s, 1)
    assert closing.set_point_status(s.ws, point, status).status is status
    assert s.ws.visits.learning(point).status is status


def test_corrected_point_keeps_the_customers_wording(s: Setup) -> None:
    """A correction is stored trimmed and becomes the point's final text."""
    [point] = learnings(s, 1)
    kl = closing.set_point_status(s.ws, point, SummaryStatus.CORRECTED, "  Lead time, not price ")
    assert (kl.status, kl.correction, kl.final_text) == (
        SummaryStatus.CORRECTED, "Lead time, not price", "Lead time, not price")


@pytest.mark.parametrize("correction", ["", "   "])
def test_corrected_requires_text(s: Setup, correction: str) -> None:
    """A correction without the corrected wording is refused and the point stays pending."""
    [point] = learnings(s, 1)
    with pytest.raises(ServiceError, match="corrected wording"):
        closing.set_point_status(s.ws, point, SummaryStatus.CORRECTED, correction)
    assert s.ws.visits.learning(point).status is SummaryStatus.PENDING


@pytest.mark.parametrize("status", [
    SummaryStatus.CONFIRMED, SummaryStatus.REJECTED, SummaryStatus.PENDING])
def test_correction_cleared_when_status_changes(s: Setup, status: SummaryStatus) -> None:
    """Moving a corrected point to another verdict drops the old correction."""
    [point] = learnings(s, 1)
    closing.set_point_status(s.ws, point, SummaryStatus.CORRECTED, "Their words")
    kl = closing.set_point_status(s.ws, point, status, "ignored")
    assert (kl.status, kl.correction, kl.final_text) == (status, "", "Point 0")


def test_set_point_status_of_missing_point(s: Setup) -> None:
    """A verdict on a point that no longer exists is refused."""
    with pytest.raises(ServiceError, match="no longer exists"):
        closing.set_point_status(s.ws, "nope", SummaryStatus.CONFIRMED)


def test_set_point_status_on_completed_visit_refused(s: Setup) -> None:
    """Verdicts are fixed once the visit is completed."""
    [point] = learnings(s, 1)
    closing.set_point_status(s.ws, point, SummaryStatus.CONFIRMED)
    closing.complete_visit(s.ws, s.id)
    with pytest.raises(ServiceError, match="completed"):
        closing.set_point_status(s.ws, point, SummaryStatus.REJECTED)
    assert s.ws.visits.learning(point).status is SummaryStatus.CONFIRMED


# completing ------------------------------------------------------------------------------


@pytest.mark.parametrize(("pending", "wording"), [
    (1, "1 key learning still waits"),
    (2, "2 key learnings still wait"),
    (3, "3 key learnings still wait"),
])
def test_complete_refused_while_points_pending(s: Setup, pending: int, wording: str) -> None:
    """Completion is refused while points wait for a verdict; the message counts them."""
    points = learnings(s, pending + 1)
    closing.set_point_status(s.ws, points[0], SummaryStatus.CONFIRMED)
    with pytest.raises(ServiceError) as info:
        closing.complete_visit(s.ws, s.id)
    assert wording in str(info.value)
    assert s.reload().status is VisitStatus.IN_PROGRESS


def test_complete_succeeds_when_every_point_has_a_verdict(s: Setup) -> None:
    """With a verdict on every point the visit completes and gets an end time."""
    a, b, c = learnings(s, 3)
    closing.end_interview(s.ws, s.id)
    closing.set_point_status(s.ws, a, SummaryStatus.CONFIRMED)
    closing.set_point_status(s.ws, b, SummaryStatus.CORRECTED, "Better words")
    closing.set_point_status(s.ws, c, SummaryStatus.REJECTED)
    done = closing.complete_visit(s.ws, s.id)
    assert done.status is VisitStatus.COMPLETED
    assert done.ended_at is not None


def test_complete_twice_changes_nothing(s: Setup) -> None:
    """Completing an already completed visit returns it unchanged and notifies nobody."""
    confirmed_point(s)
    first = closing.complete_visit(s.ws, s.id)
    heard: list[Change] = []
    s.ws.subscribe(heard.append)
    assert closing.complete_visit(s.ws, s.id) == first
    assert heard == []


def test_complete_notifies_with_visit(s: Setup) -> None:
    """Completing tells listeners the visit changed."""
    confirmed_point(s)
    heard: list[Change] = []
    s.ws.subscribe(heard.append)
    closing.complete_visit(s.ws, s.id)
    assert [(c.tables, c.visit_id) for c in heard] == [(frozenset({"visits"}), s.id)]


@pytest.mark.parametrize("reason", ["", "  ", "\n"])
def test_skip_summary_requires_reason(s: Setup, reason: str) -> None:
    """Skipping the read-back needs a written reason; without one nothing changes."""
    learnings(s, 1)
    with pytest.raises(ServiceError, match="why"):
        closing.skip_summary(s.ws, s.id, reason)
    v = s.reload()
    assert (v.status, v.summary_skip_reason) == (VisitStatus.IN_PROGRESS, "")


def test_skip_summary_completes_despite_pending_points(s: Setup) -> None:
    """With a reason, the visit completes although points are still pending."""
    learnings(s, 2)
    done = closing.skip_summary(s.ws, s.id, "  Customer called away  ")
    assert (done.status, done.summary_skip_reason) == (
        VisitStatus.COMPLETED, "Customer called away")


def test_nothing_to_read_back_needs_a_skip_reason(s: Setup) -> None:
    """A visit without key learnings completes only by skipping the step with a reason."""
    with pytest.raises(ServiceError, match="nothing to read back"):
        closing.complete_visit(s.ws, s.id)
    assert s.reload().status is VisitStatus.IN_PROGRESS
    done = closing.skip_summary(s.ws, s.id, "We ran out of time")
    assert done.status is VisitStatus.COMPLETED


def test_skip_summary_of_completed_visit_refused(s: Setup) -> None:
    """A completed visit's record, skip reason included, is not rewritten."""
    confirmed_point(s)
    closing.complete_visit(s.ws, s.id)
    with pytest.raises(ServiceError, match="completed"):
        closing.skip_summary(s.ws, s.id, "Late excuse")
    assert s.reload().summary_skip_reason == ""


# action items ----------------------------------------------------------------------------


def test_add_action_item(s: Setup) -> None:
    """An action item is routed to a team, trimmed, open, with an optional due date."""
    item = closing.add_action_item(s.ws, s.id, "  Send the spec sheet ", Team.PRODUCT,
                                   due_date="2030-06-01")
    assert (item.text, item.team, item.status, item.due_date) == (
        "Send the spec sheet", Team.PRODUCT, ActionStatus.OPEN, "2030-06-01")
    second = closing.add_action_item(s.ws, s.id, "Call back", Team.SALES)
    assert second.due_date is None
    assert [a.id for a in s.ws.visits.actions(s.id)] == [item.id, second.id]


@pytest.mark.parametrize("team", list(Team))
def test_every_team_can_receive_actions(s: Setup, team: Team) -> None:
    """Each team in the routing list can be given an action."""
    assert closing.add_action_item(s.ws, s.id, "Do it", team).team is team


def test_action_item_names_its_owner(s: Setup) -> None:
    """An action names who will do it, on one line, on add and on update; none by default."""
    item = closing.add_action_item(s.ws, s.id, "Send the spec sheet", Team.PRODUCT,
                                   owner="  Maria\n (product) ")
    assert item.owner == "Maria (product)"
    assert closing.add_action_item(s.ws, s.id, "Call back", Team.SALES).owner == ""
    closing.update_action_item(s.ws, item.id, s.id, owner="Jon ")
    assert s.ws.visits.actions(s.id)[0].owner == "Jon"


def test_add_action_item_requires_text_and_visit(s: Setup) -> None:
    """An action needs a description and an existing visit."""
    with pytest.raises(ServiceError, match="description"):
        closing.add_action_item(s.ws, s.id, "   ", Team.SALES)
    with pytest.raises(ServiceError):
        closing.add_action_item(s.ws, "no-such-visit", "Do it", Team.SALES)
    assert s.ws.visits.actions(s.id) == []


@pytest.mark.parametrize("bad", ["tomorrow", "2030-02-30", "01/06/2030"])
def test_action_due_date_validated(s: Setup, bad: str) -> None:
    """A due date that is not a real date is refused, on add and on update."""
    with pytest.raises(ServiceError, match="is not a date"):
        closing.add_action_item(s.ws, s.id, "Do it", Team.SALES, due_date=bad)
    item = closing.add_action_item(s.ws, s.id, "Do it", Team.SALES, due_date="2030-06-01")
    with pytest.raises(ServiceError, match="is not a date"):
        closing.update_action_item(s.ws, item.id, s.id, due_date=bad)
    assert s.ws.visits.actions(s.id)[0].due_date == "2030-06-01"


def test_dates_are_stored_as_yyyy_mm_dd(s: Setup) -> None:
    """Due and next-contact dates given in another ISO spelling are stored as YYYY-MM-DD."""
    item = closing.add_action_item(s.ws, s.id, "Do it", Team.SALES, due_date="20300601")
    assert item.due_date == "2030-06-01"
    closing.update_action_item(s.ws, item.id, s.id, due_date="20300602")
    assert s.ws.visits.actions(s.id)[0].due_date == "2030-06-02"
    assert closing.set_next_contact(s.ws, s.id, "20300901").next_contact_date == "2030-09-01"


def test_action_status_and_update(s: Setup) -> None:
    """An action can be marked done, reopened and reworded."""
    item = closing.add_action_item(s.ws, s.id, "Do it", Team.SALES)
    closing.set_action_status(s.ws, item.id, s.id, ActionStatus.DONE)
    assert s.ws.visits.actions(s.id)[0].status is ActionStatus.DONE
    closing.update_action_item(s.ws, item.id, s.id, text="Do it well",
                               status=ActionStatus.OPEN, team=Team.MARKETING)
    back = s.ws.visits.actions(s.id)[0]
    assert (back.text, back.status, back.team) == ("Do it well", ActionStatus.OPEN,
                                                   Team.MARKETING)


@pytest.mark.parametrize("change", [{"team": "accounting"}, {"status": "someday"}])
def test_action_update_rejects_unknown_team_or_status(s: Setup, change: dict) -> None:
    """An unknown team or status is refused, and the visit's actions stay readable."""
    item = closing.add_action_item(s.ws, s.id, "Do it", Team.SALES)
    with pytest.raises(ServiceError):
        closing.update_action_item(s.ws, item.id, s.id, **change)
    back = s.ws.visits.actions(s.id)
    assert [(a.team, a.status) for a in back] == [(Team.SALES, ActionStatus.OPEN)]


def test_add_action_rejects_unknown_team(s: Setup) -> None:
    """Routing to a team that does not exist is a plain ServiceError."""
    with pytest.raises(ServiceError, match="team"):
        closing.add_action_item(s.ws, s.id, "Do it", "accounting")  # type: ignore[arg-type]
    assert s.ws.visits.actions(s.id) == []


def test_update_missing_action(s: Setup) -> None:
    """Updating an action that no longer exists says so."""
    with pytest.raises(ServiceError, match="no longer exists"):
        closing.update_action_item(s.ws, "nope", s.id, text="x")


def test_delete_action_item(s: Setup) -> None:
    """A deleted action disappears from the visit; the others stay."""
    a = closing.add_action_item(s.ws, s.id, "One", Team.SALES)
    b = closing.add_action_item(s.ws, s.id, "Two", Team.SALES)
    heard: list[Change] = []
    s.ws.subscribe(heard.append)
    closing.delete_action_item(s.ws, a.id, s.id)
    assert [x.id for x in s.ws.visits.actions(s.id)] == [b.id]
    assert heard == [Change(frozenset({"action_items"}), s.id, frozenset({a.id}))]


# next contact ---------------------------------------------------------------------------


def test_set_next_contact(s: Setup) -> None:
    """The next contact date is stored, and can be cleared again."""
    assert closing.set_next_contact(s.ws, s.id, "2030-09-01").next_contact_date == "2030-09-01"
    assert closing.set_next_contact(s.ws, s.id, None).next_contact_date is None
    closing.set_next_contact(s.ws, s.id, "2030-09-01")
    assert closing.set_next_contact(s.ws, s.id, "").next_contact_date is None


@pytest.mark.parametrize("bad", ["soon", "2030-09-31"])
def test_set_next_contact_validates_date(s: Setup, bad: str) -> None:
    """An invalid next contact date is refused and the old one kept."""
    closing.set_next_contact(s.ws, s.id, "2030-09-01")
    with pytest.raises(ServiceError, match="is not a date"):
        closing.set_next_contact(s.ws, s.id, bad)
    assert s.reload().next_contact_date == "2030-09-01"


def test_a_visit_that_never_started_is_not_completed(ws: Workspace) -> None:
    """Completing or skipping the read-back of a planned visit is refused, writing nothing."""
    account = create_account(ws, "Never met")
    visit = plan_visit(ws, account.id, "A visit that did not happen")
    with pytest.raises(ServiceError, match="not started"):
        closing.complete_visit(ws, visit.id)
    with pytest.raises(ServiceError, match="not started"):
        closing.skip_summary(ws, visit.id, "Cancelled by the customer")
    again = ws.visits.get(visit.id)
    assert (again.status, again.summary_skip_reason) == (VisitStatus.PLANNED, "")


def test_a_full_disk_is_a_clear_error_that_writes_nothing(s: Setup) -> None:
    """When the database cannot grow, a save says so plainly and leaves everything as it was."""
    pages = s.ws.db.execute("PRAGMA page_count").fetchone()[0]
    s.ws.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    error = None
    for i in range(200):  # fill the little room left until a save cannot fit
        before = s.ws.visits.learnings(s.id)
        try:
            add_key_learning(s.ws, s.id, f"Point {i} " + "x" * 3000)
        except ServiceError as exc:
            error = str(exc)
            break
    assert error is not None and "Could not save" in error and "Nothing was written" in error
    assert s.ws.visits.learnings(s.id) == before
    s.ws.db.execute(f"PRAGMA max_page_count = {10 * pages}")
    add_key_learning(s.ws, s.id, "Room again")
    assert s.ws.visits.learnings(s.id)[-1].text == "Room again"
