"""The outline of a guide being edited: sections with their questions, as a Qt tree model.

Rows can be moved by drag and drop or by keyboard; questions may move between sections,
sections only among sections. The model holds the draft and nothing is stored until the
editor saves it.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon

from voc_desktop.services.guide_editing import Finding, GuideDraft, QuestionDraft, SectionDraft

MIME_TYPE = "application/x-voc-guide-outline-row"
AnyIndex = QModelIndex | QPersistentModelIndex
SECTION_ID = 0  # internal id of top-level rows; questions carry their section's id


class GuideOutlineModel(QAbstractItemModel):
    """Sections at the top level, each with its questions as children."""

    edited = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.draft = GuideDraft("", "", 1)
        self._ids: list[int] = []
        self._next_id = itertools.count(1)
        self.findings: dict[tuple[int, int], list[Finding]] = {}
        self.finding_icon = QIcon()

    # --- the draft --------------------------------------------------------------------
    def set_draft(self, draft: GuideDraft) -> None:
        self.beginResetModel()
        self.draft = draft
        self._ids = [next(self._next_id) for _ in draft.sections]
        self.findings = {}
        self.endResetModel()

    def section_at(self, index: AnyIndex) -> SectionDraft | None:
        if index.isValid() and index.internalId() == SECTION_ID:
            return self.draft.sections[index.row()]
        return None

    def question_at(self, index: AnyIndex) -> QuestionDraft | None:
        if index.isValid() and index.internalId() != SECTION_ID:
            return self.draft.sections[index.parent().row()].questions[index.row()]
        return None

    def section_index(self, row: int) -> QModelIndex:
        return self.index(row, 0)

    def question_index(self, section_row: int, row: int) -> QModelIndex:
        return self.index(row, 0, self.section_index(section_row))

    def changed(self, index: AnyIndex) -> None:
        """Tell views that the part at ``index`` was edited in place."""
        self.dataChanged.emit(index, index)
        self.edited.emit()

    def add_section(self, row: int, section: SectionDraft) -> QModelIndex:
        self.beginInsertRows(QModelIndex(), row, row)
        self.draft.sections.insert(row, section)
        self._ids.insert(row, next(self._next_id))
        self.endInsertRows()
        self.edited.emit()
        return self.section_index(row)

    def add_question(self, section_row: int, row: int, question: QuestionDraft) -> QModelIndex:
        parent = self.section_index(section_row)
        self.beginInsertRows(parent, row, row)
        self.draft.sections[section_row].questions.insert(row, question)
        self.endInsertRows()
        self.edited.emit()
        return self.question_index(section_row, row)

    def remove(self, index: AnyIndex) -> None:
        parent = index.parent()
        self.beginRemoveRows(parent, index.row(), index.row())
        if parent.isValid():
            del self.draft.sections[parent.row()].questions[index.row()]
        else:
            del self.draft.sections[index.row()]
            del self._ids[index.row()]
        self.endRemoveRows()
        self.edited.emit()

    def set_findings(self, findings: dict[tuple[int, int], list[Finding]]) -> None:
        """Findings by (section row, question row); shown as an icon and a tooltip."""
        before, self.findings = self.findings, findings
        for section_row, row in set(before) | set(findings):
            if section_row < len(self.draft.sections) and \
                    row < len(self.draft.sections[section_row].questions):
                index = self.question_index(section_row, row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole,
                                                     Qt.ItemDataRole.ToolTipRole])

    # --- Qt item model ----------------------------------------------------------------
    def index(self, row: int, column: int,
              parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0 or row >= self.rowCount(parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, SECTION_ID)
        return self.createIndex(row, 0, self._ids[parent.row()])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == SECTION_ID:
            return QModelIndex()
        return self.createIndex(self._ids.index(index.internalId()), 0, SECTION_ID)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return len(self.draft.sections)
        if parent.column() == 0 and parent.internalId() == SECTION_ID:
            return len(self.draft.sections[parent.row()].questions)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        section = self.section_at(index)
        if section is not None:
            if role == Qt.ItemDataRole.DisplayRole:
                return section.title.strip() or "New section"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return section.bucket.label
            return None
        question = self.question_at(index)
        assert question is not None
        found = self.findings.get((index.parent().row(), index.row()), [])
        if role == Qt.ItemDataRole.DisplayRole:
            text = " ".join(question.text.split())
            return text or "New question"
        if role == Qt.ItemDataRole.DecorationRole and found:
            return self.finding_icon
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = " ".join(question.text.split())
            if found:
                tip += "\n\n" + "\n".join(f"{f.kind}: {f.reason}" for f in found)
            return tip
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # sections are dropped between sections
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemIsDragEnabled
        if index.internalId() == SECTION_ID:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 (Qt API)
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 (Qt API)
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt API)
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802 (Qt API)
        index = indexes[0]
        parent = index.parent()
        where = [parent.row(), index.row()] if parent.isValid() else [index.row()]
        data = QMimeData()
        data.setData(MIME_TYPE, json.dumps(where).encode())
        return data

    def _source(self, data: QMimeData) -> QModelIndex:
        if not data.hasFormat(MIME_TYPE):
            return QModelIndex()
        try:
            where = json.loads(bytes(data.data(MIME_TYPE)).decode())
        except ValueError:
            return QModelIndex()
        if len(where) == 1:
            return self.section_index(where[0])
        return self.question_index(where[0], where[1])

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: AnyIndex) -> bool:
        source = self._source(data)
        if not source.isValid() or action != Qt.DropAction.MoveAction:
            return False
        if source.internalId() == SECTION_ID:
            return not parent.isValid()
        # a question goes into a section, never beside sections or inside a question
        return parent.isValid() and parent.internalId() == SECTION_ID

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: AnyIndex) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = self._source(data)
        target = row if row >= 0 else self.rowCount(parent)
        self.moveRows(source.parent(), source.row(), 1, QModelIndex(parent), target)
        # The move is done here. Answering False keeps the view from also removing the
        # source row, which it does after any accepted move that it did not make itself.
        return False

    def moveRows(self, source_parent: AnyIndex, source_row: int, count: int,  # noqa: N802
                 destination_parent: AnyIndex, destination_child: int) -> bool:
        if count != 1 or source_parent.isValid() != destination_parent.isValid():
            return False
        if source_parent.isValid() and (source_parent.internalId() != SECTION_ID
                                        or destination_parent.internalId() != SECTION_ID):
            return False
        if not self.beginMoveRows(source_parent, source_row, source_row,
                                  destination_parent, destination_child):
            return False  # a move onto itself
        same = source_parent == destination_parent
        target = destination_child - 1 if same and destination_child > source_row \
            else destination_child
        if source_parent.isValid():
            rows = self.draft.sections[source_parent.row()].questions
            moved = rows.pop(source_row)
            self.draft.sections[destination_parent.row()].questions.insert(target, moved)
        else:
            moved = self.draft.sections.pop(source_row)
            self.draft.sections.insert(target, moved)
            self._ids.insert(target, self._ids.pop(source_row))
        self.endMoveRows()
        self.edited.emit()
        return True

    def move_by(self, index: AnyIndex, step: int) -> QModelIndex:
        """Move the row at ``index`` one place up (-1) or down (+1); the first question of
        a section moves up into the end of the section above, the last one down into the
        start of the next. Returns where it is now."""
        parent = index.parent()
        row = index.row()
        if not parent.isValid():
            target = row + step
            if not 0 <= target < self.rowCount():
                return QModelIndex(index)
            self.moveRows(parent, row, 1, parent, target + (1 if step > 0 else 0))
            return self.section_index(target)
        section_row = parent.row()
        target = row + step
        if 0 <= target < self.rowCount(parent):
            self.moveRows(parent, row, 1, parent, target + (1 if step > 0 else 0))
            return self.question_index(section_row, target)
        other = section_row + step
        if not 0 <= other < self.rowCount():
            return QModelIndex(index)
        to = self.rowCount(self.section_index(other)) if step < 0 else 0
        self.moveRows(parent, row, 1, self.section_index(other), to)
        return self.question_index(other, to)
