"""Backups while the window runs: a first one a few minutes after start when none was made
today, then one every half hour when something was saved since the last.

The backup runs on a worker thread of its own with its own read connection, so typing goes
on meanwhile; it touches no widget. Its outcome comes back as a signal on the UI thread,
and a failure is news for the status bar, not a dialog in the middle of an interview.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from voc_desktop.services.errors import ServiceError
from voc_desktop.ui.common.bus import ChangeBus

FIRST_AFTER_MS = 3 * 60_000
EVERY_MS = 30 * 60_000
_log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class BackupSchedule(QObject):
    """`finished(BackupInfo | None)` after each run (None: nothing needed backing up);
    `message(str)` carries what the status bar should say."""

    finished = Signal(object)
    message = Signal(str)

    def __init__(self, data_dir: Path, bus: ChangeBus, parent: QObject | None = None, *,
                 first_after_ms: int = FIRST_AFTER_MS, every_ms: int = EVERY_MS) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.changed = False  # something was saved since the last backup
        self.running = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # no Qt parent: a worker may still emit while the window goes
        self._signals = _Signals()
        self._signals.done.connect(self._done)
        self._signals.failed.connect(self._failed)
        bus.changed.connect(self._saw_change)
        self._first = QTimer(self, singleShot=True, interval=first_after_ms)
        self._first.timeout.connect(lambda: self.run(only_if_none_today=True))
        self._every = QTimer(self, interval=every_ms)
        self._every.timeout.connect(self.run_if_changed)

    def start(self) -> None:
        self._first.start()
        self._every.start()

    def stop(self, wait_ms: int = 30_000) -> None:
        """Before the workspace closes: no new backups, and the running one finishes."""
        self._first.stop()
        self._every.stop()
        self._pool.waitForDone(wait_ms)

    def run_if_changed(self) -> bool:
        return self.run() if self.changed else False

    def run(self, *, only_if_none_today: bool = False) -> bool:
        """Start a scheduled backup on the worker; False when one is running already."""
        if self.running:
            return False
        self.running = True
        self.changed = False  # a save during the backup is news for the next one
        signals, data_dir = self._signals, self.data_dir

        def work() -> None:
            from voc_desktop.services import backups  # loaded on the worker, when needed

            try:
                if only_if_none_today and backups.backed_up_since(data_dir, _start_of_today()):
                    result = None
                else:
                    result = backups.make_backup(data_dir, "scheduled")
            except ServiceError as exc:
                signals.failed.emit(str(exc))
            except Exception:  # noqa: BLE001 - a backup must never take the app down
                _log.error("The scheduled backup failed", exc_info=True)
                signals.failed.emit("The scheduled backup was not made (an unexpected "
                                    "error; the log says what kind). The next one is tried "
                                    "in half an hour.")
            else:
                signals.done.emit(result)

        self._pool.start(work)
        return True

    def _saw_change(self, _change: object) -> None:
        self.changed = True

    def _done(self, made: object) -> None:
        self.running = False
        if made is not None:
            self.message.emit(f"Workspace backed up at {datetime.now():%H:%M}.")
        self.finished.emit(made)

    def _failed(self, text: str) -> None:
        self.running = False
        self.changed = True  # try again at the next turn
        self.message.emit(f"Backup failed: {text}")
        self.finished.emit(None)


def _start_of_today() -> datetime:
    """Midnight of the local day, in UTC, as backups are named."""
    return datetime.now().astimezone().replace(hour=0, minute=0, second=0,
                                               microsecond=0).astimezone(UTC)
