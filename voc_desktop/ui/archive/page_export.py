"""Writing an archive report from a page: where to save it, progress while a worker writes it
with its own archive connection, and a way to open the file or its folder afterwards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.reports import ExportResult
from voc_desktop.ui.common.report_export import FILTERS, DocumentExport

__all__ = ["FILTERS", "CsvJob", "PageExport", "ReportWork"]

# A CSV export that needs only a lens of its own thread and where to write: rows written.
CsvJob = Callable[[ArchiveWorkspace, Path], int]
# work(lens opened in the worker, progress, cancelled) -> ExportResult
ReportWork = Callable[[ArchiveWorkspace, Any, Callable[[], bool]], ExportResult]


class PageExport(DocumentExport):
    """One report export at a time for an archive page."""

    def __init__(self, lens: ArchiveWorkspace, parent: QWidget, title: str) -> None:
        super().__init__(parent, title)
        self.lens = lens

    def run(self, path: Path, work: ReportWork) -> bool:
        """Write in the background. False when an export is already running."""
        lens = self.lens

        def in_worker(progress, cancelled) -> ExportResult:
            own = lens.reopen()  # a connection belongs to the thread that opened it
            try:
                return work(own, progress, cancelled)
            finally:
                own.close()

        return self.start(path, in_worker)
