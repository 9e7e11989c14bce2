"""The autosave promise while someone types steadily: at most the last second is unsaved."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from voc_desktop.domain.visit import EntryKind
from voc_desktop.ui.interview.note_editor import AUTOSAVE_DELAY_MS

CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = "Seals are swapped by hand, and the night shift has no fitter at all."
PROMISE_SECONDS = 1.0


def stored_answer(ws, visit_id: str, key: str) -> str:
    return next((e.text for e in ws.visits.entries(visit_id)
                 if e.kind is EntryKind.ANSWER and e.question_key == key), "")


def test_steady_typing_is_never_more_than_a_second_behind(qtbot, ws, planned_visit,
                                                          open_window):
    """A key every 100 ms for 3 s: the workspace always holds all but the last second,
    saved calmly (at most one save per autosave delay), not once per key."""
    window = open_window(ws)
    window.open_visit(planned_visit)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.interview)
    page = window.interview
    key = page.state.key
    assert QApplication.focusWidget() is page.notes.answer_editor.text
    saves: list[float] = []
    ws.subscribe(lambda change: saves.append(time.monotonic())
                 if "entries" in change.tables else None)

    typed: list[float] = []  # when each character of TEXT went in
    started = time.monotonic()
    while time.monotonic() - started < 3.0:
        qtbot.keyClicks(QApplication.focusWidget(), TEXT[len(typed)])
        typed.append(time.monotonic())
        qtbot.wait(100)
        now, stored = time.monotonic(), stored_answer(ws, planned_visit, key)
        assert TEXT[:len(typed)].startswith(stored)
        unsaved = typed[len(stored):]
        assert not unsaved or now - unsaved[0] <= PROMISE_SECONDS, (
            f"{len(unsaved)} characters unsaved, the oldest for {now - unsaved[0]:.2f} s")
    typing_time = time.monotonic() - started

    assert len(typed) >= 10
    assert stored_answer(ws, planned_visit, key)  # saved while the typing went on
    assert len(saves) <= typing_time / (AUTOSAVE_DELAY_MS / 1000) + 1
