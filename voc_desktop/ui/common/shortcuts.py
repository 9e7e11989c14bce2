"""Every keyboard shortcut of the app in one place, so menus, tooltips and help agree."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut

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
QUIT = QKeySequence("Ctrl+Q")  # named, not the platform's standard key: some have none
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


# Keys that belong to one screen rather than to a menu: each is bound with `bind`, which
# takes its words from here, so the help (F1) lists every one of them.
SPEAKER_KEYS = tuple(QKeySequence(f"Alt+{n}") for n in range(10))  # Alt+0 is the room

SCREEN_KEYS: dict[str, tuple[tuple[QKeySequence, str], ...]] = {
    "Interviewing": (
        (SPEAKER_KEYS[0], "The current note was said by the room, no one in particular"),
        *((SPEAKER_KEYS[n], f"Attendee {n} said the current note (again: not them)")
          for n in range(1, 10)),
    ),
    "Planning a visit": (
        (SAVE_AND_NEXT, "Plan the visit"),
        (ADD_PERSON, "Add a person met at this account"),
    ),
    "A visit's page": (
        (START_INTERVIEW, "Start the interview"),
        (PRINT_BRIEF, "Print the pre-visit brief"),
    ),
    "Read-back": (
        (CONFIRM_POINT, "Confirm the selected point"),
        (CORRECT_POINT, "Correct it in the customer's words"),
        (REJECT_POINT, "Reject it"),
        (WRITE_LEARNING, "Add a point"),
        (CUSTOMER_VIEW, "Show to the customer: full screen, large type (Esc returns)"),
        (BACK_TO_QUESTIONS, "Back to the questions"),
        (SKIP_READ_BACK, "Skip the read-back, with the reason"),
        (COMPLETE_VISIT, "Complete the visit"),
        (QKeySequence(Qt.Key.Key_Escape), "Leave a correction unsaved, or the customer's view"),
    ),
    "The visit list": (
        (QKeySequence(Qt.Key.Key_Down), "From the search into the accounts and visits found"),
    ),
    "Follow-up": (
        (ADD_ACTION, "Add an action item"),
        (DELETE_ACTION, "Delete the selected action item"),
        (NEXT_CONTACT, "Plan the next contact"),
    ),
    "An account's page": (
        (QKeySequence(Qt.Key.Key_Escape), "Back to where you were"),
        (QKeySequence("Alt+Left"), "Back to where you were"),
    ),
    "Writing a key learning": (
        (SAVE_AND_NEXT, "Add the learning"),
    ),
}


def bind(screen: str, key: QKeySequence, parent: QObject, slot: Callable[[], object],
         context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QShortcut:
    """A screen's shortcut, described in SCREEN_KEYS (a key missing there is an error, so
    the help never misses one)."""
    what = next((w for k, w in SCREEN_KEYS[screen] if k == key), None)
    if what is None:
        raise KeyError(f"{key.toString()} is not listed for {screen!r} in SCREEN_KEYS")
    shortcut = QShortcut(key, parent, slot, context=context)
    shortcut.setWhatsThis(what)
    return shortcut


def tip(text: str, key: QKeySequence) -> str:
    """A tooltip that names its shortcut, in the platform's spelling."""
    return f"{text} ({key.toString(QKeySequence.SequenceFormat.NativeText)})"
