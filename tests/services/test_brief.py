"""The pre-visit brief through the services: read from the workspace once, written whole."""

from __future__ import annotations

import io
import os

import pytest
from pypdf import PdfReader

from voc_desktop.domain.visit import VisitStatus
from voc_desktop.services.brief import (
    brief,
    export_brief,
    gather_brief,
    suggested_brief_name,
    write_brief,
)
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.reports import ExportCancelled, ReportFormat
from voc_desktop.services.workspace.workspace import Workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The sample workspace, shared by the tests that only read it; and its folder."""
    folder = tmp_path_factory.mktemp("brief") / "ws"
    ws = Workspace.open(folder)
    summary = fill_demo(ws)
    yield ws, summary, folder
    ws.close()


def _left_over(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_brief_of_the_planned_visit_draws_on_the_accounts_earlier_visit(demo):
    """The planned visit's brief holds the one completed visit to the same account."""
    ws, summary, _ = demo
    planned = ws.visits.get(summary.planned_visit_id)
    same_account = [v for v in ws.visits.list(account_id=planned.account_id,
                                              status=VisitStatus.COMPLETED)]
    b = brief(ws, planned.id)
    assert [e.iso_date for e in b.earlier] == [v.visit_date for v in same_account]
    assert len(b.earlier) == 1 and b.planned
    assert b == gather_brief(ws, planned.id).brief()


def test_open_questions_come_from_the_last_visits_entries(demo):
    """The second Halvorsen visit's brief lists the first one's unanswered questions,
    read from its entries and its guide: the skipped one first."""
    ws, summary, _ = demo
    latest = next(v for v in ws.visits.list(status=VisitStatus.COMPLETED)
                  if v.objective.startswith("Learn how the next equipment budget"))
    b = brief(ws, latest.id)
    assert [e.objective[:10] for e in b.earlier] == ["Understand"]
    assert b.questions[0].text == "What keeps you from winning more of your market?"
    assert b.questions[0].state == "skipped"
    assert all(q.state == "not asked" for q in b.questions[1:])
    assert "This visit has taken place" in b.status_note


def test_export_writes_a_private_one_page_pdf(demo, tmp_path):
    """The brief is a one-page PDF, readable by its owner only, with no temporary file
    left behind; progress ends at 100."""
    ws, summary, _ = demo
    calls = []
    result = export_brief(ws, summary.planned_visit_id, tmp_path / "b.pdf",
                          progress=lambda p, what: calls.append(p))
    data = result.path.read_bytes()
    assert data.startswith(b"%PDF-") and result.size == len(data)
    assert os.stat(result.path).st_mode & 0o077 == 0 and _left_over(tmp_path) == []
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 1 and "Pre-visit brief" in pages[0].extract_text()
    assert calls == sorted(calls) and calls[-1] == 100


def test_suggested_name_has_date_account_and_brief(demo):
    """The suggested name starts with the visit date, then the account, then "brief"."""
    ws, summary, _ = demo
    planned = ws.visits.get(summary.planned_visit_id)
    assert suggested_brief_name(ws, planned.id) == (
        f"{planned.visit_date} Brightway Regional Logistics brief.pdf")


def test_a_failing_writer_keeps_the_old_file(demo, tmp_path, monkeypatch):
    """A writer that breaks half way leaves the file that was there as it was."""
    from voc_desktop.reports import brief_pdf

    ws, summary, _ = demo
    target = tmp_path / "b.pdf"
    target.write_bytes(b"yesterday's brief")

    def broken(content, out):
        out.write(b"%PDF-1.4 half a brief")
        raise RuntimeError("font table damaged")

    monkeypatch.setattr(brief_pdf, "write_brief_pdf", broken)
    with pytest.raises(RuntimeError):
        export_brief(ws, summary.planned_visit_id, target)
    assert target.read_bytes() == b"yesterday's brief" and _left_over(tmp_path) == []


def test_missing_folder_and_unknown_visit_are_clear_errors(demo, tmp_path):
    """A folder that does not exist, or a visit id that does not, is named as the problem."""
    ws, summary, _ = demo
    with pytest.raises(ServiceError, match="brief to .* the folder does not exist"):
        export_brief(ws, summary.planned_visit_id, tmp_path / "nowhere" / "b.pdf")
    with pytest.raises(ServiceError, match="No visit with id"):
        brief(ws, "no-such-visit")


def test_source_is_read_once(demo, tmp_path):
    """What is gathered is enough to write the brief with the workspace closed."""
    _, summary, folder = demo
    ws = Workspace.open(folder)
    source = gather_brief(ws, summary.planned_visit_id)
    ws.close()
    result = write_brief(source, tmp_path / "b.pdf")
    assert result.size > 1000 and result.format is ReportFormat.PDF


def test_cancelling_writes_nothing(demo, tmp_path):
    """A cancelled export stops with ExportCancelled and leaves the old file as it was."""
    ws, summary, _ = demo
    target = tmp_path / "b.pdf"
    target.write_bytes(b"yesterday's brief")
    with pytest.raises(ExportCancelled):
        export_brief(ws, summary.planned_visit_id, target, cancelled=lambda: True)
    assert target.read_bytes() == b"yesterday's brief" and _left_over(tmp_path) == []
