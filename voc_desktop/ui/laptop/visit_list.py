"""Accounts and their visits beside the open visit: searchable, by status."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QTabBar, QTreeView, QVBoxLayout, QWidget

from voc_desktop.domain.visit import Visit, VisitStatus
from voc_desktop.services.workspace.workspace import Change, Workspace
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.bus import ChangeBus
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


def _listing(visit: Visit) -> tuple[object, ...]:
    """What the list shows of a visit, and filters it by."""
    return (visit.account_id, visit.status, visit.visit_date, visit.objective)


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
        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setAccessibleName("Accounts and their visits")
        self.tree.setObjectName("visitTree")
        self.tree.setHeaderHidden(True)
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
        status = FILTERS[max(0, self.tabs.currentIndex())][1]
        text = self.search.text().strip()
        selected = self.selected_visit()
        statuses = ({status, VisitStatus.SUMMARIZING} if status is VisitStatus.IN_PROGRESS
                    else {status} if status else None)
        found = self.ws.visits.list(search=text)
        self._listed = {v.id: _listing(v) for v in found}
        visits = [v for v in found if statuses is None or v.status in statuses]
        by_account: dict[str, list] = {}
        for v in visits:
            by_account.setdefault(v.account_id, []).append(v)
        self.model.clear()
        # accounts outside the ideal customer profile come after the others, greyed
        for account in sorted(self.ws.accounts.list(), key=lambda a: not a.in_icp):
            matches_name = text.lower() in account.name.lower() if text else True
            mine = by_account.get(account.id, [])
            if not mine and not (matches_name and status is None):
                continue
            label = account.name + ("" if account.in_icp else "  (outside profile)")
            a_item = QStandardItem(f"{label}  ·  {len(mine)}")
            font = a_item.font()
            font.setBold(True)
            a_item.setFont(font)
            a_item.setData(account.id, ACCOUNT_ROLE)
            if not account.in_icp:
                a_item.setForeground(current().qcolor("muted"))
            a_item.setToolTip(", ".join(x for x in (account.vertical, account.segment,
                                                    account.lifecycle_stage.label) if x))
            for v in mine:
                v_item = QStandardItem(f"{STATUS_MARKS[v.status]}  {v.visit_date}  {v.objective}")
                v_item.setToolTip(f"{v.status.label}: {v.objective}")
                v_item.setData(v.id, VISIT_ROLE)
                a_item.appendRow(v_item)
            self.model.appendRow(a_item)
        self.tree.expandAll()
        filtered = bool(text) or status is not None
        self.empty.setText("No visits match." if filtered
                           else "No visits here yet.\nPlan one with Ctrl+N.")
        self.empty.setVisible(self.model.rowCount() == 0)
        self.tree.setVisible(self.model.rowCount() > 0)
        if selected:
            self.select_visit(selected, emit=False)

    def selected_visit(self) -> str | None:
        index = self.tree.currentIndex()
        return index.data(VISIT_ROLE) if index.isValid() else None

    def select_visit(self, visit_id: str, *, emit: bool = True) -> None:
        for row in range(self.model.rowCount()):
            account = self.model.item(row)
            for child in range(account.rowCount()):
                item = account.child(child)
                if item.data(VISIT_ROLE) == visit_id:
                    self.tree.setCurrentIndex(item.index())
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
        if self.model.rowCount():
            first = self.model.item(0)
            self.tree.setCurrentIndex((first.child(0) or first).index())
