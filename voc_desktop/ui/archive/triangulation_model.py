"""One guide question across visits, seen by role: a row per visit that answered it, a column
per role, each cell only what someone of that role said (answers, why-probes and quotes),
and a column for the room: what no one was named for. Counted, paged and sorted in SQL,
on a worker."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette

from voc_desktop.domain.accounts import Role
from voc_desktop.domain.findings import ROOM_ROLE, Finding, FindingFilter, FindingKind
from voc_desktop.services.archive.triangulation import column_label
from voc_desktop.services.archive.workspace import (
    TRIANGULATION_COLUMNS,
    ArchiveWorkspace,
    TriangulationRow,
)
from voc_desktop.ui.archive.lens_reader import FilteredLensModel
from voc_desktop.ui.common.sql_pages import Fetch, Loaded

PAGE = 100
ROW_ROLE = Qt.ItemDataRole.UserRole + 21  # the TriangulationRow of a row
ROLES = TRIANGULATION_COLUMNS  # each role's value, then ROOM_ROLE
ACCOUNT, VERTICAL, DATE = 0, 1, 2
_FIXED = ("Account", "Vertical", "Date")
_ORDERS = {ACCOUNT: "account", VERTICAL: "vertical", DATE: "newest"}

_Index = QModelIndex | QPersistentModelIndex
_ROLES_ANSWERED = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.TextAlignmentRole, ROW_ROLE))


def said_with(row: TriangulationRow, column: str) -> list[Finding]:
    """Only what someone of this role said about the question (ROOM_ROLE: the room)."""
    return row.said_by(column)


def finding_line(f: Finding) -> str:
    if f.kind == FindingKind.PROBE:
        return f"Why? {f.text}"
    if f.kind == FindingKind.QUOTE:
        return f"“{f.text}”"
    return f.text


def cell_text(row: TriangulationRow, role: str) -> str:
    return "\n".join(finding_line(f) for f in said_with(row, role))


class TriangulationModel(FilteredLensModel):
    """Visits that answered `filter.question_key`, with a column per role. Sorting: by
    account, by vertical, or newest first."""

    orders = _ORDERS

    def __init__(self, lens: ArchiveWorkspace, flt: FindingFilter | None = None,
                 parent=None) -> None:
        super().__init__(lens, {"filter": flt or FindingFilter(), "order": "account"}, PAGE,
                         parent=parent, keep=10)

    def _read(self, lens: ArchiveWorkspace, state: dict) -> Loaded:
        flt, order = state["filter"], state["order"]
        # without a question every answer of every visit would match: show nothing instead
        count = lens.triangulation_count(flt) if flt.question_key else 0
        return Loaded(count, lens.triangulation(flt, 0, PAGE, order) if count else [])

    def _fetch(self, state: dict) -> Fetch:
        flt, order = state["filter"], state["order"]
        return lambda lens, offset, limit: lens.triangulation(flt, offset, limit, order)

    def set_filter(self, flt: FindingFilter) -> None:
        """Read the visits that answered on the worker; those shown stay until then."""
        self.load(filter=flt)

    def row(self, row: int) -> TriangulationRow | None:
        return self.row_at(row)

    def role_at(self, column: int) -> str | None:
        """The role (or ROOM_ROLE) of a column; None for account, vertical and date."""
        at = column - len(_FIXED)
        return ROLES[at] if 0 <= at < len(ROLES) else None

    def roles_with_answers(self) -> set[str] | None:
        """Columns with something said, when every row fits on one page; None when finding
        out would mean reading every page."""
        if self._count > PAGE:
            return None
        found: set[str] = set()
        for r in range(self._count):
            row = self.row(r)
            if row:
                found.update(c for c in ROLES if row.said_by(c))
        return found

    def finding_at(self, index: _Index) -> Finding | None:
        """The finding a cell stands for: the first said with its role, else the first."""
        row = self.row(index.row()) if index.isValid() else None
        if row is None or not row.answers:
            return None
        role = self.role_at(index.column())
        said = said_with(row, role) if role else []
        return (said or list(row.answers))[0]

    # --- QAbstractItemModel -------------------------------------------------------------------

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(_FIXED) + len(ROLES)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        if section < len(_FIXED):
            return _FIXED[section] if role == Qt.ItemDataRole.DisplayRole else None
        found = self.role_at(section)
        if not found:
            return None
        label = column_label(found)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"What someone of this role said: {label}" if found != ROOM_ROLE \
                else "What was said with no one named"
        # two lines, so a role's name is read whole in a narrow column
        return label if found == ROOM_ROLE else label.replace(" ", "\n", 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES_ANSWERED or not index.isValid():  # asked of every cell painted
            return None
        row = self.row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and row.answers \
                and not row.answers[0].in_icp:
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column < len(_FIXED):
            text = (row.account, row.vertical, row.visit_date)[column]
            if role == Qt.ItemDataRole.ToolTipRole:
                present = ", ".join(Role(r).label if r in Role._value2member_map_ else r
                                    for r in row.roles)
                return f"{row.account}, {row.visit_date}\nIn the room: {present or 'no one'}"
            return text
        found = self.role_at(column)
        return cell_text(row, found) if found else None
