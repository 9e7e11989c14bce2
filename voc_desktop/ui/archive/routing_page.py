"""The Routing page: what each team is asked to do and learn, across all visits.

Action items name their team; key learnings go to the team that acts on the part of the
customer's world their question was about. A team's list, filtered by status and period,
and its digest as a Word or PDF file to send on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.findings import TEAM_FOR_BUCKET, FindingFilter, FindingKind, FindingOrder
from voc_desktop.domain.visit import Team
from voc_desktop.services.archive.act_on import act_on
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.ui.archive.act_on_view import ActOnView, act_on_html
from voc_desktop.ui.archive.finding_detail import list_with_detail
from voc_desktop.ui.archive.finding_list import ROUTING_COLUMNS, Column, FindingsModel, FindingTable
from voc_desktop.ui.archive.lens_reader import LensReader
from voc_desktop.ui.archive.page_export import CsvJob, PageExport
from voc_desktop.ui.archive.scope_bar import (
    FIND,
    TEAM_DIGEST,
    PeriodField,
    body_metrics,
    open_visit,
    page_shortcut,
    plural,
)
from voc_desktop.ui.common.look import HINT_STYLE, apply_readable_style, heading_label, text_label
from voc_desktop.ui.common.shortcuts import tip

ACTIONS, LEARNINGS = (FindingKind.ACTION.value,), (FindingKind.LEARNING.value,)
KINDS = (("Action items", ACTIONS), ("Key learnings", LEARNINGS),
         ("Action items and learnings", ACTIONS + LEARNINGS))
_ACTION_STATUSES = (("Open", ("open",)), ("Done", ("done",)))
_LEARNING_STATUSES = (("Confirmed", ("confirmed",)), ("Corrected", ("corrected",)),
                      ("Rejected", ("rejected",)), ("Not read back", ("pending",)))
# what each side column holds at its widest (an account name wraps onto a second line)
_WIDEST = {Column.TEAM: "Customer service", Column.KIND: "Key learning",
           Column.STATUS: "Not read back", Column.DUE: "2026-12-05 · overdue",
           Column.ACCOUNT: "Halvorsen Food Pack", Column.DATE: "2026-09-30"}
ANY_STATUS = ("Any status", ())


def statuses_for(kinds: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The status choices that make sense for the kinds shown, the usual one first."""
    if kinds == ACTIONS:
        return [*_ACTION_STATUSES, ANY_STATUS]
    if kinds == LEARNINGS:
        return [ANY_STATUS, *_LEARNING_STATUSES]
    return [ANY_STATUS, *_ACTION_STATUSES, *_LEARNING_STATUSES]


def routing_hint() -> str:
    by_team: dict[Team, list[str]] = defaultdict(list)
    for bucket, team in TEAM_FOR_BUCKET.items():
        by_team[team].append(bucket.label)
    routes = "; ".join(f"{' and '.join(b)} → {team.label}" for team, b in by_team.items())
    return ("Action items name their own team. Key learnings go to the team of the part of "
            f"the guide their question came from: {routes}.")


def team_counts(lens: ArchiveWorkspace, period: FindingFilter,
                team: str) -> tuple[int, int, int]:
    """(open action items, done action items, key learnings) of a team ('' for all)."""
    teams = (team,) if team else ()
    opened, done = (lens.count(replace(period, teams=teams, kinds=ACTIONS, statuses=(s,)))
                    for s in ("open", "done"))
    return opened, done, lens.count(replace(period, teams=teams, kinds=LEARNINGS))


