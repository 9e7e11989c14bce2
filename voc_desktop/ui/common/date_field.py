"""A date field that takes a date typed the way people write one ("1 Jan 1999",
"2026-03-14", "14.3.2026", "tomorrow"), picks one from a calendar by keyboard (Alt+Down or
F4, then the arrows and Enter), and steps a day with Up and Down. Tab leaves it like every
other field; what cannot be read as a date stays as typed and is marked, never replaced."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.dates import EXAMPLE, parse_date
from voc_desktop.ui.common.theme import styled

SHOWN = "d MMM yyyy"


class DateField(QWidget):
    dateChanged = Signal(QDate)  # noqa: N815 (named as QDateEdit's, which it replaces)

    def __init__(self, date: QDate | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date = date if date is not None and date.isValid() else QDate.currentDate()
        self.edit = QLineEdit()
        self.edit.setAccessibleName("Date")
        self.edit.setPlaceholderText(EXAMPLE)
        self.edit.setToolTip(f"Type a date ({EXAMPLE}, today, tomorrow); Up and Down step a "
                             "day; Alt+Down opens the calendar")
        self.edit.installEventFilter(self)
        self.edit.editingFinished.connect(self._typed)
        self.edit.textEdited.connect(self._check)
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setAccessibleName("Pick the date from a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self._calendar: QWidget | None = None
        self._show()

    # the value

    def date(self) -> QDate:
        """The last date read from the field (see `valid` for what is typed now)."""
        return QDate(self._date)

    def setDate(self, value: QDate) -> None:  # noqa: N802 (as QDateEdit's)
        if value.isValid():
            changed = value != self._date
            self._date = QDate(value)
            self._show()
            if changed:
                self.dateChanged.emit(QDate(value))

    @property
    def valid(self) -> bool:
        """The text in the field names a date (the one `date()` returns)."""
        return self._read(self.edit.text()) is not None

    def commit(self) -> bool:
        """Read what is typed now; False (the text kept, marked) when it is no date."""
        self._typed()
        return self.valid

    def _read(self, text: str) -> QDate | None:
        found = parse_date(text, QDate.currentDate().toPython())
        return QDate(found.year, found.month, found.day) if isinstance(found, date) else None

    def _show(self) -> None:
        self.edit.setText(self._date.toString(SHOWN))
        self._check()

    def _typed(self) -> None:
        found = self._read(self.edit.text())
        if found is not None:
            self.setDate(found)
            self._show()
        self._check()

    def _check(self, *_: object) -> None:
        styled(self.edit, "" if self.valid or not self.edit.text().strip()
               else "QLineEdit { border: 2px solid $error; }")

    # the keyboard

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
            if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
                self.open_calendar()
                return True
            steps = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}
            months = {Qt.Key.Key_PageUp: 1, Qt.Key.Key_PageDown: -1}
            if key in steps or key in months:
                self._typed()
                self.setDate(self._date.addDays(steps[key]) if key in steps
                             else self._date.addMonths(months[key]))
                return True
        return super().eventFilter(obj, event)

    def open_calendar(self) -> QCalendarWidget:
        """A calendar on the date: arrows move, Page Up/Down change month, Enter picks,
        Escape leaves the date as it was."""
        self._typed()
        popup = QWidget(self, Qt.WindowType.Popup)
        calendar = QCalendarWidget(popup)
        calendar.setGridVisible(False)
        calendar.setSelectedDate(self._date)
        calendar.activated.connect(lambda d: (self.setDate(d), popup.close(),
                                              self.edit.setFocus()))
        calendar.clicked.connect(lambda d: (self.setDate(d), popup.close(),
                                            self.edit.setFocus()))
        layout = QVBoxLayout(popup)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(calendar)
        popup.adjustSize()
        popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        popup.show()
        calendar.setFocus()
        self._calendar = popup
        return calendar
