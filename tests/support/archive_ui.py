"""Helpers for driving the archive workspace's widgets offscreen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget


def shown(qtbot, widget: QWidget, size: tuple[int, int] = (1366, 768)) -> QWidget:
    """Show a widget as an active window, so its keyboard shortcuts fire as for a person."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget
