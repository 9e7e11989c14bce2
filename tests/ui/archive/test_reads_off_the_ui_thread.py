"""The archive window never waits on the index: every page reads on workers, keeps what it
shows until the new answer arrives, drops answers overtaken by newer ones, and closes safely
while a read still runs."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support.archive_ui import settled, shown

from voc_desktop.domain.findings import FindingFilter
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.ui.archive.lens_reader import LensReader
from voc_desktop.ui.archive.pattern_page import PatternPage
from voc_desktop.ui.archive.routing_page import RoutingPage
from voc_desktop.ui.archive.search_page import SearchPage
from voc_desktop.ui.archive.triangulation_page import TriangulationPage
from voc_desktop.ui.archive.window import ArchiveWindow

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def traced(lens):
    """Every statement the window's own lens runs, with the thread that ran it."""
    ran: list[tuple[threading.Thread, str]] = []
    lens.archive.index.conn.set_trace_callback(
        lambda sql: ran.append((threading.current_thread(), sql)))
    return ran


def _opened(qtbot, lens) -> ArchiveWindow:
    window = ArchiveWindow(lens)
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        shown(qtbot, window)
    return settled(qtbot, window)


def _back_to(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_no_page_queries_the_index_on_the_ui_thread(qtbot, lens, traced, tmp_path):
    """Opening, searching as one types, each tab, its filters, a CSV export and opening a
    visit: the UI thread only asks whether visits wait to be indexed; every list fills."""
    window = _opened(qtbot, lens)
    expected = lens.for_reading()  # the test's own counts, not on the window's connection
    search = window.search_page
    qtbot.keyClicks(search.search, "change")
    search.apply()
    search.kind.choose("answer")
    settled(qtbot, window)
    assert search.model.rowCount() == expected.count(
        FindingFilter(query="change", kinds=("answer",))) > 0
    expected.close()
    qtbot.keyClick(search.search, Qt.Key.Key_Down)
    qtbot.keyClick(search.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: search.dialog is not None and search.dialog.isVisible())
    search.dialog.close()
    _back_to(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    patterns = window.current_page()
    settled(qtbot, window)
    assert patterns.model.rowCount() > 0 and patterns.chart.series
    patterns.outside.setChecked(True)
    patterns.group_combo.setCurrentIndex(2)
    settled(qtbot, window)
    with qtbot.waitSignal(window.exported, timeout=20000):  # written on a worker
        assert window.export_list_csv(tmp_path / "patterns.csv")
    window.box.close()
    _back_to(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    triangulation = window.current_page()
    settled(qtbot, window)
    assert triangulation.model.rowCount() > 0 and triangulation.shared_line.text()
    triangulation.vertical.setCurrentIndex(1)
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    routing = window.current_page()
    routing.choose(team="product")
    routing.views.setCurrentWidget(routing.act_view)
    settled(qtbot, window)
    assert routing.model.rowCount() > 0 and routing.act_view.toPlainText()
    on_ui = [sql for thread, sql in traced if thread is threading.main_thread()]
    assert on_ui and all("stale_visits" in sql for sql in on_ui), [
        sql for sql in on_ui if "stale_visits" not in sql]
    window.close()


def test_the_window_opens_with_one_load_per_list(qtbot, lens):
    """Opening reads the search list once (the look for new visits found none), and the
    Patterns page reads its table once when first shown."""
    window = _opened(qtbot, lens)
    assert window.search_page.model.loads == 1
    assert window.search_page.model.rowCount() == lens.count(
        FindingFilter(include_outside_icp=False))  # inside the profile, as every page starts
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    settled(qtbot, window)
    patterns = window.current_page()
    assert patterns.model.loads == 1 and patterns.evidence_model.loads == 1
    window.close()


def _search(page: SearchPage, words: str) -> None:
    page.search.setText(words)
    page.apply()


def _theme(page: PatternPage, theme: str) -> None:
    page.theme_edit.setText(theme)
    page.refresh()


def _vertical(page: TriangulationPage, at: int) -> None:
    page.vertical.setCurrentIndex(at)


def _words(page: RoutingPage, words: str) -> None:
    page.words.setText(words)
    page.refresh()


# page, the lens method its list's load calls first, how to ask for a first and a second
# scope, and whether a filter is the first's
PAGES = {
    "search": (SearchPage, "count", lambda p: _search(p, "changeover"),
               lambda p: _search(p, "engineer"), lambda f: f.query == "changeover"),
    "patterns": (PatternPage, "theme_count", lambda p: _theme(p, "why us"),
                 lambda p: _theme(p, "changeover"), lambda f: f.tags == ("why us",)),
    "triangulation": (TriangulationPage, "triangulation_count", lambda p: _vertical(p, 1),
                      lambda p: _vertical(p, 2), lambda f: len(f.verticals) == 1
                      and f.verticals[0] == _first_vertical[0]),
    "routing": (RoutingPage, "count", lambda p: _words(p, "line"),
                lambda p: _words(p, "customer"), lambda f: f.query == "line"),
}
_first_vertical = [""]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_keeps_what_it_shows_until_the_answer_and_drops_an_overtaken_one(
        qtbot, lens, monkeypatch, name):
    """While the first new scope is read the old rows stay; a second scope asked meanwhile
    overtakes it, and only the second is ever shown."""
    make, method, first, second, is_first = PAGES[name]
    page = shown(qtbot, make(lens))
    if name == "triangulation":
        page.choose_question("use-friction")
        settled(qtbot, page)
        _first_vertical[0] = page.vertical.itemData(1)
    model = page.model
    before, rows_before = model.shown, model.rowCount()
    release, blocked = threading.Event(), threading.Event()
    real = getattr(ArchiveWorkspace, method)
    ran_on: list[threading.Thread] = []

    def slow(self, flt, *args):
        ran_on.append(threading.current_thread())
        if is_first(flt):
            blocked.set()
            release.wait(10)
        return real(self, flt, *args)

    monkeypatch.setattr(ArchiveWorkspace, method, slow)
    seen = []
    model.loaded.connect(lambda: seen.append(model.shown))
    first(page)
    qtbot.waitUntil(blocked.is_set, timeout=5000)
    qtbot.wait(50)
    assert model.shown is before and model.rowCount() == rows_before  # kept on screen
    second(page)
    wanted = model.asked
    release.set()
    settled(qtbot, page)
    assert seen == [wanted]  # the first answer came late and was dropped
    assert model.shown is wanted
    assert threading.main_thread() not in ran_on
    page.close()


def test_closing_the_window_while_a_read_runs_is_safe(qtbot, lens, monkeypatch):
    """A search still being read when the window closes: the window waits for it, shows
    nothing of it, closes every reader's connection and then its lens."""
    window = _opened(qtbot, lens)
    real = ArchiveWorkspace.count
    started, release = threading.Event(), threading.Event()
    finished = []

    def slow(self, flt):
        if flt.query == "changeover":
            started.set()
            release.wait(10)
            finished.append(flt)
        return real(self, flt)

    monkeypatch.setattr(ArchiveWorkspace, "count", slow)
    page = window.search_page
    shown_before = page.model.shown
    _search(page, "changeover")
    qtbot.waitUntil(started.is_set, timeout=5000)
    readers = window.findChildren(LensReader)
    threading.Timer(0.3, release.set).start()
    window.close()
    assert finished  # the close waited for the read rather than pull its connection
    assert lens.archive._index is None
    assert all(r._mine is None for r in readers)
    qtbot.wait(50)
    assert page.model.shown is shown_before
