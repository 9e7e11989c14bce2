"""Long work off the UI thread: a worker does it, a progress dialog shows how far it got,
Cancel asks it to stop, and the outcome comes back on the UI thread as a signal.

The work never touches widgets or the workspace connection: callers read what it needs
first, on the UI thread, and record what came of it afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from voc_desktop.services.errors import ServiceError

# Quick work is over before a dialog could be read; show progress only after this long.
PROGRESS_AFTER_MS = 400

Progress = Callable[[int, str], None]
Work = Callable[[Progress, Callable[[], bool]], Any]


class _Signals(QObject):
    progress = Signal(int, str)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class BackgroundTask(QObject):
    """One run of `work(progress, cancelled)`. `done` carries its result, `failed` a message
    for a person, `cancelled` that it stopped when asked (it raised one of `cancel_errors`)."""

    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, window: QWidget, title: str, label: str, work: Work,
                 cancel_errors: tuple[type[BaseException], ...] = ()) -> None:
        super().__init__(window)
        self.window = window
        self.work = work
        self.cancel_errors = cancel_errors
        self.running = False
        self._stop = threading.Event()
        # no Qt parent: the worker may still emit while the window closes, so the signals
        # object must live as long as the worker holds it
        self._signals = _Signals()
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(lambda result: self._finish(self.done.emit, result))
        self._signals.failed.connect(lambda message: self._finish(self.failed.emit, message))
        self._signals.cancelled.connect(lambda: self._finish(lambda _: self.cancelled.emit(),
                                                             None))
        self.dialog = QProgressDialog(f"{label}…", "Cancel", 0, 100, window)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)

    def start(self) -> None:
        self.running = True
        self.dialog.setValue(0)
        signals, stop, work, cancel_errors = (self._signals, self._stop, self.work,
                                              self.cancel_errors)

        def run() -> None:
            try:
                result = work(signals.progress.emit, stop.is_set)
            except cancel_errors:
                signals.cancelled.emit()
            except ServiceError as exc:
                signals.failed.emit(str(exc))
            except Exception as exc:  # noqa: BLE001 - long work must never take the app down
                signals.failed.emit(f"Something went wrong: {exc}")
            else:
                signals.done.emit(result)

        QThreadPool.globalInstance().start(run)

    def cancel(self) -> None:
        self._stop.set()

    def stop_and_wait(self, wait_ms: int = 10000) -> None:
        """Before the window goes: ask the work to stop and give it time to clean up."""
        if self.running:
            self.cancel()
            QThreadPool.globalInstance().waitForDone(wait_ms)

    def _on_progress(self, percent: int, what: str) -> None:
        if self.running:
            self.dialog.setLabelText(f"{what}…")
            self.dialog.setValue(min(percent, 99))

    def _finish(self, emit: Callable[[Any], None], value: Any) -> None:
        self.running = False
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.dialog.deleteLater()
        emit(value)
