"""The archive index opened for reading: a connection any one thread may use, stoppable."""

from __future__ import annotations

import sqlite3
import threading

from voc_desktop.store.archive_index import ArchiveIndex

ENDLESS = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
           "SELECT COUNT(*) FROM n")


def test_interrupt_from_another_thread_stops_the_query_that_runs(tmp_path):
    """A query running on a worker stops with 'interrupted' when another thread asks."""
    ArchiveIndex.open(tmp_path / "index.sqlite3", "archive-1").close()
    index = ArchiveIndex.open_for_reading(tmp_path / "index.sqlite3")
    running, failed = threading.Event(), []

    def endless() -> None:
        index.conn.set_progress_handler(lambda: running.set(), 1000)
        try:
            index.conn.execute(ENDLESS).fetchone()
        except sqlite3.OperationalError as exc:
            failed.append(str(exc))

    worker = threading.Thread(target=endless)
    worker.start()
    assert running.wait(10)
    index.interrupt()
    worker.join(10)
    assert not worker.is_alive() and failed == ["interrupted"]
    assert index.meta("archive_id") == "archive-1"  # the connection reads on afterwards
    index.close()
