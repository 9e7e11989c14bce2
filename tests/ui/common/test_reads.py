"""Reads on a worker: the result comes back on the UI thread, and only the newest is shown."""

from __future__ import annotations

import threading

from voc_desktop.services.errors import ServiceError
from voc_desktop.ui.common.reads import Reader


def _reader(qtbot):
    return Reader()


def test_query_runs_on_a_worker_and_result_is_shown_on_the_ui_thread(qtbot):
    reader = _reader(qtbot)
    ran_on, shown = [], []

    def query():
        ran_on.append(threading.current_thread())
        return [1, 2, 3]

    reader.read(query, lambda rows: shown.append((rows, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert ran_on[0] is not threading.main_thread()
    assert shown == [([1, 2, 3], threading.main_thread())]
    assert reader.pending == 0


def test_a_result_overtaken_by_a_newer_read_is_dropped(qtbot):
    """A second read starts while the first still runs: only the second one's answer shows."""
    reader = _reader(qtbot)
    release_first = threading.Event()
    shown = []

    def slow():
        release_first.wait(5)
        return "old"

    reader.read(slow, shown.append)
    reader.read(lambda: "new", shown.append)
    qtbot.wait(50)
    release_first.set()
    qtbot.waitUntil(lambda: reader.pending == 0, timeout=5000)
    assert shown == ["new"]


def test_the_previous_result_stays_until_the_new_one_arrives(qtbot):
    reader = _reader(qtbot)
    screen = ["before"]
    release = threading.Event()

    def query():
        release.wait(5)
        return "after"

    reader.read(query, lambda value: screen.__setitem__(0, value))
    qtbot.wait(50)
    assert screen == ["before"]
    release.set()
    qtbot.waitUntil(lambda: screen == ["after"], timeout=5000)


def test_a_failed_read_gives_one_line_and_leaves_the_screen_alone(qtbot):
    reader = _reader(qtbot)
    shown = []

    def broken():
        raise ServiceError("The archive index is locked.")

    with qtbot.waitSignal(reader.failed, timeout=5000) as blocker:
        reader.read(broken, shown.append)
    assert blocker.args == ["The archive index is locked."]
    assert shown == []


def test_dropped_reads_are_never_shown(qtbot):
    reader = _reader(qtbot)
    release = threading.Event()
    shown = []

    def query():
        release.wait(5)
        return "late"

    reader.read(query, shown.append)
    reader.drop()
    release.set()
    qtbot.waitUntil(lambda: reader.pending == 0, timeout=5000)
    assert shown == []
