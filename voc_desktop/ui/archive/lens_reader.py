"""Reads of the archive pages, off the UI thread, each reader on a connection of its own.

A `LensReader` is a `Reader` whose queries are given a read-only lens opened on its worker
when first needed: the window's lens stays on the UI thread, and no connection is ever used
by two threads at once. `close()` stops what still runs and closes that connection; the
window closes every reader of its pages before it closes its own lens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from voc_desktop.domain.findings import FindingFilter
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.errors import ServiceError
from voc_desktop.ui.common.reads import Reader, Show
from voc_desktop.ui.common.sql_pages import SqlTableModel

LensQuery = Callable[[ArchiveWorkspace], Any]


class LensReader(Reader):
    """The reads of one thing on an archive page; `ask(query, show)` runs `query(lens)`."""

    def __init__(self, lens: ArchiveWorkspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lens = lens
        self._mine: ArchiveWorkspace | None = None
        self._closed = False

    def ask(self, query: LensQuery, show: Show) -> int:
        """Run `query` with this reader's own lens on its worker; `show` the newest result."""
        return self.read(lambda: query(self._reading()), show)

    def _reading(self) -> ArchiveWorkspace:
        # on the worker; the reader's one worker runs its reads one after another
        if self._closed:
            raise ServiceError("The archive window is closing.")
        if self._mine is None:
            self._mine = self.lens.for_reading()
        return self._mine

    def close(self) -> None:
        """Stop the read that runs, skip those waiting, then close the connection."""
        self._closed = True
        self.drop()
        mine = self._mine
        if mine is not None:
            mine.interrupt()
        self.wait(-1)
        if self._mine is not None:
            self._mine.close()
            self._mine = None


class FilteredLensModel(SqlTableModel):
    """A list of the archive read a page at a time under a finding filter: its loads and
    its later pages each on a LensReader of its own."""

    def __init__(self, lens: ArchiveWorkspace, state: dict[str, Any], size: int,
                 parent: QObject | None = None, **kwargs: Any) -> None:
        self.lens = lens
        reader, pages = LensReader(lens), LensReader(lens)
        super().__init__(reader, pages, state, size, parent=parent, **kwargs)
        reader.setParent(self)
        pages.setParent(self)

    @property
    def filter(self) -> FindingFilter:
        return self.shown["filter"]


def close_readers(owner: QObject) -> None:
    """Close every LensReader `owner` holds, however deep: before its lens closes."""
    for reader in owner.findChildren(LensReader):
        reader.close()
