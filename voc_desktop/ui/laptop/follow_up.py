"""After the visit: action items routed to the team that must act, and the next contact."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.visit import Team
from voc_desktop.services import closing
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Change, Workspace
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.bus import ChangeBus
from voc_desktop.ui.common.date_field import DateField
from voc_desktop.ui.common.look import (
    ERROR_STYLE,
    HINT_STYLE,
    apply_readable_style,
    heading_label,
    text_label,
)
from voc_desktop.ui.laptop.action_items_model import (
    DONE,
    DUE,
    OWNER,
    TEAM,
    TEXT,
    ActionItemsModel,
    DueDateDelegate,
    TeamDelegate,
)

ROUTING = ("Route each action to the team that must act on it: "
           + ", ".join(t.label.lower() for t in Team) + ".")


class ActionTable(QTableView):
    """Backspace on a due date clears it; a draft left empty disappears; rows grow to show
    the whole of each action whatever the width, and on a narrow screen team and owner
    wrap in a fifth of it each so the action keeps room."""

    rows_changed = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.share_width()
        self.rows_changed.emit()  # a narrower table wraps the actions onto more lines

    def share_width(self) -> None:
        """Team and owner as wide as their words, up to a fifth of the table each."""
        header, most = self.horizontalHeader(), self.viewport().width() // 5
        least = header.minimumSectionSize()
        for col in (TEAM, OWNER):
            header.resizeSection(col, max(least, min(self.sizeHintForColumn(col), most)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        index = self.currentIndex()
        if event.key() == Qt.Key.Key_Backspace and index.column() == DUE \
                and self.state() != QAbstractItemView.State.EditingState:
            self.model().setData(index, "")
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: Any) -> None:  # noqa: N802 (Qt override)
        super().closeEditor(editor, hint)
        model = self.model()
        if isinstance(model, ActionItemsModel) and model.has_draft:
            model.drop_draft()
        self.rows_changed.emit()


class FollowUpPanel(QWidget):
    """Shown once a visit is completed: who acts on what was learned, and when we come back."""

    def __init__(self, ws: Workspace, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.visit_id: str | None = None
        apply_readable_style(self)

        heading = heading_label("Follow-up", "$question")
        routing = text_label(ROUTING, HINT_STYLE)

        self.model = ActionItemsModel(ws, self)
        self.model.error.connect(self.show_error)
        self.table = ActionTable()
        self.table.setAccessibleName("Action items")
        self.table.setModel(self.model)
        self.table.rows_changed.connect(self.fit_table)
        self.table.setItemDelegateForColumn(TEAM, TeamDelegate(self.table))
        self.table.setItemDelegateForColumn(DUE, DueDateDelegate(self.table))
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for col in (DUE, DONE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for col in (TEAM, OWNER):  # sized by the table as it resizes, see share_width
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(self.table.fontMetrics().horizontalAdvance("Action") + 24)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrapped, never cut
        header.sectionResized.connect(lambda *_: self.fit_table())
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setToolTip("F2 edits a cell · Space marks done · "
                              + shortcuts.tip("Delete removes the action", shortcuts.DELETE_ACTION))
        shortcuts.bind("Follow-up", shortcuts.DELETE_ACTION, self.table, self.delete_selected,
                       context=Qt.ShortcutContext.WidgetShortcut)

        self.add_button = QPushButton("Add action")
        self.add_button.setToolTip(shortcuts.tip("Add an action item", shortcuts.ADD_ACTION))
        self.add_button.clicked.connect(self.add_action)
        shortcuts.bind("Follow-up", shortcuts.ADD_ACTION, self, self.add_action)

        self.next_check = QCheckBox("Next contact planned for")
        self.next_check.setToolTip(shortcuts.tip("When we get back in touch",
                                                 shortcuts.NEXT_CONTACT))
        self.next_date = DateField(QDate.currentDate().addMonths(3))
        self.next_check.toggled.connect(self._save_next_contact)
        self.next_date.dateChanged.connect(self._save_next_contact)
        shortcuts.bind("Follow-up", shortcuts.NEXT_CONTACT, self, self._focus_next_contact)

        self.error_label = text_label("", ERROR_STYLE)
        self.error_label.hide()

        actions_row = QHBoxLayout()
        actions_row.addWidget(self.add_button)
        actions_row.addStretch(1)
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_check)
        next_row.addWidget(self.next_date)
        next_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(routing)
        layout.addWidget(self.table)
        layout.addLayout(actions_row)
        layout.addSpacing(6)
        layout.addLayout(next_row)
        layout.addWidget(self.error_label)

        bus.changed.connect(self._on_change)

    def show_visit(self, visit_id: str) -> None:
        self.visit_id = visit_id
        self.show_error("")
        self.model.set_visit(visit_id)
        self.fit_table()
        self._show_next_contact()

    def fit_table(self) -> None:
        """Grow the table to show every row: the page scrolls, not a box inside it."""
        self.table.share_width()
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(self.model.rowCount()))
        empty = 0 if self.model.rowCount() else 48
        self.table.setFixedHeight(self.table.horizontalHeader().height() + rows + empty
                                  + 2 * self.table.frameWidth() + 2)

    def _on_change(self, change: Change) -> None:
        if self.visit_id is None or change.visit_id not in (None, self.visit_id):
            return
        if "action_items" in change.tables:
            self.model.reload()
            self.fit_table()
        if "visits" in change.tables:
            self._show_next_contact()

    def _show_next_contact(self) -> None:
        visit = self.ws.visits.get(self.visit_id) if self.visit_id else None
        when = QDate.fromString(visit.next_contact_date or "", Qt.DateFormat.ISODate) \
            if visit else QDate()
        # showing the stored value must not write it back
        for widget in (self.next_check, self.next_date):
            widget.blockSignals(True)
        self.next_check.setChecked(when.isValid())
        if when.isValid():
            self.next_date.setDate(when)
        self.next_date.setEnabled(when.isValid())
        for widget in (self.next_check, self.next_date):
            widget.blockSignals(False)

    def _save_next_contact(self) -> None:
        if self.visit_id is None:
            return
        planned = self.next_check.isChecked()
        self.next_date.setEnabled(planned)
        when = self.next_date.date().toString(Qt.DateFormat.ISODate) if planned else None
        try:
            closing.set_next_contact(self.ws, self.visit_id, when)
        except ServiceError as exc:
            self.show_error(str(exc))

    def _focus_next_contact(self) -> None:
        (self.next_date if self.next_check.isChecked() else self.next_check).setFocus()

    def add_action(self) -> None:
        """A new row with the cursor in its text; it is saved once the text is written."""
        if self.visit_id is None:
            return
        index = self.model.add_draft()
        self.fit_table()
        self.table.setFocus()
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def delete_selected(self) -> None:
        item = self.model.item(self.table.currentIndex().row())
        if item is None or self.visit_id is None:
            return
        row = self.table.currentIndex().row()
        try:
            closing.delete_action_item(self.ws, item.id, self.visit_id)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(min(row, self.model.rowCount() - 1),
                                                        TEXT))

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
