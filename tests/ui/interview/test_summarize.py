"""The summarize-back step, driven by the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from voc_desktop.domain.visit import SummaryStatus, VisitStatus
from voc_desktop.services import closing, interview
from voc_desktop.services.accounts import create_account
from voc_desktop.services.visits import plan_visit, start_visit
from voc_desktop.ui.interview.summarize import SummarizePage

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
POINTS = ("Changeovers overrun because seals are swapped by hand.",
          "The night shift has no fitter.",
          "Price is not what holds the renewal back.")


def summarizing_visit(ws, points=POINTS) -> str:
    account = create_account(ws, "Nordic Cans")
    visit = plan_visit(ws, account.id, "Understand why changeovers take so long")
    start_visit(ws, visit.id)
    for text in points:
        interview.add_key_learning(ws, visit.id, text)
    closing.end_interview(ws, visit.id)
    return visit.id


@pytest.fixture
def page(page_on_bus):
    """A summarize page on its own window, shown and active."""
    return page_on_bus(SummarizePage)


def press(qtbot, page, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget() or page, key, modifiers)


def statuses(ws, visit_id):
    return [kl.status for kl in ws.visits.learnings(visit_id)]


def test_verdicts_by_keyboard_then_complete(qtbot, ws, page):
    """Alt+1/2/3 confirm, correct and reject; Complete opens up only when all are answered."""
    visit_id = summarizing_visit(ws)
    page.show_visit(visit_id)
    assert QApplication.focusWidget() is page.rows[0]
    assert page.counter_label.text() == "0 of 3 points answered"
    assert not page.complete_button.isEnabled()

    press(qtbot, page, Qt.Key.Key_1, ALT)
    assert QApplication.focusWidget() is page.rows[1]  # on to the next waiting point

    press(qtbot, page, Qt.Key.Key_2, ALT)
    editor = page.rows[1].editor
    assert QApplication.focusWidget() is editor and editor.text() == POINTS[1]
    editor.selectAll()
    qtbot.keyClicks(editor, "The night shift shares one fitter with line 4.")
    press(qtbot, page, Qt.Key.Key_Return)
    assert page.counter_label.text() == "2 of 3 points answered"
    assert editor.isHidden() and QApplication.focusWidget() is page.rows[2]
    assert not page.complete_button.isEnabled()

    press(qtbot, page, Qt.Key.Key_3, ALT)
    assert statuses(ws, visit_id) == [SummaryStatus.CONFIRMED, SummaryStatus.CORRECTED,
                                      SummaryStatus.REJECTED]
    assert ws.visits.learnings(visit_id)[1].correction == \
        "The night shift shares one fitter with line 4."
    assert page.complete_button.isEnabled()
    assert QApplication.focusWidget() is page.complete_button

    with qtbot.waitSignal(page.completed) as done:
        press(qtbot, page, Qt.Key.Key_Return, CTRL)
    assert done.args == [visit_id]
    assert ws.visits.get(visit_id).status is VisitStatus.COMPLETED


def test_complete_shortcut_does_nothing_while_points_wait(qtbot, ws, page):
    """Ctrl+Return with points still waiting leaves the visit in summarize-back."""
    visit_id = summarizing_visit(ws)
    page.show_visit(visit_id)
    press(qtbot, page, Qt.Key.Key_1, ALT)
    press(qtbot, page, Qt.Key.Key_Return, CTRL)
    assert ws.visits.get(visit_id).status is VisitStatus.SUMMARIZING


def test_up_and_down_move_between_points(qtbot, ws, page):
    """Arrow keys move the selection, and the verdict applies to the selected point."""
    visit_id = summarizing_visit(ws)
    page.show_visit(visit_id)
    press(qtbot, page, Qt.Key.Key_Down)
    press(qtbot, page, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.rows[2] and page.current == 2
    press(qtbot, page, Qt.Key.Key_Up)
    press(qtbot, page, Qt.Key.Key_3, ALT)
    assert statuses(ws, visit_id) == [SummaryStatus.PENDING, SummaryStatus.REJECTED,
                                      SummaryStatus.PENDING]


def test_escape_leaves_a_point_uncorrected(qtbot, ws, page):
    """Escape in the correction field closes it without recording a verdict."""
    visit_id = summarizing_visit(ws)
    page.show_visit(visit_id)
    press(qtbot, page, Qt.Key.Key_2, ALT)
    press(qtbot, page, Qt.Key.Key_Escape)
    assert page.rows[0].editor.isHidden() and QApplication.focusWidget() is page.rows[0]
    assert statuses(ws, visit_id)[0] is SummaryStatus.PENDING


def test_skip_needs_a_reason_then_completes(qtbot, ws, page):
    """Skipping the read-back asks for a reason, refuses a blank one, then completes."""
    visit_id = summarizing_visit(ws)
    page.show_visit(visit_id)
    press(qtbot, page, Qt.Key.Key_S, CTRL | SHIFT)
    assert QApplication.focusWidget() is page.skip_edit
    press(qtbot, page, Qt.Key.Key_Return)
    assert page.error_label.isVisible()
    assert ws.visits.get(visit_id).status is VisitStatus.SUMMARIZING

    qtbot.keyClicks(page.skip_edit, "The plant manager was called to the line.")
    with qtbot.waitSignal(page.completed):
        press(qtbot, page, Qt.Key.Key_Return)
    visit = ws.visits.get(visit_id)
    assert visit.status is VisitStatus.COMPLETED
    assert visit.summary_skip_reason == "The plant manager was called to the line."


def test_back_to_questions(qtbot, ws, page):
    """Back to questions reopens the interview and tells the window so."""
    visit_id = summarizing_visit(ws)
    page.show_visit(visit_id)
    with qtbot.waitSignal(page.back_to_questions) as back:
        press(qtbot, page, Qt.Key.Key_B, CTRL | SHIFT)
    assert back.args == [visit_id]
    assert ws.visits.get(visit_id).status is VisitStatus.IN_PROGRESS


def test_no_points_explains_and_lets_the_interviewer_write_one(qtbot, ws, page):
    """With no key learnings a calm note shows, and a point can be written right there."""
    visit_id = summarizing_visit(ws, points=())
    page.show_visit(visit_id)
    assert page.empty_label.isVisible() and not page.complete_button.isEnabled()
    assert QApplication.focusWidget() is page.add_edit

    qtbot.keyClicks(page.add_edit, "Their planners keep a private spreadsheet.")
    press(qtbot, page, Qt.Key.Key_Return)
    assert [kl.text for kl in ws.visits.learnings(visit_id)] == [
        "Their planners keep a private spreadsheet."]
    assert len(page.rows) == 1 and not page.empty_label.isVisible()
    assert page.counter_label.text() == "0 of 1 points answered"


def test_write_learning_shortcut_opens_the_input(qtbot, ws, page):
    """Ctrl+Shift+K opens the field for writing a point directly."""
    visit_id = summarizing_visit(ws)
    page.show_visit(visit_id)
    press(qtbot, page, Qt.Key.Key_K, CTRL | SHIFT)
    assert QApplication.focusWidget() is page.add_edit


def test_points_added_elsewhere_appear(qtbot, ws, page):
    """A learning written through the services shows up without reopening the page."""
    visit_id = summarizing_visit(ws)
    page.show_visit(visit_id)
    interview.add_key_learning(ws, visit_id, "Audits happen every March.")
    assert [r.learning.text for r in page.rows][-1] == "Audits happen every March."
    assert page.counter_label.text() == "0 of 4 points answered"
