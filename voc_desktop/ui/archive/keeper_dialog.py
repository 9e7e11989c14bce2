"""The shared archive as its keeper runs it from the desktop: import bundles with progress,
enrol laptops by their key's fingerprint, accept or refuse held bundles, settle conflicts,
and make packs for the laptops."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.services.archive.keeper import Archive, BundleStatus, ImportReport
from voc_desktop.services.errors import ServiceError
from voc_desktop.ui.common.background import BackgroundTask
from voc_desktop.ui.common.bundle_parts import BUNDLE_FILTER, fingerprint_label
from voc_desktop.ui.common.look import ERROR_STYLE, HINT_STYLE, heading_label, text_label
from voc_desktop.ui.common.notice import notice


class EnrolDialog(QDialog):
    """Paste a laptop's device key; the fingerprint shows at once to compare by phone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Enrol a laptop")
        self.setMinimumWidth(520)
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("ed25519:…  (from the laptop: Sync › This laptop's "
                                         "device key, or `voc device-key`)")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("whose laptop, e.g. Maria's ThinkPad")
        self.fingerprint = fingerprint_label("—")
        self.problem = text_label("", ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Enrol")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.key_edit.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(self.key_edit)
        layout.addWidget(self.name_edit)
        layout.addWidget(text_label("Fingerprint — ask the laptop's owner to read theirs out:",
                                    HINT_STYLE))
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._check("")

    def _check(self, text: str) -> None:
        from voc_desktop.sync import keys

        self.ok.setEnabled(False)
        self.fingerprint.setText("—")
        self.problem.setText("")
        text = text.strip()
        if not text:
            return
        if not text.startswith("ed25519:") or len(text) < 20:
            self.problem.setText("A device key starts with 'ed25519:' and is one line.")
            return
        self.fingerprint.setText(keys.fingerprint(text))
        self.ok.setEnabled(True)


class ArchiveDialog(QDialog):
    """One open archive. Everything here writes to the archive's folder and index, never to
    the laptop's workspace."""

    changed = Signal()

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.task: BackgroundTask | None = None
        self.last_report: ImportReport | None = None
        self.box: QMessageBox | None = None
        info = archive.info
        self.setWindowTitle(f"Archive — {info.folder.name}")
        self.resize(860, 600)

        key_row = QHBoxLayout()
        key_row.addWidget(text_label(f"Folder: {info.folder}", HINT_STYLE), 1)
        copy = QPushButton("Copy the archive &key for laptops")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(info.key_text))
        key_row.addWidget(copy)
        self.import_button = QPushButton("&Import bundles…")
        self.import_button.clicked.connect(lambda: self.import_bundles())
        self.pack_button = QPushButton("Make a &pack for laptops…")
        self.pack_button.clicked.connect(lambda: self.make_pack())
        actions = QHBoxLayout()
        actions.addWidget(self.import_button)
        actions.addWidget(self.pack_button)
        actions.addStretch(1)

        self.devices = QListWidget()
        enrol = QPushButton("E&nrol a laptop…")
        enrol.clicked.connect(lambda: self.enrol())
        self.held_list = QListWidget()
        self.accept_button = QPushButton("&Accept and import")
        self.refuse_button = QPushButton("&Refuse")
        self.accept_button.clicked.connect(lambda: self.accept_held())
        self.refuse_button.clicked.connect(lambda: self.refuse_held())
        self.conflict_list = QListWidget()
        self.conflict_view = QTextBrowser()
        self.keep_current = QPushButton("Keep the archive's &copy")
        self.keep_incoming = QPushButton("Keep the &incoming copy")
        self.keep_current.clicked.connect(lambda: self.resolve("current"))
        self.keep_incoming.clicked.connect(lambda: self.resolve("incoming"))
        self.conflict_list.currentRowChanged.connect(self._show_conflict)
        self.held_list.currentRowChanged.connect(self._held_selected)

        self.tabs = QTabWidget()
        self.tabs.addTab(_column(self.devices, _row(enrol)), "Laptops")
        self.tabs.addTab(_column(self.held_list, _row(self.accept_button, self.refuse_button)),
                         "Held bundles")
        self.tabs.addTab(_column(self.conflict_list, self.conflict_view,
                                 _row(self.keep_current, self.keep_incoming)), "Conflicts")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Shared archive", "$question"))
        layout.addWidget(text_label(f"Archive key fingerprint: {info.key_fingerprint}"))
        layout.addLayout(key_row)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.refresh()
        self.import_button.setFocus()

    # lists

    def refresh(self) -> None:
        try:
            devices, held = self.archive.devices(), self.archive.held()
            conflicts = self.archive.conflicts()
        except ServiceError as exc:
            self._tell(QMessageBox.Icon.Warning, "Archive", str(exc))
            return
        self.devices.clear()
        for d in devices:
            self.devices.addItem(f"{d.name or 'unnamed laptop'}    {d.fingerprint}    "
                                 f"enrolled {d.enrolled_at[:10]}")
        if not devices:
            self.devices.addItem("No laptop is enrolled yet: bundles will be held.")
        self.held = held
        self.held_list.clear()
        for h in held:
            rows = sum(h.counts.values())
            self.held_list.addItem(f"{h.original_name} — unknown laptop {h.signer_fingerprint},"
                                   f" bundle #{h.sequence}, {rows} records, "
                                   f"held {h.held_at[:10]}")
        self.conflicts = conflicts
        self.conflict_list.clear()
        for c in conflicts:
            what = "deletion to accept or refuse" if c.is_deletion else \
                ", ".join(c.fields) or "deleted in one copy"
            self.conflict_list.addItem(QListWidgetItem(f"{c.table} {c.record_id[:8]}: {what}"))
        self.tabs.setTabText(1, f"Held bundles ({len(held)})")
        self.tabs.setTabText(2, f"Conflicts ({len(conflicts)})")
        self._held_selected(self.held_list.currentRow())
        self._show_conflict(self.conflict_list.currentRow())

    def _held_selected(self, row: int) -> None:
        on = 0 <= row < len(self.held)
        self.accept_button.setEnabled(on)
        self.refuse_button.setEnabled(on)

    def _show_conflict(self, row: int) -> None:
        on = 0 <= row < len(self.conflicts)
        self.keep_current.setEnabled(on)
        self.keep_incoming.setEnabled(on)
        if not on:
            self.conflict_view.setPlainText("" if self.conflicts else "No open conflicts.")
            return
        c = self.conflicts[row]
        first = (f"{c.table} {c.record_id}: another laptop deleted what {c.current_version} "
                 "recorded. Keep the archive's copy to refuse the deletion, the incoming "
                 "copy to accept it.") if c.is_deletion else \
            f"{c.table} {c.record_id}: changed in two places."
        lines = [first,
                 f"Archive's copy: {c.current_version}    Incoming copy: {c.incoming_version}",
                 ""]
        for name in c.fields:
            lines.append(f"{name}:")
            lines.append(f"    archive:  {_value(c.current, name)}")
            lines.append(f"    incoming: {_value(c.incoming, name)}")
        self.conflict_view.setPlainText("\n".join(lines))

    # actions

    def import_bundles(self, paths: list[Path] | None = None) -> bool:
        if self.task is not None and self.task.running:
            return False
        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(
                self, "Import bundles", QStandardPaths.writableLocation(
                    QStandardPaths.StandardLocation.DocumentsLocation), BUNDLE_FILTER)
            paths = [Path(p) for p in chosen]
        if not paths:
            return False
        folder, index = self.archive.folder.path, self.archive.index_path

        def work(progress, cancelled) -> ImportReport:
            # the index connection belongs to the thread that opens it
            with Archive.open(folder, index=index) as archive:
                return archive.import_bundles(
                    paths, cancelled=cancelled,
                    progress=lambda done, total, name: progress(
                        int(100 * done / max(total, 1)), f"Importing {name}" if name
                        else "Finishing"))

        task = BackgroundTask(self, "Import bundles", "Checking the bundles", work)
        task.done.connect(self._imported)
        task.failed.connect(lambda m: self._tell(QMessageBox.Icon.Warning, "Import", m))
        self.task = task
        task.start()
        return True

    def _imported(self, report: ImportReport) -> None:
        self.last_report = report
        t = report.totals
        lines = [f"{t['imported']} imported, {t['duplicate_bundles']} already in the archive, "
                 f"{t['held']} held, {t['rejected']} rejected.",
                 f"Records: {t['new']} new, {t['updated']} updated, {t['duplicates']} "
                 f"unchanged, {t['conflicts']} conflicts."]
        details = [f"{b.file}: {b.status.value}" + (f" — {b.reason}" if b.reason else "")
                   for b in report.bundles]
        icon = (QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Warning)
        self._tell(icon, "Import finished", "\n".join(lines), "\n".join(details))
        self.refresh()
        self.changed.emit()

    def enrol(self, key: str | None = None, name: str = "") -> bool:
        if key is None:
            dialog = EnrolDialog(self)
            if not dialog.exec():
                return False
            key, name = dialog.key_edit.text().strip(), dialog.name_edit.text().strip()
        try:
            device, added = self.archive.trust(key, name)
        except ServiceError as exc:
            self._tell(QMessageBox.Icon.Warning, "Enrol a laptop", str(exc))
            return False
        self._tell(QMessageBox.Icon.Information, "Enrol a laptop",
                   f"{'Enrolled' if added else 'Already enrolled:'} {device.name} "
                   f"({device.fingerprint}).")
        self.refresh()
        return True

    def accept_held(self) -> bool:
        row = self.held_list.currentRow()
        if not 0 <= row < len(self.held):
            return False
        entry = self.held[row]
        name, ok = QInputDialog.getText(
            self, "Accept a held bundle",
            f"Enrol the laptop with fingerprint {entry.signer_fingerprint} and import its "
            "bundle.\nCompare the fingerprint with its owner first.\n\nWhose laptop is it?")
        if not ok:
            return False
        try:
            _, result = self.archive.accept(entry.bundle_id, name.strip())
        except ServiceError as exc:
            self._tell(QMessageBox.Icon.Warning, "Accept", str(exc))
            return False
        self._tell(QMessageBox.Icon.Information, "Accept",
                   f"{entry.original_name}: {result.status.value}"
                   + (f" — {result.reason}" if result.reason else "")
                   + (f"; {result.new} new, {result.updated} updated records."
                      if result.status is BundleStatus.IMPORTED else ""))
        self.refresh()
        self.changed.emit()
        return True

    def refuse_held(self) -> bool:
        row = self.held_list.currentRow()
        if not 0 <= row < len(self.held):
            return False
        entry = self.archive.refuse(self.held[row].bundle_id)
        self._tell(QMessageBox.Icon.Information, "Refuse",
                   f"{entry.original_name} was removed from the held bundles; nothing of it "
                   "was imported.")
        self.refresh()
        return True

    def resolve(self, keep: str) -> bool:
        row = self.conflict_list.currentRow()
        if not 0 <= row < len(self.conflicts):
            return False
        try:
            result = self.archive.resolve(self.conflicts[row].id, keep)
        except ServiceError as exc:
            self._tell(QMessageBox.Icon.Warning, "Conflict", str(exc))
            return False
        if result.outcome != "applied":
            self._tell(QMessageBox.Icon.Information, "Conflict",
                       f"Another lead settled this first ({result.detail or result.outcome}); "
                       f"it keeps the {result.keep} copy. Your choice stays on record.")
        self.refresh()
        self.changed.emit()
        return True

    def make_pack(self, path: Path | None = None) -> bool:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Make a pack for laptops", "archive pack.vocbundle", BUNDLE_FILTER)
            if not chosen:
                return False
            path = Path(chosen)
        try:
            summary = self.archive.write_pack(path)
        except ServiceError as exc:
            self._tell(QMessageBox.Icon.Warning, "Pack", str(exc))
            return False
        self._tell(QMessageBox.Icon.Information, "Pack",
                   f"Saved {summary.path} with {len(summary.accounts)} accounts, their "
                   "earlier visits' key learnings and the current guides.")
        return True

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str,
              details: str = "") -> QMessageBox:
        self.box = notice(self, icon, title, text, details=details,
                          closed=lambda: setattr(self, "box", None))
        return self.box

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        if self.task is not None:
            self.task.stop_and_wait()
        self.archive.close()
        super().done(result)


