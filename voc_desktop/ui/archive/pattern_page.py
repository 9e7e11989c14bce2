"""The Patterns page: which themes come up across many visits, and where.

A heat table of themes against a group (vertical, segment, role or lifecycle stage), the
trend of the selected themes per quarter, and the evidence behind any cell: the quotes,
answers and observations a person can read and open in their visit. Accounts outside the
ideal customer profile stay out of the counts unless asked for."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.accounts import LifecycleStage, Role
from voc_desktop.domain.findings import (
    ROOM_ROLE,
    FindingFilter,
    FindingOrder,
    PatternGroup,
    theme_key,
)
from voc_desktop.domain.visit import ROOM
from voc_desktop.services.archive.workspace import ArchiveWorkspace, Choice, FilterChoices
from voc_desktop.ui.archive.finding_detail import FindingDetail, follow
from voc_desktop.ui.archive.finding_list import (
    EVIDENCE_COLUMNS,
    Column,
    FindingsModel,
    FindingTable,
)
from voc_desktop.ui.archive.lens_reader import LensReader
from voc_desktop.ui.archive.page_export import CsvJob, PageExport
from voc_desktop.ui.archive.pattern_model import (
    ACCOUNTS,
    CONFIRMED,
    THEME,
    VISITS,
    HeatDelegate,
    PatternModel,
    heat,
)
from voc_desktop.ui.archive.scope_bar import (
    FIND,
    PATTERN_REPORT,
    ChoiceCombo,
    PeriodField,
    body_metrics,
    open_visit,
    outside_checkbox,
    outside_note,
    page_shortcut,
    plural,
)
from voc_desktop.ui.archive.trend_chart import SERIES_SHOWN, TrendChart
from voc_desktop.ui.common.flow_layout import flow_row
from voc_desktop.ui.common.look import HINT_STYLE, apply_readable_style, heading_label, text_label
from voc_desktop.ui.common.shortcuts import tip
from voc_desktop.ui.common.theme import colour, styled

_NOTHING = FindingFilter(visit_id="-")  # the evidence list before a cell is chosen
RANKS = (("Most accounts", "accounts"), ("Most confirmed accounts", "confirmed"),
         ("Most visits", "visits"), ("Theme A to Z", "theme"))
_ORDER_COLUMN = {"theme": THEME, "accounts": ACCOUNTS, "confirmed": CONFIRMED,
                 "visits": VISITS}


def legend_html(most: int) -> str:
    """What a cell counts and what its shade means, with swatches from 1 to the most."""
    if not most:
        return ""
    steps = sorted({1, (most + 1) // 2, most})
    swatches = " ".join(
        f"<span style='background-color:{heat(n / most).name()}; color:"
        f"{colour('on_accent' if n / most > 0.55 else 'text')}'>&nbsp;{n}&nbsp;</span>"
        for n in steps)
    return (f"Cells: accounts that raised the theme, shaded by number {swatches}"
            f" &nbsp;Confirmed: where a customer confirmed it in the read-back.")


def evidence_count(kinds: list[tuple[str, int]]) -> str:
    """'3 quotes, 5 answers, 1 why, 2 observations' — what the evidence holds, by kind."""
    words = {"quote": ("quote", "quotes"), "answer": ("answer", "answers"),
             "probe": ("why", "whys"), "observation": ("observation", "observations"),
             "attachment": ("photo or file", "photos or files")}
    parts = [f"{n:,} {words.get(k, (k, k))[n != 1]}" for k, n in kinds if n]
    return ", ".join(parts) or "nothing recorded"


def _pair(text: str, buddy: QWidget) -> QWidget:
    """A filter's label and field, kept together when the row wraps."""
    pair = QWidget()
    box = QHBoxLayout(pair)
    box.setContentsMargins(0, 0, 6, 0)
    box.addWidget(_label(text, buddy))
    box.addWidget(buddy)
    return pair


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class PatternPage(QWidget):
    """Themes across visits as a heat table, their trend, and the evidence behind a cell."""

    def __init__(self, lens: ArchiveWorkspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lens = lens
        apply_readable_style(self)
        self.exporter = PageExport(lens, self, "Pattern report")
        self.evidence_cell: tuple[str, str | None] | None = None  # (theme, group value)
        # each thing the page shows beside its two lists is read on a worker of its own
        self.choices_reader, self.outside_reader = LensReader(lens, self), LensReader(lens, self)
        self.trend_reader, self.kinds_reader = LensReader(lens, self), LensReader(lens, self)
        self._build()
        self.model = PatternModel(lens, self.scope_filter(), self.group(), parent=self)
        self.model.loaded.connect(self._shown)
        self.table.setModel(self.model)
        self.table.setItemDelegate(HeatDelegate(self.table))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_trend())
        # best match first, as the evidence table has always shown it
        self.evidence_model = FindingsModel(lens, EVIDENCE_COLUMNS, _NOTHING,
                                            FindingOrder.RELEVANCE, parent=self)
        self._into_evidence = False  # Enter on a cell: into its evidence once read
        self.evidence_model.loaded.connect(self._go_into_evidence)
        self.evidence = FindingTable(self.evidence_model)
        self.evidence.activated.connect(self.open_evidence)
        self.evidence_box.addWidget(self.evidence, 1)
        follow(self.evidence, self.evidence_detail)
        em = body_metrics(self).horizontalAdvance("m")
        # narrow side columns: the words themselves get the room to be read
        for column, width in ((Column.DATE, 7), (Column.ACCOUNT, 8), (Column.VERTICAL, 8),
                              (Column.KIND, 5), (Column.WHO, 8), (Column.READ_BACK, 6)):
            self.evidence.setColumnWidth(EVIDENCE_COLUMNS.index(column), width * em)
        page_shortcut(self, PATTERN_REPORT, self.pattern_report)
        self._connect()
        self._read_choices()
        self.refresh()

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = heading_label("", "$heading")
        self.report_button = QPushButton("&Pattern report…")
        self.report_button.setToolTip(tip("Write the themes in this scope as a PDF or Word "
                                          "report", PATTERN_REPORT))
        self.report_button.clicked.connect(self.pattern_report)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.report_button)

        self.group_combo = ChoiceCombo("", ())
        self.group_combo.clear()
        for g in PatternGroup:
            self.group_combo.addItem(g.label, g.value)
        self.group_combo.setToolTip("What the columns compare the themes across")
        # the order the headers give, from the keyboard too
        self.rank = ChoiceCombo("", ())
        self.rank.clear()
        for label, order in RANKS:
            self.rank.addItem(label, order)
        self.rank.setToolTip("The order of the themes; a click on a column's header gives "
                             "it too")
        self.vertical = ChoiceCombo("Any vertical")  # the archive's values come from a worker
        self.segment = ChoiceCombo("Any segment")
        self.stage = ChoiceCombo("Any stage",
                                 [Choice(s.value, s.label) for s in LifecycleStage])
        # who said it, with the room (no one named) as its own choice
        self.role = ChoiceCombo("Anyone", [*(Choice(r.value, r.label) for r in Role),
                                           Choice(ROOM_ROLE, ROOM)])
        self.role.setToolTip("Only themes someone of this role said; the room: said with no "
                             "one named")
        self.date_from, self.date_to = PeriodField(end=False), PeriodField(end=True)
        self.theme_edit = QLineEdit()
        self.theme_edit.setPlaceholderText("all themes")
        self.theme_edit.setClearButtonEnabled(True)
        self.theme_edit.setToolTip(tip("Show one theme only: type it and press Enter",
                                       FIND))
        self.completer = QCompleter([], self.theme_edit)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.theme_edit.setCompleter(self.completer)
        self.outside = outside_checkbox()
        self.outside_line = QLabel()
        styled(self.outside_line, HINT_STYLE)

        # the filters wrap on a small screen rather than widen the window past it
        filters = flow_row(*(_pair(text, widget) for text, widget in (
            ("&Compare across", self.group_combo), ("&Vertical", self.vertical),
            ("&Segment", self.segment), ("Sta&ge", self.stage), ("Sai&d by", self.role),
            ("Fro&m", self.date_from), ("&Until", self.date_to),
            ("Th&eme", self.theme_edit), ("&Rank by", self.rank))), self.outside,
            self.outside_line)

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(True)
        self.table.setToolTip("Click a cell, or press Enter on it, for the evidence behind it."
                              " Select several rows to compare their trends.")
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.sectionClicked.connect(self._sort_by)
        self.legend = QLabel()
        self.legend.setObjectName("heatLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.chart = TrendChart()
        self.evidence_heading = text_label("", "font-weight: 600;")
        evidence_panel = QWidget()
        self.evidence_box = QVBoxLayout(evidence_panel)
        self.evidence_box.setContentsMargins(0, 4, 0, 0)
        self.evidence_box.addWidget(self.evidence_heading)
        # the chosen evidence in full beside the list, so the list keeps its rows; the
        # trend below it
        self.evidence_detail = FindingDetail()
        self.evidence_detail.setPlaceholderText("Choose a row of the evidence to read the "
                                                "whole of it here.")
        self.evidence_detail.setMinimumHeight(body_metrics(self).lineSpacing() * 2 + 12)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.evidence_detail)
        side.addWidget(self.chart)
        side.setSizes([200, 140])
        side.setStretchFactor(0, 1)
        side.setStretchFactor(1, 0)
        # the heat table gets the whole width: a column per vertical adds up quickly
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(evidence_panel)
        lower.addWidget(side)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 1)
        lower.setSizes([900, 330])
        upper = QWidget()
        upper_box = QVBoxLayout(upper)
        upper_box.setContentsMargins(0, 0, 0, 0)
        upper_box.setSpacing(2)
        upper_box.addWidget(self.legend)
        upper_box.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 300])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(filters)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        for combo in (self.vertical, self.segment, self.stage, self.role, self.group_combo):
            combo.currentIndexChanged.connect(lambda _=0: self.refresh())
        self.rank.currentIndexChanged.connect(lambda _=0: self._rank_chosen())
        self.date_from.changed.connect(self.refresh)
        self.date_to.changed.connect(self.refresh)
        self.outside.toggled.connect(lambda _=False: self.refresh())
        self.theme_edit.returnPressed.connect(self.refresh)
        self.completer.activated.connect(lambda _text: self.refresh())
        self.theme_edit.textChanged.connect(lambda text: text or self.refresh())
        self.table.clicked.connect(self.show_evidence)
        self.table.activated.connect(self._evidence_by_key)

    # --- what is shown ------------------------------------------------------------------------

    def group(self) -> PatternGroup:
        return PatternGroup(self.group_combo.currentData() or PatternGroup.VERTICAL.value)

    def scope_filter(self) -> FindingFilter:
        theme = theme_key(self.theme_edit.text())
        return FindingFilter(
            verticals=self.vertical.values(), segments=self.segment.values(),
            stages=self.stage.values(), said_by=self.role.values(),
            tags=(theme,) if theme else (), date_from=self.date_from.iso(),
            date_to=self.date_to.iso(), include_outside_icp=self.outside.isChecked())

    def refresh(self) -> None:
        """Counts, columns, trend and evidence for the scope the filters describe, read on
        workers; what is shown stays until they arrive."""
        flt = self.scope_filter()
        self.model.set_scope(flt, self.group())
        self._read_outside(flt)

    def _read_outside(self, flt: FindingFilter) -> None:
        self.outside_reader.ask(lambda lens: outside_note(lens, flt), self.outside_line.setText)

    def _shown(self) -> None:
        """The model shows a new scope: everything around the table follows it."""
        accounts, visits = self.model.scope
        self.heading.setText(f"Themes in {plural(visits, 'visit')} at "
                             f"{plural(accounts, 'account')}")
        self.legend.setText(legend_html(self.model.most))
        self._size_columns()
        self._show_sort()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, THEME))
        self._update_trend()
        self._update_evidence()

    def reload(self) -> None:
        """After new visits came in: new filter values and themes, then everything anew."""
        self._read_choices()
        self.model.reload()
        self._read_outside(self.model.asked["filter"])

    def _read_choices(self) -> None:
        def show(read: tuple[FilterChoices, list[str]]) -> None:
            choices, themes = read
            self.vertical.set_choices(choices.verticals)
            self.segment.set_choices(choices.segments)
            self.completer.model().setStringList(themes)

        self.choices_reader.ask(lambda lens: (lens.choices(), [t for t, _ in lens.themes()]),
                                show)

    def focus_first(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, THEME))

    def focus_find(self) -> None:
        self.theme_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.theme_edit.selectAll()

    def _size_columns(self) -> None:
        metrics = body_metrics(self)
        em = metrics.horizontalAdvance("m")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(THEME, 16 * em)
        for column in range(1, self.model.columnCount()):
            label = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = metrics.horizontalAdvance(label) + 3 * em
            self.table.setColumnWidth(column, max(6 * em, min(width, 22 * em)))

    def _sort_by(self, column: int) -> None:
        if self.model.sortable(column):
            self.model.sort(column)
        self._show_sort()

    def _rank_chosen(self) -> None:
        self._sort_by(_ORDER_COLUMN[self.rank.currentData() or "accounts"])

    def _show_sort(self) -> None:
        """The arrow on the sorted column (up for themes A to Z, down for most first), and
        the same order in Rank by: the order asked for, shown at once while it is read."""
        by = self.model.asked["order"]
        order = Qt.SortOrder.AscendingOrder if by == "theme" else Qt.SortOrder.DescendingOrder
        self.table.horizontalHeader().setSortIndicator(_ORDER_COLUMN[by], order)
        self.rank.blockSignals(True)
        self.rank.setCurrentIndex(max(self.rank.findData(by), 0))
        self.rank.blockSignals(False)

    # --- trend ----------------------------------------------------------------------------

    def selected_themes(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        themes = [t for r in rows if (t := self.model.theme(r))]
        return themes[:SERIES_SHOWN]

    def _update_trend(self) -> None:
        themes = self.selected_themes() or [
            t for r in range(min(3, self.model.rowCount())) if (t := self.model.theme(r))]
        if not themes:
            self.trend_reader.drop()
            self.chart.set_series({})
            return
        flt = self.model.filter
        self.trend_reader.ask(lambda lens: lens.trend(flt, themes), self.chart.set_series)

    # --- evidence -------------------------------------------------------------------------

    def show_evidence(self, index) -> None:
        """The quotes, answers, probes and observations behind a cell."""
        theme = self.model.theme(index.row())
        if theme is None:
            return
        value = self.model.value_at(index.column())
        self.evidence_cell = (theme, value.value if value else None)
        self._update_evidence()

    def _evidence_by_key(self, index) -> None:
        self.show_evidence(index)
        model = self.evidence_model
        if model.asked != model.shown:
            self._into_evidence = True  # go in once it is read
        else:
            self._go_into_evidence(now=True)

    def _go_into_evidence(self, now: bool = False) -> None:
        if not (now or self._into_evidence):
            return
        self._into_evidence = False
        if self.evidence_model.rowCount():
            self.evidence.setFocus(Qt.FocusReason.OtherFocusReason)
            self.evidence.setCurrentIndex(self.evidence_model.index(0, 0))

    def _update_evidence(self) -> None:
        flt, what = self._evidence_filter()
        if flt is None:
            self.kinds_reader.drop()
            self.evidence_model.set_filter(_NOTHING)
            self.evidence_heading.setText("Evidence: click a cell, or press Enter on it, to "
                                          "read what lies behind it")
            return
        self.evidence_model.set_filter(flt)
        # one vertical for every row says nothing the heading does not, and on a small
        # screen the words need the room more than the vertical does
        self.evidence.setColumnHidden(EVIDENCE_COLUMNS.index(Column.VERTICAL),
                                      len(flt.verticals) == 1 or self.width() < 1200)
        self.kinds_reader.ask(lambda lens: lens.evidence_kinds(flt), lambda kinds:
                              self.evidence_heading.setText(f"Evidence: {what} — "
                                                            f"{evidence_count(kinds)}"))

    def _evidence_filter(self) -> tuple[FindingFilter | None, str]:
        if self.evidence_cell is None:
            return None, ""
        theme, value = self.evidence_cell
        choice = self.model.choice(value) if value is not None else None
        if choice is None:  # the theme's evidence, also when the value left the scope
            return self.model.theme_filter(theme), f"'{theme}'"
        return self.model.theme_filter(theme, value), f"'{theme}' in {choice.label}"

    def open_evidence(self, _index=None) -> None:
        open_visit(self, self.lens, self.evidence.current_finding())

    # --- exports --------------------------------------------------------------------------

    def csv_export(self) -> CsvJob:
        """The pattern table as it stands (every theme in scope) as CSV, fixed now, to write
        with any thread's lens."""
        from voc_desktop.services.archive.exports import export_patterns_csv

        flt, group = self.model.filter, self.model.group
        return lambda lens, path: export_patterns_csv(lens, flt, group, Path(path))

    def export_csv(self, path: Path) -> int:
        return self.csv_export()(self.lens, Path(path))

    def pattern_report(self, path: Path | None = None) -> bool:
        """Ask where, then write the pattern report for this scope in the background."""
        from voc_desktop.services.archive import reports as archive_reports

        flt, group = self.model.filter, self.model.group
        path = path or self.exporter.ask_save_path(
            lambda fmt: archive_reports.pattern_report_name(flt, fmt))
        if path is None:
            return False
        return self.exporter.run(path, lambda lens, progress, cancelled:
                                 archive_reports.export_pattern_report(
                                     lens, flt, group, path, progress=progress,
                                     cancelled=cancelled))
