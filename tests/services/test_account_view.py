"""The account page's read model, without Qt: stage, people, history and open actions."""

from __future__ import annotations

import pytest

from voc_desktop.domain.accounts import LifecycleStage, Role
from voc_desktop.domain.visit import ActionStatus, SummaryStatus, Team, VisitStatus
from voc_desktop.services.account_view import (
    DECIDES,
    INFLUENCES,
    OTHER,
    USES,
    account_view,
    stakeholder_groups,
)
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import plan_visit
from voc_desktop.services.workspace.workspace import Workspace


@pytest.fixture
def demo(ws: Workspace):
    """The sample workspace and what it created."""
    return fill_demo(ws)


def _by_name(ws: Workspace, name: str) -> str:
    account = ws.accounts.find_by_name(name)
    assert account is not None
    return account.id


def test_roles_map_to_decides_influences_and_uses() -> None:
    """Each role lands in its group; several roles give several groups; none gives 'other'."""
    assert stakeholder_groups((Role.ECONOMIC_BUYER, Role.GATEKEEPER)) == (DECIDES, INFLUENCES)
    assert stakeholder_groups((Role.TECHNICAL_EVALUATOR, Role.USER)) == (INFLUENCES, USES)
    assert stakeholder_groups((Role.OTHER,)) == (OTHER,)
    assert stakeholder_groups(()) == (OTHER,)


def test_history_is_newest_first_with_only_agreed_learnings(ws: Workspace, demo) -> None:
    """Visits come newest first; each carries only confirmed or corrected points, final text."""
    account_id = _by_name(ws, "Halvorsen Food Packaging")
    view = account_view(ws, account_id)
    dates = [h.visit.visit_date for h in view.history]
    assert dates == sorted(dates, reverse=True)
    assert len(view.history) == len(ws.visits.list(account_id=account_id))
    for h in view.history:
        stored = ws.visits.learnings(h.visit.id)
        agreed = [kl for kl in stored
                  if kl.status in (SummaryStatus.CONFIRMED, SummaryStatus.CORRECTED)]
        assert [lv.text for lv in h.learnings] == [kl.final_text for kl in agreed]
        assert [lv.corrected for lv in h.learnings] == [
            kl.status is SummaryStatus.CORRECTED for kl in agreed]
    assert any(lv.corrected for h in view.history for lv in h.learnings)


def test_open_actions_grouped_by_team_without_done_ones(ws: Workspace, demo) -> None:
    """Open actions across all the account's visits, grouped by team, earliest due first."""
    account_id = _by_name(ws, "Halvorsen Food Packaging")
    view = account_view(ws, account_id)
    stored = [a for v in ws.visits.list(account_id=account_id)
              for a in ws.visits.actions(v.id)]
    open_ids = {a.id for a in stored if a.status is ActionStatus.OPEN}
    assert any(a.status is ActionStatus.DONE for a in stored)  # the sample has done ones
    shown = [o.action for t in view.open_actions for o in t.actions]
    assert {a.id for a in shown} == open_ids
    assert view.open_action_count == len(open_ids)
    teams = [t.team for t in view.open_actions]
    assert teams == [t for t in Team if t in teams]
    for group in view.open_actions:
        assert all(o.action.team is group.team for o in group.actions)
        dated = [o.action.due_date for o in group.actions if o.action.due_date]
        assert dated == sorted(dated)


def test_contacts_count_visits_held_not_planned(ws: Workspace) -> None:
    """A person's visit count includes held visits they attended, not planned ones."""
    account = create_account(ws, "Nordic Cans", stage=LifecycleStage.RENEWAL)
    ingrid = add_contact(ws, account.id, "Ingrid Holm", roles=(Role.DECISION_MAKER,))
    ole = add_contact(ws, account.id, "Ole Berg", roles=(Role.USER,))
    held = plan_visit(ws, account.id, "Why renew?", visit_date="2024-03-01",
                      attendees=((ingrid.id, ()), (ole.id, ())))
    ws.visits.update(held.id, status=VisitStatus.COMPLETED)
    plan_visit(ws, account.id, "Next steps", visit_date="2024-05-01",
               attendees=((ingrid.id, ()),))
    view = account_view(ws, account.id)
    counts = {c.contact.name: c.visits_attended for c in view.contacts}
    assert counts == {"Ingrid Holm": 1, "Ole Berg": 1}
    assert [c.contact.name for c in view.contacts_in(DECIDES)] == ["Ingrid Holm"]
    assert [c.contact.name for c in view.contacts_in(USES)] == ["Ole Berg"]
    assert view.stage_on_path
    assert [h.visit.objective for h in view.history] == ["Next steps", "Why renew?"]
    assert view.open_actions == ()


def test_missing_account_is_a_service_error(ws: Workspace) -> None:
    """Asking for an account that is not there says so instead of failing obscurely."""
    with pytest.raises(ServiceError):
        account_view(ws, "no-such-account")
