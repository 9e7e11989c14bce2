"""The Patterns page: the heat table, its scope, the trend and the evidence behind a cell."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QColor
from support.archive_ui import settled

from voc_desktop.domain.findings import EVIDENCE_KINDS, FindingFilter, PatternGroup, theme_key
from voc_desktop.ui.archive import pattern_page
from voc_desktop.ui.archive.finding_list import FINDING_ROLE
from voc_desktop.ui.archive.pattern_model import (
    ACCOUNTS,
    CONFIRMED,
    SHARE_ROLE,
    THEME,
    VISITS,
    PatternModel,
)
from voc_desktop.ui.archive.pattern_page import PatternPage
from voc_desktop.ui.archive.trend_chart import TrendChart, axis_top


@pytest.fixture
def page(qtbot, lens):
    """The Patterns page on the sample archive, shown."""
    shown = PatternPage(lens)
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    qtbot.waitExposed(shown)
    settled(qtbot, shown)
    yield shown
    shown.close()


def header(model: PatternModel, column: int) -> str:
    """A column's name, without the unit its cells count (the header's second line)."""
    return str(model.headerData(column, Qt.Orientation.Horizontal)).split("\n")[0]


def column_of(model: PatternModel, label: str) -> int:
    return next(c for c in range(model.columnCount()) if header(model, c) == label)


def row_of(model: PatternModel, theme: str) -> int:
    return next(r for r in range(model.rowCount()) if model.theme(r) == theme)


def test_pattern_model_passes_qtmodeltester(qtbot, qtmodeltester, lens):
    """The pattern model keeps Qt's item model rules for every group and scope."""
    model = PatternModel(lens, FindingFilter(include_outside_icp=False))
    settled(qtbot, model)
    qtmodeltester.check(model)
    for group in PatternGroup:
        model.set_scope(FindingFilter(), group)
        settled(qtbot, model)
        qtmodeltester.check(model)
    model.sort(0)
    settled(qtbot, model)
    qtmodeltester.check(model)


def test_cells_count_accounts_and_shade_in_proportion_to_the_number(qtbot, lens):
    """A cell shows the accounts of its group value that raised the theme, says so in its
    header, and is shaded by its number over the largest: a larger number is never lighter."""
    model = PatternModel(lens, FindingFilter(), PatternGroup.VERTICAL)
    settled(qtbot, model)
    food = column_of(model, "Food manufacturing")
    logistics = column_of(model, "Logistics and warehousing")
    changeover = row_of(model, "changeover")
    assert model.index(changeover, food).data() == "1"
    assert model.index(changeover, logistics).data() == ""  # only the food account raised it
    assert model.index(changeover, food).data(SHARE_ROLE) == 1 / model.most
    assert model.headerData(food, Qt.Orientation.Horizontal).endswith("\naccounts")
    cells = [(int(n), model.index(r, c).data(SHARE_ROLE))
             for r in range(model.rowCount()) for c in range(VISITS + 1, model.columnCount())
             if (n := model.index(r, c).data())]
    assert max(n for n, _ in cells) <= model.most
    for n, shade in cells:
        assert all(shade <= other for m, other in cells if m > n)
    assert isinstance(model.index(changeover, food).data(Qt.ItemDataRole.BackgroundRole),
                      QColor)
    assert model.index(changeover, logistics).data(Qt.ItemDataRole.BackgroundRole) is None
    tip = model.index(changeover, food).data(Qt.ItemDataRole.ToolTipRole)
    assert "1 of 1 account" in tip and "2 visits" in tip


def test_sorting_by_theme_and_visits_happens_in_sql(qtbot, lens):
    """Theme sorts A to Z, Visits most first, as the SQL orders give them."""
    model = PatternModel(lens, FindingFilter())
    model.sort(0)
    settled(qtbot, model)
    themes = [model.theme(r) for r in range(model.rowCount())]
    assert themes == sorted(themes)
    model.sort(VISITS)
    settled(qtbot, model)
    visits = [int(model.index(r, VISITS).data()) for r in range(model.rowCount())]
    assert visits == sorted(visits, reverse=True)


def test_confirmed_accounts_stand_beside_the_raw_counts_and_sort(qtbot, lens):
    """Beside each theme's accounts: at how many a customer confirmed it in the read-back,
    with its share; a click on that header ranks the themes by it, in SQL."""
    model = PatternModel(lens, FindingFilter())
    settled(qtbot, model)
    assert model.headerData(CONFIRMED, Qt.Orientation.Horizontal) == "Confirmed\naccounts"
    rows = {r.theme: r for r in lens.pattern_rows(FindingFilter(), PatternGroup.VERTICAL)}
    assert any(r.confirmed for r in rows.values())
    for r in range(model.rowCount()):
        row = rows[model.theme(r)]
        assert model.index(r, CONFIRMED).data() == \
            f"{row.confirmed} ({row.confirmed / row.accounts:.0%})"
        assert row.confirmed <= row.accounts
    model.sort(CONFIRMED)
    settled(qtbot, model)
    ranked = [rows[model.theme(r)].confirmed for r in range(model.rowCount())]
    assert ranked == sorted(ranked, reverse=True) and ranked[0] > ranked[-1]


