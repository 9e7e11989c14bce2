"""Help: the listening rules and every keyboard shortcut, in one place."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from voc_desktop.ui.interview.actions import InterviewActions
from voc_desktop.ui.interview.coach_panel import LISTENING_RULES


def _rows(actions: Sequence[QAction]) -> str:
    keyed = [(key, a) for a in actions
             if (key := a.shortcut().toString(QKeySequence.SequenceFormat.NativeText))]
    return "".join(
        f"<tr><td style='padding:2px 16px 2px 0; white-space:nowrap'><code>{key}</code></td>"
        f"<td style='white-space:nowrap'>{a.text().replace('&', '')}</td></tr>"
        for key, a in keyed)


def help_text(actions: InterviewActions, window_actions: Sequence[QAction] = ()) -> str:
    rules = "".join(f"<li><b>{t}</b> — {d}</li>" for t, d in LISTENING_RULES)
    interview = (f"<h3>Keyboard during an interview</h3><table>{_rows(actions.all())}</table>"
                 "<p>Notes save themselves as you type; there is no save button.</p>")
    everywhere = (f"<h3>Everywhere</h3><table>{_rows(window_actions)}</table>"
                  if window_actions else "")
    # the two lists side by side, so the whole help fits a laptop's 768-pixel screen
    return (f"<h3>While you listen</h3><ol>{rules}</ol>"
            f"<table><tr><td valign='top' style='padding-right:28px'>{interview}</td>"
            f"<td valign='top'>{everywhere}</td></tr></table>")


def show_help(parent: QWidget, actions: InterviewActions,
              window_actions: Sequence[QAction] = ()) -> None:
    help_dialog(parent, actions, window_actions).exec()


def help_dialog(parent: QWidget, actions: InterviewActions,
                window_actions: Sequence[QAction] = ()) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Listening rules and shortcuts")
    label = QLabel(help_text(actions, window_actions))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(buttons)
    return dialog
