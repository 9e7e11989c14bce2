"""Rows of a long SQL list, read a page at a time as a view asks for them.

Every archive model shows a list that may run to a million rows: it knows how many rows
there are, and asks the archive for the page holding a row only when a view wants it. A
bounded number of pages is kept, so memory stays flat however far a person scrolls.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")


class SqlPages(Generic[Row]):
    """`fetch(offset, limit)` reads one page; `row(n)` returns row n, reading if needed."""

    def __init__(self, fetch: Callable[[int, int], list[Row]], size: int = 200,
                 keep: int = 20) -> None:
        self.fetch = fetch
        self.size = size
        self.keep = keep
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()

    def clear(self) -> None:
        self._pages.clear()

    def row(self, n: int) -> Row | None:
        page = n // self.size
        if page not in self._pages:
            self._pages[page] = self.fetch(page * self.size, self.size)
            if len(self._pages) > self.keep:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        rows = self._pages[page]
        return rows[n % self.size] if n % self.size < len(rows) else None


class SqlTableModel(QAbstractTableModel):
    """A table model whose rows come from `pages` and whose header clicks choose one of the
    orders SQL offers: `orders` maps a column to the order's name."""

    orders: dict[int, str] = {}

    def __init__(self, order: str, parent=None) -> None:
        super().__init__(parent)
        self.order = order
        self.pages: SqlPages[Any] | None = None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sortable(self, column: int) -> bool:
        return column in self.orders

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in self.orders or self.orders[column] == self.order:
            return
        self.beginResetModel()
        self.order = self.orders[column]
        if self.pages is not None:
            self.pages.clear()
        self.endResetModel()
