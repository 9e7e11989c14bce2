"""The main window around the screens: start-up, the visit list, guides and help."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from support.visit_list import list_read

from voc_desktop.domain.guide_file import guide_to_json
from voc_desktop.domain.visit import VisitStatus
from voc_desktop.ui.app import main

CTRL = Qt.KeyboardModifier.ControlModifier


def visit_rows(qtbot, window) -> list[str]:
    """The visits the list shows, once its reads are in."""
    list_read(qtbot, window)
    return window.browser.model.texts(accounts=False)


def test_voc_desktop_opens_the_workspace_named_by_data_dir(qtbot, tmp_path, monkeypatch):
    """`voc-desktop --data-dir DIR` opens (and creates) the workspace in DIR, over the env."""
    monkeypatch.setenv("VOC_DATA_DIR", str(tmp_path / "from-env"))
    shown = []

    def close_when_shown():
        window = next(w for w in QApplication.topLevelWidgets() if w.isVisible()
                      and w.windowTitle() == "VOC Desktop")
        shown.append(window.ws.data_dir)
        window.close()

    QTimer.singleShot(200, close_when_shown)
    assert main(["--data-dir", str(tmp_path / "chosen")]) == 0
    assert shown == [tmp_path / "chosen"]
    assert (tmp_path / "chosen" / "workspace.sqlite3").exists()
    assert not (tmp_path / "from-env").exists()


def test_first_run_welcomes_and_fills_a_sample_on_request(qtbot, ws, open_window):
    """A new workspace opens on the welcome page; the sample button fills the visit list."""
    window = open_window(ws)
    assert window.stack.currentWidget() is window.welcome
    assert "Customer visit" in window.welcome.guide.text()
    assert window.welcome.sections.count() == 3 * len(ws.guides.list_latest()[0].guide.sections)
    assert window.browser.empty.isVisibleTo(window.browser)
    window.welcome.sample.click()
    assert len(visit_rows(qtbot, window)) == 4
    assert not window.welcome.sample.isVisibleTo(window.welcome)


def test_visit_list_searches_and_filters_by_status(qtbot, ws, open_window):
    """Ctrl+F searches accounts and visits; Ctrl+2 and Ctrl+4 show planned and completed."""
    from voc_desktop.services.demo.sample_workspace import fill_demo

    fill_demo(ws)
    window = open_window(ws)
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is window.browser.search
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert len(visit_rows(qtbot, window)) == 1 and visit_rows(qtbot, window)[0].startswith("○")
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    assert len(visit_rows(qtbot, window)) == 3
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    account = ws.accounts.list()[0]
    qtbot.keyClicks(window.browser.search, account.name.split()[0])
    expected = len(ws.visits.list(account_id=account.id))
    assert len(visit_rows(qtbot, window)) == expected < 4
    qtbot.keyClicks(window.browser.search, "no such thing at all")
    assert visit_rows(qtbot, window) == []
    assert window.browser.empty.text() == "No visits match."


def test_choosing_a_visit_opens_the_page_for_its_status(qtbot, ws, open_window):
    """A completed visit opens its summary, an in-progress one the interview."""
    from voc_desktop.services.demo.sample_workspace import fill_demo
    from voc_desktop.services.visits import start_visit

    fill_demo(ws)
    window = open_window(ws)
    done = ws.visits.list(status=VisitStatus.COMPLETED)[0]
    window.browser.select_visit(done.id)
    assert window.stack.currentWidget() is window.visit_page
    planned = ws.visits.list(status=VisitStatus.PLANNED)[0]
    start_visit(ws, planned.id)
    window.browser.select_visit(planned.id)
    assert window.stack.currentWidget() is window.interview
    assert window.interview.actions.why.isEnabled()
    window.browser.select_visit(done.id)
    assert not window.interview.actions.why.isEnabled()


def test_guides_import_and_export_from_the_file_menu(qtbot, ws, open_window, tmp_path,
                                                    monkeypatch):
    """File › Export guide writes the guide file; importing a new version adds it."""
    window = open_window(ws)
    target = tmp_path / "guide.json"
    monkeypatch.setattr("voc_desktop.ui.laptop.main_window.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    window.export_guide()
    stored = ws.guides.list_latest()[0]
    assert target.read_text(encoding="utf-8") == guide_to_json(stored.guide)

    data = json.loads(target.read_text(encoding="utf-8"))
    data["version"] = stored.guide.version + 1
    data["sections"][0]["questions"][0]["text"] = "Who is in the room today, and what do you do?"
    target.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr("voc_desktop.ui.laptop.main_window.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(target), ""))
    window.import_guide()
    newer = stored.guide.version + 1
    assert ws.guides.latest(stored.guide.guide_id).guide.version == newer
    assert f"version {newer}" in window.statusBar().currentMessage()


def test_a_broken_guide_file_is_refused_with_a_message(qtbot, ws, open_window, tmp_path,
                                                      monkeypatch):
    """Importing a damaged guide shows why and adds nothing."""
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "voc-guide", "format_version": 1,', encoding="utf-8")
    warnings = []
    monkeypatch.setattr("voc_desktop.ui.laptop.main_window.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(broken), ""))
    monkeypatch.setattr("voc_desktop.ui.laptop.main_window.QMessageBox.warning",
                        lambda parent, title, text: warnings.append(text))
    window = open_window(ws)
    before = len(ws.guides.list_latest())
    window.import_guide()
    assert len(ws.guides.list_latest()) == before
    assert warnings and "broken.json is not a valid guide file" in warnings[0]


def test_help_lists_the_rules_and_every_shortcut(qtbot, ws, open_window):
    """F1 help names the six listening rules, each interview shortcut and the window's."""
    from voc_desktop.ui.laptop.help_dialog import help_text

    window = open_window(ws)
    text = help_text(window.actions, window.window_actions)
    assert text.count("<li>") == 6
    for action in [*window.actions.all(), *window.window_actions]:
        if not action.shortcut().isEmpty():  # Quit has none on some platforms
            assert action.text().replace("&", "") in text
    assert "Export visit report…" in text and "Ctrl+E" in text


