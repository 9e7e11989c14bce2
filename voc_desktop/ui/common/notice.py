"""Telling a person how something ended, without stopping the window: a message box that
opens over its window and goes away when closed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

# the two text labels of a QMessageBox, for a style sheet that widens them
MESSAGE_TEXT = "QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel"


def notice(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, *,
           info: str = "", details: str = "",
           buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Close,
           closed: Callable[[], None] | None = None) -> QMessageBox:
    """Open a message box; `info` shows under the text, `details` behind a button.
    `closed` runs when it goes, so an owner can forget it."""
    box = QMessageBox(icon, title, text, buttons, parent)
    if info:
        box.setInformativeText(info)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if closed is not None:
        box.finished.connect(lambda _=0: closed())
    box.open()
    return box
