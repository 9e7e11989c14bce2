"""The Qt binding the app runs on keeps Python's reference counts right."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QComboBox, QLabel


def test_calls_that_return_none_do_not_eat_references_to_none(qtbot):
    """Thousands of Qt calls returning None leave None's reference count in place (a binding
    that loses one per call crashes a long interview session)."""
    label, item, combo = QLabel(), QStandardItem("x"), QComboBox()
    qtbot.addWidget(label)
    qtbot.addWidget(combo)
    calls = (lambda: label.setText("note"), lambda: item.setData("id", Qt.ItemDataRole.UserRole),
             lambda: item.data(Qt.ItemDataRole.UserRole + 7), combo.currentData)
    before = sys.getrefcount(None)
    for _ in range(500):
        for call in calls:
            call()
    assert sys.getrefcount(None) - before > -50