class RoutingPage(QWidget):
    """Action items and learnings by owner team, with a digest per team."""

    def __init__(self, lens: ArchiveWorkspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lens = lens
        apply_readable_style(self)
        self.exporter = PageExport(lens, self, "Team digest")
        # the teams' counts and what to act on are each read on a worker of their own
        self.teams_reader, self.act_reader = LensReader(lens, self), LensReader(lens, self)
        self._count_words: Callable[[int], str] = str
        self._build()
        self.model = FindingsModel(lens, ROUTING_COLUMNS, self.routing_filter(),
                                   FindingOrder.TEAM, parent=self)
        self.model.loaded.connect(
            lambda: self.count_line.setText(self._count_words(self.model.rowCount())))
        self.table = FindingTable(self.model)
        self.table.activated.connect(self.open_visit_at)
        # the list, or what to act on: themes ranked by the accounts that raised them
        self.act_view = ActOnView()
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        listed, self.detail = list_with_detail(self.table, lines=3)
        self.views.addTab(listed, "&List")
        self.views.addTab(self.act_view, "&Act on this")
        self.views.currentChanged.connect(lambda _=0: self._show_act_on())
        self.right.addWidget(self.views, 1)
        # side columns as wide as what they hold, so the words keep the room on a laptop
        metrics = body_metrics(self)
        for column, sample in _WIDEST.items():
            self.table.setColumnWidth(ROUTING_COLUMNS.index(column),
                                      metrics.horizontalAdvance(sample) + 16)
        page_shortcut(self, TEAM_DIGEST, self.team_digest)
        self._connect()
        self._team_changed()

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        em = body_metrics(self).horizontalAdvance("m")
        self.digest_button = QPushButton("Team &digest…")
        self.digest_button.clicked.connect(self.team_digest)
        top = QHBoxLayout()
        top.addWidget(heading_label("Action items and learnings by team", "$heading"), 1)
        top.addWidget(self.digest_button)

        self.teams = QListWidget()
        self.teams.setFixedWidth(17 * em)
        self.teams.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.teams.setSpacing(2)
        for value, label in (("", "All teams"), *((t.value, t.label) for t in Team)):
            item = QListWidgetItem(f"{label}\ncounting…\n")  # three lines, as once counted
            item.setData(Qt.ItemDataRole.UserRole, value)
            self.teams.addItem(item)
        self.teams.setCurrentRow(0)
        self.teams.setToolTip("Up and Down choose a team")

        self.kind = QComboBox()
        for label, kinds in KINDS:
            self.kind.addItem(label, kinds)
        self.status = QComboBox()
        self._fill_statuses()
        self.date_from, self.date_to = PeriodField(end=False), PeriodField(end=True)
        self.words = QLineEdit()
        self.words.setPlaceholderText("words in the text")
        self.words.setClearButtonEnabled(True)
        self.words.setToolTip(tip("Only items with these words", FIND))
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(250)
        filters = QHBoxLayout()
        for text, widget in (("S&how", self.kind), ("Stat&us", self.status),
                             ("Fro&m", self.date_from), ("U&ntil", self.date_to),
                             ("&Words", self.words)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 1 if widget is self.words else 0)
            filters.addSpacing(6)
        self.count_line = text_label("", "font-weight: 600;")

        self.right = QVBoxLayout()
        self.right.addLayout(filters)
        self.right.addWidget(self.count_line)
        body = QHBoxLayout()
        body.addWidget(self.teams)
        body.addLayout(self.right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(text_label(routing_hint(), HINT_STYLE))
        layout.addLayout(body, 1)

    def _connect(self) -> None:
        self.teams.currentRowChanged.connect(lambda _=0: self._team_changed())
        self.kind.currentIndexChanged.connect(lambda _=0: self._kind_changed())
        self.status.currentIndexChanged.connect(lambda _=0: self.refresh())
        self.date_from.changed.connect(self.refresh)
        self.date_to.changed.connect(self.refresh)
        self._typing.timeout.connect(self.refresh)
        self.words.textChanged.connect(lambda _text: self._typing.start())

    def _fill_statuses(self) -> None:
        kept = self.status.currentText()
        self.status.blockSignals(True)
        self.status.clear()
        for label, statuses in statuses_for(self.kinds()):
            self.status.addItem(label, statuses)
        at = self.status.findText(kept) if kept else -1
        self.status.setCurrentIndex(max(at, 0))
        self.status.blockSignals(False)

    # --- what is shown ------------------------------------------------------------------------

    def team(self) -> str:
        item = self.teams.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def kinds(self) -> tuple[str, ...]:
        return self.kind.currentData() or ACTIONS

    def choose(self, team: str | None = None, kinds: tuple[str, ...] | None = None,
               status: str | None = None) -> None:
        """Pick a team (value, '' for all), kinds and a status label, as a person would."""
        if kinds is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(kinds), 0))
        if status is not None:
            self.status.setCurrentIndex(max(self.status.findText(status), 0))
        if team is not None:
            row = next(i for i in range(self.teams.count())
                       if self.teams.item(i).data(Qt.ItemDataRole.UserRole) == team)
            self.teams.setCurrentRow(row)

    def period_filter(self) -> FindingFilter:
        return FindingFilter(query=self.words.text(), date_from=self.date_from.iso(),
                             date_to=self.date_to.iso())

    def routing_filter(self) -> FindingFilter:
        team = self.team()
        return replace(self.period_filter(), kinds=self.kinds(),
                       statuses=self.status.currentData() or (),
                       teams=(team,) if team else ())

    def refresh(self) -> None:
        self._typing.stop()
        self.model.set_filter(self.routing_filter())
        # a column that says the same on every row only takes room from the text
        self.table.setColumnHidden(ROUTING_COLUMNS.index(Column.TEAM), bool(self.team()))
        self.table.setColumnHidden(ROUTING_COLUMNS.index(Column.KIND), len(self.kinds()) == 1)
        self.table.setColumnHidden(ROUTING_COLUMNS.index(Column.STATUS),
                                   len(self.status.currentData() or ()) == 1)
        self._count_teams()
        one = {ACTIONS: "action item", LEARNINGS: "key learning"}.get(
            self.kinds(), "action item or learning")
        many = "action items and learnings" if one.endswith("or learning") else one + "s"
        status = self.status.currentText()
        status = "" if status == ANY_STATUS[0] else status.lower() + " "
        where = Team(self.team()).label if self.team() else "all teams"
        # said once the list is read
        self._count_words = lambda n: f"{n:,} {status}{one if n == 1 else many} for {where}"
        self._show_act_on()
        self.digest_button.setEnabled(bool(self.team()))
        self.digest_button.setToolTip(
            tip("Write this team's digest for the period as a PDF or Word file", TEAM_DIGEST)
            if self.team() else "Choose a team on the left first")

    def act_filter(self) -> FindingFilter:
        """The team (or all), period and words the ranking follows."""
        team = self.team()
        return replace(self.period_filter(), teams=(team,) if team else ())

    def _show_act_on(self) -> None:
        # read only while shown: the list is what most people look at
        if self.views.currentWidget() is self.act_view:
            flt = self.act_filter()
            self.act_reader.ask(lambda lens: act_on_html(act_on(lens, flt)),
                                self.act_view.show_html)

    def _count_teams(self) -> None:
        """Open and done action items and learnings per team, in the period."""
        base = self.period_filter()
        values = [self.teams.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.teams.count())]
        self.teams_reader.ask(lambda lens: [team_counts(lens, base, v) for v in values],
                              self._show_team_counts)

    def _show_team_counts(self, counts: list[tuple[int, int, int]]) -> None:
        for i, (opened, done, learned) in enumerate(counts):
            item = self.teams.item(i)
            value = item.data(Qt.ItemDataRole.UserRole)
            name = "All teams" if not value else Team(value).label
            item.setText(f"{name}\n{opened:,} open · {done:,} done\n"
                         f"{plural(learned, 'learning')}")
            item.setToolTip(f"{name}: {opened:,} open and {done:,} done action "
                            f"items, {plural(learned, 'key learning')} in the period")

    def _team_changed(self) -> None:
        # one team's list reads best by due date, all teams' by team; the header shows it
        # and sorts the model in SQL
        column = Column.DUE if self.team() else Column.TEAM
        self.refresh()
        self.table.sortByColumn(ROUTING_COLUMNS.index(column), Qt.SortOrder.AscendingOrder)

    def _kind_changed(self) -> None:
        self._fill_statuses()
        self.refresh()

    def reload(self) -> None:
        self.refresh()

    def focus_first(self) -> None:
        self.teams.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_find(self) -> None:
        self.words.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.words.selectAll()

    def open_visit_at(self, _index=None) -> None:
        open_visit(self, self.lens, self.table.current_finding())

    # --- exports --------------------------------------------------------------------------

    def csv_export(self) -> CsvJob:
        """The list as it stands as CSV, fixed now, to write with any thread's lens."""
        from voc_desktop.services.archive.exports import export_findings_csv

        flt, order = self.model.filter, self.model.order
        return lambda lens, path: export_findings_csv(lens, flt, order, Path(path))

    def export_csv(self, path: Path) -> int:
        return self.csv_export()(self.lens, Path(path))

    def team_digest(self, path: Path | None = None) -> bool:
        """Ask where, then write the chosen team's digest for the period in the background."""
        team = self.team()
        if not team:
            return False
        from voc_desktop.services.archive import reports as archive_reports

        date_from, date_to = self.date_from.iso(), self.date_to.iso()
        shown = self.routing_filter()  # the digest holds what the list shows
        path = path or self.exporter.ask_save_path(
            lambda fmt: archive_reports.digest_name(team, date_from, date_to, fmt))
        if path is None:
            return False
        return self.exporter.run(path, lambda lens, progress, cancelled:
                                 archive_reports.export_team_digest(
                                     lens, team, date_from, date_to, path, shown=shown,
                                     progress=progress, cancelled=cancelled))
