"""Every keyboard shortcut of the app in one place, so menus, tooltips and help agree."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

NEW_VISIT = QKeySequence("Ctrl+N")
FIND = QKeySequence("Ctrl+F")
SAVE_AND_NEXT = QKeySequence("Ctrl+Return")
PREVIOUS_QUESTION = QKeySequence("Ctrl+PgUp")
SKIP_QUESTION = QKeySequence("Ctrl+PgDown")
GO_TO_QUESTION = QKeySequence("Ctrl+G")
WHY_PROBE = QKeySequence("Ctrl+Y")
KEY_LEARNING = QKeySequence("Ctrl+K")
WRITE_LEARNING = QKeySequence("Ctrl+Shift+K")
QUOTE = QKeySequence("Ctrl+'")
OBSERVATION = QKeySequence("Ctrl+Shift+O")
ATTACH = QKeySequence("Ctrl+Shift+A")
TAGS = QKeySequence("Ctrl+T")
DELETE_NOTE = QKeySequence("Ctrl+Shift+Backspace")
END_INTERVIEW = QKeySequence("Ctrl+Shift+E")
UNDO = QKeySequence("Ctrl+Z")
REDO = QKeySequence("Ctrl+Shift+Z")
CONFIRM_POINT = QKeySequence("Alt+1")
CORRECT_POINT = QKeySequence("Alt+2")
REJECT_POINT = QKeySequence("Alt+3")
COMPLETE_VISIT = QKeySequence("Ctrl+Return")
SHORTCUTS_HELP = QKeySequence("F1")
SHOW_ALL = QKeySequence("Ctrl+1")
SHOW_PLANNED = QKeySequence("Ctrl+2")
SHOW_IN_PROGRESS = QKeySequence("Ctrl+3")
SHOW_COMPLETED = QKeySequence("Ctrl+4")
START_INTERVIEW = QKeySequence("Ctrl+Return")
ADD_PERSON = QKeySequence("Alt+P")
CUSTOMER_VIEW = QKeySequence("F11")  # the read-back, full screen, for the customer to read
FOCUS_MODE = QKeySequence("Ctrl+Shift+V")  # V for the visit list, hidden while interviewing
SKIP_READ_BACK = QKeySequence("Ctrl+Shift+S")
BACK_TO_QUESTIONS = QKeySequence("Ctrl+Shift+B")
ADD_ACTION = QKeySequence("Ctrl+Shift+T")
DELETE_ACTION = QKeySequence("Del")
NEXT_CONTACT = QKeySequence("Ctrl+Shift+D")
EXPORT_REPORT = QKeySequence("Ctrl+E")
EXPORT_BUNDLE = QKeySequence("Ctrl+Shift+X")
CONTACT_PLAN = QKeySequence("Ctrl+Shift+P")
PRINT_BRIEF = QKeySequence("Ctrl+P")
BACKUPS = QKeySequence("Ctrl+Shift+R")  # R for restore, the reason to look


def tip(text: str, key: QKeySequence) -> str:
    """A tooltip that names its shortcut, in the platform's spelling."""
    return f"{text} ({key.toString(QKeySequence.SequenceFormat.NativeText)})"
