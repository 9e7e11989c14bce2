"""The pattern table: themes down, the chosen group's values across, each cell the number of
accounts that raised the theme, shaded in proportion to that number (the darkest is the
most accounts any theme has in the scope), so the pattern shows before the numbers are
read and a larger number is never lighter. Counted, sorted and paged in SQL, on a worker."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from voc_desktop.domain.findings import EVIDENCE_KINDS, FindingFilter, PatternGroup
from voc_desktop.services.archive.workspace import ArchiveWorkspace, Choice, ThemeRow
from voc_desktop.ui.archive.lens_reader import LensReader
from voc_desktop.ui.common.sql_pages import Fetch, Loaded, SqlTableModel
from voc_desktop.ui.common.theme import current

PAGE = 200
THEME_ROLE = Qt.ItemDataRole.UserRole + 11  # the row's theme
VALUE_ROLE = Qt.ItemDataRole.UserRole + 12  # the column's group value, None for totals
SHARE_ROLE = Qt.ItemDataRole.UserRole + 13  # a cell's share of its group's accounts

THEME, ACCOUNTS, CONFIRMED, VISITS = 0, 1, 2, 3
_FIXED = ("Theme", "Accounts", "Confirmed\naccounts", "Visits")
_ORDERS = {THEME: "theme", ACCOUNTS: "accounts", CONFIRMED: "confirmed", VISITS: "visits"}
CONFIRMED_MEANS = ("accounts where a customer confirmed a key learning of the theme when it "
                   "was read back (as read back, or corrected in their words)")
_GROUP_FIELD = {PatternGroup.VERTICAL: "verticals", PatternGroup.SEGMENT: "segments",
                PatternGroup.STAGE: "stages", PatternGroup.ROLE: "said_by"}
UNIT = "accounts"  # what every cell of the group's columns counts

_Index = QModelIndex | QPersistentModelIndex
_ROLES_ANSWERED = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole,
    THEME_ROLE, VALUE_ROLE, SHARE_ROLE))

def heat(share: float) -> QColor:
    """From the theme's soft accent to its accent, `share` the cell's number over the
    largest: readable with the theme's text up to the middle, on the accent after."""
    share = max(0.0, min(share, 1.0))
    low, high = current().qcolor("accent_soft"), current().qcolor("accent")
    return QColor.fromRgbF(*(lo + (hi - lo) * share for lo, hi in (
        (low.redF(), high.redF()), (low.greenF(), high.greenF()),
        (low.blueF(), high.blueF()))))


