"""One captured note on the interview screen: a text field that saves itself, shows its
coaching flags as the interviewer types, and knows its place in a why-ladder."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QKeySequence,
    QPixmap,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.coaching.pitch import detect
from voc_desktop.domain.visit import Entry, EntryKind, format_offset
from voc_desktop.ui.common.theme import colour, current
from voc_desktop.ui.interview.speaker_strip import SpeakerStrip

# Counted from the first keystroke not yet saved, so steady typing is saved this often and
# at most the last second of it can be lost; one save per delay keeps typing calm.
AUTOSAVE_DELAY_MS = 400


class FlagHighlighter(QSyntaxHighlighter):
    """Underlines pitch and leading phrases in place, without getting in the way of typing."""

    def __init__(self, document: QTextDocument, enabled: bool = True) -> None:
        super().__init__(document)
        self.enabled = enabled
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self._format.setUnderlineColor(current().qcolor("warning"))
        self._format.setBackground(current().qcolor("soft_warning"))

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        if not self.enabled:
            return
        for flag in detect(text):
            self.setFormat(flag.start, flag.end - flag.start, self._format)


class GrowingTextEdit(QPlainTextEdit):
    """A text field as tall as its text (within limits), so notes read like a page."""

    def __init__(self, min_lines: int = 2, max_lines: int = 12, parent: QWidget | None = None):
        super().__init__(parent)
        self.min_lines, self.max_lines = min_lines, max_lines
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # the page's undo stack owns undo, across notes
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        line = self.fontMetrics().lineSpacing()
        lines = max(self.min_lines, min(self.max_lines, self._visual_lines()))
        margins = self.contentsMargins()
        self.setFixedHeight(int(lines * line + 2 * self.document().documentMargin()
                                + margins.top() + margins.bottom() + 4))

    def _visual_lines(self) -> int:
        doc = self.document()
        total, block = 0, doc.begin()
        while block.isValid():
            total += max(1, block.layout().lineCount() if block.layout() else 1)
            block = block.next()
        return total

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit()


class _UndoKeysToPage(QObject):
    """Lets Ctrl+Z / Ctrl+Shift+Z reach the page's undo stack instead of the text field."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        return event.type() == QEvent.Type.ShortcutOverride and (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo))


_UNDO_FILTER = None


def _undo_filter() -> _UndoKeysToPage:
    global _UNDO_FILTER
    if _UNDO_FILTER is None:
        _UNDO_FILTER = _UndoKeysToPage()
    return _UNDO_FILTER


KIND_TITLES = {
    EntryKind.ANSWER: "Answer",
    EntryKind.PROBE: "Why?",
    EntryKind.QUOTE: "Their words",
    EntryKind.OBSERVATION: "Observation",
    EntryKind.ATTACHMENT: "Photo / file",
}


