"""Accounts and their visits beside the open visit: searchable, by status."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QTabBar, QTreeView, QVBoxLayout, QWidget

from voc_desktop.domain.visit import Visit, VisitLine, VisitStatus
from voc_desktop.services.workspace.workspace import Change, Workspace
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.bus import ChangeBus
from voc_desktop.ui.common.reads import Reader
from voc_desktop.ui.common.theme import current, styled

VISIT_ROLE = Qt.ItemDataRole.UserRole + 1
ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 2
FILTERS: tuple[tuple[str, VisitStatus | None], ...] = (
    ("All", None),
    ("Planned", VisitStatus.PLANNED),
    ("In progress", VisitStatus.IN_PROGRESS),
    ("Completed", VisitStatus.COMPLETED),
)

STATUS_MARKS = {
    VisitStatus.PLANNED: "○",
    VisitStatus.IN_PROGRESS: "●",
    VisitStatus.SUMMARIZING: "◐",
    VisitStatus.COMPLETED: "✓",
}
# rows handed to the view at a time, and how far a visit sits in from its account
PAGE = 200
INDENT = "    "


def _listing(visit: Visit | VisitLine) -> tuple[object, ...]:
    """What the list shows of a visit, and filters it by."""
    return (visit.account_id, visit.status, visit.visit_date, visit.objective)


class Row(NamedTuple):
    """One line of the list: an account (bold, with its count) or one of its visits."""

    visit_id: str | None
    account_id: str
    text: str
    tooltip: str
    muted: bool = False


class Listing(NamedTuple):
    rows: list[Row]
    listed: dict[str, tuple[object, ...]]


def read_listing(ws: Workspace, text: str, status: VisitStatus | None) -> Listing:
    """The rows of the list for a search and a status tab (on a worker: no Qt in here)."""
    statuses = ({status, VisitStatus.SUMMARIZING} if status is VisitStatus.IN_PROGRESS
                else {status} if status else None)
    found = ws.visits.lines(search=text)
    listed = {v.id: _listing(v) for v in found}
    by_account: dict[str, list[VisitLine]] = {}
    for v in found:
        if statuses is None or v.status in statuses:
            by_account.setdefault(v.account_id, []).append(v)
    rows: list[Row] = []
    # accounts outside the ideal customer profile come after the others, greyed
    for account in sorted(ws.accounts.list(), key=lambda a: not a.in_icp):
        matches_name = text.lower() in account.name.lower() if text else True
        mine = by_account.get(account.id, [])
        if not mine and not (matches_name and status is None):
            continue
        label = account.name + ("" if account.in_icp else "  (outside profile)")
        rows.append(Row(None, account.id, f"{label}  ·  {len(mine)}",
                        ", ".join(x for x in (account.vertical, account.segment,
                                              account.lifecycle_stage.label) if x),
                        muted=not account.in_icp))
        rows.extend(Row(v.id, account.id,
                        f"{INDENT}{STATUS_MARKS[v.status]}  {v.visit_date}  {v.objective}",
                        f"{v.status.label}: {v.objective}") for v in mine)
    return Listing(rows, listed)


class VisitListModel(QAbstractListModel):
    """The list's rows, handed to the view a page at a time as it scrolls: only what is
    shown is ever laid out or drawn, however many visits the workspace holds."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self._shown = 0
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._shown = min(PAGE, len(rows))
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < len(self.rows)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        self.show_up_to(self._shown + PAGE - 1)

    def show_up_to(self, row: int) -> None:
        """Hand the view every row up to `row` (to select one further down)."""
        last = min(row + 1, len(self.rows))
        if last > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, last - 1)
            self._shown = last
            self.endInsertRows()

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= self._shown:
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or None
        if role == VISIT_ROLE:
            return row.visit_id
        if role == ACCOUNT_ROLE:
            return None if row.visit_id else row.account_id
        if role == Qt.ItemDataRole.FontRole and row.visit_id is None:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and row.muted:
            return current().qcolor("muted")
        return None

    def texts(self, *, accounts: bool) -> list[str]:
        """Every row's text, accounts' or visits' (whether shown yet or not)."""
        return [r.text.strip() for r in self.rows if (r.visit_id is None) == accounts]


