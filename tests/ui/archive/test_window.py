"""The archive workspace window: indexing on open, pages, menus, imports and exports."""

from __future__ import annotations

import csv
import zipfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from support.archive_ui import settled, shown

from voc_desktop.domain.findings import FindingFilter
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.ui import app
from voc_desktop.ui.app import laptop_window
from voc_desktop.ui.archive.keeper_dialog import ArchiveDialog
from voc_desktop.ui.archive.window import ArchiveWindow

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier

INSIDE = FindingFilter(include_outside_icp=False)  # what a page lists at first


@pytest.fixture
def window(qtbot, lens):
    """The sample archive's window, shown, after its look for new visits on opening."""
    made = ArchiveWindow(lens)
    with qtbot.waitSignal(made.refreshed, timeout=20000):
        shown(qtbot, made)
    settled(qtbot, made)
    return made


def test_opening_indexes_visits_that_wait(qtbot, sample_archive):
    """Visits imported but not yet indexed are indexed on a worker as the window opens."""
    lens = ArchiveWorkspace.open(sample_archive.folder, index=sample_archive.index)
    assert lens.stale() > 0 and lens.count(FindingFilter()) == 0
    window = ArchiveWindow(lens)
    assert window.search_page.model.rowCount() == 0
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        shown(qtbot, window)
    settled(qtbot, window)
    assert lens.stale() == 0
    findings = lens.count(FindingFilter())
    # the list starts inside the profile, as every page does
    assert window.search_page.model.rowCount() == lens.count(INSIDE) > 0
    accounts, visits = lens.scope(FindingFilter())
    assert window.scope_label.text() == (f"{visits} visits · {accounts} accounts · "
                                         f"{findings} findings")
    window.close()
    assert lens.archive._index is None  # the window owns and closes its lens


def test_other_pages_are_built_when_first_shown(qtbot, window):
    """Only the search page is built as the window opens; a page is built when shown."""
    assert [type(p).__name__ for p in window.built_pages()] == ["SearchPage"]
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert [type(p).__name__ for p in window.built_pages()] == ["SearchPage", "PatternPage"]
    assert window.current_page().isVisible()


def test_title_pages_and_keys(qtbot, window, lens):
    """The title names the folder; Ctrl+1..4 show the pages; Ctrl+F finds on each."""
    assert window.windowTitle() == f"{lens.name} — VOC Desktop archive"
    assert [window.tabs.tabText(i) for i in range(4)] == ["Search", "Patterns",
                                                           "Triangulation", "Routing"]
    assert [type(p).__name__ for p in window.pages()] == [
        "SearchPage", "PatternPage", "TriangulationPage", "RoutingPage"]
    for at in (4, 2, 3, 1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + at), CTRL)
        assert window.tabs.currentIndex() == at - 1
    qtbot.waitUntil(lambda: window.search_page.search.hasFocus())
    window.search_page.table.setFocus()
    qtbot.keyClick(window.search_page.table, Qt.Key.Key_F, CTRL)
    assert window.search_page.search.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    window.tabs.tabBar().setFocus()
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_F, CTRL)
    focused = QApplication.focusWidget()
    assert focused is not None and window.tabs.currentWidget().isAncestorOf(focused)


def test_every_action_has_a_shortcut_listed_in_help(qtbot, window):
    """Each menu action has a key, and the help lists them all."""
    texts = {a.text().replace("&", ""): a.shortcut().toString()
             for a in window.window_actions}
    assert texts["Import bundles…"] == "Ctrl+I"
    assert texts["Export list as CSV…"] == "Ctrl+Shift+C"
    assert texts["Export REFI-QDA project…"] == "Ctrl+Shift+Q"
    assert texts["Close"] == "Ctrl+W" and texts["Keyboard shortcuts"] == "F1"
    assert all(texts.values())
    help_text = window.help_html()
    for text in texts:
        assert text in help_text
    dialog = window.show_help()
    assert dialog.isVisible()
    dialog.close()


def test_csv_export_writes_the_rows_the_search_shows(qtbot, window, tmp_path):
    """Export list as CSV on the Search page writes exactly the rows it shows."""
    page = window.search_page
    page.search.setText("changeover")
    page.apply()
    settled(qtbot, page)
    path = tmp_path / "list.csv"
    with qtbot.waitSignal(window.exported, timeout=20000):
        assert window.export_list_csv(path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        ids = [r["finding_id"] for r in csv.DictReader(f)]
    assert ids == [page.model.finding(r).item_id for r in range(page.model.rowCount())]
    assert window.box is not None and str(path) in window.box.text()
    window.box.close()


def test_csv_export_of_another_page(qtbot, window, tmp_path):
    """The CSV export asks the page shown what its list is."""
    window.tabs.setCurrentIndex(1)
    settled(qtbot, window)
    path = tmp_path / "patterns.csv"
    with qtbot.waitSignal(window.exported, timeout=20000):
        assert window.export_list_csv(path)
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].lower().startswith("theme")
    window.box.close()


