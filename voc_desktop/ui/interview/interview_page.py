"""The guided interview: one question at a time, notes that save themselves, why-ladders,
and a coach beside it that keeps the interviewer listening."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain import flow
from voc_desktop.domain.accounts import roles_label
from voc_desktop.domain.coaching.language import language_notice
from voc_desktop.domain.coaching.pitch import detect
from voc_desktop.domain.coaching.probes import suggest_probe
from voc_desktop.domain.guide import Question
from voc_desktop.domain.visit import EntryKind, ResumePoint, VisitStatus, deepest_ladder
from voc_desktop.services import closing, interview
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import VisitRecord, load_visit
from voc_desktop.services.workspace.workspace import Change, Workspace
from voc_desktop.ui.common.bus import ChangeBus
from voc_desktop.ui.common.flow_layout import flow_row
from voc_desktop.ui.common.look import INTERVIEW_STYLE, make_primary
from voc_desktop.ui.common.report_export import documents_folder
from voc_desktop.ui.common.theme import styled
from voc_desktop.ui.common.undo import AddNote, DeleteNote, EditText, SetTags, ToggleLearning
from voc_desktop.ui.interview.actions import InterviewActions, make_actions
from voc_desktop.ui.interview.coach_panel import CoachPanel
from voc_desktop.ui.interview.learning_dialog import ask_learning
from voc_desktop.ui.interview.note_editor import NoteEditor
from voc_desktop.ui.interview.notes import NotesView
from voc_desktop.ui.interview.question_nav import QuestionNavigator

PLACE_DELAY_MS = 500


def running_label(minutes: int) -> str:
    """How long the interview has run, never mistaken for minutes and seconds."""
    hours, minutes = divmod(minutes, 60)
    return f"Running {hours} h {minutes:02d} min" if hours else f"Running {minutes} min"


class InterviewPage(QWidget):
    end_requested = Signal(str)
    status_message = Signal(str)

    def __init__(self, ws: Workspace, bus: ChangeBus, actions: InterviewActions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("interviewPage")
        styled(self, INTERVIEW_STYLE)
        self.ws, self.bus = ws, bus
        self.visit_id: str | None = None
        self.record: VisitRecord | None = None
        self.state: flow.FlowState | None = None
        self.undo_stack = QUndoStack(self)
        self._save_error = ""
        self.actions = actions or make_actions(self)

        self.title = QLabel()
        self.title.setObjectName("interviewTitle")
        self.title.setWordWrap(True)
        self.objective = QLabel()
        self.objective.setObjectName("objective")
        self.objective.setWordWrap(True)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.end_button = QPushButton("End interview and read back ▸")
        self.end_button.setToolTip(self.actions.end.toolTip())
        self.end_button.clicked.connect(self.actions.end.trigger)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.objective)
        head.addLayout(titles, 1)
        head.addWidget(self.clock)
        head.addWidget(self.end_button)

        self.nav = QuestionNavigator()
        self.nav.question_chosen.connect(self.go_to)
        self.position = QLabel()
        self.position.setObjectName("position")
        self.bucket = QLabel()
        self.bucket.setObjectName("bucketLabel")
        for label in (self.position, self.bucket, self.clock):
            label.setWordWrap(True)
        self.question = QLabel()
        self.question.setObjectName("questionText")
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel()
        self.hint.setObjectName("questionHint")
        self.hint.setWordWrap(True)
        self.notes = NotesView(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.notes)
        self.notes_scroll = scroll

        # rows that wrap, so every button stays whole on a narrow window
        tools = flow_row(*(self._button(action, label) for action, label in (
            (self.actions.why, "Why?"), (self.actions.quote, "Quote"),
            (self.actions.observation, "Observation"), (self.actions.attach, "Attach…"),
            (self.actions.learning, "★ Key learning"))))
        self.next_button = self._button(self.actions.save_next, "Save and next ▸")
        make_primary(self.next_button)
        moves = flow_row(self._button(self.actions.previous, "◂ Previous"),
                         self._button(self.actions.skip, "Skip for now"),
                         right=(self.next_button,))

        center = QWidget()
        c = QVBoxLayout(center)
        c.setContentsMargins(16, 8, 16, 8)
        for w in (self.position, self.bucket, self.question, self.hint):
            c.addWidget(w)
        c.addWidget(scroll, 1)
        c.addWidget(tools)
        c.addWidget(moves)

        self.coach = CoachPanel()
        self.coach.write_learning_requested.connect(self.actions.write_learning.trigger)
        self.coach.learning_activated.connect(self._show_entry)
        split = QSplitter()
        split.addWidget(self.nav)
        split.addWidget(center)
        coach_scroll = QScrollArea()
        coach_scroll.setWidgetResizable(True)
        coach_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        coach_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        coach_scroll.setWidget(self.coach)
        coach_scroll.setMinimumWidth(250)
        coach_scroll.setMaximumWidth(400)
        split.addWidget(coach_scroll)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(head)
        layout.addWidget(split, 1)

        self._coach_timer = QTimer(self)
        self._coach_timer.setSingleShot(True)
        self._coach_timer.setInterval(200)
        self._coach_timer.timeout.connect(self._refresh_coach)
        # the place (note, cursor) is kept with every save; a move without typing is kept
        # this long after the cursor stops
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(PLACE_DELAY_MS)
        self._place_timer.timeout.connect(self.keep_place)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(15_000)
        self._clock_timer.timeout.connect(self._tick)
        self._wire_actions()
        bus.changed.connect(self._on_change)

    def _button(self, action, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep focus in the text being typed
        return button

    def _wire_actions(self) -> None:
        a = self.actions
        for action, slot in (
            (a.save_next, self.save_and_next),
            (a.previous, lambda: self._move(flow.previous_question)),
            (a.skip, lambda: self._move(flow.skip)),
            (a.go_to, lambda: self.nav.setFocus(Qt.FocusReason.ShortcutFocusReason)),
            (a.why, self.add_why_probe),
            (a.learning, self.toggle_learning),
            (a.write_learning, self.write_learning),
            (a.quote, lambda: self._add_note(EntryKind.QUOTE)),
            (a.observation, lambda: self._add_note(EntryKind.OBSERVATION)),
            (a.attach, self.attach),
            (a.tags, self.focus_tags),
            (a.delete, self.delete_note),
            (a.end, self.end_interview),
            (a.undo, self.undo),
            (a.redo, self.redo),
        ):
            action.triggered.connect(lambda _=False, slot=slot: self._run(slot))

    def _run(self, slot) -> None:
        """Every interview action reports a refusal (a full disk, a completed visit) in the
        status line instead of failing silently; what is typed stays on screen."""
        try:
            slot()
        except ServiceError as exc:
            self.status_message.emit(str(exc))

    # showing a visit
    def show_visit(self, visit_id: str) -> None:
        if visit_id != self.visit_id:
            self.require_saved()
            self.undo_stack.clear()
        self.visit_id = visit_id
        self.record = load_visit(self.ws, visit_id)
        v = self.record.visit
        answered = {e.question_key for e in self.record.entries
                    if e.kind is EntryKind.ANSWER and e.text.strip() and e.question_key}
        point = interview.resume_point(self.ws, visit_id)
        self.state = flow.start(self.record.guide, answered=answered,
                                skipped=set(v.skipped_questions),
                                current=point.question_key if point else v.current_question)
        self.title.setText(f"{self.record.account.name} · {v.visit_date}")
        self.title.setToolTip(v.place)
        self.objective.setText(f"Objective: {v.objective}")
        self.nav.show_guide(self.record.guide)
        self._tick()
        self._clock_timer.start()
        here = point if point and point.question_key == self.state.key else None
        self._render_question(here.entry_id if here else None, here.cursor if here else None)
        self.keep_place()  # the question on screen is the place, even before a word is typed

    def _tick(self) -> None:
        v = self.record.visit if self.record else None
        if not v or not v.started_at:
            self.clock.setText("")
            return
        started = datetime.fromisoformat(v.started_at.replace("Z", "+00:00"))
        minutes = max(0, int((datetime.now(UTC) - started).total_seconds() // 60))
        self.clock.setText(running_label(minutes))

    def _render_question(self, focus_entry: str | None = None,
                         cursor: int | None = None) -> None:
        assert self.record and self.state
        guide, key = self.record.guide, self.state.key
        section, question = guide.section_of(key), guide.question(key)
        self.position.setText(flow.position_label(guide, self.state))
        self.bucket.setText(f"{section.title} — {section.bucket.label}")
        self.question.setText(question.text)
        hint = "\n".join(filter(None, [self._meant_for(question), question.hint]))
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.coach.show_probes(question.probes)
        self.notes.show_question(self.record, key, focus_entry, cursor)
        self.nav.show_state(guide, self.state)
        self._refresh_learnings()
        self._coach_timer.start()

    def _meant_for(self, question: Question) -> str:
        """A question meant for some roles only says so, and whether anyone here holds one."""
        if not question.roles or self.record is None:
            return ""
        text = f"Only for: {roles_label(question.roles)}"
        here = any(question.is_for(a.attendee.roles or a.contact.roles)
                   for a in self.record.attendees)
        return text if here else text + " — no one here holds that role; skip it if so."

    def reload_notes(self, focus_entry: str | None = None) -> None:
        """Re-read the visit and redraw the current question's notes."""
        if not self.visit_id or not self.flush():
            return  # redrawing now would replace text the workspace does not have yet
        self.record = load_visit(self.ws, self.visit_id)
        self._render_question(focus_entry)

    def show_text(self, entry_id: str, text: str) -> None:
        editor = self.notes.editor_for(entry_id)
        if editor is not None:
            editor.set_text_quietly(text)
        self._coach_timer.start()

    def _show_entry(self, entry_id: str) -> None:
        entry = next((e for e in self.record.entries if e.id == entry_id), None) \
            if self.record else None
        if entry and entry.question_key and self.state:
            key = entry.question_key
            self._run(lambda: self._set_state(flow.go_to(self.state, key), focus_entry=entry_id))

    # saving
    def save_editor(self, editor: NoteEditor, text: str) -> None:
        """Autosave of one note; the first words of an answer create it."""
        assert self.visit_id and self.state
        try:
            old = editor.saved_text
            # the place goes with the text of the note being typed in
            cursor = editor.cursor_position if editor is self.notes.current_editor else None
            if editor.entry_id is None:
                entry = interview.record_answer(self.ws, self.visit_id,
                                                editor.question_key or self.state.key, text,
                                                cursor=cursor)
                editor.entry_id = entry.id
            else:
                interview.update_text(self.ws, editor.entry_id, text, cursor=cursor)
            editor.saved_text = text
            self.undo_stack.push(EditText(self.ws, self, editor.entry_id, old, text))
        except ServiceError as exc:
            self._save_error = str(exc)
            self.status_message.emit(f"Not saved: {exc}")
            return
        self._save_error = ""
        if editor.kind is EntryKind.ANSWER and self.state:
            key = editor.question_key or self.state.key
            mark = flow.mark_answered if text.strip() else flow.mark_unanswered
            self.state = mark(self.state, key)
            self.nav.show_state(self.record.guide, self.state)

    def flush(self) -> bool:
        """Save whatever is typed but not yet saved; False when some of it could not be."""
        return self.notes.flush_all()

    def keep_place(self) -> None:
        """Keep the question, the note and the cursor in the workspace (a restart opens
        there); nothing is written when the place has not moved."""
        self._place_timer.stop()
        editor = self.notes.current_editor
        if self.ws.closed or not self.visit_id or not self.state or self.record is None \
                or self.record.visit.status is not VisitStatus.IN_PROGRESS:
            return
        point = ResumePoint(self.visit_id, self.state.key,
                            editor.entry_id if editor else None,
                            editor.cursor_position if editor else 0)
        # a full disk: the text's own save says so; the place is kept next time
        with contextlib.suppress(ServiceError):
            interview.keep_place(self.ws, point)

    def place_moved(self) -> None:
        self._place_timer.start()

    @property
    def place_pending(self) -> bool:
        """The cursor moved to a place not kept yet."""
        return self._place_timer.isActive()

    def require_saved(self) -> None:
        """Before anything that redraws the notes: refuse while typed text is unsaved, so a
        failed save (a full disk) never costs the interviewer their words."""
        if not self.flush():
            raise ServiceError(f"Not saved yet: {self._save_error} Your text stays on "
                               "screen; nothing else was changed.")

    def ensure_saved(self, editor: NoteEditor) -> str:
        """The entry id behind a note, creating an empty answer if needed."""
        editor.flush()
        if editor.entry_id is None:
            self.save_editor(editor, editor.text.toPlainText())
        if editor.entry_id is None or editor.unsaved:
            self.require_saved()
        assert editor.entry_id
        return editor.entry_id

    # moving
    def _set_state(self, state: flow.FlowState, focus_entry: str | None = None) -> None:
        assert self.visit_id
        self.require_saved()
        self.state = state
        interview.set_position(self.ws, self.visit_id, state.key, tuple(state.skipped))
        self._render_question(focus_entry)

    def _move(self, move) -> None:
        if self.state:
            self.require_saved()
            self._set_state(move(self.state))

    def go_to(self, key: str) -> None:
        if self.state:
            self._run(lambda: self._set_state(flow.go_to(self.state, key)))

    def save_and_next(self) -> None:
        if not self.state:
            return
        self.require_saved()  # an answer typed a moment ago counts as answered
        left, still_open = self.state.key, self.state.remaining
        self._set_state(flow.next_question(self.state))
        if not still_open:
            key = self.actions.end.shortcut().toString()
            self.status_message.emit(f"Every question is covered. When you are ready, {key} "
                                     "reads back what you learned.")
        elif left in still_open:
            self.status_message.emit("No answer written for that question; it stays open.")

    # notes
    def _target(self) -> NoteEditor | None:
        return self.notes.current_editor or self.notes.answer_editor

    def add_why_probe(self) -> None:
        target = self._target()
        if target is None or not self.visit_id:
            return
        parent_id = self.ensure_saved(target)
        entry = interview.add_why_probe(self.ws, parent_id)
        self.undo_stack.push(AddNote(self.ws, self, entry.id, "Add why-probe"))
        self.reload_notes(entry.id)

    def _add_note(self, kind: EntryKind) -> None:
        if not self.visit_id or not self.state:
            return
        self.require_saved()
        if kind is EntryKind.QUOTE:
            entry = interview.add_quote(self.ws, self.visit_id, "", question_key=self.state.key)
        else:
            entry = interview.add_observation(self.ws, self.visit_id, "",
                                              question_key=self.state.key)
        self.undo_stack.push(AddNote(self.ws, self, entry.id, f"Add {kind.label.lower()}"))
        self.reload_notes(entry.id)

    def attach(self) -> None:
        if not self.visit_id or not self.state:
            return
        self.require_saved()
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Attach photos or files",
            documents_folder(QStandardPaths.StandardLocation.PicturesLocation),
            "Photos (*.png *.jpg *.jpeg *.gif *.webp *.bmp);;All files (*)")
        last = None
        for path in paths:
            try:
                last = interview.attach_file(self.ws, self.visit_id, path,
                                             question_key=self.state.key)
            except interview.AttachmentTooLarge as exc:
                QMessageBox.warning(self, "File too large", str(exc))
                continue
            except ServiceError as exc:
                self.status_message.emit(str(exc))
                continue
            self.undo_stack.push(AddNote(self.ws, self, last.id, "Attach file"))
        if last:
            self.reload_notes(last.id)

    def toggle_learning(self) -> None:
        target = self._target()
        if target is None:
            return
        marked_now = target.entry_id is not None and target.learning_badge_shown
        if not marked_now and not target.text.toPlainText().strip():
            self.status_message.emit("Write the note first; an empty note is no learning to "
                                     "read back.")
            return
        entry_id = self.ensure_saved(target)
        marked = interview.toggle_key_learning(self.ws, entry_id) is not None
        self.undo_stack.push(ToggleLearning(self.ws, self, entry_id, marked))
        self.reload_notes(entry_id)
        self.status_message.emit("Marked as a key learning." if marked
                                 else "No longer a key learning.")

    def write_learning(self) -> None:
        if not self.visit_id:
            return
        text = ask_learning(self)
        if text is not None:
            interview.add_key_learning(self.ws, self.visit_id, text)
            self._refresh_learnings()

    def focus_tags(self) -> None:
        target = self._target()
        if target is not None:
            self.ensure_saved(target)
            target.tags.setFocus(Qt.FocusReason.ShortcutFocusReason)
            target.tags.selectAll()

    def save_tags(self, editor: NoteEditor, text: str) -> None:
        entry_id = self.ensure_saved(editor)
        stored = self.ws.visits.entry(entry_id)
        before = stored.tags if stored else ()
        entry = interview.set_tags(self.ws, entry_id, text)
        self.undo_stack.push(SetTags(self.ws, self, entry_id, before, entry.tags))

    def save_speaker(self, editor: NoteEditor, speaker_id: str | None) -> None:
        if editor.entry_id:
            interview.set_speaker(self.ws, editor.entry_id, speaker_id)

    def delete_note(self) -> None:
        target = self.notes.current_editor
        if target is None or target.entry_id is None:
            return
        self.require_saved()
        deleted = interview.delete_entry(self.ws, target.entry_id)
        self.undo_stack.push(DeleteNote(self.ws, self, deleted))
        self.reload_notes()
        self.status_message.emit("Note deleted. Undo brings it back.")

    def undo(self) -> None:
        self.require_saved()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.require_saved()
        self.undo_stack.redo()

    def end_interview(self) -> None:
        if not self.visit_id:
            return
        self.require_saved()
        closing.end_interview(self.ws, self.visit_id)
        self._clock_timer.stop()
        self.end_requested.emit(self.visit_id)

    # coaching
    def note_focused(self, editor: NoteEditor) -> None:
        self._coach_timer.start()
        self.place_moved()

    def _refresh_coach(self) -> None:
        editor = self._target()
        if editor is None or self.record is None:
            return
        text = editor.text.toPlainText()
        if editor.kind is EntryKind.QUOTE:  # the customer's own words, in any language
            self.coach.show_flags([])
        else:
            self.coach.show_flags(detect(text), language_notice(text))
        has_probe = editor.entry_id is not None and any(
            e.parent_id == editor.entry_id for e in self.record.entries)
        suggestion = None
        if len(text.split()) >= 3 and not has_probe and editor.kind is not EntryKind.ATTACHMENT:
            suggestion = suggest_probe(text, editor.depth + 1, editor.entry_id or self.state.key)
        self.coach.show_suggestion(suggestion)
        self.coach.show_ladders(self.notes.ladder_depth(editor),
                                deepest_ladder(self.record.entries))

    def _refresh_learnings(self) -> None:
        if self.visit_id:
            learnings = self.ws.visits.learnings(self.visit_id)
            self.coach.show_learnings(learnings)
            self.notes.show_learning_marks({kl.source_entry_id for kl in learnings})

    def _on_change(self, change: Change) -> None:
        if change.visit_id == self.visit_id and "key_learnings" in change.tables:
            self._refresh_learnings()
