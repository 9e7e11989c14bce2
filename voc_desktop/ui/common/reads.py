"""Reads off the UI thread: a worker runs the query, its result comes back on the UI thread.

`BackgroundTask` is for long work with progress and Cancel; a `Reader` is its counterpart
for reads a page makes while someone types or clicks. Each `Reader.read(query, show)` runs
`query()` on a worker and calls `show(result)` on the UI thread. Whatever the page showed
before stays on screen until then, and a result that a newer read of the same reader has
overtaken is dropped, so a page never flickers back to an older answer.

A query must not touch widgets. It may use the store only through a connection it opens
itself or one made for use across threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from voc_desktop.services.errors import ServiceError

Query = Callable[[], Any]
Show = Callable[[Any], None]


class _Signals(QObject):
    # generation, result / generation, message
    done = Signal(int, object)
    failed = Signal(int, str)


class Reader(QObject):
    """The reads of one thing on a page (a list, a chart). Only the newest read is shown.

    `failed(message)` carries a one-line message for a person when a query raised; what is on
    screen then stays as it was. `pending` is how many reads are still running.
    """

    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # one worker per reader: its reads run one after another, and waiting for them
        # (before the connection they use closes) waits for no one else's work
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self._shows: dict[int, Show] = {}
        self.pending = 0
        # no Qt parent: a worker may still emit after the page has gone
        self._signals = _Signals()
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)

    def read(self, query: Query, show: Show) -> int:
        """Run `query` on a worker; `show` its result on the UI thread unless a newer read of
        this reader started meanwhile. Returns the read's number."""
        self._generation += 1
        generation = self._generation
        self._shows = {generation: show}
        self.pending += 1
        signals = self._signals

        def run() -> None:
            try:
                result = query()
            except ServiceError as exc:
                signals.failed.emit(generation, str(exc))
            except Exception as exc:  # noqa: BLE001 - a read must never take the app down
                signals.failed.emit(generation, f"Something went wrong: {exc}")
            else:
                signals.done.emit(generation, result)

        self._pool.start(run)
        return generation

    def drop(self) -> None:
        """Forget every read still running: none of them will be shown."""
        self._generation += 1
        self._shows = {}

    @property
    def latest(self) -> int:
        return self._generation

    def wait(self, msecs: int = 10000) -> bool:
        """Wait for the reads still running, none of which will be shown: before what they
        read from closes."""
        self.drop()
        return self._pool.waitForDone(msecs)

    def _on_done(self, generation: int, result: Any) -> None:
        self.pending -= 1
        show = self._shows.pop(generation, None)
        if show is not None:
            show(result)

    def _on_failed(self, generation: int, message: str) -> None:
        self.pending -= 1
        if self._shows.pop(generation, None) is not None:
            self.failed.emit(message)
