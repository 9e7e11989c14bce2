"""Writing a key learning in the interviewer's own words, to read back to the customer."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QPlainTextEdit, QVBoxLayout, QWidget

from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.look import apply_readable_style, ok_cancel, text_label

QUESTION = "What did we learn? Write it in a sentence the customer can confirm or correct."


class LearningDialog(QDialog):
    """A wrapping question, a text field and OK; Ctrl+Return accepts from the text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Write a key learning")
        apply_readable_style(self)
        self.question = text_label(QUESTION)
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName("The key learning, in your words")
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(self.edit.fontMetrics().lineSpacing() * 4)
        self.question.setBuddy(self.edit)
        buttons, self.ok = ok_cancel(self, "Add the learning", "Add it to the points to read "
                                     "back", shortcuts.SAVE_AND_NEXT, "Writing a key learning")
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry()
        self.resize(min(520, screen.width() - 40), min(300, screen.height() - 60))
        self.edit.setFocus()

    @property
    def text(self) -> str:
        return self.edit.toPlainText()


def ask_learning(parent: QWidget) -> str | None:
    """The learning written, or None when the person cancelled or wrote nothing."""
    dialog = LearningDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.text.strip():
        return None
    return dialog.text
