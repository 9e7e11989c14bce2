"""Exporting a visit report: read the visit, build the content once, write DOCX or PDF.

The file appears only when it is whole: the writer fills a temporary file beside the
target, which then replaces the target in one step. A failed or cancelled export leaves
whatever was at the path before exactly as it was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from voc_desktop.domain.accounts import Contact
from voc_desktop.domain.names import NameGuard
from voc_desktop.domain.visit import Visit
from voc_desktop.reports.content import VisitReport, build_visit_report, file_stem
from voc_desktop.safe_files import why_not_written, write_atomically
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.progress import Progress, cancellable
from voc_desktop.services.visits import VisitRecord, load_visit
from voc_desktop.services.workspace.workspace import Workspace

_log = logging.getLogger(__name__)


class ReportFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"

    @property
    def label(self) -> str:
        return {"docx": "Word document", "pdf": "PDF document"}[self.value]

    @classmethod
    def from_path(cls, path: Path | str) -> ReportFormat | None:
        try:
            return cls(Path(path).suffix.lower().lstrip("."))
        except ValueError:
            return None


class ExportCancelled(Exception):
    """The person stopped the export; nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: ReportFormat
    size: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportSource:
    """Everything a report is made from, read from the workspace in one go. Building and
    writing the report from it touches no database, so it can run on a worker thread."""

    record: VisitRecord
    people: tuple[Contact, ...]  # all the account's contacts, for the naming rule
    files: dict[str, bytes]  # attachments by content hash

    def report(self) -> VisitReport:
        r = self.record
        return build_visit_report(
            visit=r.visit, account=r.account, guide=r.guide,
            attendees=[(a.attendee, a.contact) for a in r.attendees],
            entries=r.entries, learnings=r.learnings, actions=r.actions,
            people=self.people, attachment=self.files.get)


def gather(ws: Workspace, visit_id: str) -> ReportSource:
    record = load_visit(ws, visit_id)
    shas = {e.attachment_sha for e in record.entries if e.attachment_sha}
    files = {sha: data for sha in shas if (data := ws.attachments.data(sha)) is not None}
    return ReportSource(record, tuple(ws.accounts.contacts(record.account.id)), files)


def visit_report(ws: Workspace, visit_id: str) -> VisitReport:
    """The content of one visit's report, as both formats will show it."""
    return gather(ws, visit_id).report()


def suggested_file_name(ws: Workspace, visit_id: str, fmt: ReportFormat) -> str:
    r = load_visit(ws, visit_id)
    return f"{file_stem(r.visit.visit_date, masked_account(ws, r.visit))}.{fmt.value}"


def masked_account(ws: Workspace, visit: Visit) -> str:
    """The account's name as a file name may carry it: with the names of its people who
    are shown by role only replaced, as in the report itself."""
    account = ws.accounts.get(visit.account_id)
    if account is None:
        return "visit"
    guard = NameGuard.for_people(ws.accounts.contacts(account.id),
                                 named_freely=visit.interviewers)
    return guard(account.name)


def export_visit_report(ws: Workspace, visit_id: str, path: Path | str,
                        fmt: ReportFormat | str | None = None, *,
                        progress: Progress | None = None,
                        cancelled: Callable[[], bool] = lambda: False) -> ExportResult:
    """Write one visit's report to `path`, in the format its extension names unless `fmt`
    says otherwise."""
    return write_report(gather(ws, visit_id), path, fmt, progress=progress,
                        cancelled=cancelled)


def write_report(source: ReportSource, path: Path | str,
                 fmt: ReportFormat | str | None = None, *, progress: Progress | None = None,
                 cancelled: Callable[[], bool] = lambda: False) -> ExportResult:
    """Build and write the report. Needs no workspace, so it may run off the UI thread;
    `progress` hears how far it got, and `cancelled` returning True stops it cleanly."""
    started = time.perf_counter()
    path = Path(path).expanduser()
    fmt = ReportFormat(fmt) if fmt else ReportFormat.from_path(path)
    if fmt is None:
        raise ServiceError(f"Cannot tell the report format from '{path.name}': "
                           "name the file .docx or .pdf, or choose a format.")
    check = cancellable(progress, cancelled, ExportCancelled)
    check(5, "Preparing the photos")
    report = source.report()
    check(30, f"Writing the {fmt.label}")
    if fmt is ReportFormat.DOCX:
        from voc_desktop.reports.docx import write_docx as write
    else:
        from voc_desktop.reports.pdf import write_pdf as write
    warnings = save_document(path, "report", lambda f: write(report, f, check))
    if progress:
        progress(100, "Done")
    size = path.stat().st_size
    _log.info("Report written: %s, %d bytes, %d warnings, %.0f ms", fmt.value, size,
              len(warnings), (time.perf_counter() - started) * 1000)
    return ExportResult(path, fmt, size, warnings)


def save_document(path: Path, what: str,
                  fill: Callable[[BinaryIO], Iterable[str] | None]) -> tuple[str, ...]:
    """Write a document atomically; `fill` writes it and returns warnings for a person.
    A disk that refuses ends in a message saying why, with the old file untouched."""
    warnings: list[str] = []
    try:
        write_atomically(path, lambda f: warnings.extend(fill(f) or ()))
    except OSError as exc:
        kept = " The file that was there is unchanged." if path.exists() else ""
        raise ServiceError(f"Could not write the {what} to {path}: "
                           f"{why_not_written(exc)}.{kept}") from exc
    return tuple(warnings)
