"""Search across every visit in the archive: words as you type, filters beside the list.

The list is a FindingsModel, so it is counted, sorted and paged in SQL and stays quick on
an archive of many thousand visits. Each filter is one choice ("Any" or a value); all of
them and the words narrow the list together.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.findings import Finding, FindingFilter, theme_key
from voc_desktop.services.archive.workspace import ArchiveWorkspace, Choice, FilterChoices
from voc_desktop.ui.archive.finding_detail import list_with_detail
from voc_desktop.ui.archive.finding_list import SEARCH_COLUMNS, Column, FindingsModel, FindingTable
from voc_desktop.ui.archive.lens_reader import LensReader
from voc_desktop.ui.archive.scope_bar import outside_checkbox, outside_note
from voc_desktop.ui.archive.visit import VisitInContext, show_visit
from voc_desktop.ui.common.flow_layout import flow_row
from voc_desktop.ui.common.look import (
    ERROR_STYLE,
    HINT_STYLE,
    apply_readable_style,
    body_points,
    text_label,
)
from voc_desktop.ui.common.shortcuts import tip
from voc_desktop.ui.common.theme import styled

if TYPE_CHECKING:
    from voc_desktop.ui.archive.page_export import CsvJob

CLEAR_FILTERS = QKeySequence("Ctrl+Shift+Backspace")
DEBOUNCE_MS = 250  # a pause in typing, not every key, runs the search
# Counting the visits costs about twice counting the findings; past this many findings the
# label gives the findings alone, so a broad search stays quick.
VISITS_COUNTED_UP_TO = 20_000

SEARCH_HINT = ('Search every visit: all words must appear; "a phrase" in quotes; '
               "OR between words for either; -word leaves a word out")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def date_bound(text: str, end: bool) -> str | None:
    """'2026', '2026-03' or '2026-03-14' as the first or last day it covers; '' for blank;
    None when it is not a date."""
    text = text.strip()
    if not text:
        return ""
    m = _DATE.match(text)
    if not m or (m.group(3) and not m.group(2)):
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
        return None
    # ISO dates compare as text, so day 31 closes every month
    return f"{year}-{month or ('12' if end else '01')}-{day or ('31' if end else '01')}"


# The list's text is a point smaller than the page's, so eight columns leave the words
# column room on a laptop screen; widths are measured on what the columns hold.
_WIDTHS = {Column.DATE: "2026-09-30", Column.ACCOUNT: "Halvorsen Food Pack",
           Column.KIND: "Key learning", Column.WHO: "Decision maker, U",
           Column.BUCKET: "How they operate", Column.THEMES: "changeover, line",
           Column.STATUS: "Corrected"}


def _fit_columns(table: FindingTable) -> None:
    list_points = body_points() - 1
    table.setStyleSheet(f"QTableView, QHeaderView {{ font-size: {list_points:.1f}pt; }}")
    # a style sheet's font applies only once shown; measure with that font now
    font = table.font()
    font.setPointSizeF(list_points)
    metrics = QFontMetrics(font)
    for at, column in enumerate(table.findings_model().columns):
        if column in _WIDTHS:
            table.setColumnWidth(at, metrics.horizontalAdvance(_WIDTHS[column]) + 14)
    # exactly two lines of the words column: a third would show only its top half
    table.verticalHeader().setDefaultSectionSize(metrics.lineSpacing() * 2 + 6)


class ChoiceBox(QComboBox):
    """One filter's value: "Any" or one choice; keeps the choice across reloads."""

    def __init__(self, any_label: str = "Any") -> None:
        super().__init__()
        self.any_label = any_label
        self.setMinimumContentsLength(14)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.set_choices(())

    def set_choices(self, choices: tuple[Choice, ...] | list[Choice]) -> None:
        kept = self.value()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.any_label, "")
        for c in choices:
            self.addItem(c.label, c.value)
        at = self.findData(kept) if kept else 0
        self.setCurrentIndex(max(at, 0))
        self.blockSignals(False)

    def value(self) -> str:
        return self.currentData() or ""

    def values(self) -> tuple[str, ...]:
        return (self.value(),) if self.value() else ()

    def choose(self, value: str) -> bool:
        at = self.findData(value)
        if at >= 0:
            self.setCurrentIndex(at)
        return at >= 0


