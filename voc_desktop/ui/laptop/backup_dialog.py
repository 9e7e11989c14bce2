"""File › Backups…: the workspace's backups, a backup now, and putting one back.

Keyboard first: the list has focus, Enter on a row asks to restore it, Escape closes. The
restore itself is the window's business (it must let go of the workspace first), so the
dialog only asks, and hands the chosen backup over through `restore_chosen`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.cli.output import size_text
from voc_desktop.services import backups
from voc_desktop.services.backups import BackupInfo
from voc_desktop.services.errors import ServiceError
from voc_desktop.ui.common.background import BackgroundTask
from voc_desktop.ui.common.look import (
    ERROR_STYLE,
    HINT_STYLE,
    apply_readable_style,
    text_label,
)
from voc_desktop.ui.common.notice import MESSAGE_TEXT, notice
from voc_desktop.ui.common.theme import styled

KEEPING = ("Backups are made every half hour while you work, before each pack import, app "
           "update and restore, and when you ask. Kept: every one of the last day (up to 10), "
           "one a day for two weeks, one a week for two months.")
_ROLE = Qt.ItemDataRole.UserRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def when_text(when: datetime, today: date | None = None) -> str:
    """A backup's time in local time, as a person says it: "Today 14:05"."""
    local = when.astimezone()
    today = today or datetime.now().astimezone().date()
    if local.date() == today:
        return f"Today {local:%H:%M}"
    if local.date() == today - timedelta(days=1):
        return f"Yesterday {local:%H:%M}"
    return f"{local:%a %d %b %Y %H:%M}"


class BackupDialog(QDialog):
    """`restore_chosen(BackupInfo)` once a person confirmed a restore. `can_restore` says
    why a restore cannot start now (unsaved typing), or None when it can."""

    restore_chosen = Signal(object)

    def __init__(self, data_dir: Path, parent: QWidget | None = None, *,
                 can_restore: Callable[[], str | None] = lambda: None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.can_restore = can_restore
        self.task: BackgroundTask | None = None
        self.confirm_box: QMessageBox | None = None
        self.setWindowTitle("Backups")
        apply_readable_style(self)
        self.resize(700, 460)

        self.list = QTreeWidget()
        self.list.setAccessibleName("Backups, newest first")
        self.list.setHeaderLabels(["Made", "Why", "Size", "Visits"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column in (2, 3):  # numbers line up on the right, their headings with them
            self.list.headerItem().setTextAlignment(column, _RIGHT)
        self.list.installEventFilter(self)
        self.list.itemDoubleClicked.connect(lambda *_: self.ask_restore())
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.status = text_label("", HINT_STYLE)

        self.backup_button = QPushButton("Back up &now")
        self.restore_button = QPushButton("&Restore…")
        folder_button = QPushButton("Show &folder")
        close_button = QPushButton("Close")
        # Enter belongs to the list (it asks to restore), not to a default button
        for button in (self.backup_button, self.restore_button, folder_button, close_button):
            button.setAutoDefault(False)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.ask_restore)
        folder_button.clicked.connect(self._show_folder)
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(text_label(KEEPING, HINT_STYLE))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.reload()
        self.list.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.list.setFocus()

    # the list

    def reload(self, select: str | None = None) -> None:
        self.list.clear()
        try:
            found = backups.list_backups(self.data_dir)
        except ServiceError as exc:
            self._say(str(exc), error=True)
            found = []
        for b in found:
            item = QTreeWidgetItem([when_text(b.when), b.reason_words, size_text(b.size),
                                    str(b.visits) if b.verified else "unreadable"])
            item.setData(0, _ROLE, b)
            item.setToolTip(0, b.name)
            for column in (2, 3):
                item.setTextAlignment(column, _RIGHT)
            self.list.addTopLevelItem(item)
            if b.name == select or (select is None and self.list.topLevelItemCount() == 1):
                self.list.setCurrentItem(item)
        if not found:
            self._say("No backups yet. The first one is made a few minutes after the app "
                      "starts, or now with Back up now.")
        self._update_buttons()

    def chosen(self) -> BackupInfo | None:
        item = self.list.currentItem()
        return item.data(0, _ROLE) if item is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if (watched is self.list and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.ask_restore()
            return True
        return super().eventFilter(watched, event)

    # actions

    def back_up_now(self) -> None:
        if self.task is not None and self.task.running:
            return
        data_dir = self.data_dir
        self.task = BackgroundTask(self, "Backups", "Backing up the workspace",
                                   lambda progress, cancelled: backups.make_backup(data_dir))
        self.task.done.connect(self._made)
        self.task.failed.connect(self._not_made)
        self.backup_button.setEnabled(False)
        self._say("Backing up…")
        self.task.start()

    def _made(self, made: BackupInfo) -> None:
        self.reload(select=made.name)
        self._say(f"Backed up just now ({size_text(made.size)}); it passed SQLite's "
                  "integrity check.")
        self.list.setFocus()

    def _not_made(self, message: str) -> None:
        self._say(message, error=True)
        self._update_buttons()

    def ask_restore(self) -> QMessageBox | None:
        chosen = self.chosen()
        if chosen is None or not chosen.verified:
            return None
        why_not = self.can_restore()
        if why_not:
            self._say(why_not, error=True)
            return None
        local = chosen.when.astimezone()
        box = notice(
            self, QMessageBox.Icon.Question, "Restore a backup",
            "Restore this backup?",
            info=f"Made on {local:%A %d %B %Y} at {local:%H:%M} "
                 f"({chosen.reason_words.lower()}), it holds {chosen.visits} visits. The "
                 "workspace as it is now is backed up first, so you can come back to it "
                 "from this list.",
            buttons=QMessageBox.StandardButton.Cancel,
            closed=lambda: setattr(self, "confirm_box", None))
        box.setStyleSheet(f"{MESSAGE_TEXT} {{ min-width: 400px; }}")
        restore = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(restore)
        restore.clicked.connect(lambda: self._restore(chosen))
        self.confirm_box = box
        return box

    def _restore(self, chosen: BackupInfo) -> None:
        self.accept()
        self.restore_chosen.emit(chosen)

    def _show_folder(self) -> None:
        from voc_desktop.ui.common.report_export import show_in_folder

        folder = backups.backups_dir(self.data_dir)
        chosen = self.chosen()
        show_in_folder(chosen.path if chosen else folder / ".")

    def _update_buttons(self) -> None:
        chosen = self.chosen()
        self.restore_button.setEnabled(chosen is not None and chosen.verified)
        self.backup_button.setEnabled(self.task is None or not self.task.running)

    def _say(self, text: str, *, error: bool = False) -> None:
        style = ERROR_STYLE if error else HINT_STYLE
        styled(self.status, f"font-size: $body; {style}")
        self.status.setText(text)
