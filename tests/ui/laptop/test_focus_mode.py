"""During a visit the customer may see the screen: other accounts stay out of sight, and the
read-back has a view of its own for them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from voc_desktop.domain.visit import SummaryStatus
from voc_desktop.services import closing, interview
from voc_desktop.services.visits import start_visit

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def test_the_visit_list_hides_during_a_visit_and_one_key_brings_it_back(
        qtbot, ws, planned_visit, open_window):
    """An interview opens without the visit list; Ctrl+Shift+V shows it and hides it again;
    a visit that is not running shows the list."""
    window = open_window(ws)
    assert window.browser.isVisible()
    start_visit(ws, planned_visit)
    window.open_visit(planned_visit)
    assert not window.browser.isVisible()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_V, CTRL_SHIFT)
    assert window.browser.isVisible()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_V, CTRL_SHIFT)
    assert not window.browser.isVisible()
    window.stack.setCurrentWidget(window.welcome)
    assert window.browser.isVisible()


def test_the_customer_view_of_the_read_back(qtbot, ws, planned_visit, open_window):
    """F11 shows the read-back full screen in large type without strike-throughs; the
    verdict keys still work there, and Escape returns to the interviewer's view."""
    start_visit(ws, planned_visit)
    for text in ("Seals are swapped by hand.", "Price is not the problem."):
        interview.add_key_learning(ws, planned_visit, text)
    closing.end_interview(ws, planned_visit)
    first = ws.visits.learnings(planned_visit)[0]
    closing.set_point_status(ws, first.id, SummaryStatus.REJECTED)
    window = open_window(ws)
    page = window.summarize
    assert window.stack.currentWidget() is page and not window.browser.isVisible()
    normal = page.rows[0].text_label.fontInfo().pointSizeF()
    assert "line-through" in page.rows[0].text_label.styleSheet()

    qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: window.isFullScreen())
    assert page.customer_view and not page.coaching.isVisible()
    assert page.context_label.text() == "Nordic Cans"  # no objective, no other account
    assert "line-through" not in page.rows[0].text_label.styleSheet()
    page.rows[0].text_label.ensurePolished()
    assert page.rows[0].text_label.fontInfo().pointSizeF() > normal * 1.3
    assert QApplication.focusWidget() is page.rows[1]
    qtbot.keyClick(page.rows[1], Qt.Key.Key_1, ALT)
    assert ws.visits.learnings(planned_visit)[1].status is SummaryStatus.CONFIRMED

    qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not page.customer_view and page.coaching.isVisible()
