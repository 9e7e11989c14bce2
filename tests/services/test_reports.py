"""Exporting visit reports: formats, atomic files, failures that lose nothing, cancelling."""

from __future__ import annotations

import errno
import os

import pytest

from voc_desktop.services import reports
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.reports import (
    ExportCancelled,
    ReportFormat,
    export_visit_report,
    suggested_file_name,
)


@pytest.fixture
def demo_visit(ws):
    """A completed sample visit."""
    summary = fill_demo(ws)
    return summary.completed_visit_ids[0]


def _left_over(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize("fmt, magic", [("pdf", b"%PDF-"), ("docx", b"PK\x03\x04")])
def test_format_follows_the_file_name(ws, demo_visit, tmp_path, fmt, magic):
    """A .pdf path gets a PDF and a .docx path a Word file, readable only by the owner."""
    result = export_visit_report(ws, demo_visit, tmp_path / f"report.{fmt}")
    assert result.format is ReportFormat(fmt)
    data = result.path.read_bytes()
    assert data.startswith(magic) and result.size == len(data)
    assert os.stat(result.path).st_mode & 0o077 == 0
    assert _left_over(tmp_path) == []


def test_unknown_extension_needs_a_format(ws, demo_visit, tmp_path):
    """A name that says no format is refused unless the format is given."""
    with pytest.raises(ServiceError, match="name the file .docx or .pdf"):
        export_visit_report(ws, demo_visit, tmp_path / "report.txt")
    result = export_visit_report(ws, demo_visit, tmp_path / "report", "docx")
    assert result.path.read_bytes()[:2] == b"PK"


def test_suggested_name_has_date_and_account(ws, demo_visit):
    """The suggested file name starts with the visit date and names the account."""
    visit = ws.visits.get(demo_visit)
    account = ws.accounts.get(visit.account_id)
    name = suggested_file_name(ws, demo_visit, ReportFormat.PDF)
    assert name == f"{visit.visit_date} {account.name} visit report.pdf"


def test_progress_rises_to_done(ws, demo_visit, tmp_path):
    """Progress only goes forward and ends at 100."""
    seen: list[int] = []
    export_visit_report(ws, demo_visit, tmp_path / "r.pdf",
                        progress=lambda percent, what: seen.append(percent))
    assert seen == sorted(seen) and seen[0] < 30 and seen[-1] == 100 and len(seen) > 4


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_cancelling_writes_nothing(ws, demo_visit, tmp_path, fmt):
    """A cancelled export leaves the old file as it was and no temporary file behind."""
    target = tmp_path / f"r.{fmt}"
    target.write_bytes(b"the report sent yesterday")
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3  # stop once the writer is under way

    with pytest.raises(ExportCancelled):
        export_visit_report(ws, demo_visit, target, cancelled=cancelled)
    assert target.read_bytes() == b"the report sent yesterday"
    assert _left_over(tmp_path) == []


def test_full_disk_keeps_the_old_file(ws, demo_visit, tmp_path, monkeypatch):
    """When the disk fills up mid-write, the message says so and the old file survives."""
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old report")
    real_fsync = os.fsync

    def full(fd):
        real_fsync(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ServiceError, match="the disk is full. The file that was there is "
                       "unchanged"):
        export_visit_report(ws, demo_visit, target)
    assert target.read_bytes() == b"old report"
    assert _left_over(tmp_path) == []


def test_missing_folder_is_a_clear_error(ws, demo_visit, tmp_path):
    """Writing into a folder that does not exist names the problem."""
    with pytest.raises(ServiceError, match="the folder does not exist"):
        export_visit_report(ws, demo_visit, tmp_path / "nowhere" / "r.pdf")


def test_writer_failure_leaves_nothing_behind(ws, demo_visit, tmp_path, monkeypatch):
    """A writer that breaks half way leaves neither a half file nor a temporary one."""
    from voc_desktop.reports import pdf

    def broken(report, out, progress):
        out.write(b"%PDF-1.4 half a report")
        raise RuntimeError("font table damaged")

    monkeypatch.setattr(pdf, "write_pdf", broken)
    with pytest.raises(RuntimeError):
        export_visit_report(ws, demo_visit, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists() and _left_over(tmp_path) == []


def test_replacing_keeps_the_files_permissions(ws, demo_visit, tmp_path):
    """Replacing a file a person shared with their group keeps it shared."""
    target = tmp_path / "r.docx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    export_visit_report(ws, demo_visit, target)
    assert target.stat().st_mode & 0o777 == 0o640


def test_report_source_is_read_once(ws, demo_visit, tmp_path):
    """What is gathered from the workspace is enough to write the report without it."""
    source = reports.gather(ws, demo_visit)
    ws.close()
    result = reports.write_report(source, tmp_path / "r.pdf")
    assert result.size > 1000


def test_suggested_names_carry_no_hidden_persons_name(ws):
    """A firm named after someone shown by role only is named by that role in the report's
    and the brief's suggested file names."""
    from voc_desktop.domain.accounts import Consent, Role
    from voc_desktop.services import accounts, visits
    from voc_desktop.services.brief import suggested_brief_name

    account = accounts.create_account(ws, "Σωκράτης Παπαδόπουλος & Υιοί")
    accounts.add_contact(ws, account.id, "Σωκράτης Παπαδόπουλος",
                         roles=(Role.ECONOMIC_BUYER,),
                         consent=Consent(given=True, quote_by_name=False))
    visit = visits.plan_visit(ws, account.id, "Learn", visit_date="2026-11-20")
    assert suggested_file_name(ws, visit.id, ReportFormat.DOCX) == \
        "2026-11-20 (Economic buyer) & Υιοί visit report.docx"
    assert suggested_brief_name(ws, visit.id) == "2026-11-20 (Economic buyer) & Υιοί brief.pdf"
