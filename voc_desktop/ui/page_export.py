"""Writing an archive report from a page: where to save it, progress while a worker writes it
with its own archive connection, and a way to open the file or its folder afterwards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from voc_desktop.services.archive_workspace import ArchiveWorkspace
from voc_desktop.services.reports import ExportCancelled, ExportResult, ReportFormat
from voc_desktop.ui import report_export
from voc_desktop.ui.background import BackgroundTask
from voc_desktop.ui.notice import notice

FILTERS = report_export.FILTERS

# work(lens opened in the worker, progress, cancelled) -> ExportResult
ReportWork = Callable[[ArchiveWorkspace, Any, Callable[[], bool]], ExportResult]


class PageExport(QObject):
    """One report export at a time for a page. `finished` carries the written file's path,
    `failed` a message a person understands."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, lens: ArchiveWorkspace, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self.lens = lens
        self.window = parent
        self.title = title
        self.folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        self.format = ReportFormat.PDF
        self.task: BackgroundTask | None = None
        self.result_box: QMessageBox | None = None

    def ask_path(self, name_for: Callable[[ReportFormat], str]) -> Path | None:
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

    def run(self, path: Path, work: ReportWork) -> bool:
        """Write in the background. False when an export is already running."""
        if self.busy:
            return False
        fmt = ReportFormat.from_path(path) or self.format
        self.folder, self.format = str(path.parent), fmt
        lens = self.lens

        def in_worker(progress, cancelled) -> ExportResult:
            own = lens.reopen()  # a connection belongs to the thread that opened it
            try:
                return work(own, progress, cancelled)
            finally:
                own.close()

        task = BackgroundTask(self.window, self.title, f"Writing the {fmt.label}", in_worker,
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

    def shut_down(self) -> None:
        if self.task:
            self.task.stop_and_wait()

    def _on_done(self, result: ExportResult) -> None:
        self.result_box = notice(
            self.window, QMessageBox.Icon.Information, "Report saved",
            f"The {result.format.label} is saved as\n{result.path}",
            info="\n".join(result.warnings),
            closed=lambda: setattr(self, "result_box", None))
        open_file = self.result_box.addButton("&Open report", QMessageBox.ButtonRole.AcceptRole)
        show_folder = self.result_box.addButton("Show in &folder",
                                                QMessageBox.ButtonRole.ActionRole)
        self.result_box.setDefaultButton(open_file)
        open_file.clicked.connect(lambda: report_export.open_path(result.path))
        show_folder.clicked.connect(lambda: report_export.show_in_folder(result.path))
        self.finished.emit(result.path)

    def _show_failure(self, message: str) -> None:
        self.result_box = notice(self.window, QMessageBox.Icon.Warning, "Report not saved",
                                 message, buttons=QMessageBox.StandardButton.Ok,
                                 closed=lambda: setattr(self, "result_box", None))
        self.failed.emit(message)