def test_outside_profile_accounts_are_left_out_until_ticked(qtbot, page):
    """Counts leave out the account outside the profile unless the box is ticked."""
    model = page.model
    assert not page.outside.isChecked()
    assert page.heading.text() == "Themes in 2 visits at 1 account"
    assert page.outside_line.text() == "1 account outside the profile is left out"
    workaround = row_of(model, "workaround")
    assert model.index(workaround, 1).data() == "1"
    assert model.rowCount() == 17
    qtbot.mouseClick(page.outside, Qt.MouseButton.LeftButton)
    settled(qtbot, page)
    assert page.outside.isChecked()
    assert page.heading.text() == "Themes in 4 visits at 2 accounts"
    assert page.outside_line.text() == ""
    assert model.index(row_of(model, "workaround"), 1).data() == "2"
    assert model.rowCount() == 24


def test_clicking_a_cell_lists_its_evidence(qtbot, page):
    """A click on a group cell lists evidence that all carries that theme and value."""
    page.outside.setChecked(True)
    settled(qtbot, page)
    model, table = page.model, page.table
    cell = model.index(row_of(model, "why us"), column_of(model, "Food manufacturing"))
    table.scrollTo(cell)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(cell).center())
    settled(qtbot, page)
    rows = [page.evidence_model.index(r, 0).data(FINDING_ROLE)
            for r in range(page.evidence_model.rowCount())]
    assert rows, "the cell has evidence behind it"
    for f in rows:
        assert "why us" in {theme_key(t) for t in f.tags}
        assert f.vertical == "Food manufacturing"
        assert f.kind in {str(k) for k in EVIDENCE_KINDS}
    by_kind = {k: n for k, n in page.lens.evidence_kinds(page.evidence_model.filter)}
    assert sum(by_kind.values()) == len(rows)
    assert page.evidence_heading.text().startswith("Evidence: 'why us' in Food manufacturing — ")
    for kind, n in by_kind.items():
        word = {"probe": "why", "observation": "observation"}.get(kind, kind)
        if n:
            assert f"{n} {word}" in page.evidence_heading.text()
    # the theme's own cell shows all its evidence in scope, every vertical
    theme_cell = model.index(row_of(model, "why us"), 0)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(theme_cell).center())
    settled(qtbot, page)
    verticals = {page.evidence_model.index(r, 0).data(FINDING_ROLE).vertical
                 for r in range(page.evidence_model.rowCount())}
    assert verticals == {"Food manufacturing", "Logistics and warehousing"}


def test_role_cells_list_what_that_role_said_and_the_room_is_its_own(qtbot, lens):
    """Grouped by who said it, a role's cell lists only what someone of that role said,
    and the room's cell what was said with no one named."""
    model = PatternModel(lens, FindingFilter(), PatternGroup.ROLE)
    settled(qtbot, model)
    at = column_of(model, "Influencer")
    row = next(r for r in range(model.rowCount()) if model.index(r, at).data())
    flt = model.evidence_filter(model.index(row, at))
    found = lens.find(flt, limit=100)
    assert found and all("influencer" in f.said_by for f in found)
    assert all(model.theme(row) in {theme_key(t) for t in f.tags} for f in found)
    room = column_of(model, "The room")
    row = next(r for r in range(model.rowCount()) if model.index(r, room).data())
    found = lens.find(model.evidence_filter(model.index(row, room)), limit=100)
    assert found and all(f.said_by == () for f in found)


def test_enter_on_a_cell_then_on_evidence_opens_the_visit(qtbot, page, monkeypatch):
    """Enter on a cell moves into its evidence; Enter there opens that finding's visit."""
    opened = []
    monkeypatch.setattr(pattern_page, "open_visit",
                        lambda parent, lens, finding: opened.append(finding) or True)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row_of(page.model, "changeover"), 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    settled(qtbot, page)
    assert page.evidence.hasFocus()
    qtbot.keyClick(page.evidence, Qt.Key.Key_Return)
    settled(qtbot, page)
    assert len(opened) == 1 and "changeover" in opened[0].tags


