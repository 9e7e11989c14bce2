"""A date field that Tab leaves, like every other field.

Qt's date edit spends Tab on moving between day, month and year, so a fast typist who
tabs through a form types the next field's words into the date. Here Tab goes to the
next field; the arrow keys still move between the date's parts."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget


class DateField(QDateEdit):
    def __init__(self, date: QDate | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if date is not None:
            self.setDate(date)
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt override)
        return QWidget.focusNextPrevChild(self, next)
