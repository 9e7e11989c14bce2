"""Exporting a visit report from the window: where to save it, progress while it is
written on a worker thread, and a way to open the file or its folder afterwards."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from voc_desktop.services import reports
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.reports import ExportCancelled, ExportResult, ReportFormat
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common.background import BackgroundTask
from voc_desktop.ui.common.notice import notice

FILTERS = {ReportFormat.PDF: "PDF document (*.pdf)",
           ReportFormat.DOCX: "Word document (*.docx)"}


Work = Callable[[Any, Callable[[], bool]], ExportResult]  # (progress, cancelled) -> result



def documents_folder(kind: QStandardPaths.StandardLocation =
                     QStandardPaths.StandardLocation.DocumentsLocation) -> str:
    """Where a file dialog opens first: the person's documents (or pictures) folder, never
    the folder the app happened to be started from."""
    return QStandardPaths.writableLocation(kind) or str(Path.home())

class DocumentExport(QObject):
    """Owns one document export at a time for a window: the save dialog on the last folder
    and format used, the writing on a worker thread, and Open / Show in folder after.
    `finished` carries the written file's path; `failed` a message a person understands."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self.window = parent
        self.title = title
        self.folder = documents_folder()
        self.format = ReportFormat.PDF
        self.task: BackgroundTask | None = None
        self.result_box: QMessageBox | None = None

    def ask_save_path(self, name_for: Callable[[ReportFormat], str]) -> Path | None:
        """The save dialog on the last folder used, offering the last format first; the
        chosen filter decides the format when the name has no extension."""
        filters = [FILTERS[self.format]] + [f for k, f in FILTERS.items() if k != self.format]
        path, chosen = QFileDialog.getSaveFileName(
            self.window, self.title, str(Path(self.folder) / name_for(self.format)),
            ";;".join(filters), filters[0])
        if not path:
            return None
        fmt = next((k for k, f in FILTERS.items() if f == chosen), self.format)
        path = Path(path)
        if ReportFormat.from_path(path) is None:
            path = path.with_name(f"{path.name}.{fmt.value}")
        return path

    def start(self, path: Path, work: Work) -> bool:
        """Write in the background. False when an export is already running."""
        if self.busy:
            return False
        fmt = ReportFormat.from_path(path) or self.format
        self.folder, self.format = str(path.parent), fmt
        task = BackgroundTask(self.window, self.title, f"Writing the {fmt.label}", work,
                              cancel_errors=(ExportCancelled,))
        task.done.connect(self._on_done)
        task.failed.connect(self._show_failure)
        task.cancelled.connect(
            lambda: self.failed.emit("The export was cancelled; no file was written."))
        self.task = task
        task.start()
        return True

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self.task.dialog if self.busy and self.task else None

    def cancel(self) -> None:
        if self.task:
            self.task.cancel()

    def shut_down(self) -> None:
        """Stop a running export before the window goes: the writer cleans up after itself,
        so no half-written file is left behind."""
        if self.task:
            self.task.stop_and_wait()

    def _on_done(self, result: ExportResult) -> None:
        box = self._tell(QMessageBox.Icon.Information, "Report saved",
                         f"The {result.format.label} is saved as\n{result.path}",
                         "\n".join(result.warnings))
        open_file = box.addButton("&Open report", QMessageBox.ButtonRole.AcceptRole)
        show_folder = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(open_file)
        open_file.clicked.connect(lambda: open_path(result.path))
        show_folder.clicked.connect(lambda: show_in_folder(result.path))
        self.finished.emit(result.path)

    def _show_failure(self, message: str) -> None:
        self._tell(QMessageBox.Icon.Warning, "Report not saved", message,
                   buttons=QMessageBox.StandardButton.Ok)
        self.failed.emit(message)

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str, info: str = "",
              buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Close,
              ) -> QMessageBox:
        self.result_box = notice(self.window, icon, title, text, info=info, buttons=buttons,
                                 closed=lambda: setattr(self, "result_box", None))
        return self.result_box


class ReportExporter(DocumentExport):
    """A visit's report, from the laptop's window."""

    def __init__(self, ws: Workspace, parent: QWidget) -> None:
        super().__init__(parent, "Export visit report")
        self.ws = ws

    def ask_path(self, visit_id: str) -> Path | None:
        """The save dialog, on the last folder used and a name made from date and account."""
        return self.ask_save_path(
            lambda fmt: reports.suggested_file_name(self.ws, visit_id, fmt))

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
        return self.start(path, lambda progress, cancelled: reports.write_report(
            source, path, fmt, progress=progress, cancelled=cancelled))


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
