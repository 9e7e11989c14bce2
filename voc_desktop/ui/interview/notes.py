"""The notes under the current question, drawn as cards in ladder order: the answer, its
whys nested beneath it, then quotes, observations and files, each with their own whys."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QScrollArea, QVBoxLayout, QWidget

from voc_desktop.domain.coaching.probes import suggest_probe
from voc_desktop.domain.visit import Entry, EntryKind, ladder_depth
from voc_desktop.services.visits import VisitRecord
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.interview.note_editor import NoteEditor

PLACEHOLDERS = {
    EntryKind.ANSWER: "Type what they tell you. It is saved as you type.",
    EntryKind.QUOTE: "Their exact words…",
    EntryKind.OBSERVATION: "What do you see? The floor, the screens, the whiteboard…",
}


class NotesPage(Protocol):
    """What the notes need of the interview page that holds them (it imports them)."""

    ws: Workspace
    notes_scroll: QScrollArea

    def save_editor(self, editor: NoteEditor, text: str) -> None: ...

    def save_tags(self, editor: NoteEditor, text: str) -> None: ...

    def save_speakers(self, editor: NoteEditor, speakers: tuple[str, ...]) -> None: ...

    def note_focused(self, editor: NoteEditor) -> None: ...

    def place_moved(self) -> None: ...


class NotesView(QWidget):
    def __init__(self, page: NotesPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("notesView")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 4)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        self.editors: list[NoteEditor] = []
        self.answer_editor: NoteEditor | None = None
        self.current_editor: NoteEditor | None = None
        self._entries: tuple[Entry, ...] = ()
        self.carried_speakers: tuple[str, ...] = ()

    def show_question(self, record: VisitRecord, key: str, focus_entry: str | None,
                      cursor: int | None = None) -> None:
        """The question's notes as cards; focus goes to `focus_entry` (else the answer),
        its cursor at `cursor` (else the end), and the card scrolls into view."""
        for editor in self.editors:
            editor.save_text = None  # already flushed by the page; never save a stale card
            # out of the layout and out of sight now; deleted once the event loop is free
            self._layout.removeWidget(editor)
            editor.hide()
            editor.deleteLater()
        self.editors, self.answer_editor, self.current_editor = [], None, None
        self._entries = record.entries
        said = [e for e in record.entries if e.kind is not EntryKind.ATTACHMENT]
        self.carried_speakers = said[-1].speakers if said else ()
        people = [(a.contact.id, a.contact.name) for a in record.attendees]
        mine = [e for e in record.entries if e.question_key == key and e.parent_id is None]
        answer = next((e for e in mine if e.kind is EntryKind.ANSWER), None)
        self._add(NoteEditor(EntryKind.ANSWER, entry=answer, question_key=key), people, record)
        if answer:
            self._add_children(answer, 1, record, people)
        for entry in mine:
            if entry.kind is EntryKind.ANSWER:
                continue
            self._add(NoteEditor(entry.kind, entry=entry, question_key=key), people, record)
            self._add_children(entry, 1, record, people)
        target = self.editor_for(focus_entry) if focus_entry else None
        target = target or self.answer_editor
        if target is not None:
            self.current_editor = target
            target.focus_text(cursor)
            self.bring_into_view(target)

    def _add_children(self, parent: Entry, depth: int, record: VisitRecord,
                      people: list[tuple[str, str]]) -> None:
        for child in record.children(parent.id):
            editor = NoteEditor(child.kind, depth=depth, entry=child,
                                question_key=child.question_key)
            editor.text.setPlaceholderText(
                suggest_probe(parent.text or "…", depth, child.id) or "Why?")
            self._add(editor, people, record)
            self._add_children(child, depth + 1, record, people)

    def _add(self, editor: NoteEditor, people: list[tuple[str, str]],
             record: VisitRecord) -> None:
        if editor.kind in PLACEHOLDERS and not editor.text.placeholderText():
            editor.text.setPlaceholderText(PLACEHOLDERS[editor.kind])
        if editor.kind is EntryKind.ANSWER:
            self.answer_editor = editor
        if editor.kind is not EntryKind.ATTACHMENT:
            entry = next((e for e in record.entries if e.id == editor.entry_id), None)
            # an answer not written yet will carry the last speaker when it is
            editor.set_speakers(people, entry.speakers if entry else self.carried_speakers)
        if editor.kind is EntryKind.ATTACHMENT:
            entry = next((e for e in record.entries if e.id == editor.entry_id), None)
            if entry and entry.attachment_sha:
                editor.set_picture(self.page.ws.attachments.data(entry.attachment_sha),
                                   entry.attachment_name)
        editor.save_text = self.page.save_editor
        editor.focused.connect(self._focused)
        editor.text.cursorPositionChanged.connect(self.page.place_moved)
        editor.text_edited.connect(lambda _e: self.page.note_focused(_e))
        editor.tags_edited.connect(self.page.save_tags)
        editor.speaker_changed.connect(self.page.save_speakers)
        self._layout.insertWidget(self._layout.count() - 1, editor)
        self.editors.append(editor)

    def bring_into_view(self, editor: NoteEditor) -> None:
        """Scroll so the whole card shows, once the new cards are laid out (before that the
        scroll lands short of them)."""
        scroll = self.page.notes_scroll

        def show() -> None:
            if editor in self.editors:
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
                scroll.ensureWidgetVisible(editor, 0, 8)
                scroll.ensureWidgetVisible(editor.text, 0, 8)  # a tall card: its text first
        # The scroll area is the timers' context: a page closed before they fire takes them.
        QTimer.singleShot(0, scroll, show)
        QTimer.singleShot(50, scroll, show)  # a photo's card grows when its picture is laid out

    def _focused(self, editor: NoteEditor) -> None:
        self.current_editor = editor
        self.page.note_focused(editor)

    def flush_all(self) -> bool:
        """Save every card; True when nothing on screen is left unsaved."""
        for editor in list(self.editors):
            editor.flush()
        return not any(e.unsaved for e in self.editors)

    def editor_for(self, entry_id: str | None) -> NoteEditor | None:
        return next((e for e in self.editors if entry_id and e.entry_id == entry_id), None)

    def ladder_depth(self, editor: NoteEditor) -> int:
        """How deep the ladder this note belongs to goes, counted from its root."""
        if editor.entry_id is None:
            return 0
        by_id = {e.id: e for e in self._entries}
        root = by_id.get(editor.entry_id)
        while root is not None and root.parent_id in by_id:
            root = by_id[root.parent_id]
        return ladder_depth(root.id, self._entries) if root else 0

    def show_learning_marks(self, source_ids: set[str | None]) -> None:
        """★ on the notes key learnings were taken from; a learning written in own words
        has no source note, and a note not saved yet is the source of none."""
        for editor in self.editors:
            editor.set_learning(editor.entry_id is not None and editor.entry_id in source_ids)
