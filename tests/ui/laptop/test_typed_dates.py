"""New visit takes the date as typed: the usual forms, the calendar by keyboard, and one
question for a date far away."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget, QMessageBox
from support.archive_ui import shown

from voc_desktop.services.accounts import create_account
from voc_desktop.ui.laptop.new_visit import NewVisitDialog

ALT = Qt.KeyboardModifier.AltModifier


def dialog_for(qtbot, ws):
    account = create_account(ws, "Fjord Dairy")
    dialog = shown(qtbot, NewVisitDialog(ws, account_id=account.id), (700, 560))
    qtbot.keyClicks(dialog.objective_edit, "Why the filling line idles on Mondays")
    return dialog


def test_a_date_typed_by_hand_is_kept_and_nothing_spills_into_place(qtbot, ws, monkeypatch):
    """Typing "1 Jan 1999" gives that date (asked about once), and Place stays empty."""
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or
                                     QMessageBox.StandardButton.Yes))
    dialog = dialog_for(qtbot, ws)
    dialog.date_edit.setFocus()
    qtbot.keyClick(dialog.date_edit.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.date_edit.edit, "1 Jan 1999")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.date_edit.date() == QDate(1999, 1, 1)
    assert dialog.place_edit.text() == ""
    dialog.accept()
    assert len(asked) == 1 and "1999" in asked[0]
    assert ws.visits.get(dialog.visit_id).visit_date == "1999-01-01"


def test_a_far_date_is_asked_about_once_and_no_leaves_the_dialog_open(qtbot, ws, monkeypatch):
    """Answering No keeps the dialog and writes nothing; planning again asks no more."""
    answers = [QMessageBox.StandardButton.No]
    asked = []

    def question(*args, **kwargs):
        asked.append(args[2])
        return answers.pop(0) if answers else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = dialog_for(qtbot, ws)
    dialog.date_edit.setDate(QDate(2031, 5, 2))
    dialog.accept()
    assert dialog.visit_id is None and dialog.isVisible() and len(asked) == 1
    dialog.accept()
    dialog.accept()
    assert len(asked) == 2 and dialog.visit_id is not None


def test_a_date_that_is_no_date_is_refused_in_one_line_and_kept(qtbot, ws):
    """Text that names no date stays as typed, and planning says what to type instead."""
    dialog = dialog_for(qtbot, ws)
    dialog.date_edit.edit.setText("next Tuesday-ish")
    dialog.accept()
    assert dialog.visit_id is None
    assert dialog.date_edit.edit.text() == "next Tuesday-ish"
    assert "not a date I can read" in dialog.error_label.text()
    assert "\n" not in dialog.error_label.text()


def test_the_calendar_picks_a_date_by_keyboard(qtbot, ws):
    """Alt+Down opens the calendar on the date; Right then Enter picks the next day; Up and
    Down in the field step a day."""
    dialog = dialog_for(qtbot, ws)
    dialog.date_edit.setDate(QDate(2026, 12, 7))
    dialog.date_edit.setFocus()
    qtbot.keyClick(dialog.date_edit.edit, Qt.Key.Key_Down, ALT)
    calendar = dialog.date_edit.findChild(QCalendarWidget)
    qtbot.waitUntil(lambda: calendar.isVisible())
    assert calendar.selectedDate() == QDate(2026, 12, 7)
    view = QApplication.focusWidget()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert dialog.date_edit.date() == QDate(2026, 12, 8)
    qtbot.keyClick(dialog.date_edit.edit, Qt.Key.Key_Up)
    assert dialog.date_edit.date() == QDate(2026, 12, 9)