def test_qda_export_holds_the_searched_visits(qtbot, window, tmp_path):
    """The REFI-QDA export writes a project of the visits the search finds."""
    window.search_page.search.setText("engineer")
    window.search_page.apply()
    settled(qtbot, window)
    path = tmp_path / "visits"
    with qtbot.waitSignal(window.exported, timeout=20000) as done:
        assert window.export_qda(path)
    assert done.args[0].suffix == ".qdpx"
    with zipfile.ZipFile(done.args[0]) as z:
        assert "project.qde" in z.namelist()
    window.box.close()


def test_import_bundles_then_the_lists_show_them(qtbot, tmp_path, ws):
    """Importing a laptop's bundle indexes its visits and shows them at once."""
    fill_demo(ws)
    out = tmp_path / "out"
    out.mkdir()
    bundle = bundles.export_bundle(ws, out, encrypt=False)
    with Archive.create(tmp_path / "archive", index=tmp_path / "index.sqlite3") as archive:
        archive.trust(ws.public_key, "Sam's laptop")
    lens = ArchiveWorkspace.open(tmp_path / "archive", index=tmp_path / "index.sqlite3")
    window = ArchiveWindow(lens)
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        shown(qtbot, window)
    settled(qtbot, window)
    assert window.search_page.model.rowCount() == 0
    with qtbot.waitSignal(window.imported, timeout=30000) as done:
        assert window.import_bundles([bundle.path])
    settled(qtbot, window)
    assert done.args[0].totals["imported"] == 1
    assert window.box.text().startswith("1 imported")
    assert window.search_page.model.rowCount() == lens.count(INSIDE) > 0
    assert window.search_page.account.count() > 1  # the new accounts are filter values
    window.box.close()
    window.close()


def test_manage_dialog_leaves_the_lists_working(qtbot, window, lens):
    """The keeper's dialog works on its own connection; closing it leaves the lists usable."""
    dialog = window.manage_archive()
    assert isinstance(dialog, ArchiveDialog) and dialog.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.search_page.search.setText("changeover")
    window.search_page.apply()
    settled(qtbot, window)
    assert window.search_page.model.rowCount() == lens.count(
        FindingFilter(query="changeover", include_outside_icp=False))


def test_ctrl_w_closes_the_window(qtbot, window):
    """Ctrl+W closes the archive window."""
    qtbot.keyClick(window, Qt.Key.Key_W, CTRL)
    assert not window.isVisible()


def test_archive_option_with_a_bad_folder_says_so_and_exits_1(tmp_path, monkeypatch):
    """`--archive` on a folder that is no archive ends in a message and exit code 1."""
    said = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text: said.append(text)))
    code = app.main(["--data-dir", str(tmp_path / "ws"), "--archive", str(tmp_path / "nope")])
    assert code == 1
    assert said and "could not be opened" in said[0] and "nope" in said[0]


def test_laptop_window_opens_an_archive_workspace(qtbot, ws, sample_archive):
    """Archive › Open archive workspace… opens the archive in a window of its own."""
    main = laptop_window(ws)
    qtbot.addWidget(main)
    action = next(a for a in main.window_actions if "workspace" in a.text())
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    opened = main.open_archive_workspace(sample_archive.folder)
    assert isinstance(opened, ArchiveWindow) and opened in main.archive_windows
    qtbot.waitSignal(opened.refreshed, timeout=20000).wait()
    settled(qtbot, opened)
    assert opened.lens.archive.index_path.is_relative_to(ws.data_dir)
    assert opened.search_page.model.rowCount() > 0  # indexed from the folder's bundles
    opened.close()
    assert opened not in main.archive_windows
    assert isinstance(opened.search_page.search, QLineEdit)


def test_ctrl_q_quits_from_the_archive_window(qtbot, window):
    """Ctrl+Q in the archive window closes it, as Quit does in the laptop window."""
    assert window.isVisible()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Q,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_publish_writes_the_copy_off_the_ui_thread_and_says_where(qtbot, window, tmp_path):
    """Publish has Ctrl+Shift+P, runs on a worker and tells where the copy went; a refused
    target gets a warning and nothing is written."""
    import sqlite3

    texts = {a.text().replace("&", ""): a.shortcut().toString()
             for a in window.window_actions}
    assert texts["Publish a copy for browsing…"] == "Ctrl+Shift+P"
    path = tmp_path / "site.db"
    with qtbot.waitSignal(window.exported, timeout=20000) as done:
        assert window.publish_copy(path, with_photos=False)
    assert done.args[0] == path
    assert "saved as" in window.box.text() and str(path) in window.box.text()
    assert "datasette serve" in window.box.text()
    window.box.close()
    conn = sqlite3.connect(path)
    try:
        found = conn.execute("SELECT count(*) FROM findings").fetchone()[0]
    finally:
        conn.close()
    assert found == window.lens.count(FindingFilter())
    qtbot.waitUntil(lambda: not window.busy)
    assert window.publish_copy(window.lens.archive.index_path, with_photos=False)
    qtbot.waitUntil(lambda: window.box is not None and "live index" in window.box.text(),
                    timeout=20000)
    assert window.box.icon() == QMessageBox.Icon.Warning
    window.box.close()