def _value(row: dict | None, name: str) -> str:
    if row is None:
        return "(erased)"
    value = row.get(name)
    return "(empty)" if value in (None, "") else str(value)


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w)
    layout.addStretch(1)
    return box


def _column(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    for w in widgets:
        layout.addWidget(w)
    return box


def open_archive_folder(parent: QWidget, folder: Path | None = None, *,
                        data_dir: Path | None = None) -> Archive | None:
    """Pick an archive folder; an empty one can become a new archive. Its index lives in
    `data_dir`, the open workspace's folder."""
    if folder is None:
        chosen = QFileDialog.getExistingDirectory(parent, "Open or create a shared archive")
        if not chosen:
            return None
        folder = Path(chosen)
    try:
        return Archive.open(folder, data_dir=data_dir)
    except ServiceError as opened:
        if (folder / "archive.json").exists() or (folder.exists() and any(folder.iterdir())):
            QMessageBox.warning(parent, "Archive", str(opened))
            return None
    answer = QMessageBox.question(
        parent, "New archive", f"{folder} holds no archive yet. Create a new shared archive "
        "there? Its key pair is made now; keep the folder's key files private.")
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        return Archive.create(folder, data_dir=data_dir)
    except ServiceError as exc:
        QMessageBox.warning(parent, "Archive", str(exc))
        return None

