"""The visit page before and after a visit, and the follow-up panel on it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from voc_desktop.domain.accounts import Consent, Role
from voc_desktop.domain.visit import ActionStatus, EntryKind, SummaryStatus, Team, VisitStatus
from voc_desktop.services import closing, interview
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.visits import plan_visit, start_visit
from voc_desktop.ui.common.theme import colour
from voc_desktop.ui.laptop.action_items_model import (
    DONE,
    DUE,
    OWNER,
    TEAM,
    TEXT,
    ActionItemsModel,
)
from voc_desktop.ui.laptop.visit_page import VisitPage

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def page(page_on_bus):
    """A visit page on its own window, shown and active."""
    return page_on_bus(VisitPage)


@pytest.fixture
def account(ws):
    account = create_account(ws, "Nordic Cans", vertical="Packaging")
    buyer = add_contact(ws, account.id, "Ingrid Holm", title="Plant manager",
                        roles=(Role.ECONOMIC_BUYER,),
                        consent=Consent(given=True, quote_by_name=True, method="verbal"))
    fitter = add_contact(ws, account.id, "Ole Berg", roles=(Role.USER,),
                         consent=Consent(given=True, method="verbal"))
    return account.id, buyer.id, fitter.id


def completed_visit(ws, account, *, skip: str = "") -> str:
    account_id, buyer, fitter = account
    visit = plan_visit(ws, account_id, "Understand why changeovers take so long",
                       attendees=((buyer, ()), (fitter, ())))
    start_visit(ws, visit.id)
    interview.add_quote(ws, visit.id, "Nobody asked the night shift.", speaker_id=fitter)
    for text in ("Seals are swapped by hand.", "The night shift has no fitter.",
                 "Price is the problem."):
        interview.add_key_learning(ws, visit.id, text)
    closing.end_interview(ws, visit.id)
    if skip:
        closing.skip_summary(ws, visit.id, skip)
        return visit.id
    first, second, third = ws.visits.learnings(visit.id)
    closing.set_point_status(ws, first.id, SummaryStatus.CONFIRMED)
    closing.set_point_status(ws, second.id, SummaryStatus.CORRECTED, "One fitter for two lines.")
    closing.set_point_status(ws, third.id, SummaryStatus.REJECTED)
    closing.complete_visit(ws, visit.id)
    return visit.id


def texts(widget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel)
                     if not label.isHidden())


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifiers)


def test_planned_visit_shows_preparation_and_starts(qtbot, ws, page, account):
    """A planned visit shows its objective and people; Ctrl+Return starts the interview."""
    visit = plan_visit(ws, account[0], "Learn who signs off new tooling", place="Line 2",
                       attendees=((account[1], ()),))
    page.show_visit(visit.id)
    shown = texts(page.body)
    assert "Learn who signs off new tooling" in shown
    assert "Ingrid Holm" in shown and "Economic buyer" in shown
    assert "first visit to this account" in shown.lower()
    assert page.start_bar.isVisible() and not page.follow_up.isVisible()
    assert QApplication.focusWidget() is page.start_button

    with qtbot.waitSignal(page.start_requested) as started:
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert started.args == [visit.id]
    assert ws.visits.get(visit.id).status is VisitStatus.IN_PROGRESS


def test_planned_visit_shows_what_earlier_visits_confirmed(qtbot, ws, page, account):
    """The brief lists confirmed and corrected points, and marks rejected ones as such."""
    completed_visit(ws, account)
    visit = plan_visit(ws, account[0], "Follow up on the fitter shortage")
    page.show_visit(visit.id)
    shown = texts(page.body)
    assert "Seals are swapped by hand." in shown
    assert "One fitter for two lines." in shown
    assert f"Price is the problem. <span style='color:{colour('error')}; font-weight:600'>" \
        "rejected" in shown


def test_completed_visit_shows_the_verdicts(qtbot, ws, page, account):
    """A completed visit reads back each verdict, the correction, and quotes by consent."""
    visit_id = completed_visit(ws, account)
    page.show_visit(visit_id)
    shown = texts(page.body)
    for words in ("Confirmed", "Corrected", "Rejected", "Seals are swapped by hand.",
                  "One fitter for two lines.", "Nobody asked the night shift."):
        assert words in shown
    # Ole may not be quoted by name, so the quote names his role
    assert "— User" in shown and "Ole Berg" not in shown
    assert "questions answered" in shown and "Deepest why-ladder" in shown
    assert page.follow_up.isVisible() and not page.start_bar.isVisible()


def test_completed_visit_shows_a_skip_reason(qtbot, ws, page, account):
    """A visit whose read-back was skipped shows the reason instead of verdicts."""
    visit_id = completed_visit(ws, account, skip="The customer had to leave early.")
    page.show_visit(visit_id)
    assert "The customer had to leave early." in texts(page.body)


def test_follow_up_actions_are_saved(qtbot, ws, page, account):
    """Add an action by keyboard, route it, mark it done and delete another; all stored."""
    visit_id = completed_visit(ws, account)
    page.show_visit(visit_id)
    panel = page.follow_up
    press(qtbot, Qt.Key.Key_T, CTRL | SHIFT)
    qtbot.keyClicks(QApplication.focusWidget(), "Send the seal-change video to product")
    press(qtbot, Qt.Key.Key_Return)  # the view commits an edit on its next turn
    qtbot.waitUntil(lambda: len(ws.visits.actions(visit_id)) == 1)
    [item] = ws.visits.actions(visit_id)
    assert item.text == "Send the seal-change video to product" and item.team is Team.PRODUCT

    table, model = panel.table, panel.model
    table.setFocus()
    table.setCurrentIndex(model.index(0, TEAM))
    press(qtbot, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(Team.MARKETING.value))
    combo.activated.emit(combo.currentIndex())
    assert ws.visits.actions(visit_id)[0].team is Team.MARKETING

    table.setCurrentIndex(model.index(0, DONE))
    press(qtbot, Qt.Key.Key_Space)
    assert ws.visits.actions(visit_id)[0].status is ActionStatus.DONE

    table.setCurrentIndex(model.index(0, DUE))
    model.setData(model.index(0, DUE), "2030-01-15")
    assert ws.visits.actions(visit_id)[0].due_date == "2030-01-15"
    press(qtbot, Qt.Key.Key_Backspace)
    assert ws.visits.actions(visit_id)[0].due_date is None

    closing.add_action_item(ws, visit_id, "Ask sales about the contract", Team.SALES)
    assert model.rowCount() == 2
    table.setCurrentIndex(model.index(1, TEXT))
    press(qtbot, Qt.Key.Key_Delete)
    assert [a.text for a in ws.visits.actions(visit_id)] == [item.text]


def test_the_owner_is_typed_in_the_cell_tab_reaches(qtbot, ws, page, account):
    """Tab goes from the action past its team to the Owner cell, and what is typed there
    is stored as who will do it; an action without one says so."""
    visit_id = completed_visit(ws, account)
    page.show_visit(visit_id)
    panel = page.follow_up
    table, model = panel.table, panel.model
    assert model.headerData(OWNER, Qt.Orientation.Horizontal) == "Owner"
    press(qtbot, Qt.Key.Key_T, CTRL | SHIFT)
    qtbot.keyClicks(QApplication.focusWidget(), "Send the seal-change video")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(ws.visits.actions(visit_id)) == 1)
    assert model.index(0, OWNER).data() == "No owner"
    table.setFocus()
    table.setCurrentIndex(model.index(0, TEXT))
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    assert table.currentIndex().column() == OWNER
    qtbot.keyClicks(table, "M")  # typing opens the cell's editor, as in the other cells
    qtbot.keyClicks(QApplication.focusWidget(), "aria (product)")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.visits.actions(visit_id)[0].owner == "Maria (product)")
    assert model.index(0, OWNER).data() == "Maria (product)"


def test_action_model_is_a_well_behaved_qt_model(qtbot, qtmodeltester, ws, account):
    """The action items model passes Qt's model checks, with and without a draft row."""
    visit_id = completed_visit(ws, account)
    closing.add_action_item(ws, visit_id, "Ask sales about the contract", Team.SALES,
                            due_date="2030-01-15")
    model = ActionItemsModel(ws)
    model.set_visit(visit_id)
    qtmodeltester.check(model)
    model.add_draft()
    qtmodeltester.check(model)