class NoteEditor(QFrame):
    """A note card. `save_text(editor, text)` is called AUTOSAVE_DELAY_MS after the first
    unsaved keystroke (never later, however steadily the interviewer types) and whenever the
    field loses focus; `focused(editor)` tells the page which note is current."""

    focused = Signal(object)
    text_edited = Signal(object)
    tags_edited = Signal(object, str)
    speaker_changed = Signal(object, object)

    def __init__(self, kind: EntryKind, *, depth: int = 0, entry: Entry | None = None,
                 question_key: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.depth = depth
        self.entry_id: str | None = entry.id if entry else None
        self.question_key = question_key or (entry.question_key if entry else None)
        self.saved_text = entry.text if entry else ""
        self.save_text: Callable[[NoteEditor, str], None] | None = None
        self.setObjectName(f"note-{kind.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setProperty("kind", kind.value)

        self.header = QLabel()
        self.header.setObjectName("noteHeader")
        self.badge = QLabel()
        self.badge.setObjectName("keyLearningBadge")
        self.speaker: SpeakerStrip | None = None
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("tags, comma separated")
        self.tags.setMaximumWidth(260)
        self.tags.setClearButtonEnabled(True)
        self.picture = QLabel()
        self.picture.setAccessibleName("Attached file")
        self.picture.hide()
        self.picture_name = QLabel()  # beside the file mark when the file is no picture
        self.picture_name.hide()
        big = kind is EntryKind.ANSWER
        self.text = GrowingTextEdit(min_lines=5 if big else 2, max_lines=18 if big else 10)
        self.text.installEventFilter(_undo_filter())
        self.text.installEventFilter(self)
        self.highlighter = FlagHighlighter(self.text.document(),
                                           enabled=kind is not EntryKind.QUOTE)
        if entry:
            self.text.setPlainText(entry.text)
            self.tags.setText(", ".join(entry.tags))

        top = QHBoxLayout()
        top.addWidget(self.header)
        top.addStretch(1)
        top.addWidget(self.badge)
        self._top = top
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10 + 28 * depth, 6, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        attached = QHBoxLayout()
        attached.addWidget(self.picture)
        attached.addWidget(self.picture_name, 1)
        layout.addLayout(attached)
        layout.addWidget(self.text)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.tags)
        layout.addLayout(bottom)
        self._bottom = bottom

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.text.textChanged.connect(self._on_text_changed)
        self.tags.editingFinished.connect(self._on_tags_done)
        self.tags.installEventFilter(self)
        self.set_entry_details(entry)

    # state shown
    def set_entry_details(self, entry: Entry | None, *, is_learning: bool = False) -> None:
        title = KIND_TITLES[self.kind]
        if self.kind is EntryKind.PROBE:
            title = f"Why? · level {self.depth}"
        stamp = format_offset(entry.offset_seconds) if entry else ""
        muted = colour("muted")
        self.text.setAccessibleName(title)
        self.tags.setAccessibleName(f"Tags of this {title.split(' ·')[0].lower().rstrip('?')}")
        self.header.setText(f"<b>{title}</b>" + (f"&nbsp;&nbsp;<span style='color:{muted}'>"
                                                  f"{stamp}</span>" if stamp else ""))
        self.set_learning(is_learning)

    @property
    def learning_badge_shown(self) -> bool:
        return bool(self.property("learning"))

    def set_learning(self, on: bool) -> None:
        self.badge.setText("★ Key learning" if on else "")
        self.setProperty("learning", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def set_speakers(self, people: list[tuple[str, str]], current: tuple[str, ...]) -> None:
        """Who said this note, one toggle per attendee; `people` is (contact id, label)."""
        if self.speaker is not None:
            self.speaker.show_speakers(current)
            return
        self._bottom.removeWidget(self.tags)
        self.speaker = SpeakerStrip(people, current, right=self.tags)
        self.layout().addWidget(self.speaker)
        self.speaker.changed.connect(lambda ids: self.speaker_changed.emit(self, ids))

    def set_picture(self, data: bytes | None, name: str) -> None:
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.picture.setPixmap(pixmap.scaledToHeight(
                min(160, pixmap.height()), Qt.TransformationMode.SmoothTransformation))
        else:
            # drawn by the style, so no emoji font is needed for the attachment mark
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            size = self.fontMetrics().height()
            self.picture.setPixmap(icon.pixmap(size, size))
            self.picture_name.setText(name)
            self.picture_name.show()
        self.picture.setToolTip(name)
        self.picture.show()
        self.text.setPlaceholderText("Caption: what does it show?")

    # saving
    def _on_tags_done(self) -> None:
        if self.tags.isModified():
            self.tags.setModified(False)
            self.tags_edited.emit(self, self.tags.text())

    def _on_text_changed(self) -> None:
        # A running timer is left alone: restarting it on every key would put the save off
        # for as long as the interviewer keeps typing.
        if not self._timer.isActive():
            self._timer.start()
        self.text_edited.emit(self)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    @property
    def unsaved(self) -> bool:
        """Text on screen that the workspace does not have (a save failed or is due)."""
        return self.text.toPlainText() != self.saved_text

    def flush(self) -> None:
        self._timer.stop()
        current = self.text.toPlainText()
        if current != self.saved_text and self.save_text is not None:
            self.save_text(self, current)

    def set_text_quietly(self, text: str) -> None:
        """Show text that came from the workspace (undo/redo) without saving it again."""
        self._timer.stop()
        self.text.blockSignals(True)
        self.text.setPlainText(text)
        self.text.blockSignals(False)
        self.highlighter.rehighlight()
        self.saved_text = text

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FocusIn and obj in (self.tags, self.text):
            self.focused.emit(self)
        elif obj is self.text and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    def focus_text(self, position: int | None = None) -> None:
        """Focus the text with the cursor at `position` (at the end when None)."""
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)
        cursor = self.text.textCursor()
        if position is None:
            cursor.movePosition(cursor.MoveOperation.End)
        else:
            # positions count UTF-16 units, as Qt's cursor does (an emoji counts two)
            end = self.text.document().characterCount() - 1
            cursor.setPosition(max(0, min(position, end)))
        self.text.setTextCursor(cursor)

    @property
    def cursor_position(self) -> int:
        return self.text.textCursor().position()
