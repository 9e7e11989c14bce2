"""Helpers for driving the archive workspace's widgets offscreen."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget


def shown(qtbot, widget: QWidget, size: tuple[int, int] = (1366, 768)) -> QWidget:
    """Show a widget as an active window, so its keyboard shortcuts fire as for a person."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    settled(qtbot, widget)
    return widget


def settled(qtbot, widget: QObject, timeout: int = 10000) -> QObject:
    """Wait until every read a widget (a page, a window, a model) started on its workers
    has been shown, including the reads that showing a result starts."""
    from voc_desktop.ui.archive.lens_reader import LensReader

    def idle() -> bool:
        return all(r.pending == 0 for r in widget.findChildren(LensReader))

    for _ in range(2):  # a shown result may start the next read
        qtbot.waitUntil(idle, timeout=timeout)
        QApplication.processEvents()
    qtbot.waitUntil(idle, timeout=timeout)
    return widget
