"""The findings list model over the archive index."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from support.archive_ui import settled

from voc_desktop.domain.findings import FindingFilter, FindingOrder
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.ui.archive import finding_list
from voc_desktop.ui.archive.finding_list import (
    FINDING_ROLE,
    MARKED_ROLE,
    ROUTING_COLUMNS,
    Column,
    FindingsModel,
    FindingTable,
)


def test_model_passes_qtmodeltester(qtbot, qtmodeltester, lens):
    """The findings model keeps Qt's item model rules, with and without a search."""
    model = FindingsModel(lens)
    settled(qtbot, model)
    qtmodeltester.check(model)
    model.set_filter(FindingFilter(query="changeover"))
    settled(qtbot, model)
    qtmodeltester.check(model)


def test_rows_are_counted_in_sql_and_a_later_page_is_read_on_a_worker(qtbot, lens,
                                                                      monkeypatch):
    """Row count comes from SQL; a row past the first page is blank until its page, and only
    that page, has been read on a worker."""
    monkeypatch.setattr(finding_list, "PAGE", 10)
    model = FindingsModel(lens, order=FindingOrder.NEWEST)
    settled(qtbot, model)
    assert model.rowCount() == lens.count(FindingFilter()) > 30
    asked = []
    real = ArchiveWorkspace.find

    def find(self, *args):
        asked.append((args[2:], threading.current_thread()))
        return real(self, *args)

    monkeypatch.setattr(ArchiveWorkspace, "find", find)
    last = model.rowCount() - 1
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        assert model.index(last, 0).data(FINDING_ROLE) is None
    f = model.index(last, 0).data(FINDING_ROLE)
    assert f == real(lens, FindingFilter(), FindingOrder.NEWEST, last, 1)[0]
    assert [page for page, _ in asked] == [((last // 10) * 10, 10)]
    assert asked[0][1] is not threading.main_thread()


def test_search_marks_hits_in_the_text_column(qtbot, lens):
    """A search shows a snippet with the search word in bold."""
    model = FindingsModel(lens, flt=FindingFilter(query="changeover"))
    settled(qtbot, model)
    text_at = model.columns.index(Column.TEXT)
    marked = model.index(0, text_at).data(MARKED_ROLE)
    assert "<b" in marked and "changeover" in marked.lower()


def test_header_click_sorts_in_sql(qtbot, lens):
    """Clicking Date sorts oldest first, clicking again newest first."""
    model = FindingsModel(lens)
    settled(qtbot, model)
    table = FindingTable(model)
    qtbot.addWidget(table)
    date_at = model.columns.index(Column.DATE)
    table.sortByColumn(date_at, Qt.SortOrder.AscendingOrder)
    settled(qtbot, model)
    dates = [model.index(r, date_at).data() for r in range(model.rowCount())]
    assert dates == sorted(dates)
    table.sortByColumn(date_at, Qt.SortOrder.DescendingOrder)
    settled(qtbot, model)
    dates = [model.index(r, date_at).data() for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_routing_columns_show_team_and_status(qtbot, lens):
    """The routing list shows each action item's team and open/done status."""
    model = FindingsModel(lens, ROUTING_COLUMNS, FindingFilter(kinds=("action",)),
                          FindingOrder.TEAM)
    settled(qtbot, model)
    at = ROUTING_COLUMNS.index(Column.STATUS)
    rows = [(model.index(r, 0).data(), model.index(r, at).data())
            for r in range(model.rowCount())]
    assert ("Sales", "Open") in rows and any(status == "Done" for _, status in rows)
    assert len(rows) == 13
