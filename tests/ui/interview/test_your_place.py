"""Your place is never lost: the question, the note and the cursor are kept with the text,
and every new note comes into view with the focus in it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from voc_desktop.domain.visit import EntryKind, ResumePoint
from voc_desktop.services import interview
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.interview.note_editor import AUTOSAVE_DELAY_MS, NoteEditor
from voc_desktop.ui.interview.notes import NotesView

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifiers)


def focused_note() -> NoteEditor | None:
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, NoteEditor):
        widget = widget.parentWidget()
    return widget


def start(qtbot, window, visit_id) -> None:
    window.open_visit(visit_id)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.interview)


def lines(qtbot, text: str, count: int) -> None:
    for _ in range(count):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)


def in_view(notes: NotesView, editor: NoteEditor) -> bool:
    viewport = notes.page.notes_scroll.viewport()
    top_left = editor.text.mapTo(viewport, QPoint(0, 0))
    return QRect(QPoint(0, 0), viewport.size()).contains(QRect(top_left, editor.text.size()))


def test_a_restart_opens_the_same_question_note_and_cursor(qtbot, ws, planned_visit,
                                                          open_window):
    """Typing in the first question's quote without moving on, then a restart: the same
    question (not the next open one), the focus in that quote, the cursor where it was."""
    window = open_window(ws)
    start(qtbot, window, planned_visit)
    page = window.interview
    first = page.state.key
    qtbot.keyClicks(QApplication.focusWidget(), "Seals are swapped by hand.")
    press(qtbot, Qt.Key.Key_Apostrophe, CTRL)
    quote = focused_note()
    assert quote.kind is EntryKind.QUOTE
    qtbot.keyClicks(quote.text, "It takes ninety minutes.")
    for _ in range(9):
        press(qtbot, Qt.Key.Key_Left)
    qtbot.wait(AUTOSAVE_DELAY_MS + 400)  # no key after the cursor moved: only timers ran
    window.hide()

    again = Workspace.open(ws.data_dir)
    try:
        second = open_window(again)
        resumed = second.interview
        assert resumed.state.key == first
        note = focused_note()
        assert note is not None and note.entry_id == quote.entry_id
        assert note.text.toPlainText() == "It takes ninety minutes."
        assert note.cursor_position == len("It takes ninety minutes.") - 9
    finally:
        again.close()


def test_the_place_is_saved_in_the_same_transaction_as_the_text(ws, planned_visit):
    """An autosave with a cursor keeps the place; a save of the same place writes nothing."""
    from voc_desktop.services.visits import get_visit, start_visit

    start_visit(ws, planned_visit)
    guide_key = ws.guides.version(get_visit(ws, planned_visit).guide_version_id) \
        .guide.sections[0].questions[0].key
    answer = interview.record_answer(ws, planned_visit, guide_key, "Seals", cursor=5)
    assert interview.resume_point(ws, planned_visit) == ResumePoint(
        planned_visit, guide_key, answer.id, 5)
    heard = []
    ws.subscribe(heard.append)
    interview.update_text(ws, answer.id, "Seals by hand", cursor=2)
    assert interview.resume_point(ws, planned_visit).cursor == 2
    assert len(heard) == 1 and {"entries", "resume_points"} <= heard[0].tables
    interview.keep_place(ws, ResumePoint(planned_visit, guide_key, answer.id, 2))
    assert len(heard) == 1


def test_new_notes_come_into_view_with_the_focus(qtbot, ws, planned_visit, open_window):
    """A why-probe three deep, a quote under an answer with probes, and an observation each
    scroll into view and take the focus, even on a small window."""
    window = open_window(ws)
    window.resize(1024, 600)
    start(qtbot, window, planned_visit)
    notes = window.interview.notes
    lines(qtbot, "We wait for the fitter every night.", 4)
    for depth in (1, 2, 3):
        press(qtbot, Qt.Key.Key_Y, CTRL)
        probe = focused_note()
        assert probe.kind is EntryKind.PROBE and probe.depth == depth
        lines(qtbot, "Because only one person is trained.", 3)
        qtbot.waitUntil(lambda p=probe: in_view(notes, p), timeout=1000)
    for key, mods, kind in ((Qt.Key.Key_Apostrophe, CTRL, EntryKind.QUOTE),
                            (Qt.Key.Key_O, CTRL | SHIFT, EntryKind.OBSERVATION)):
        press(qtbot, key, mods)
        note = focused_note()
        assert note is not None and note.kind is kind
        qtbot.waitUntil(lambda n=note: in_view(notes, n), timeout=1000)
        assert QApplication.focusWidget() is note.text