class SearchPage(QWidget):
    """Words and filters over all findings; Enter opens a finding's visit in context."""

    filter_changed = Signal()

    def __init__(self, lens: ArchiveWorkspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lens = lens
        self.dialog: VisitInContext | None = None
        self.search = QLineEdit()
        self.search.setAccessibleName("Search all visits")
        self.search.setPlaceholderText('Search all visits — words, "a phrase", OR, -leave out')
        self.search.setToolTip(tip(SEARCH_HINT, QKeySequence("Ctrl+F")))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(32)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("font-weight: 600;")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self.focus_results)
        QShortcut(QKeySequence(Qt.Key.Key_Down), self.search, self.focus_results,
                  context=Qt.ShortcutContext.WidgetShortcut)

        panel = self._filter_panel()
        # the filters' values, the visits the findings come from and the accounts left out,
        # each read on a worker
        self.choices_reader, self.visits_reader = LensReader(lens, self), LensReader(lens, self)
        self.outside_reader = LensReader(lens, self)
        self.model = FindingsModel(lens, SEARCH_COLUMNS, self._read_filter(), parent=self)
        self.model.loaded.connect(self._show_count)
        self.model.loaded.connect(self._first_row_chosen)
        self.table = FindingTable(self.model)
        self.table.setAccessibleName("What the search found")
        _fit_columns(self.table)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.table, lambda: self.open_row(),
                      context=Qt.ShortcutContext.WidgetShortcut)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        apply_readable_style(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(panel)
        results, self.detail = list_with_detail(self.table)
        layout.addWidget(results, 1)
        layout.addWidget(text_label("Accounts outside the profile, once included, show grey. "
                                    "Filters take one value each and apply together. Enter or "
                                    "a double-click opens the visit in context.", HINT_STYLE))
        self.reload_choices()

    # --- the filters ------------------------------------------------------------------------

    def _filter_panel(self) -> QFrame:
        self.vertical, self.segment = ChoiceBox(), ChoiceBox()
        self.stage, self.role, self.bucket = ChoiceBox(), ChoiceBox(), ChoiceBox()
        self.account, self.interviewer = ChoiceBox(), ChoiceBox()
        self.status, self.kind = ChoiceBox(), ChoiceBox()
        self.theme = QLineEdit()
        self.theme.setPlaceholderText("any theme")
        self.theme.setClearButtonEnabled(True)
        self._themes = QStringListModel(self)
        completer = QCompleter(self._themes, self.theme)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.theme.setCompleter(completer)
        self.role.setToolTip("Visits where someone of this role was in the room, whoever "
                             "said the words")
        self.date_from, self.date_to = QLineEdit(), QLineEdit()
        for field, hint in ((self.date_from, "e.g. 2026-01"), (self.date_to, "e.g. 2026-06")):
            field.setPlaceholderText(hint)
            field.setToolTip("A year, a month or a day: 2026, 2026-03 or 2026-03-14")
            field.textChanged.connect(lambda _: self._timer.start())
        self.include_outside = outside_checkbox()
        self.outside_line = QLabel()
        styled(self.outside_line, HINT_STYLE)
        self.clear_button = QPushButton("&Clear filters")
        self.clear_button.setToolTip(tip("Set every filter back to Any", CLEAR_FILTERS))
        self.clear_button.clicked.connect(self.clear_filters)
        QShortcut(CLEAR_FILTERS, self, self.clear_filters,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for box in self.combos():
            box.currentIndexChanged.connect(lambda _: self.apply())
        self.theme.textChanged.connect(lambda _: self._timer.start())
        self.include_outside.toggled.connect(lambda _: self.apply())

        panel = QFrame()
        panel.setObjectName("searchFilters")
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        # Alt+F, V, A and H belong to the window's menus
        fields = (("V&ertical", self.vertical), ("Se&gment", self.segment),
                  ("S&tage", self.stage), ("&Role present", self.role),
                  ("B&ucket", self.bucket),
                  ("&Kind", self.kind), ("Read-&back", self.status),
                  ("The&me", self.theme), ("Acc&ount", self.account),
                  ("I&nterviewer", self.interviewer), ("&Dates", self.date_from),
                  ("to", self.date_to))
        pairs = []
        for text, field in fields:
            label = QLabel(text)
            label.setBuddy(field)
            field.setMinimumWidth(110)
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(label)
            row.addWidget(field, 1)
            pairs.append(pair)
        # the filters wrap onto as many lines as the window's width needs
        column.addWidget(flow_row(*pairs, self.include_outside, self.outside_line,
                                  right=(self.clear_button,)))
        self.date_problem = text_label("", ERROR_STYLE)
        self.date_problem.hide()
        column.addWidget(self.date_problem)
        return panel

    def combos(self) -> tuple[ChoiceBox, ...]:
        return (self.vertical, self.segment, self.stage, self.role, self.bucket, self.account,
                self.interviewer, self.status, self.kind)

    def reload_choices(self) -> None:
        """Refill the filters from the archive (after an import new values may exist), once
        the worker has read them."""
        self.choices_reader.ask(lambda lens: (lens.choices(), [t for t, _ in lens.themes()]),
                                self._show_choices)

    def _show_choices(self, read: tuple[FilterChoices, list[str]]) -> None:
        c, themes = read
        for box, choices in ((self.vertical, c.verticals), (self.segment, c.segments),
                             (self.stage, c.stages), (self.role, c.roles),
                             (self.bucket, c.buckets), (self.account, c.accounts),
                             (self.interviewer, c.interviewers), (self.status, c.read_back),
                             (self.kind, c.kinds)):
            box.set_choices(choices)
        self._themes.setStringList(themes)

    def _read_filter(self) -> FindingFilter:
        start, end = date_bound(self.date_from.text(), False), \
            date_bound(self.date_to.text(), True)
        bad = [name for name, v in (("From", start), ("To", end)) if v is None]
        self.date_problem.setText(f"{' and '.join(bad)}: write a date as 2026, 2026-03 or "
                                  "2026-03-14." if bad else "")
        self.date_problem.setVisible(bool(bad))
        theme = theme_key(self.theme.text())
        return FindingFilter(
            query=self.search.text(), verticals=self.vertical.values(),
            segments=self.segment.values(), stages=self.stage.values(),
            roles=self.role.values(), buckets=self.bucket.values(),
            tags=(theme,) if theme else (), accounts=self.account.values(),
            interviewers=self.interviewer.values(), statuses=self.status.values(),
            kinds=self.kind.values(), date_from=start or "", date_to=end or "",
            include_outside_icp=self.include_outside.isChecked())

    def current_filter(self) -> FindingFilter:
        return self.model.filter

    def apply(self) -> None:
        """Run the search with the words and filters as they are now, on a worker: the list
        and its count stay as they are until the new ones arrive."""
        self._timer.stop()
        flt = self._read_filter()
        if flt != self.model.asked["filter"]:
            self.model.set_filter(flt)
            self.filter_changed.emit()

    def clear_filters(self) -> None:
        """Every filter back to Any; the search words stay."""
        for box in self.combos():
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        for field in (self.theme, self.date_from, self.date_to):
            field.clear()
        self.include_outside.blockSignals(True)
        self.include_outside.setChecked(False)
        self.include_outside.blockSignals(False)
        self.apply()

    def _show_count(self) -> None:
        n, flt = self.model.rowCount(), self.model.filter
        found = f"{n:,} finding{'' if n == 1 else 's'}"
        self.outside_reader.ask(lambda lens: outside_note(lens, flt), self.outside_line.setText)
        if n == 0 or n > VISITS_COUNTED_UP_TO:
            self.visits_reader.drop()
            self.count_label.setText("Nothing found" if n == 0 else found)
            return

        def in_visits(visits: int) -> None:
            self.count_label.setText(f"{found} in {visits:,} visit{'' if visits == 1 else 's'}")

        self.visits_reader.ask(lambda lens: lens.visits_count(flt), in_visits)

    # --- the results ------------------------------------------------------------------------

    def focus_first(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    focus_find = focus_first  # Ctrl+F: the search words are where a search starts

    def focus_results(self) -> None:
        if self._timer.isActive():
            self.apply()  # Return right after typing: search first, then go down
        if self.model.rowCount() == 0 and self.model.asked == self.model.shown:
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._first_row_chosen()

    def _first_row_chosen(self) -> None:
        """In the list, the first row is chosen once the list has any (also when the
        search it went down to arrives only now)."""
        if self.table.hasFocus() and not self.table.currentIndex().isValid() \
                and self.model.rowCount():
            self.table.selectRow(0)

    def open_row(self, row: int | None = None) -> VisitInContext | None:
        """Open the visit of the current (or given) row, F3 stepping through the list."""
        if row is None:
            row = self.table.currentIndex().row()
        found = self.model.finding(row)
        if found is None:
            return None
        self.table.selectRow(row)
        self.dialog = show_visit(self, self.lens, found, self.step)
        self.dialog.destroyed.connect(lambda _=None: setattr(self, "dialog", None))
        return self.dialog

    def step(self, delta: int) -> Finding | None:
        """Move the list's selection to the next or previous hit and return it."""
        row = self.table.currentIndex().row() + delta
        found = self.model.finding(row)
        if found is not None:
            self.table.selectRow(row)
        return found

    def reload(self) -> None:
        """The archive changed: new filter values, new findings."""
        self.reload_choices()
        self.model.reload()

    # --- export -----------------------------------------------------------------------------

    def csv_export(self) -> CsvJob:
        """What Export list as CSV writes, fixed now, to run on any thread's lens."""
        from voc_desktop.services.archive.exports import export_findings_csv

        flt, order = self.model.filter, self.model.order
        return lambda lens, path: export_findings_csv(lens, flt, order, path)

    def export_csv(self, path: Path | str) -> int:
        return self.csv_export()(self.lens, Path(path))

    def describe(self) -> str:
        return "search results"