def test_moving_through_questions_leaves_the_visit_list_alone(qtbot, ws, open_window,
                                                              monkeypatch):
    """Writes that do not change what the list shows do not rebuild it; a status change does."""
    from voc_desktop.services import interview
    from voc_desktop.services.closing import end_interview
    from voc_desktop.services.demo.sample_workspace import fill_demo
    from voc_desktop.services.visits import start_visit

    fill_demo(ws)
    window = open_window(ws)
    planned = ws.visits.list(status=VisitStatus.PLANNED)[0]
    start_visit(ws, planned.id)
    list_read(qtbot, window)
    rebuilds = []
    monkeypatch.setattr(window.browser, "refresh",
                        lambda real=window.browser.refresh: (rebuilds.append(1), real()))
    key = ws.guides.version(planned.guide_version_id).guide.questions()[3][1].key
    interview.set_position(ws, planned.id, key, ())
    assert rebuilds == []
    end_interview(ws, planned.id)
    assert rebuilds == [1]
    assert any(row.startswith("◐") for row in visit_rows(qtbot, window))


def test_accounts_outside_the_profile_are_listed_apart(qtbot, ws, open_window):
    """Accounts outside the ideal customer profile come after the others, marked."""
    from voc_desktop.services.demo.sample_workspace import fill_demo

    fill_demo(ws)
    window = open_window(ws)
    list_read(qtbot, window)
    labels = window.browser.model.texts(accounts=True)
    outside = [i for i, label in enumerate(labels) if "(outside profile)" in label]
    inside = [i for i, label in enumerate(labels) if "(outside profile)" not in label]
    assert outside and inside and max(inside) < min(outside)


def test_arrow_down_from_the_search_goes_into_the_results(qtbot, ws, open_window):
    """Typing a search, then Down, puts the focus on the first match; Return opens it."""
    from voc_desktop.services.demo.sample_workspace import fill_demo

    summary = fill_demo(ws)
    window = open_window(ws)
    browser = window.browser
    browser.search.setFocus()
    qtbot.keyClicks(browser.search, "Halvorsen")
    qtbot.keyClick(browser.search, Qt.Key.Key_Down)
    assert browser.tree.hasFocus() and browser.selected_visit() in summary.visit_ids
    chosen = browser.selected_visit()
    qtbot.keyClick(browser.tree, Qt.Key.Key_Return)
    assert window.visit_page.visit_id == chosen


def test_an_archive_opened_from_the_window_keeps_its_index_with_the_workspace(
        qtbot, ws, open_window, tmp_path):
    """The keeper's dialog opened from the window keeps the archive's index in the open
    workspace's folder, not in the platform's default one."""
    from voc_desktop.services.archive.keeper import Archive

    Archive.create(tmp_path / "shared", index=tmp_path / "elsewhere.sqlite3").close()
    window = open_window(ws)
    dialog = window.open_archive(tmp_path / "shared")
    assert dialog is not None
    assert dialog.archive.index_path.parent == ws.data_dir / "archives"
    dialog.close()


def test_the_app_icon_comes_at_every_shipped_size(qapp):
    """The window icon is the packaged app icon at every size, under the same app id as the
    desktop entry."""
    from voc_desktop.ui import app as app_module

    icon = app_module._app_icon()
    sizes = {s.width() for s in icon.availableSizes()}
    assert sizes == set(app_module.ICON_SIZES)
    assert not icon.pixmap(48, 48).isNull()
    desktop = Path(__file__).resolve().parents[3] / "packaging" / "linux"
    assert (desktop / f"{app_module.APP_ID}.desktop").exists()


def test_a_laptop_screen_gets_the_whole_window(qtbot, ws):
    """On a screen under 900 pixels high (the offscreen one is 800) the window opens
    maximized, so a title bar cannot push its bottom off the screen."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from voc_desktop.ui.app import laptop_window

    assert QApplication.primaryScreen().availableGeometry().height() < 900
    window = laptop_window(ws)
    qtbot.addWidget(window)
    assert window.windowState() & Qt.WindowState.WindowMaximized
