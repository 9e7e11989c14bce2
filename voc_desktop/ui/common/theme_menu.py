"""The View menu's choice of theme, the same in the laptop window and the archive window."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from voc_desktop.ui.common import theme


def add_theme_menu(view: QMenu) -> QMenu:
    """A "Theme" submenu: follow the system, light, dark or high contrast; remembered."""
    menu = view.addMenu("&Theme")
    group = QActionGroup(menu)
    group.setExclusive(True)
    now = theme.chosen()
    for choice, label in theme.CHOICES.items():
        action = QAction(label, menu)
        action.setCheckable(True)
        action.setChecked(choice == now)
        action.setData(choice)
        action.triggered.connect(lambda _=False, c=choice: theme.choose(c))
        group.addAction(action)
        menu.addAction(action)
    return menu
