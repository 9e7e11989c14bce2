"""The findings list model over the archive index."""

from __future__ import annotations

from PySide6.QtCore import Qt

from voc_desktop.domain.findings import FindingFilter, FindingOrder
from voc_desktop.ui.archive import finding_list
from voc_desktop.ui.archive.finding_list import (
    FINDING_ROLE,
    MARKED_ROLE,
    ROUTING_COLUMNS,
    Column,
    FindingsModel,
    FindingTable,
)


def test_model_passes_qtmodeltester(qtmodeltester, lens):
    """The findings model keeps Qt's item model rules, with and without a search."""
    model = FindingsModel(lens)
    qtmodeltester.check(model)
    model.set_filter(FindingFilter(query="changeover"))
    qtmodeltester.check(model)


def test_rows_are_counted_and_paged_in_sql(lens, monkeypatch):
    """Row count comes from SQL and only the page a view asks for is read."""
    monkeypatch.setattr(finding_list, "PAGE", 10)
    model = FindingsModel(lens, order=FindingOrder.NEWEST)
    assert model.rowCount() == lens.count(FindingFilter()) > 30
    asked = []
    real = lens.find
    monkeypatch.setattr(lens, "find", lambda *a: asked.append(a[2:]) or real(*a))
    last = model.rowCount() - 1
    f = model.index(last, 0).data(FINDING_ROLE)
    assert f == real(FindingFilter(), FindingOrder.NEWEST, last, 1)[0]
    assert asked == [((last // 10) * 10, 10)]


def test_search_marks_hits_in_the_text_column(lens):
    """A search shows a snippet with the search word in bold."""
    model = FindingsModel(lens, flt=FindingFilter(query="changeover"))
    text_at = model.columns.index(Column.TEXT)
    marked = model.index(0, text_at).data(MARKED_ROLE)
    assert "<b" in marked and "changeover" in marked.lower()


def test_header_click_sorts_in_sql(qtbot, lens):
    """Clicking Date sorts oldest first, clicking again newest first."""
    model = FindingsModel(lens)
    table = FindingTable(model)
    qtbot.addWidget(table)
    date_at = model.columns.index(Column.DATE)
    table.sortByColumn(date_at, Qt.SortOrder.AscendingOrder)
    dates = [model.index(r, date_at).data() for r in range(model.rowCount())]
    assert dates == sorted(dates)
    table.sortByColumn(date_at, Qt.SortOrder.DescendingOrder)
    dates = [model.index(r, date_at).data() for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_routing_columns_show_team_and_status(lens):
    """The routing list shows each action item's team and open/done status."""
    model = FindingsModel(lens, ROUTING_COLUMNS, FindingFilter(kinds=("action",)),
                          FindingOrder.TEAM)
    at = ROUTING_COLUMNS.index(Column.STATUS)
    rows = [(model.index(r, 0).data(), model.index(r, at).data())
            for r in range(model.rowCount())]
    assert ("Sales", "Open") in rows and any(status == "Done" for _, status in rows)
    assert len(rows) == 13
