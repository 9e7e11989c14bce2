"""Pieces the archive's pattern, triangulation and routing pages share: single-choice filter
combos with "Any", period fields a person types ("2026", "2026-Q3", "2026-07-01"), the
shortcuts of those pages, and opening a finding's visit in context."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from voc_desktop.domain.findings import Finding, FindingFilter
from voc_desktop.services.archive.workspace import ArchiveWorkspace, Choice
from voc_desktop.ui.common.look import ERROR_STYLE, body_points
from voc_desktop.ui.common.theme import styled

FIND = QKeySequence("Ctrl+F")
PATTERN_REPORT = QKeySequence("Ctrl+R")
TEAM_DIGEST = QKeySequence("Ctrl+D")
OUTSIDE_PROFILE = QKeySequence("Alt+I")

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def period_bound(text: str, end: bool) -> str | None:
    """A typed period as an ISO date: its first day (a 'from') or last day (a 'to').
    '' for an empty field, None when the text is no date."""
    text = text.strip()
    if not text:
        return ""
    if m := _QUARTER.match(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        month = quarter * 3 if end else quarter * 3 - 2
        return _iso(year, month, None, end)
    if m := _DATE.match(text):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        if month is None:
            return f"{year:04d}-12-31" if end else f"{year:04d}-01-01"
        return _iso(year, month, day, end)
    return None


def _iso(year: int, month: int, day: int | None, end: bool) -> str | None:
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        day = last if end else 1
    if not 1 <= day <= last:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


class PeriodField(QLineEdit):
    """One end of a period, typed: empty for no limit. `changed` fires with a valid value."""

    changed = Signal()

    def __init__(self, end: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.end = end
        self.setPlaceholderText("any date")
        self.setToolTip("A year (2026), a quarter (2026-Q3), a month (2026-07) or a day "
                        "(2026-07-15); empty for no limit")
        self.setMaximumWidth(9 * body_metrics(self).horizontalAdvance("m"))
        self._last = ""
        self.textChanged.connect(self._check)

    def iso(self) -> str:
        """The valid date the field holds, '' when empty or not (yet) a date."""
        return period_bound(self.text(), self.end) or ""

    def _check(self, text: str) -> None:
        value = period_bound(text, self.end)
        styled(self, "" if value is not None else f"QLineEdit {{ {ERROR_STYLE} }}")
        if value is not None and value != self._last:
            self._last = value
            self.changed.emit()


class ChoiceCombo(QComboBox):
    """One filter as a single choice: "Any …" or one value; `values()` as a filter wants."""

    def __init__(self, any_label: str, choices: Sequence[Choice] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.any_label = any_label
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.set_choices(choices)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        """New values, keeping the chosen one when it is still there."""
        kept = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.any_label, "")
        for c in choices:
            self.addItem(c.label, c.value)
        at = self.findData(kept) if kept else 0
        self.setCurrentIndex(max(at, 0))
        self.blockSignals(False)

    def values(self) -> tuple[str, ...]:
        value = self.currentData()
        return (value,) if value else ()

    def choose(self, value: str) -> None:
        self.setCurrentIndex(max(self.findData(value), 0))


def outside_checkbox() -> QCheckBox:
    """The same box on every page, unticked at first: the profile says who the programme
    is for, so what lies outside it is left out of lists and counts until asked for."""
    box = QCheckBox("&Include accounts outside the profile")
    box.setChecked(False)
    box.setToolTip("Accounts outside the ideal customer profile are left out of this page's "
                   "lists and counts unless this is ticked; then they show grey (Alt+I)")
    return box


def outside_note(lens: ArchiveWorkspace, flt: FindingFilter) -> str:
    """'N accounts outside the profile are left out' for a scope that leaves them out."""
    if flt.include_outside_icp:
        return ""
    with_all = lens.scope(_with(flt, include_outside_icp=True))[0]
    left_out = with_all - lens.scope(flt)[0]
    if left_out <= 0:
        return ""
    return (f"{left_out} account{'s' if left_out != 1 else ''} outside the profile "
            f"{'are' if left_out != 1 else 'is'} left out")


def _with(flt: FindingFilter, **changes: object) -> FindingFilter:
    from dataclasses import replace

    return replace(flt, **changes)  # type: ignore[arg-type]


def page_shortcut(page: QWidget, key: QKeySequence, slot: Callable[[], object]) -> QShortcut:
    """A shortcut of one page: Qt only fires shortcuts of visible widgets, so each tab's
    keys work while that tab is shown."""
    shortcut = QShortcut(key, page, slot)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    return shortcut


def open_visit(parent: QWidget, lens: ArchiveWorkspace, finding: Finding | None) -> bool:
    """The finding's visit in context, where the archive window offers it."""
    if finding is None:
        return False
    try:
        from voc_desktop.ui.archive.visit import show_visit
    except ImportError:
        return False
    show_visit(parent, lens, finding)
    return True


def body_metrics(widget: QWidget) -> QFontMetrics:
    """The metrics of the body text a page will show: its style sheet sets the size only
    when the page is polished, after the widths and heights are chosen."""
    font = widget.font()
    font.setPointSizeF(body_points())
    return QFontMetrics(font)


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
