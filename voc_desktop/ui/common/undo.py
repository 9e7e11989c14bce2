"""Undo and redo of interview edits. Every command goes through the services, so an undone
edit is undone in the workspace too, not only on screen."""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from voc_desktop.services import interview
from voc_desktop.services.workspace.workspace import Workspace

MERGE_WINDOW_S = 3.0  # typing bursts closer than this undo as one step


class NoteView(Protocol):
    def show_text(self, entry_id: str, text: str) -> None: ...
    def reload_notes(self, focus_entry: str | None = None) -> None: ...


class _Command(QUndoCommand):
    def __init__(self, ws: Workspace, view: NoteView, label: str) -> None:
        super().__init__(label)
        self.ws, self.view = ws, view
        self._done_once = False

    def redo(self) -> None:
        # The first redo happens on push, after the edit was already saved.
        if self._done_once:
            self.again()
        self._done_once = True

    def again(self) -> None:
        raise NotImplementedError


class EditText(_Command):
    ID = 1

    def __init__(self, ws: Workspace, view: NoteView, entry_id: str, old: str, new: str):
        super().__init__(ws, view, "Typing")
        self.entry_id, self.old, self.new = entry_id, old, new
        self.at = time.monotonic()

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(other, EditText) or other.entry_id != self.entry_id:
            return False
        if other.at - self.at > MERGE_WINDOW_S:
            return False
        self.new, self.at = other.new, other.at
        return True

    def undo(self) -> None:
        interview.update_text(self.ws, self.entry_id, self.old)
        self.view.show_text(self.entry_id, self.old)

    def again(self) -> None:
        interview.update_text(self.ws, self.entry_id, self.new)
        self.view.show_text(self.entry_id, self.new)


class AddNote(_Command):
    def __init__(self, ws: Workspace, view: NoteView, entry_id: str, label: str):
        super().__init__(ws, view, label)
        self.entry_id = entry_id
        self.deleted: list[str] = []

    def undo(self) -> None:
        self.deleted = interview.delete_entry(self.ws, self.entry_id)
        self.view.reload_notes()

    def again(self) -> None:
        interview.restore_entries(self.ws, self.deleted)
        self.view.reload_notes(self.entry_id)


class DeleteNote(_Command):
    def __init__(self, ws: Workspace, view: NoteView, entry_ids: list[str]):
        super().__init__(ws, view, "Delete note")
        self.entry_ids = entry_ids

    def undo(self) -> None:
        interview.restore_entries(self.ws, self.entry_ids)
        self.view.reload_notes(self.entry_ids[0])

    def again(self) -> None:
        interview.delete_entry(self.ws, self.entry_ids[0])
        self.view.reload_notes()


class ToggleLearning(_Command):
    def __init__(self, ws: Workspace, view: NoteView, entry_id: str, marked: bool):
        super().__init__(ws, view, "Mark key learning" if marked else "Unmark key learning")
        self.entry_id = entry_id

    def undo(self) -> None:
        interview.toggle_key_learning(self.ws, self.entry_id)
        self.view.reload_notes(self.entry_id)

    def again(self) -> None:
        self.undo()


class SetTags(_Command):
    def __init__(self, ws: Workspace, view: NoteView, entry_id: str,
                 old: tuple[str, ...], new: tuple[str, ...]):
        super().__init__(ws, view, "Tags")
        self.entry_id, self.old, self.new = entry_id, old, new

    def undo(self) -> None:
        interview.set_tags(self.ws, self.entry_id, self.old)
        self.view.reload_notes(self.entry_id)

    def again(self) -> None:
        interview.set_tags(self.ws, self.entry_id, self.new)
        self.view.reload_notes(self.entry_id)


class SetSpeakers(_Command):
    def __init__(self, ws: Workspace, view: NoteView, entry_id: str,
                 old: tuple[str, ...], new: tuple[str, ...]):
        super().__init__(ws, view, "Who said it")
        self.entry_id, self.old, self.new = entry_id, old, new

    def undo(self) -> None:
        interview.set_speakers(self.ws, self.entry_id, self.old)
        self.view.reload_notes(self.entry_id)

    def again(self) -> None:
        interview.set_speakers(self.ws, self.entry_id, self.new)
        self.view.reload_notes(self.entry_id)
