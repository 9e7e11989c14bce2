"""What the laptop's and the archive's sync screens share: the bundle file filter and how a
key's fingerprint is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

BUNDLE_FILTER = "VOC bundles (*.vocbundle)"


def fingerprint_label(text: str) -> QLabel:
    """A fingerprint large and monospaced, so two people can read it out to each other."""
    label = QLabel(text)
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPointSize(14)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
