"""Help: the listening rules and every keyboard shortcut, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.look import FittingScroll
from voc_desktop.ui.interview.actions import InterviewActions
from voc_desktop.ui.interview.coach_panel import LISTENING_RULES


def _rows(actions: Sequence[QAction]) -> str:
    return _key_rows([(a.shortcut(), a.text().replace("&", "")) for a in actions])


def _key_rows(keys: Sequence[tuple[QKeySequence, str]]) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    return "".join(
        f"<tr><td style='padding:2px 16px 2px 0; white-space:nowrap'><code>"
        f"{escape(key.toString(native))}</code></td><td>{escape(what)}</td></tr>"
        for key, what in keys if key.toString(native))


def help_text(actions: InterviewActions, window_actions: Sequence[QAction] = ()) -> str:
    rules = "".join(f"<li><b>{t}</b> — {d}</li>" for t, d in LISTENING_RULES)
    interview = (f"<h3>Keyboard during an interview</h3><table>{_rows(actions.all())}</table>"
                 "<p>Notes save themselves as you type; there is no save button.</p>")
    everywhere = (f"<h3>Everywhere</h3><table>{_rows(window_actions)}</table>"
                  if window_actions else "")
    screens = "".join(f"<h3>{escape(screen)}</h3><table>{_key_rows(keys)}</table>"
                      for screen, keys in shortcuts.SCREEN_KEYS.items())
    # the two lists side by side, so the whole help fits a laptop's 768-pixel screen
    return (f"<h3>While you listen</h3><ol>{rules}</ol>"
            f"<table><tr><td valign='top' style='padding-right:28px'>{interview}</td>"
            f"<td valign='top'>{everywhere}</td><td valign='top' style='padding-left:28px'>"
            f"{screens}</td></tr></table>")


def show_help(parent: QWidget, actions: InterviewActions,
              window_actions: Sequence[QAction] = ()) -> None:
    help_dialog(parent, actions, window_actions).exec()


def help_dialog(parent: QWidget, actions: InterviewActions,
                window_actions: Sequence[QAction] = ()) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Listening rules and shortcuts")
    label = QLabel(help_text(actions, window_actions))
    label.setWordWrap(True)
    label.setAccessibleName("Listening rules and shortcuts")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(FittingScroll(label, room=0.85), 1)
    layout.addWidget(buttons)
    return dialog
