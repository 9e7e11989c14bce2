"""The laptop window's visit list is read on a worker: tests wait for the read to land."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication


def list_read(qtbot, window, timeout: float = 5.0) -> None:
    """Wait until the window's visit list has been read. Only posted events are handled
    meanwhile (no nested event loop), so a window deleted later is left as it is."""
    deadline = time.monotonic() + timeout
    while window.browser.reader.pending and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.002)
    assert window.browser.reader.pending == 0, "the visit list was not read in time"
