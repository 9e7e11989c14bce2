"""F1 lists every keyboard shortcut of the app, taken from the actions and the screens'
own keys, so none is left out."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from voc_desktop.services import closing
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.visits import start_visit
from voc_desktop.ui.interview.learning_dialog import LearningDialog
from voc_desktop.ui.laptop.help_dialog import help_text
from voc_desktop.ui.laptop.new_visit import NewVisitDialog

NATIVE = QKeySequence.SequenceFormat.NativeText


def test_every_shortcut_of_every_screen_is_in_the_help(qtbot, ws, open_window):
    """With every screen and dialog built, each key any action or shortcut answers to is in
    F1's text, and every screen key says what it does."""
    fill_demo(ws)
    window = open_window(ws)
    planned = next(v for v in ws.visits.list() if v.status.value == "planned")
    done = next(v for v in ws.visits.list() if v.status.value == "completed")
    window.open_visit(done.id)
    window.open_account(done.account_id)
    start_visit(ws, planned.id)
    window.open_visit(planned.id)
    closing.end_interview(ws, planned.id)
    window.open_visit(planned.id)
    dialogs = [NewVisitDialog(ws, window), LearningDialog(window)]
    for dialog in dialogs:
        qtbot.addWidget(dialog)

    keys = {}
    for top in QApplication.topLevelWidgets():
        for shortcut in top.findChildren(QShortcut):
            keys[shortcut.key().toString(NATIVE)] = shortcut.whatsThis()
        for action in top.findChildren(QAction):
            for key in action.shortcuts():
                keys[key.toString(NATIVE)] = action.text()
    keys.pop("", None)
    text = help_text(window.actions, window.window_actions)
    missing = sorted(k for k in keys if f"<code>{escape(k)}</code>" not in text)
    assert missing == []
    assert all(keys.values()), [k for k, what in keys.items() if not what]
    for key in ("Ctrl+Shift+T", "Ctrl+Shift+D", "Ctrl+Shift+B", "Ctrl+Shift+S", "Alt+P",
                "Alt+1", "Alt+2", "Alt+3", "F11", "Ctrl+Shift+V"):
        assert f"<code>{key}</code>" in text