class VisitBrowser(QWidget):
    visit_selected = Signal(str)
    account_selected = Signal(str)

    def __init__(self, ws: Workspace, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self._listed: dict[str, tuple[object, ...]] = {}
        self.search = QLineEdit()
        self.search.setAccessibleName("Search accounts and visits")
        self.search.setPlaceholderText("Search accounts and visits")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._focus_first)
        # the arrow key down from the search goes on into the results, as in a browser
        shortcuts.bind("The visit list", QKeySequence(Qt.Key.Key_Down), self.search,
                       self._focus_first, context=Qt.ShortcutContext.WidgetShortcut)
        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.setUsesScrollButtons(False)
        for label, _ in FILTERS:
            self.tabs.addTab(label)
        self.tabs.currentChanged.connect(self.refresh)
        self.model = VisitListModel(self)
        self.reader = Reader(self)
        self.reader.failed.connect(self._read_failed)
        # its reads use the workspace's connection: a close waits for them, whoever closes
        forget = ws.before_close(self.reader.wait)
        self.destroyed.connect(lambda *_: forget())
        self._select_after: str | None = None
        self.tree = QTreeView()
        self.tree.setAccessibleName("Accounts and their visits")
        self.tree.setObjectName("visitTree")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.activated.connect(self._activated)
        self.tree.clicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self.search)
        layout.addWidget(self.tabs)
        layout.addWidget(self.tree, 1)
        self.empty = QLabel("No visits here yet.\nPlan one with Ctrl+N.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        styled(self.empty, "color: $muted; padding: 24px;")
        layout.addWidget(self.empty)
        self.empty.hide()
        self.setMinimumWidth(250)
        self.resize(320, self.height())
        bus.changed.connect(self._on_change)
        self.refresh()

    def set_filter(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    def _on_change(self, change: Change) -> None:
        if "accounts" in change.tables or ("visits" in change.tables
                                           and not self._unchanged_in_list(change.ids)):
            self.refresh()

    def _unchanged_in_list(self, visit_ids: frozenset[str]) -> bool:
        """True when the visits written still look as listed: moving from question to
        question writes the visit too, and must not rebuild a list of thousands."""
        if not visit_ids or not visit_ids <= self._listed.keys():
            return False
        return all((v := self.ws.visits.get(i)) is not None and _listing(v) == self._listed[i]
                   for i in visit_ids)

    def refresh(self) -> None:
        """Read the list again on a worker; what is listed stays until the new rows come."""
        status = FILTERS[max(0, self.tabs.currentIndex())][1]
        text = self.search.text().strip()
        if self._select_after is None:
            self._select_after = self.selected_visit()
        ws = self.ws
        self.reader.read(lambda: read_listing(ws, text, status),
                         lambda listing: self._show(listing, filtered=bool(text) or
                                                    status is not None))

    def _show(self, listing: Listing, *, filtered: bool) -> None:
        self._listed = listing.listed
        self.model.set_rows(listing.rows)
        self.empty.setText("No visits match." if filtered
                           else "No visits here yet.\nPlan one with Ctrl+N.")
        self.empty.setVisible(not listing.rows)
        self.tree.setVisible(bool(listing.rows))
        selected, self._select_after = self._select_after, None
        if selected:
            self.select_visit(selected, emit=False)

    def _read_failed(self, message: str) -> None:
        self._select_after = None
        self.empty.setText(message)
        self.empty.setVisible(self.model.rowCount() == 0)

    def selected_visit(self) -> str | None:
        index = self.tree.currentIndex()
        return index.data(VISIT_ROLE) if index.isValid() else None

    def select_visit(self, visit_id: str, *, emit: bool = True) -> None:
        if self.reader.pending:  # the list is being read again: select it once it is in
            self._select_after = visit_id
        for row, line in enumerate(self.model.rows):
            if line.visit_id == visit_id:
                self.model.show_up_to(row)
                self.tree.setCurrentIndex(self.model.index(row))
                if emit:
                    self.visit_selected.emit(visit_id)
                return

    def _activated(self, index) -> None:
        visit_id = index.data(VISIT_ROLE)
        if visit_id:
            self.visit_selected.emit(visit_id)
        elif account_id := index.data(ACCOUNT_ROLE):
            self.account_selected.emit(account_id)

    def _focus_first(self) -> None:
        self.tree.setFocus()
        rows = self.model.rows
        if rows:
            first = next((i for i, r in enumerate(rows[:2]) if r.visit_id), 0)
            self.tree.setCurrentIndex(self.model.index(first))
