"""Who said it, one key per attendee: Alt+1 … names the attendees in the order listed,
Alt+0 gives a note to the room, and the next note starts with the last speaker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from voc_desktop.domain.visit import EntryKind
from voc_desktop.services.visits import load_visit

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifiers)


def test_speaker_keys_name_attendees_and_carry_over(qtbot, ws, planned_visit, open_window):
    """Typing an answer, Alt+2 names the second attendee, Alt+1 adds the first; a why-probe
    then starts with both; Alt+0 gives it to the room; Ctrl+Z brings the speakers back."""
    window = open_window(ws)
    window.open_visit(planned_visit)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.interview)
    page = window.interview
    record = load_visit(ws, planned_visit)
    first, second = (a.contact.id for a in record.attendees)
    qtbot.keyClicks(QApplication.focusWidget(), "We wait for the fitter.")
    press(qtbot, Qt.Key.Key_2, ALT)
    press(qtbot, Qt.Key.Key_1, ALT)
    answer = page.notes.answer_editor
    assert ws.visits.entry(answer.entry_id).speakers == (second, first)
    assert answer.speaker.buttons[first].isChecked() and not answer.speaker.room.isChecked()

    press(qtbot, Qt.Key.Key_Y, CTRL)
    probe = page.notes.current_editor
    assert probe.kind is EntryKind.PROBE
    assert ws.visits.entry(probe.entry_id).speakers == (second, first)
    assert probe.speaker.buttons[second].isChecked()
    press(qtbot, Qt.Key.Key_0, ALT)
    assert ws.visits.entry(probe.entry_id).speakers == ()
    assert page.notes.current_editor.speaker.room.isChecked()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert ws.visits.entry(probe.entry_id).speakers == (second, first)


def test_a_key_past_the_attendees_says_so_and_changes_nothing(qtbot, ws, planned_visit,
                                                             open_window):
    """With two attendees, Alt+5 names no one and tells the interviewer why."""
    window = open_window(ws)
    window.open_visit(planned_visit)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.interview)
    messages = []
    window.interview.status_message.connect(messages.append)
    qtbot.keyClicks(QApplication.focusWidget(), "Seals by hand.")
    press(qtbot, Qt.Key.Key_5, ALT)
    answer = window.interview.notes.answer_editor
    assert answer.speaker.current == ()
    assert messages and "no attendee 5" in messages[-1]
