"""The laptop's side of sync in the window: export a bundle for the archive, take in the
archive's pack, and the two keys that make both trustworthy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.bundles import pack_import
from voc_desktop.services.bundles import settings as bundle_settings
from voc_desktop.services.bundles.export import BundleCancelled, BundleSource, NothingNew
from voc_desktop.services.bundles.settings import ArchiveKeyMissing
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common.background import BackgroundTask
from voc_desktop.ui.common.bundle_parts import BUNDLE_FILTER, fingerprint_label
from voc_desktop.ui.common.look import ERROR_STYLE, HINT_STYLE, make_primary, text_label
from voc_desktop.ui.common.notice import notice
from voc_desktop.ui.common.report_export import show_in_folder


class ArchiveKeyDialog(QDialog):
    """Paste the archive's key; its fingerprint shows at once, to compare with the one the
    archive's keeper reads out."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("Archive key")
        self.setMinimumWidth(560)
        try:
            current = bundle_settings.archive_key(ws)
        except ServiceError:
            current = None
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("voc-archive-1:…  (from `voc archive key` on the "
                                         "archive's computer)")
        self.fingerprint = fingerprint_label("")
        self.problem = text_label("", ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        make_primary(self.save_button)
        self.forget_button = buttons.addButton("&Forget this key",
                                               QDialogButtonBox.ButtonRole.DestructiveRole)
        self.forget_button.setEnabled(current is not None)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.forget_button.clicked.connect(self.forget)
        self.key_edit.textChanged.connect(self._check)

        layout = QVBoxLayout(self)
        layout.addWidget(text_label(
            "Bundles from this laptop are encrypted so that only your team's archive can read "
            "them, and packs from the archive are checked against the same key."))
        layout.addWidget(text_label(
            f"Now: {current.fingerprint}" if current else "Now: no archive key on this laptop.",
            HINT_STYLE))
        layout.addWidget(self.key_edit)
        layout.addWidget(text_label("Fingerprint of the key above — it must match the one the "
                                    "archive shows:", HINT_STYLE))
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._check("")
        self.key_edit.setFocus()

    def _check(self, text: str) -> None:
        from voc_desktop.sync.archive_key import ArchiveKeyError, parse_archive_key

        self.save_button.setEnabled(False)
        self.problem.setText("")
        self.fingerprint.setText("—")
        if not text.strip():
            return
        try:
            key = parse_archive_key(text)
        except ArchiveKeyError as exc:
            self.problem.setText(str(exc))
            return
        self.fingerprint.setText(key.fingerprint)
        self.save_button.setEnabled(True)

    def save(self) -> None:
        try:
            bundle_settings.set_archive_key(self.ws, self.key_edit.text())
        except ServiceError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()

    def forget(self) -> None:
        bundle_settings.clear_archive_key(self.ws)
        self.accept()


class DeviceKeyDialog(QDialog):
    """This laptop's public key, to send to the archive's keeper, and its fingerprint."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("This laptop's device key")
        key = bundle_settings.device_key(ws)
        self.key_edit = QLineEdit(key.public_key)
        self.key_edit.setReadOnly(True)
        copy = QPushButton("&Copy key")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(key.public_key))
        row = QHBoxLayout()
        row.addWidget(self.key_edit, 1)
        row.addWidget(copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(
            "The archive accepts bundles only from laptops it knows. Send this key to whoever "
            "keeps the archive; when they enrol it, compare the fingerprint by phone or in "
            "person."))
        layout.addLayout(row)
        layout.addWidget(text_label("Fingerprint:", HINT_STYLE))
        layout.addWidget(fingerprint_label(key.fingerprint))
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        copy.setFocus()


class LaptopSync(QObject):
    """Bundle export and pack import for one window. `message` carries news for the status
    bar; `done` fires after a bundle was written and recorded, with its summary."""

    message = Signal(str)
    done = Signal(object)

    def __init__(self, ws: Workspace, window: QWidget) -> None:
        super().__init__(window)
        self.ws = ws
        self.window = window
        self.folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        self.task: BackgroundTask | None = None
        self.box: QMessageBox | None = None

    # export

    def export_bundle(self, everything: bool = False, encrypt: bool | None = None,
                      path: Path | None = None) -> bool:
        if self.task is not None and self.task.running:
            return False
        try:
            source = bundles.gather_bundle(self.ws, everything=everything, encrypt=encrypt)
        except ArchiveKeyMissing:
            return self._ask_about_key(everything, path)
        except NothingNew as exc:
            return self._offer_everything(str(exc).replace(" use --all to export everything.",
                                                           ""), path)
        except ServiceError as exc:
            self._tell(QMessageBox.Icon.Warning, "Bundle not exported", str(exc))
            return False
        path = path or self._ask_path(source)
        if path is None:
            return False
        self.folder = str(path.parent)
        task = BackgroundTask(
            self.window, "Export bundle", "Writing the bundle",
            lambda progress, cancelled: bundles.write_bundle(
                source, path, replace=True, progress=progress, cancelled=cancelled),
            cancel_errors=(BundleCancelled,))
        task.done.connect(lambda written: self._recorded(source, written))
        task.failed.connect(lambda m: self._tell(QMessageBox.Icon.Warning,
                                                 "Bundle not exported", m))
        task.cancelled.connect(lambda: self.message.emit("Bundle export cancelled; nothing "
                                                         "was written."))
        self.task = task
        task.start()
        return True

    def _ask_path(self, source: BundleSource) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export bundle for the archive",
            str(Path(self.folder) / source.file_name), BUNDLE_FILTER)
        if not path:
            return None
        path = Path(path)
        return path if path.suffix == bundles.SUFFIX else path.with_name(path.name
                                                                         + bundles.SUFFIX)

    def _recorded(self, source: BundleSource, written: bundles.WrittenBundle) -> None:
        try:
            summary = bundles.record_bundle(self.ws, source, written)
        except ServiceError as exc:
            self._tell(QMessageBox.Icon.Warning, "Bundle not exported", str(exc))
            return
        what = ", ".join(_counted(n, table) for table, n in summary.counts.items()
                         if table != "attachment_files")
        sealed = (f"Encrypted for the archive with key {summary.archive_fingerprint}."
                  if summary.encrypted else "Not encrypted, as you chose: send it only by a "
                  "safe route.")
        box = self._tell(QMessageBox.Icon.Information, "Bundle exported",
                         f"Bundle #{summary.sequence} is saved as\n{summary.path}",
                         f"It carries {what}; {summary.attachments} photos or files.\n{sealed}")
        show = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
        show.clicked.connect(lambda: show_in_folder(summary.path))
        self.message.emit(f"Bundle #{summary.sequence} saved to {summary.path}.")
        self.done.emit(summary)

    def _ask_about_key(self, everything: bool, path: Path | None) -> bool:
        box = self._tell(QMessageBox.Icon.Question, "Archive key needed",
                         "This laptop does not know your archive's key yet, so the bundle "
                         "cannot be encrypted for it.",
                         "Add the key the archive's keeper gives you, or export this bundle "
                         "unencrypted and send it only by a safe route.",
                         QMessageBox.StandardButton.Cancel)
        add = box.addButton("&Add the archive key…", QMessageBox.ButtonRole.AcceptRole)
        plain = box.addButton("Export &unencrypted", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(add)

        def chosen(button: object) -> None:
            if button is add and ArchiveKeyDialog(self.ws, self.window).exec():
                self.export_bundle(everything, None, path)
            elif button is plain:
                self.export_bundle(everything, False, path)

        box.buttonClicked.connect(chosen)
        return False

    def _offer_everything(self, text: str, path: Path | None) -> bool:
        box = self._tell(QMessageBox.Icon.Information, "Nothing new", text)
        again = box.addButton("Export &everything", QMessageBox.ButtonRole.ActionRole)
        box.buttonClicked.connect(
            lambda button: self.export_bundle(True, None, path) if button is again else None)
        return False

    # pack and keys

    def import_pack(self, path: Path | None = None) -> pack_import.PackSummary | None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self.window, "Import the archive's pack",
                                                    self.folder, BUNDLE_FILTER)
            if not chosen:
                return None
            path = Path(chosen)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            summary = pack_import.import_pack(self.ws, path)
        except ServiceError as exc:
            QApplication.restoreOverrideCursor()
            self._tell(QMessageBox.Icon.Warning, "Pack not imported", str(exc))
            return None
        QApplication.restoreOverrideCursor()
        conflicts = (f"\n{len(summary.conflicts)} records were changed both here and at the "
                     "archive; this laptop's copies were kept." if summary.conflicts else "")
        self._tell(QMessageBox.Icon.Information, "Pack imported",
                   f"From the archive ({summary.archive_fingerprint}): {summary.new} new, "
                   f"{summary.updated} updated, {summary.duplicates} already here."
                   + conflicts)
        self.message.emit("Archive pack imported.")
        return summary

    def edit_archive_key(self) -> bool:
        return bool(ArchiveKeyDialog(self.ws, self.window).exec())

    def show_device_key(self) -> None:
        DeviceKeyDialog(self.ws, self.window).exec()

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "",
              buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Close,
              ) -> QMessageBox:
        self.box = notice(self.window, icon, title, text, info=details, buttons=buttons,
                          closed=lambda: setattr(self, "box", None))
        if icon is QMessageBox.Icon.Warning:
            self.message.emit(text)
        return self.box


_ONE = {"accounts": "account", "contacts": "contact", "guide_versions": "guide version",
        "visits": "visit", "attendees": "attendee", "entries": "note",
        "key_learnings": "key learning", "action_items": "action item", "erasures": "erasure"}


def _counted(n: int, table: str) -> str:
    one = _ONE.get(table, table.replace("_", " "))
    return f"{n} {one}" if n == 1 else f"{n} {one}s"
