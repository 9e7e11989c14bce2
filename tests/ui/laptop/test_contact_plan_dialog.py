"""The contact plan in the window: who is due, and planning or opening that visit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from voc_desktop.domain.accounts import LifecycleStage
from voc_desktop.services.accounts import create_account
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.ui.laptop.contact_plan_dialog import ContactPlanDialog


@pytest.fixture
def dialog(qtbot, ws):
    """The dialog on the sample workspace plus one account never visited."""
    fill_demo(ws)
    create_account(ws, "Nordic Cans", stage=LifecycleStage.PROSPECT)
    shown = ContactPlanDialog(ws)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_due_accounts_come_first_with_their_objective(dialog):
    """An account never visited is due today, with its stage's objective."""
    names = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert names[0] == "Nordic Cans"
    assert dialog.table.item(0, 3).text() == "never"
    assert "due today" in dialog.table.item(0, 0).text()
    assert dialog.table.item(0, 4).text() == dialog.rows[0].objective != ""


def test_enter_plans_the_chosen_visit(qtbot, dialog):
    """Enter on an account with no planned visit asks to plan one, with its objective."""
    with qtbot.waitSignal(dialog.plan_requested) as asked:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert asked.args == [dialog.rows[0].account.id, dialog.rows[0].objective]


def test_every_account_shows_the_planned_and_outside_ones(qtbot, dialog):
    """'Show every account' adds the rest; a planned visit is opened, not planned again."""
    before = dialog.table.rowCount()
    dialog.everything.setChecked(True)
    assert dialog.table.rowCount() > before
    stages = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert any("outside the profile" in s for s in stages)
    planned = next(r for r, due in enumerate(dialog.rows) if due.planned_visit)
    dialog.table.setCurrentCell(planned, 0)
    assert dialog.act_button.text().replace("&", "") == "Open the planned visit"
    with qtbot.waitSignal(dialog.open_requested) as opened:
        qtbot.mouseClick(dialog.act_button, Qt.MouseButton.LeftButton)
    assert opened.args == [dialog.rows[planned].planned_visit.id]


def test_a_visit_planned_outside_the_profile_is_listed_at_once(qtbot, ws):
    """The plan opens with a visit planned in nine days at an account outside the profile,
    and one planned two months ahead, soonest first and marked, not an empty list."""
    from datetime import date, timedelta

    from voc_desktop.services.visits import plan_visit

    outside = create_account(ws, "Tiny Co", in_icp=False, icp_note="too small")
    later = create_account(ws, "Later Co")
    day = date.today()
    plan_visit(ws, later.id, "Hear about the renewal",
               visit_date=(day + timedelta(days=60)).isoformat())
    plan_visit(ws, outside.id, "Hear why they left",
               visit_date=(day + timedelta(days=9)).isoformat())
    shown = ContactPlanDialog(ws)
    qtbot.addWidget(shown)
    names = [shown.table.item(r, 1).text() for r in range(shown.table.rowCount())]
    assert names == ["Tiny Co", "Later Co"]
    assert "outside the profile" in shown.table.item(0, 2).text()
    assert shown.empty.text() == ""
    assert shown.act_button.text().replace("&", "") == "Open the planned visit"


def test_window_plans_the_visit_with_account_and_objective(qtbot, ws, open_window,
                                                           monkeypatch):
    """From the window's contact plan, planning opens the new-visit dialog filled in."""
    from voc_desktop.ui.laptop.new_visit import NewVisitDialog

    fill_demo(ws)
    account = create_account(ws, "Nordic Cans", stage=LifecycleStage.PROSPECT)
    window = open_window(ws)
    seen = {}

    def fake_exec(dialog):
        seen.update(account=dialog.account_combo.currentData(),
                    objective=dialog.objective_edit.text())
        return 0

    monkeypatch.setattr(NewVisitDialog, "exec", fake_exec)
    plan = window.show_contact_plan()
    qtbot.keyClick(plan.table, Qt.Key.Key_Return)
    assert seen["account"] == account.id and seen["objective"] == plan.rows[0].objective
