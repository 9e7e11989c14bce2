"""Backups in the window: the dialog, a restore that rebuilds the window on the restored
data, the schedule on its worker thread, and a damaged workspace at start-up."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog
from support.backups import account_names, damage, filled_workspace
from support.visit_list import list_read

from voc_desktop.services import backups
from voc_desktop.services.accounts import create_account
from voc_desktop.services.backups import BackupFailed
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common.bus import ChangeBus
from voc_desktop.ui.laptop import workspace_recovery
from voc_desktop.ui.laptop.backup_dialog import when_text
from voc_desktop.ui.laptop.backup_schedule import BackupSchedule
from voc_desktop.ui.laptop.workspace_recovery import DamagedWorkspaceBox, open_workspace_or_recover


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return filled_workspace(tmp_path / "ws")


@pytest.fixture
def window_on(open_window):
    """Opens the main window on a workspace folder; closes what is left open afterwards."""
    opened: list[Workspace] = []

    def make(folder: Path):
        ws = Workspace.open(folder)
        opened.append(ws)
        return open_window(ws)

    yield make
    for window in list(workspace_recovery._windows):
        window.close()
        window.ws.close()
    for ws in opened:
        ws.close()


def account_rows(qtbot, window) -> set[str]:
    list_read(qtbot, window)
    return set(window.browser.model.texts(accounts=True))


def confirm_restore(box: QMessageBox) -> None:
    (button,) = [b for b in box.buttons() if b.text() == "&Restore"]
    button.click()


def test_the_list_has_focus_and_escape_closes(qtbot, folder, window_on):
    """File › Backups… lists the backups newest first with the list focused; Escape closes."""
    backups.make_backup(folder, "manual")
    newest = backups.make_backup(folder, "before-import")
    window = window_on(folder)
    dialog = window.show_backups()
    qtbot.waitExposed(dialog)
    assert dialog.list.topLevelItemCount() == 2
    top = dialog.list.topLevelItem(0)
    assert top.text(0) == when_text(newest.when) and top.text(0).startswith(("Today ",
                                                                             "Yesterday "))
    assert top.text(1) == "Before a pack import"
    assert top.text(3) == "4" and dialog.list.currentItem() is top
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.list)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_back_up_now_adds_a_checked_backup(qtbot, folder, window_on):
    """"Back up now" makes a backup off the UI thread and shows it in the list."""
    window = window_on(folder)
    dialog = window.show_backups()
    assert dialog.list.topLevelItemCount() == 0 and "No backups yet" in dialog.status.text()
    dialog.backup_button.click()
    with qtbot.waitSignal(dialog.task.done, timeout=10000):
        pass
    assert dialog.list.topLevelItemCount() == 1
    assert dialog.list.currentItem().text(1) == "Backed up by hand"
    assert "integrity check" in dialog.status.text()


def test_enter_asks_and_the_restored_data_shows_in_a_new_window(qtbot, folder, window_on,
                                                                monkeypatch):
    """Enter on a row asks, naming the date and the backup first; Restore closes the window,
    keeps a note on screen while it works, and shows a new one on the restored workspace."""
    chosen = backups.make_backup(folder, "manual")
    window = window_on(folder)
    create_account(window.ws, "Added Later Ltd")
    window.browser.refresh()
    assert any("Added Later Ltd" in row for row in account_rows(qtbot, window))
    dialog = window.show_backups()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    box = dialog.confirm_box
    local = chosen.when.astimezone()
    assert box.text() == "Restore this backup?"
    assert f"{local:%A %d %B %Y} at {local:%H:%M}" in box.informativeText()
    assert "backed up first" in box.informativeText()
    shown_while_restoring = []
    real_restore = backups.restore
    monkeypatch.setattr(backups, "restore", lambda *a, **k: (
        shown_while_restoring.extend(w.windowTitle() for w in QApplication.topLevelWidgets()
                                     if isinstance(w, QProgressDialog) and w.isVisible()),
        real_restore(*a, **k))[1])
    confirm_restore(box)
    new = workspace_recovery._windows[-1]
    qtbot.waitExposed(new)
    assert shown_while_restoring == ["VOC Desktop"]  # the app never seems gone
    assert not any(isinstance(w, QProgressDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())
    assert new is not window and not window.isVisible()
    assert not any("Added Later Ltd" in row for row in account_rows(qtbot, new))
    assert {a.name for a in new.ws.accounts.list()} == account_names(chosen.path.parent.parent)
    assert "Restored the backup" in new.statusBar().currentMessage()
    assert [b.reason for b in backups.list_backups(folder)] == ["before-restore", "manual"]


def test_a_restore_waits_while_typed_text_is_unsaved(qtbot, folder, window_on, monkeypatch):
    """With typing not yet saved, the dialog says why and asks nothing."""
    backups.make_backup(folder, "manual")
    window = window_on(folder)
    monkeypatch.setattr(window, "has_unsaved_text", lambda: True)
    dialog = window.show_backups()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.confirm_box is None and dialog.isVisible()
    assert "not saved yet" in dialog.status.text()


def test_the_schedule_backs_up_off_the_ui_thread_only_after_changes(qtbot, ws, monkeypatch):
    """The first run backs up on a worker thread; later turns back up only after a save."""
    threads = []
    real = backups.make_backup

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(backups, "make_backup", spy)
    bus = ChangeBus(ws)
    schedule = BackupSchedule(ws.data_dir, bus, first_after_ms=10, every_ms=80)
    try:
        with qtbot.waitSignal(schedule.finished, timeout=10000) as first:
            schedule.start()
        assert first.args[0].reason == "scheduled"
        assert threads and threads[0] is not threading.main_thread()
        qtbot.wait(300)  # several turns with nothing saved
        assert len(threads) == 1
        with qtbot.waitSignal(schedule.finished, timeout=10000) as second:
            create_account(ws, "Saved Since Ltd")
        assert second.args[0].reason == "scheduled" and len(threads) == 2
    finally:
        schedule.stop()
        bus.detach()
    assert len(backups.list_backups(ws.data_dir)) == 2


def test_the_first_run_skips_when_today_has_a_backup(qtbot, ws):
    """A backup made earlier today means no extra one a few minutes after start."""
    backups.make_backup(ws.data_dir, "manual")
    bus = ChangeBus(ws)
    schedule = BackupSchedule(ws.data_dir, bus, first_after_ms=10, every_ms=60_000)
    try:
        with qtbot.waitSignal(schedule.finished, timeout=10000) as first:
            schedule.start()
    finally:
        schedule.stop()
        bus.detach()
    assert first.args == [None]
    assert len(backups.list_backups(ws.data_dir)) == 1


def test_a_failed_scheduled_backup_goes_to_the_status_bar(qtbot, folder, window_on,
                                                          monkeypatch):
    """A scheduled backup that fails says so in the status bar, not in a dialog."""
    def full(*args, **kwargs):
        raise BackupFailed("The disk is full: the backup was not made. Older backups are "
                           "unchanged.")

    monkeypatch.setattr(backups, "make_backup", full)
    window = window_on(folder)
    with qtbot.waitSignal(window.backup_schedule.finished, timeout=10000):
        window.backup_schedule.run()
    assert window.statusBar().currentMessage().startswith("Backup failed: The disk is full")
    assert QApplication.activeModalWidget() is None
    assert window.backup_schedule.changed  # tried again at the next turn


def _answer_box(qtbot, seen: list, click_restore: bool) -> None:
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, DamagedWorkspaceBox):
            QTimer.singleShot(20, poll)
            return
        seen.append((box.text(), box.informativeText(), box.restore_button is not None))
        if click_restore:
            box.restore_button.click()
        else:
            (quit_button,) = [b for b in box.buttons() if b.text() == "&Quit"]
            quit_button.click()

    QTimer.singleShot(0, poll)


def test_a_damaged_workspace_at_start_offers_the_latest_good_backup(qtbot, folder):
    """At start-up a damaged workspace is named, with the latest good backup to restore;
    Restore opens the restored workspace and keeps the damaged file."""
    chosen = backups.make_backup(folder, "scheduled")
    damage(folder / "workspace.sqlite3")
    seen: list = []
    _answer_box(qtbot, seen, click_restore=True)
    asked: list = []  # the app answers later launches once a question waits for a person
    ws = open_workspace_or_recover(folder, asking=lambda: asked.append(
        QApplication.activeModalWidget()))
    assert asked == [None]  # called before the question was up
    try:
        assert ws is not None and ws.visits.count() == chosen.visits
    finally:
        if ws is not None:
            ws.close()
    ((text, info, offered),) = seen
    assert "damaged" in text and offered
    assert str(folder / "workspace.sqlite3") in info and "nothing was written" in info
    assert "(scheduled)" in info and f"holds {chosen.visits} visits" in info
    assert len(list((folder / "backups").glob("damaged-*.sqlite3"))) == 1


def test_without_a_backup_the_message_says_where_the_file_is(qtbot, folder):
    """No backup to offer: the message names the file and what to do, and Quit ends."""
    damage(folder / "workspace.sqlite3")
    seen: list = []
    _answer_box(qtbot, seen, click_restore=False)
    assert open_workspace_or_recover(folder) is None
    ((_, info, offered),) = seen
    assert not offered and "no backup to restore" in info
    assert f"move the file out of {folder}" in info


def test_the_shortcut_opens_the_backups_and_help_lists_it(qtbot, folder, window_on):
    """Ctrl+Shift+R opens the backups from anywhere in the window; the help names it."""
    from voc_desktop.ui.laptop.backup_dialog import BackupDialog
    from voc_desktop.ui.laptop.help_dialog import help_text

    window = window_on(folder)
    assert "Backups…" in help_text(window.actions, window.window_actions)
    qtbot.keyClick(window, Qt.Key.Key_R,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, BackupDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))


def test_reopening_shows_backups_made_meanwhile(qtbot, folder, window_on):
    """The dialog opened again lists what was made since, with the list focused again."""
    window = window_on(folder)
    dialog = window.show_backups()
    assert dialog.list.topLevelItemCount() == 0
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    backups.make_backup(folder, "scheduled")
    again = window.show_backups()
    assert again is dialog and again.list.topLevelItemCount() == 1
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.list)


def test_times_read_as_a_person_says_them():
    """Today and yesterday by name, older days with weekday and date, in local time."""
    from datetime import UTC, datetime

    when = datetime(2026, 11, 20, 13, 5, tzinfo=UTC)
    local = when.astimezone()
    assert when_text(when, today=local.date()) == f"Today {local:%H:%M}"
    assert when_text(when, today=local.date().replace(day=local.day + 1)).startswith(
        "Yesterday ")
    assert when_text(when, today=local.date().replace(month=12)) == f"{local:%a %d %b %Y %H:%M}"
