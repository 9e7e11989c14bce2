"""Who is due for a contact: the accounts whose next visit is overdue or near, soonest first,
each with what that contact is for; planning it is one keystroke away."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.contact_plan import ContactStatus, DueContact
from voc_desktop.services.contact_plan import contact_plan, due_now
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common.look import HINT_STYLE, make_primary, text_label
from voc_desktop.ui.common.theme import current

COLUMNS = ("When", "Account", "Stage", "Last visit", "Objective of the next contact")
STATUS_COLOURS = {ContactStatus.OVERDUE: "error", ContactStatus.DUE: "warning",
                  ContactStatus.PLANNED: "accent", ContactStatus.OK: "muted"}


def when_text(due: DueContact) -> str:
    days = due.days_overdue
    if due.status is ContactStatus.PLANNED:
        lead = "planned today" if days == 0 else (
            f"planned in {-days} days" if days < 0 else f"planned, {days} days late")
    elif days > 0:
        lead = f"{days} days overdue"
    elif days == 0:
        lead = "due today"
    else:
        lead = f"due in {-days} days"
    return f"{due.due_date.isoformat()} · {lead}"


class ContactPlanDialog(QDialog):
    """`plan_requested(account_id, objective)` asks the window to plan a visit;
    `open_requested(visit_id)` to open a visit already planned."""

    plan_requested = Signal(str, str)
    open_requested = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("Contact plan")
        self.resize(1000, 520)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Accounts due for a contact")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)  # one line a contact; the full objective is a tooltip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(lambda _item: self.act())
        self.everything = QCheckBox("Show &every account, also those not due and those "
                                    "outside our ideal customer profile")
        self.everything.toggled.connect(lambda _on: self.refresh())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.act_button = buttons.addButton("&Plan this visit",
                                            QDialogButtonBox.ButtonRole.ActionRole)
        make_primary(self.act_button)
        self.act_button.clicked.connect(self.act)
        buttons.rejected.connect(self.reject)
        self.table.currentCellChanged.connect(lambda *_: self._selected())
        self.empty = text_label("", HINT_STYLE)

        layout = QVBoxLayout(self)
        layout.addWidget(text_label(
            "Each account's next contact follows its lifecycle stage's cadence, a next-contact "
            "date written after the last visit, or a visit already planned. Enter plans the "
            "chosen visit, or opens it when it is planned already."))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.everything)
        layout.addWidget(buttons)
        self.rows: list[DueContact] = []
        self.refresh()
        self.table.setFocus()

    def refresh(self) -> None:
        everything = self.everything.isChecked()
        rows = contact_plan(self.ws, include_outside_icp=everything)
        self.rows = rows if everything else due_now(rows)
        self.table.setRowCount(len(self.rows))
        for row, due in enumerate(self.rows):
            stage = due.stage.label + (" · outside the profile" if due.outside_icp else "")
            cells = (when_text(due), due.account.name, stage,
                     due.last_contact.isoformat() if due.last_contact else "never",
                     due.objective)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setForeground(_colour(due.status))
                self.table.setItem(row, column, item)
        self.empty.setText("" if self.rows else "No visit is planned, and no account is due "
                           "for a contact in the next two weeks.")
        if self.rows:
            self.table.setCurrentCell(0, 0)
        self._selected()

    def current(self) -> DueContact | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _selected(self) -> None:
        due = self.current()
        self.act_button.setEnabled(due is not None)
        if due is not None:
            self.act_button.setText("&Open the planned visit" if due.planned_visit
                                    else "&Plan this visit")

    def act(self) -> None:
        due = self.current()
        if due is None:
            return
        if due.planned_visit is not None:
            self.open_requested.emit(due.planned_visit.id)
        else:
            self.plan_requested.emit(due.account.id, due.objective)
        self.accept()


def _colour(status: ContactStatus) -> QColor:
    return current().qcolor(STATUS_COLOURS[status])