def test_empty_draft_action_is_dropped(qtbot, ws, page, account):
    """An action row left without text disappears and nothing is stored."""
    visit_id = completed_visit(ws, account)
    page.show_visit(visit_id)
    page.follow_up.add_button.click()
    assert page.follow_up.model.rowCount() == 1
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.follow_up.model.rowCount() == 0)
    assert page.follow_up.model.rowCount() == 0 and ws.visits.actions(visit_id) == []


def test_next_contact_date_is_saved_and_cleared(qtbot, ws, page, account):
    """Ticking the next contact stores its date; changing and unticking update it."""
    visit_id = completed_visit(ws, account)
    page.show_visit(visit_id)
    panel = page.follow_up
    press(qtbot, Qt.Key.Key_D, CTRL | SHIFT)
    assert QApplication.focusWidget() is panel.next_check
    press(qtbot, Qt.Key.Key_Space)
    expected = panel.next_date.date().toString(Qt.DateFormat.ISODate)
    assert ws.visits.get(visit_id).next_contact_date == expected

    panel.next_date.setDate(QDate(2031, 3, 4))
    assert ws.visits.get(visit_id).next_contact_date == "2031-03-04"
    panel.next_check.setChecked(False)
    assert ws.visits.get(visit_id).next_contact_date is None


def test_page_follows_changes_made_elsewhere(qtbot, ws, page, account):
    """A quote added through the services while the page is open appears on it."""
    visit = plan_visit(ws, account[0], "Learn who signs off new tooling")
    page.show_visit(visit.id)
    assert "Ingrid Holm" not in texts(page.body)
    from voc_desktop.services.visits import add_attendee

    add_attendee(ws, visit.id, account[1])
    assert "Ingrid Holm" in texts(page.body)
    assert [e for e in ws.visits.entries(visit.id) if e.kind is EntryKind.QUOTE] == []


def test_planned_visit_shows_the_brief_and_prints_it(qtbot, ws, open_window, tmp_path,
                                                     monkeypatch):
    """A planned visit shows the brief's sections, open actions with their owners; Ctrl+P
    saves it as a PDF."""
    from PySide6.QtWidgets import QFileDialog

    from voc_desktop.services.demo.sample_workspace import fill_demo

    summary = fill_demo(ws)
    planned = next(v for v in summary.visit_ids
                   if v not in summary.completed_visit_ids)
    window = open_window(ws)
    window.open_visit(planned)
    page = window.visit_page
    assert page.brief_view.sections == ["What earlier visits learned", "Still open",
                                        "Who we have met, and who never"]
    assert "owner David Osei (sales), due" in texts(page.brief_view)  # open actions' owners
    target = tmp_path / "brief.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(target), "")))
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert target.read_bytes().startswith(b"%PDF-")
    assert "Brief saved to" in window.statusBar().currentMessage()
