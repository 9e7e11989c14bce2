"""Long work on a worker thread: progress, results, failures and cancelling come back."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QWidget

from voc_desktop.services.errors import ServiceError
from voc_desktop.ui.common.background import BackgroundTask


class Stop(Exception):
    pass


def _task(qtbot, work, cancel_errors=()):
    parent = QWidget()
    qtbot.addWidget(parent)
    return BackgroundTask(parent, "Work", "Working", work, cancel_errors)


def test_result_comes_back_on_the_ui_thread(qtbot):
    """The work runs elsewhere; its result arrives through `done` on the UI thread."""
    threads = []

    def work(progress, cancelled):
        threads.append(threading.current_thread())
        progress(50, "Half way")
        return 42

    task = _task(qtbot, work)
    received = []
    task.done.connect(lambda value: received.append((value, threading.current_thread())))
    with qtbot.waitSignal(task.done, timeout=5000):
        task.start()
    assert received == [(42, threading.main_thread())]
    assert threads and threads[0] is not threading.main_thread()
    assert not task.running


def test_expected_and_unexpected_failures_become_messages(qtbot):
    """A ServiceError gives its own words; anything else a general message, never a crash."""
    for error, expected in [(ServiceError("Disk full."), "Disk full."),
                            (KeyError("x"), "Something went wrong: 'x'")]:
        def work(progress, cancelled, error=error):
            raise error

        task = _task(qtbot, work)
        with qtbot.waitSignal(task.failed, timeout=5000) as failed:
            task.start()
        assert failed.args == [expected]


def test_cancel_reaches_the_work(qtbot):
    """Cancel sets the flag the work checks; its stop exception becomes `cancelled`."""
    def work(progress, cancelled):
        while not cancelled():
            time.sleep(0.005)
        raise Stop

    task = _task(qtbot, work, (Stop,))
    task.start()
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()
    assert not task.running
