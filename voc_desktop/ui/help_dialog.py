"""Help: the listening rules and every keyboard shortcut, in one place."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from voc_desktop.ui.coach_panel import LISTENING_RULES
from voc_desktop.ui.interview_actions import InterviewActions


def _rows(actions: Sequence[QAction]) -> str:
    return "".join(
        f"<tr><td style='padding:2px 16px 2px 0'><code>"
        f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}</code></td>"
        f"<td>{a.text().replace('&', '')}</td></tr>" for a in actions)


def help_text(actions: InterviewActions, window_actions: Sequence[QAction] = ()) -> str:
    rules = "".join(f"<li><b>{t}</b> — {d}</li>" for t, d in LISTENING_RULES)
    everywhere = (f"<h3>Everywhere</h3><table>{_rows(window_actions)}</table>"
                  if window_actions else "")
    return (f"<h3>While you listen</h3><ol>{rules}</ol>"
            f"<h3>Keyboard during an interview</h3><table>{_rows(actions.all())}</table>"
            f"{everywhere}"
            "<p>Notes save themselves as you type; there is no save button.</p>")


def show_help(parent: QWidget, actions: InterviewActions,
              window_actions: Sequence[QAction] = ()) -> None:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Listening rules and shortcuts")
    label = QLabel(help_text(actions, window_actions))
    label.setWordWrap(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(buttons)
    dialog.exec()
