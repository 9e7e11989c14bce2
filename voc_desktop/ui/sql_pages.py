"""Rows of a long SQL list, read a page at a time as a view asks for them.

Every archive model shows a list that may run to a million rows: it knows how many rows
there are, and asks the archive for the page holding a row only when a view wants it. A
bounded number of pages is kept, so memory stays flat however far a person scrolls.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

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
