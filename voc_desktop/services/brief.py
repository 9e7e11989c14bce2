"""The pre-visit brief: read a visit and the account's earlier visits, build the brief,
show it or write it as a PDF.

Reading happens on the calling thread, all of it in `gather_brief`; the source it returns
builds and writes the brief without touching the workspace, so that part may run on a
worker thread. The PDF appears only when it is whole, as with the visit report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from voc_desktop.domain.accounts import Contact
from voc_desktop.domain.visit import VisitStatus
from voc_desktop.reports.brief import PastVisit, VisitBrief, brief_stem, build_brief, earlier_visits
from voc_desktop.services.progress import Progress, cancellable
from voc_desktop.services.reports import (
    ExportCancelled,
    ExportResult,
    ReportFormat,
    masked_account,
    save_document,
)
from voc_desktop.services.visits import VisitRecord, get_visit, load_visit
from voc_desktop.services.workspace.workspace import Workspace


@dataclass(frozen=True)
class BriefSource:
    """Everything a brief is made from, read in one go."""

    record: VisitRecord
    earlier: tuple[PastVisit, ...]  # newest first
    people: tuple[Contact, ...]  # all the account's contacts, for the naming rule

    def brief(self, today: date | None = None) -> VisitBrief:
        r = self.record
        return build_brief(visit=r.visit, account=r.account,
                           attendees=[(a.attendee, a.contact) for a in r.attendees],
                           earlier=self.earlier, people=self.people, today=today)


def gather_brief(ws: Workspace, visit_id: str) -> BriefSource:
    record = load_visit(ws, visit_id)
    account_id = record.account.id
    people = tuple(ws.accounts.contacts(account_id))
    contacts = {c.id: c for c in people}
    done = ws.visits.list(account_id=account_id, status=VisitStatus.COMPLETED)
    earlier: list[PastVisit] = []
    for n, v in enumerate(earlier_visits(record.visit, done)):
        attendees = tuple((a, contacts[a.contact_id]) for a in ws.visits.attendees(v.id)
                          if a.contact_id in contacts)
        guide = entries = None
        if n == 0:  # only the latest visit's unanswered questions are listed
            stored = ws.guides.version(v.guide_version_id)
            guide = stored.guide if stored else None
            entries = tuple(ws.visits.entries(v.id))
        earlier.append(PastVisit(v, attendees, tuple(ws.visits.learnings(v.id)),
                                 tuple(ws.visits.actions(v.id)), guide, entries or ()))
    return BriefSource(record, tuple(earlier), people)


def brief(ws: Workspace, visit_id: str) -> VisitBrief:
    """The brief for one visit, as the screen and the PDF show it."""
    return gather_brief(ws, visit_id).brief()


def suggested_brief_name(ws: Workspace, visit_id: str) -> str:
    v = get_visit(ws, visit_id)
    return f"{brief_stem(v.visit_date, masked_account(ws, v))}.pdf"


def export_brief(ws: Workspace, visit_id: str, path: Path | str, *,
                 progress: Progress | None = None,
                 cancelled: Callable[[], bool] = lambda: False) -> ExportResult:
    """Write one visit's brief as a PDF to `path`."""
    return write_brief(gather_brief(ws, visit_id), path, progress=progress,
                       cancelled=cancelled)


def write_brief(source: BriefSource, path: Path | str, *, progress: Progress | None = None,
                cancelled: Callable[[], bool] = lambda: False) -> ExportResult:
    """Build and write the brief. Needs no workspace, so it may run off the UI thread;
    `cancelled` returning True before the file is written stops it, leaving no file."""
    from voc_desktop.reports.brief_pdf import write_brief_pdf

    path = Path(path).expanduser()
    check = cancellable(progress, cancelled, ExportCancelled)
    check(10, "Drawing the account's history together")
    content = source.brief()
    check(40, "Writing the PDF")
    warnings = save_document(path, "brief", lambda f: write_brief_pdf(content, f))
    if progress:
        progress(100, "Done")
    return ExportResult(path, ReportFormat.PDF, path.stat().st_size, warnings)

