"""Rows of a long SQL list, read on a worker a page at a time as a view asks for them.

Every archive model shows a list that may run to a million rows. A load reads, on a worker,
how many rows there are, the first page and whatever else the model shows; until it
arrives the view keeps what it showed, and a load that a newer one overtook is never shown.
Later pages are read on a worker of their own when a view first asks for a row of them
(the row is blank until then). A bounded number of pages is kept, so memory stays flat
however far a person scrolls.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Row = TypeVar("Row")
# fetch(source, offset, limit) -> rows, run on a worker with the reader's own source
Fetch = Callable[[Any, int, int], list[Any]]
PAGES_PER_READ = 3  # a quick scroll asks for many pages; the last few asked are read


class SourceReader(Protocol):
    """A Reader whose queries are given the source they read (see ui/archive/lens_reader)."""

    failed: Any

    def ask(self, query: Callable[[Any], Any], show: Callable[[Any], None]) -> int: ...


class SqlPages(Generic[Row]):
    """`row(n)` returns row n when its page is in; otherwise it asks for the page on
    `reader` and returns None, and `arrived(first, last)` runs on the UI thread once rows
    `first`..`last` are in."""

    def __init__(self, reader: SourceReader, arrived: Callable[[int, int], None],
                 size: int = 200, keep: int = 20) -> None:
        self.reader = reader
        self.arrived = arrived
        self.size = size
        self.keep = keep
        self.fetch: Fetch | None = None
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self._wanted: list[int] = []
        self._asking = False
        self._generation = 0
        reader.failed.connect(lambda _message: self._got(self._generation, []))

    def reset(self, fetch: Fetch | None, first: list[Row] | None = None) -> None:
        """New rows: pages come from `fetch`; `first`, read with the load, is page 0."""
        self._generation += 1
        self._pages.clear()
        self._wanted.clear()
        self.fetch = fetch
        if first is not None:
            self._pages[0] = first

    def row(self, n: int) -> Row | None:
        page = n // self.size
        rows = self._pages.get(page)
        if rows is None:
            self._want(page)
            return None
        self._pages.move_to_end(page)
        return rows[n % self.size] if n % self.size < len(rows) else None

    def _want(self, page: int) -> None:
        if page in self._wanted:
            return
        self._wanted.append(page)
        if not self._asking:
            self._ask()

    def _ask(self) -> None:
        pages = [p for p in self._wanted[-PAGES_PER_READ:] if p not in self._pages]
        self._wanted.clear()
        if not pages or self.fetch is None:
            return
        self._asking = True
        generation, fetch, size = self._generation, self.fetch, self.size
        self.reader.ask(lambda source: [(p, fetch(source, p * size, size)) for p in pages],
                        lambda got: self._got(generation, got))

    def _got(self, generation: int, got: list[tuple[int, list[Row]]]) -> None:
        self._asking = False
        if generation == self._generation:
            for page, rows in got:
                self._pages[page] = rows
                if len(self._pages) > self.keep:
                    self._pages.popitem(last=False)
            for page, rows in got:
                if rows:
                    self.arrived(page * self.size, page * self.size + len(rows) - 1)
        self._ask()


@dataclass(frozen=True)
class Loaded:
    """What one load read: the number of rows, the first page, and the model's own."""
    count: int
    first: list[Any]
    more: dict[str, Any] = field(default_factory=dict)


class SqlTableModel(QAbstractTableModel):
    """A table model whose rows come from `pages` and whose header clicks choose one of the
    orders SQL offers: `orders` maps a column to the order's name.

    A subclass says what a load reads (`_read`, on the worker), what it keeps of it
    (`_take`) and how later pages are read (`_fetch`); `load(**state)` asks for a load with
    some of the state (filter, order, …) changed. `loaded` fires once a load is shown;
    `loads` counts the loads asked for."""

    orders: dict[int, str] = {}
    loaded = Signal()

    def __init__(self, reader: SourceReader, page_reader: SourceReader,
                 state: dict[str, Any], size: int = 200, keep: int = 20,
                 parent=None) -> None:
        super().__init__(parent)
        self.reader = reader
        self.pages: SqlPages[Any] = SqlPages(page_reader, self._arrived, size, keep)
        self.shown: dict[str, Any] = dict(state)  # the state on screen
        self.asked: dict[str, Any] = dict(state)  # the newest state asked for
        self._count = 0
        self.loads = 0
        self._load(self.asked)

    @property
    def order(self) -> str:
        return self.shown["order"]

    def load(self, **changes: Any) -> None:
        """Read the rows for the state asked for, with `changes`, on the worker; nothing
        when that is the state already asked for."""
        state = {**self.asked, **changes}
        if self.loads and state == self.asked:
            return
        self._load(state)

    def reload(self) -> None:
        """Read the rows again: the archive changed."""
        self._load(dict(self.asked))

    def _load(self, state: dict[str, Any]) -> None:
        self.asked = state
        self.loads += 1
        read = self._read
        self.reader.ask(lambda source: read(source, state),
                        lambda loaded: self._show(state, loaded))

    def _show(self, state: dict[str, Any], loaded: Loaded) -> None:
        self.beginResetModel()
        self.shown = state
        self._count = loaded.count
        self._take(state, loaded)
        self.pages.reset(self._fetch(state), loaded.first)
        self.endResetModel()
        self.loaded.emit()

    def _arrived(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, 0),
                              self.index(last, max(self.columnCount() - 1, 0)))

    # --- what a subclass says -------------------------------------------------------------

    def _read(self, source: Any, state: dict[str, Any]) -> Loaded:
        raise NotImplementedError

    def _take(self, state: dict[str, Any], loaded: Loaded) -> None:
        """Keep what the load read beside the rows (on the UI thread)."""

    def _fetch(self, state: dict[str, Any]) -> Fetch:
        raise NotImplementedError

    # --- QAbstractItemModel ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._count

    def row_at(self, row: int) -> Any:
        """Row `row` when its page is in, else None (and its page is asked for)."""
        if not 0 <= row < self._count:
            return None
        return self.pages.row(row)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sortable(self, column: int) -> bool:
        return column in self.orders

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in self.orders or self.orders[column] == self.asked["order"]:
            return
        self.load(order=self.orders[column])
