"""The interview's keyboard actions, shared by the page and the main window's menu."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from voc_desktop.ui.common import shortcuts


@dataclass
class InterviewActions:
    save_next: QAction
    previous: QAction
    skip: QAction
    go_to: QAction
    why: QAction
    learning: QAction
    write_learning: QAction
    quote: QAction
    observation: QAction
    attach: QAction
    tags: QAction
    delete: QAction
    end: QAction
    undo: QAction
    redo: QAction

    def all(self) -> list[QAction]:
        return list(vars(self).values())

    def set_enabled(self, on: bool) -> None:
        for action in self.all():
            action.setEnabled(on)


def _action(owner: QWidget, text: str, key: QKeySequence, help_text: str) -> QAction:
    action = QAction(text, owner)
    action.setShortcut(key)
    action.setToolTip(shortcuts.tip(help_text, key))
    action.setStatusTip(help_text)
    owner.addAction(action)
    return action


def make_actions(owner: QWidget) -> InterviewActions:
    a = _action
    return InterviewActions(
        save_next=a(owner, "Save and &next question", shortcuts.SAVE_AND_NEXT,
                    "Keep the answer and go to the next open question"),
        previous=a(owner, "&Previous question", shortcuts.PREVIOUS_QUESTION,
                   "Go back one question"),
        skip=a(owner, "&Skip question", shortcuts.SKIP_QUESTION,
               "Set this question aside; you can come back to it"),
        go_to=a(owner, "&Go to question…", shortcuts.GO_TO_QUESTION,
                "Pick a question from the guide's list"),
        why=a(owner, "Add a &why-probe", shortcuts.WHY_PROBE,
              "Follow the current note with a why, one level deeper"),
        learning=a(owner, "Mark as &key learning", shortcuts.KEY_LEARNING,
                   "Mark the current note as a key learning (again to unmark)"),
        write_learning=a(owner, "&Write a key learning…", shortcuts.WRITE_LEARNING,
                         "Write a key learning in your own words"),
        quote=a(owner, "Add their &words (quote)", shortcuts.QUOTE,
                "Capture the customer's exact words"),
        observation=a(owner, "Add an &observation", shortcuts.OBSERVATION,
                      "Note what you see of their environment"),
        attach=a(owner, "&Attach photo or file…", shortcuts.ATTACH,
                 "Attach a photo or file from disk"),
        tags=a(owner, "&Tags of this note", shortcuts.TAGS, "Jump to the current note's tags"),
        delete=a(owner, "&Delete this note", shortcuts.DELETE_NOTE,
                 "Delete the current note and the whys under it (undo brings it back)"),
        end=a(owner, "&End interview and read back", shortcuts.END_INTERVIEW,
              "Stop asking and read the key learnings back to the customer"),
        undo=a(owner, "&Undo", shortcuts.UNDO, "Undo the last edit in this visit"),
        redo=a(owner, "&Redo", shortcuts.REDO, "Redo the edit you undid"),
    )
