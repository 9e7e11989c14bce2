"""The visit's action items as a Qt table model, with the editors for team and due date;
the owner, who will do it, is typed like the action itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from voc_desktop.domain.visit import ActionItem, ActionStatus, Team
from voc_desktop.services import closing
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common.date_field import DateField

TEXT, TEAM, OWNER, DUE, DONE = range(5)
HEADERS = ("Action", "Team", "Owner", "Due", "Done")
DEFAULT_TEAM = Team.PRODUCT
AnyIndex = QModelIndex | QPersistentModelIndex


def _checked(value: object) -> bool:
    # views hand over the check state as an enum or as its plain int, depending on the path
    return value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)


class ActionItemsModel(QAbstractTableModel):
    """The visit's action items; a new row is a draft until its text is written."""

    error = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.visit_id: str | None = None
        self.items: list[ActionItem] = []
        self.has_draft = False
        self._adding = False

    def set_visit(self, visit_id: str | None) -> None:
        self.beginResetModel()
        self.visit_id, self.has_draft = visit_id, False
        self.items = self.ws.visits.actions(visit_id) if visit_id else []
        self.endResetModel()

    def reload(self) -> None:
        """Take in stored changes without closing an open editor where the rows still match."""
        items = self.ws.visits.actions(self.visit_id) if self.visit_id else []
        saved_draft = self._adding and self.has_draft and len(items) == len(self.items) + 1
        if saved_draft or (len(items) == len(self.items)):
            self.items, self.has_draft = items, self.has_draft and not saved_draft
            if items:
                self.dataChanged.emit(self.index(0, 0), self.index(len(items) - 1, DONE))
            return
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def add_draft(self) -> QModelIndex:
        if not self.has_draft:
            row = len(self.items)
            self.beginInsertRows(QModelIndex(), row, row)
            self.has_draft = True
            self.endInsertRows()
        return self.index(len(self.items), TEXT)

    def drop_draft(self) -> None:
        if self.has_draft:
            row = len(self.items)
            self.beginRemoveRows(QModelIndex(), row, row)
            self.has_draft = False
            self.endRemoveRows()

    def item(self, row: int) -> ActionItem | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    # the Qt model interface

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items) + int(self.has_draft)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.item(index.row()) is None:  # the draft takes its text first
            return base | Qt.ItemFlag.ItemIsEditable if index.column() == TEXT else base
        if index.column() == DONE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, col = self.item(index.row()), index.column()
        if item is None:
            hints = {TEXT: "", TEAM: DEFAULT_TEAM.label, OWNER: "", DUE: "", DONE: ""}
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return hints[col]
            return None
        if role == Qt.ItemDataRole.CheckStateRole and col == DONE:
            done = item.status is ActionStatus.DONE
            return Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return {TEXT: item.text, TEAM: item.team.label, OWNER: item.owner or "No owner",
                    DUE: QDate.fromString(item.due_date, Qt.DateFormat.ISODate)
                    .toString("d MMM yyyy") if item.due_date else "No date",
                    DONE: "Done" if item.status is ActionStatus.DONE else "Open"}[col]
        if role == Qt.ItemDataRole.EditRole:
            return {TEXT: item.text, TEAM: item.team.value, OWNER: item.owner,
                    DUE: item.due_date or "", DONE: item.status.value}[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == OWNER and not item.owner:
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ToolTipRole and col == DUE:
            return "Enter picks a date; Backspace clears it"
        if role == Qt.ItemDataRole.ToolTipRole and col == OWNER:
            return "Who will do it, for example: Maria (product)"
        return None

    def setData(self, index: AnyIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.visit_id is None:
            return False
        item, col = self.item(index.row()), index.column()
        try:
            if item is None:
                return self._save_draft(str(value))
            if col == DONE and role == Qt.ItemDataRole.CheckStateRole:
                status = ActionStatus.DONE if _checked(value) else ActionStatus.OPEN
                closing.set_action_status(self.ws, item.id, self.visit_id, status)
            elif role != Qt.ItemDataRole.EditRole:
                return False
            elif col == TEXT:
                if not str(value).strip():
                    raise ServiceError("An action item needs a description; Delete removes it.")
                closing.update_action_item(self.ws, item.id, self.visit_id,
                                           text=str(value).strip())
            elif col == TEAM:
                closing.update_action_item(self.ws, item.id, self.visit_id, team=Team(value))
            elif col == OWNER:
                closing.update_action_item(self.ws, item.id, self.visit_id, owner=str(value))
            elif col == DUE:
                closing.update_action_item(self.ws, item.id, self.visit_id,
                                           due_date=str(value) or None)
        except ServiceError as exc:
            self.error.emit(str(exc))
            return False
        self.error.emit("")
        return True

    def _save_draft(self, text: str) -> bool:
        if not text.strip():
            return False
        self._adding = True
        try:
            closing.add_action_item(self.ws, self.visit_id or "", text, DEFAULT_TEAM)
        finally:
            self._adding = False
        return True


class TeamDelegate(QStyledItemDelegate):
    """A team picker that saves as soon as a team is chosen."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: AnyIndex) -> QWidget:
        combo = QComboBox(parent)
        for team in Team:
            combo.addItem(team.label, team.value)
        combo.activated.connect(lambda: (self.commitData.emit(combo),
                                         self.closeEditor.emit(combo)))
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class DueDateDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: AnyIndex) -> QWidget:
        return DateField(parent=parent)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, DateField)
        stored = QDate.fromString(str(index.data(Qt.ItemDataRole.EditRole) or ""),
                                  Qt.DateFormat.ISODate)
        editor.setDate(stored if stored.isValid() else QDate.currentDate().addDays(14))

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, DateField)
        editor.commit()
        model.setData(index, editor.date().toString(Qt.DateFormat.ISODate))