def group_filter(flt: FindingFilter, group: PatternGroup, value: str) -> FindingFilter:
    """The scope narrowed to one value of the group."""
    return replace(flt, **{_GROUP_FIELD[group]: (value,)})


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class PatternModel(SqlTableModel):
    """Themes in a scope, one row each, with a column per value of the chosen group.
    Sorting: theme A–Z, or most accounts / visits first."""

    orders = _ORDERS

    def __init__(self, lens: ArchiveWorkspace, flt: FindingFilter | None = None,
                 group: PatternGroup = PatternGroup.VERTICAL, parent=None) -> None:
        self.lens = lens
        self.values: list[Choice] = []
        self.scope: tuple[int, int] = (0, 0)  # (accounts, visits) in scope
        self.most = 0
        reader, pages = LensReader(lens), LensReader(lens)
        super().__init__(reader, pages, {
            "filter": flt or FindingFilter(include_outside_icp=False), "group": group,
            "order": "accounts"}, PAGE, parent=parent)
        reader.setParent(self)
        pages.setParent(self)

    @property
    def filter(self) -> FindingFilter:
        return self.shown["filter"]

    @property
    def group(self) -> PatternGroup:
        return self.shown["group"]

    @property
    def scope_accounts(self) -> int:
        return self.scope[0]

    def _read(self, lens: ArchiveWorkspace, state: dict) -> Loaded:
        flt, group = state["filter"], state["group"]
        count = lens.theme_count(flt)
        return Loaded(count, lens.pattern_rows(flt, group, state["order"], 0, PAGE)
                      if count else [],
                      {"values": lens.group_values(flt, group), "scope": lens.scope(flt),
                       # the most accounts any theme has: the darkest shade, so shades
                       # follow the numbers
                       "most": lens.most_accounts(flt)})

    def _take(self, state: dict, loaded: Loaded) -> None:
        self.values = loaded.more["values"]
        self.scope = loaded.more["scope"]
        self.most = loaded.more["most"]

    def _fetch(self, state: dict) -> Fetch:
        flt, group, order = state["filter"], state["group"], state["order"]
        return lambda lens, offset, limit: lens.pattern_rows(flt, group, order, offset, limit)

    def set_scope(self, flt: FindingFilter, group: PatternGroup | None = None) -> None:
        """Read the themes of a scope (and group) on the worker; the table shown stays
        until they arrive."""
        self.load(filter=flt, **({"group": group} if group is not None else {}))

    # --- reading rows -----------------------------------------------------------------------

    def row(self, row: int) -> ThemeRow | None:
        return self.row_at(row)

    def theme(self, row: int) -> str | None:
        found = self.row(row)
        return found.theme if found else None

    def value_at(self, column: int) -> Choice | None:
        at = column - len(_FIXED)
        return self.values[at] if 0 <= at < len(self.values) else None

    def evidence_filter(self, index: _Index) -> FindingFilter | None:
        """What lies behind a cell: the quotes, answers, probes and observations with its
        theme (and group value), in the scope."""
        theme = self.theme(index.row()) if index.isValid() else None
        if theme is None:
            return None
        value = self.value_at(index.column())
        return self.theme_filter(theme, value.value if value else None)

    def theme_filter(self, theme: str, value: str | None = None) -> FindingFilter:
        flt = replace(self.filter, tags=(theme,), kinds=tuple(str(k) for k in EVIDENCE_KINDS))
        return flt if value is None else group_filter(flt, self.group, value)

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.values if c.value == value), None)

    def describe(self, index: _Index) -> str:
        """A cell in words: "'changeover' in Food manufacturing"."""
        theme = self.theme(index.row()) if index.isValid() else None
        if theme is None:
            return ""
        value = self.value_at(index.column())
        return f"'{theme}' in {value.label}" if value else f"'{theme}'"

    # --- QAbstractItemModel -------------------------------------------------------------------

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(_FIXED) + len(self.values)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        value = self.value_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(_FIXED):
                return _FIXED[section]
            return f"{value.label}\n{UNIT}" if value else None
        if role == Qt.ItemDataRole.ToolTipRole and section == CONFIRMED:
            return f"Confirmed: the {CONFIRMED_MEANS}"
        if role == Qt.ItemDataRole.ToolTipRole and value:
            return (f"{value.label}: each cell counts the {UNIT} where the theme was raised; "
                    f"{_plural(value.count, 'account')} in scope")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES_ANSWERED or not index.isValid():  # asked of every cell painted
            return None
        found = self.row(index.row())
        if found is None:
            return None
        column = index.column()
        value = self.value_at(column)
        if role == THEME_ROLE:
            return found.theme
        if role == VALUE_ROLE:
            return value.value if value else None
        if column < len(_FIXED):
            return self._total(found, column, role)
        if value is None:
            return None
        accounts, visits = found.by_group.get(value.value, (0, 0))
        share = accounts / value.count if value.count else 0.0
        shade = accounts / self.most if self.most else 0.0
        if role == Qt.ItemDataRole.DisplayRole:
            return str(accounts) if accounts else ""
        if role == SHARE_ROLE:
            return shade
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"'{found.theme}' in {value.label}: "
                    f"{accounts} of {_plural(value.count, 'account')} ({share:.0%}), "
                    f"{_plural(visits, 'visit')}")
        if role == Qt.ItemDataRole.BackgroundRole and accounts:
            return heat(shade)
        if role == Qt.ItemDataRole.ForegroundRole and accounts:
            return current().qcolor("on_accent" if shade > 0.55 else "text")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _total(self, found: ThemeRow, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            confirmed = f"{found.confirmed} ({found.confirmed_share:.0%})"
            return (found.theme, str(found.accounts), confirmed, str(found.visits))[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == CONFIRMED:
            return (f"'{found.theme}': confirmed at {found.confirmed} of the "
                    f"{_plural(found.accounts, 'account')} that raised it "
                    f"({found.confirmed_share:.0%}): the {CONFIRMED_MEANS}")
        if role == Qt.ItemDataRole.ToolTipRole:
            share = found.accounts / self.scope_accounts if self.scope_accounts else 0.0
            return (f"'{found.theme}': {found.accounts} of "
                    f"{_plural(self.scope_accounts, 'account')} in scope ({share:.0%}), "
                    f"{_plural(found.visits, 'visit')}")
        if role == Qt.ItemDataRole.TextAlignmentRole and column != THEME:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and column == ACCOUNTS:
            font = QFont()
            font.setBold(True)
            return font
        return None


class HeatDelegate(QStyledItemDelegate):
    """Keeps a cell's heat colour when it is selected, framing it instead: the selected
    rows feed the trend chart, and the pattern must stay readable while they do."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if background is None or not selected:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        opt.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, opt, index)
        painter.save()
        painter.setPen(QPen(current().qcolor("learning"), 3))
        painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
        painter.restore()