def test_trend_follows_the_selected_rows(qtbot, page, lens):
    """Selecting two themes draws exactly their quarterly share, as the lens counts it."""
    page.outside.setChecked(True)
    settled(qtbot, page)
    model, selection = page.model, page.table.selectionModel()
    selection.clearSelection()
    for theme in ("changeover", "workaround"):
        selection.select(model.index(row_of(model, theme), 0),
                         QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    settled(qtbot, page)
    series = page.chart.series
    assert sorted(series) == ["changeover", "workaround"]
    assert series == lens.trend(FindingFilter(include_outside_icp=True),
                                ["changeover", "workaround"])
    point = series["changeover"][0]
    assert (point.quarter, point.visits, point.all_visits) == ("2026-Q4", 2, 4)
    assert not page.chart.grab().isNull()
    assert "changeover: 2026-Q4 50% (2 of 4)" in page.chart.toolTip()


def test_trend_chart_draws_many_quarters_and_nothing(qtbot, lens):
    """The chart draws a long series and an empty one without error, with round axes."""
    from voc_desktop.services.archive.workspace import TrendPoint

    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    assert not chart.grab().isNull()
    points = [TrendPoint(f"{2020 + i // 4}-Q{i % 4 + 1}", i, 20) for i in range(24)]
    chart.set_series({"a very long theme name indeed": points, "b": points[::2]})
    assert chart.quarters()[0] == "2020-Q1" and len(chart.quarters()) == 24
    assert not chart.grab().isNull()
    assert axis_top(0.37) == (0.4, 0.1) and axis_top(0.9) == (1.0, 0.2)


def test_theme_field_narrows_to_one_theme(qtbot, page):
    """Typing a theme (any case) and Enter shows only that theme; clearing shows all."""
    page.focus_find()
    assert page.theme_edit.hasFocus()
    qtbot.keyClicks(page.theme_edit, "Why Us")
    qtbot.keyClick(page.theme_edit, Qt.Key.Key_Return)
    settled(qtbot, page)
    assert [page.model.theme(r) for r in range(page.model.rowCount())] == ["why us"]
    page.theme_edit.clear()
    settled(qtbot, page)
    assert page.model.rowCount() == 17


def test_group_and_period_filters_change_the_columns(qtbot, page):
    """Comparing across stages gives a column per stage; a period before any visit, none."""
    page.outside.setChecked(True)
    page.group_combo.setCurrentIndex(page.group_combo.findData(PatternGroup.STAGE.value))
    settled(qtbot, page)
    labels = [header(page.model, c) for c in range(VISITS + 1, page.model.columnCount())]
    assert labels == ["Active", "At risk", "Renewal"]
    qtbot.keyClicks(page.date_to, "2025")
    settled(qtbot, page)
    assert page.model.filter.date_to == "2025-12-31"
    assert page.model.rowCount() == 0
    assert page.heading.text() == "Themes in 0 visits at 0 accounts"


def test_csv_export_writes_every_theme(qtbot, tmp_path, page):
    """The page's CSV holds a line per theme in scope."""
    rows = page.export_csv(tmp_path / "patterns.csv")
    assert rows == page.model.rowCount()
    text = (tmp_path / "patterns.csv").read_text(encoding="utf-8-sig")
    assert "changeover" in text and "Food manufacturing" in text


def test_pattern_report_is_written_in_the_background(qtbot, page, tmp_path, monkeypatch):
    """Ctrl+R asks where, writes the report off the UI thread and offers to open it."""
    from PySide6.QtWidgets import QFileDialog

    offered = {}

    def fake(parent, caption, directory, filters, selected):
        offered.update(directory=directory)
        return str(tmp_path / "patterns.pdf"), selected

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    with qtbot.waitSignal(page.exporter.finished, timeout=30000) as done:
        qtbot.keyClick(page, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        settled(qtbot, page)
    assert done.args == [tmp_path / "patterns.pdf"]
    assert (tmp_path / "patterns.pdf").read_bytes().startswith(b"%PDF-")
    assert offered["directory"].endswith(".pdf")
    box = page.exporter.result_box
    assert box is not None and box.isVisible()
    box.close()


def test_sort_arrows_follow_the_order_shown(qtbot, page):
    """Most accounts first is a descending sort (▼ with the app's style); themes A to Z an
    ascending one (▲)."""
    header = page.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        ACCOUNTS, Qt.SortOrder.DescendingOrder)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + QPoint(header.sectionViewportPosition(THEME)
                                                          + 5, 5))
    # the arrow shows the order asked for at once, and stays once it is read
    assert page.model.asked["order"] == "theme"
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        THEME, Qt.SortOrder.AscendingOrder)
    settled(qtbot, page)
    assert page.model.order == "theme"
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        THEME, Qt.SortOrder.AscendingOrder)
    page.outside.setChecked(True)  # a new scope keeps the arrow as the order is
    settled(qtbot, page)
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        THEME, Qt.SortOrder.AscendingOrder)


def test_rank_by_orders_the_themes_from_the_keyboard_as_the_headers_do(qtbot, page, lens):
    """Alt+R reaches Rank by; 'Most confirmed accounts' ranks the themes as the Confirmed
    header does, with its arrow; a header click shows its order in Rank by."""
    qtbot.keyClick(page, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert page.rank.hasFocus()
    page.rank.setCurrentIndex(page.rank.findText("Most confirmed accounts"))
    settled(qtbot, page)
    assert page.model.order == "confirmed"
    header = page.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        CONFIRMED, Qt.SortOrder.DescendingOrder)
    rows = {r.theme: r for r in lens.pattern_rows(page.model.filter, PatternGroup.VERTICAL)}
    ranked = [rows[page.model.theme(r)].confirmed for r in range(page.model.rowCount())]
    assert ranked == sorted(ranked, reverse=True)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(VISITS) + 5, 5))
    assert page.rank.currentText() == "Most visits"  # at once, while the order is read
    settled(qtbot, page)
    assert page.model.order == "visits" and page.rank.currentText() == "Most visits"
