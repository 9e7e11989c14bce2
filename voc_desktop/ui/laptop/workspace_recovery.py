"""Getting a sound workspace on screen: at start-up a damaged workspace is offered its latest
good backup, and after a restore from File › Backups… the main window is built anew on the
restored workspace, so that every view shows the restored data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace, WorkspaceDamaged, default_data_dir
from voc_desktop.ui.common.notice import MESSAGE_TEXT

if TYPE_CHECKING:
    from voc_desktop.services.backups import BackupInfo
    from voc_desktop.ui.laptop.laptop_window import LaptopWindow

TITLE = "VOC Desktop"
# windows built after a restore: kept here, as app.py keeps the first one
_windows: list[LaptopWindow] = []
_log = logging.getLogger(__name__)


def open_workspace_or_recover(data_dir: Path | str | None, parent: QWidget | None = None,
                              *, asking: Callable[[], object] | None = None
                              ) -> Workspace | None:
    """The workspace, opened; when it is damaged, a person may restore the latest good
    backup (or quit). None when there is no workspace to show: the app then ends.
    `asking` runs before that question waits for the person (the app starts taking files
    from later launches then, so they are not left without an answer)."""
    try:
        return Workspace.open(data_dir)
    except WorkspaceDamaged as exc:
        if asking is not None:
            asking()
        folder = Path(data_dir).expanduser() if data_dir else default_data_dir()
        return _recover(folder, exc, parent)
    except ServiceError as exc:
        QMessageBox.critical(parent, TITLE, f"The workspace could not be opened.\n\n{exc}")
        return None


class DamagedWorkspaceBox(QMessageBox):
    """The message for a damaged workspace: what and where, and the latest good backup to
    restore when there is one (`restore_button`, else None)."""

    def __init__(self, exc: WorkspaceDamaged, good: BackupInfo | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Critical, TITLE,
                         "The workspace is damaged, so VOC Desktop cannot open it.",
                         parent=parent)
        where = (f"The file: {exc.path}\nSQLite's check found: {exc.detail.rstrip('.')}.\n"
                 "It was only read: nothing was written to it.")
        self.restore_button = None
        if good is not None:
            local = good.when.astimezone()
            self.setInformativeText(
                f"{where}\n\nThe latest good backup was made on {local:%A %d %B %Y} at "
                f"{local:%H:%M} ({good.reason_words.lower()}) and holds {good.visits} visits. "
                "Restoring it moves the damaged file into the backups folder, so nothing is "
                "lost.")
            self.restore_button = self.addButton("&Restore this backup",
                                                 QMessageBox.ButtonRole.AcceptRole)
            self.setDefaultButton(self.restore_button)
        else:
            self.setInformativeText(
                f"{where}\n\nThere is no backup to restore. Copy the file somewhere safe "
                "before anything else, and ask someone who knows SQLite to recover it (the "
                "sqlite3 tool's .recover command often saves most of it). To start again with "
                f"an empty workspace, move the file out of {exc.path.parent}.")
        self.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # wide enough that a folder path reads on one line and the text is not a column
        self.setStyleSheet(f"{MESSAGE_TEXT} {{ min-width: 520px; }}")


def _recover(folder: Path, exc: WorkspaceDamaged, parent: QWidget | None) -> Workspace | None:
    from voc_desktop.services import backups

    try:
        good = backups.latest_good(folder)
    except ServiceError:
        good = None
    _log.warning("The workspace is damaged (%s); %s", exc.detail,
                 "a good backup is offered" if good else "there is no good backup")
    box = DamagedWorkspaceBox(exc, good, parent)
    box.exec()
    if good is None or box.clickedButton() is not box.restore_button:
        _log.info("The damaged workspace was left as it is")
        return None
    try:
        backups.restore(folder, good.name)
        return Workspace.open(folder)
    except ServiceError as error:
        QMessageBox.critical(parent, TITLE, f"The backup could not be restored.\n\n{error}")
        return None


def why_not_restore(window: LaptopWindow) -> str | None:
    """Why the window cannot let go of its workspace now, or None when it can."""
    if window.has_unsaved_text():
        return ("Some of what you typed is not saved yet (is the disk full?). Restoring now "
                "would lose it; once it is saved, try again.")
    return None


def restore_in_window(window: LaptopWindow, chosen: BackupInfo) -> LaptopWindow | None:
    """Close `window` and its workspace, restore `chosen`, and show a new window on the
    restored workspace (on the old one, unchanged, when the restore fails)."""
    from voc_desktop.services import backups
    from voc_desktop.ui.common.notice import notice

    why_not = why_not_restore(window)
    if why_not:
        notice(window, QMessageBox.Icon.Warning, "Backup not restored", why_not)
        return None
    app = QApplication.instance()
    data_dir, geometry = window.ws.data_dir, window.saveGeometry()
    quits = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # for the moment with no window at all
    busy = _busy_note(window)
    try:
        if not window.close():
            return None
        window.deleteLater()
        window.ws.close()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            backups.restore(data_dir, chosen.name)
            problem = None
        except ServiceError as exc:
            problem = str(exc)
        finally:
            QApplication.restoreOverrideCursor()
        try:
            ws = Workspace.open(data_dir)
        except ServiceError as exc:
            QMessageBox.critical(None, TITLE, f"The workspace could not be opened after the "
                                 f"restore.\n\n{exc}")
            app.quit()
            return None
        new = _replace(window, window.sibling(ws), geometry)
    finally:
        busy.close()
        app.setQuitOnLastWindowClosed(quits)
    if problem:
        notice(new, QMessageBox.Icon.Warning, "Backup not restored", problem)
    else:
        local = chosen.when.astimezone()
        new.statusBar().showMessage(
            f"Restored the backup made {local:%d %b %Y %H:%M}. The workspace as it was is "
            "in the list of backups too.", 15000)
    return new


def _busy_note(window: LaptopWindow) -> QWidget:
    """A small window that stays on screen while the main one is closed for the restore,
    so the app does not seem gone (the restore runs here and takes a moment)."""
    from PySide6.QtWidgets import QProgressDialog

    busy = QProgressDialog("Restoring the backup…", None, 0, 0)  # type: ignore[arg-type]
    busy.setWindowTitle(TITLE)
    busy.setMinimumDuration(0)
    busy.move(window.geometry().center() - busy.rect().center())
    busy.show()
    QApplication.processEvents()  # painted before the work blocks this thread
    return busy


def _replace(old: LaptopWindow, new: LaptopWindow, geometry: object) -> LaptopWindow:
    from PySide6.QtCore import QTimer

    from voc_desktop.ui.common.single_instance import Inbox

    new.restoreGeometry(geometry)
    new.archive_windows.extend(old.archive_windows)
    _windows.append(new)
    new.destroyed.connect(lambda *_: _windows.remove(new) if new in _windows else None)
    app = QApplication.instance()
    app.aboutToQuit.connect(new.ws.close)
    for inbox in app.findChildren(Inbox):  # files handed to the app now go to the new window
        inbox.deliver_to(new.open_files)
    new.show()
    QTimer.singleShot(0, new.ws.prepare_writes)
    return new
