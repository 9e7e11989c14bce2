"""Exporting a visit report from the window: where to save it, progress while it is
written on a worker thread, and a way to open the file or its folder afterwards."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from voc_desktop.services import reports
from voc_desktop.services.reports import ExportCancelled, ExportResult, ReportFormat
from voc_desktop.services.workspace import ServiceError, Workspace

FILTERS = {ReportFormat.PDF: "PDF document (*.pdf)",
           ReportFormat.DOCX: "Word document (*.docx)"}
# A report of a short visit is written before a dialog could be read; show progress only
# when it takes longer than this.
PROGRESS_AFTER_MS = 400


class _Signals(QObject):
    progress = Signal(int, str)
    done = Signal(object)  # ExportResult
    failed = Signal(str)
    cancelled = Signal()


class ReportExporter(QObject):
    """Owns one export at a time for a window. `finished` carries the written file's path;
    `failed` a message a person understands."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget) -> None:
        super().__init__(parent)
        self.ws = ws
        self.window = parent
        self.folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        self.format = ReportFormat.PDF
        self.busy = False
        self._signals: _Signals | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.result_box: QMessageBox | None = None
        self._stop = threading.Event()

    # asking

    def ask_path(self, visit_id: str) -> Path | None:
        """The save dialog, on the last folder used and a name made from date and account."""
        name = reports.suggested_file_name(self.ws, visit_id, self.format)
        filters = [FILTERS[self.format]] + [f for k, f in FILTERS.items() if k != self.format]
        path, chosen = QFileDialog.getSaveFileName(
            self.window, "Export visit report", str(Path(self.folder) / name),
            ";;".join(filters), filters[0])
        if not path:
            return None
        fmt = next((k for k, f in FILTERS.items() if f == chosen), self.format)
        path = Path(path)
        if ReportFormat.from_path(path) is None:
            path = path.with_name(f"{path.name}.{fmt.value}")
        return path

    def export(self, visit_id: str, path: Path | None = None) -> bool:
        """Ask where (unless given), then write the report in the background. Returns False
        when nothing was started."""
        if self.busy:
            return False
        path = path or self.ask_path(visit_id)
        if path is None:
            return False
        fmt = ReportFormat.from_path(path) or self.format
        try:
            source = reports.gather(self.ws, visit_id)  # the database is read here, once
        except ServiceError as exc:
            self._show_failure(str(exc))
            return False
        self.folder, self.format, self.busy = str(path.parent), fmt, True
        self._stop.clear()
        # no Qt parent: the worker may still emit while the window closes, so the signals
        # object must live as long as the worker holds it
        signals = self._signals = _Signals()
        signals.progress.connect(self._on_progress)
        signals.done.connect(self._on_done)
        signals.failed.connect(self._on_failed)
        signals.cancelled.connect(self._on_cancelled)
        self._open_progress(fmt)

        def work() -> None:
            try:
                result = reports.write_report(source, path, fmt,
                                              progress=signals.progress.emit,
                                              cancelled=self._stop.is_set)
            except ExportCancelled:
                signals.cancelled.emit()
            except ServiceError as exc:
                signals.failed.emit(str(exc))
            except Exception as exc:  # noqa: BLE001 - a report must never take the app down
                signals.failed.emit(f"The report could not be written: {exc}")
            else:
                signals.done.emit(result)

        QThreadPool.globalInstance().start(work)
        return True

    def cancel(self) -> None:
        self._stop.set()

    def shut_down(self, wait_ms: int = 10000) -> None:
        """Stop a running export before the window goes: the writer cleans up after itself,
        so no half-written file is left behind."""
        if self.busy:
            self.cancel()
            QThreadPool.globalInstance().waitForDone(wait_ms)

    # progress and outcome

    def _open_progress(self, fmt: ReportFormat) -> None:
        dialog = QProgressDialog(f"Writing the {fmt.label.lower()}…", "Cancel", 0, 100,
                                 self.window)
        dialog.setWindowTitle("Export visit report")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)
        self.progress_dialog = dialog

    def _on_progress(self, percent: int, what: str) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText(f"{what}…")
            self.progress_dialog.setValue(min(percent, 99))

    def _close_progress(self) -> None:
        self.busy = False
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self.cancel)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _on_done(self, result: ExportResult) -> None:
        self._close_progress()
        box = QMessageBox(QMessageBox.Icon.Information, "Report saved",
                          f"The {result.format.label.lower()} is saved as\n{result.path}",
                          QMessageBox.StandardButton.Close, self.window)
        if result.warnings:
            box.setInformativeText("\n".join(result.warnings))
        open_file = box.addButton("&Open report", QMessageBox.ButtonRole.AcceptRole)
        show_folder = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(open_file)
        open_file.clicked.connect(lambda: open_path(result.path))
        show_folder.clicked.connect(lambda: show_in_folder(result.path))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.result_box = box
        box.finished.connect(lambda _=0: setattr(self, "result_box", None))
        box.open()
        self.finished.emit(result.path)

    def _on_failed(self, message: str) -> None:
        self._close_progress()
        self._show_failure(message)

    def _on_cancelled(self) -> None:
        self._close_progress()
        self.failed.emit("The export was cancelled; no file was written.")

    def _show_failure(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Report not saved", message,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.result_box = box
        box.finished.connect(lambda _=0: setattr(self, "result_box", None))
        box.open()
        self.failed.emit(message)


def open_path(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_in_folder(path: Path) -> bool:
    """Open the file manager on the file's folder, with the file selected where the platform
    allows it."""
    import subprocess

    try:
        if sys.platform == "win32":
            subprocess.Popen(["explorer", "/select,", str(path)])  # noqa: S603,S607
            return True
        if sys.platform == "darwin":
            subprocess.Popen(["open", "-R", str(path)])  # noqa: S603,S607
            return True
    except OSError:
        pass
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
