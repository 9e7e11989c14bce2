"""Exporting a visit report from the window: save dialog, background writing, the result."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from voc_desktop.services import reports
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.reports import ExportCancelled
from voc_desktop.ui.common import report_export


@pytest.fixture
def demo_window(ws, open_window):
    """The main window on the sample workspace, showing a completed visit."""
    summary = fill_demo(ws)
    window = open_window(ws)
    window.open_visit(summary.completed_visit_ids[0])
    return window, summary.completed_visit_ids[0]


@pytest.fixture
def save_as(monkeypatch):
    """Answers the save dialog with a chosen path and filter, remembering what it offered."""
    offered = {}

    def choose(path, chosen_filter=None):
        def fake(parent, caption, directory, filters, selected):
            offered.update(directory=directory, filters=filters, selected=selected)
            return str(path), chosen_filter or selected
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
        return offered

    return choose


def test_export_button_writes_a_pdf_and_offers_to_open_it(qtbot, demo_window, save_as,
                                                          tmp_path, monkeypatch):
    """The visit page's button asks where, writes in the background and offers the file."""
    window, visit_id = demo_window
    offered = save_as(tmp_path / "report.pdf")
    opened = []
    monkeypatch.setattr(report_export, "open_path", lambda p: opened.append(p) or True)
    button = window.visit_page.export_button
    with qtbot.waitSignal(window.report_exporter.finished, timeout=20000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert done.args == [tmp_path / "report.pdf"]
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert offered["directory"].endswith(reports.suggested_file_name(
        window.ws, visit_id, reports.ReportFormat.PDF))
    box = window.report_exporter.result_box
    assert box is not None and box.isVisible()
    labels = [b.text().replace("&", "") for b in box.buttons()]
    assert "Open report" in labels and "Show in folder" in labels
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the default button opens the report
    assert opened == [tmp_path / "report.pdf"]
    assert "Report saved to" in window.statusBar().currentMessage()


def test_menu_shortcut_exports_docx_chosen_by_filter(qtbot, demo_window, save_as, tmp_path):
    """Ctrl+E exports the visit on screen; picking the Word filter adds .docx to the name."""
    window, _ = demo_window
    save_as(tmp_path / "for the team", report_export.FILTERS[reports.ReportFormat.DOCX])
    assert window.export_report_action.isEnabled()
    with qtbot.waitSignal(window.report_exporter.finished, timeout=20000):
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert (tmp_path / "for the team.docx").read_bytes().startswith(b"PK")
    # the next export starts in the same folder and offers the last format first
    offered = save_as(tmp_path / "again.pdf")
    window.report_exporter.ask_path(window.shown_visit_id())
    assert offered["directory"].startswith(str(tmp_path))
    assert offered["selected"] == report_export.FILTERS[reports.ReportFormat.DOCX]


def test_failure_is_explained_and_nothing_written(qtbot, demo_window, save_as, tmp_path):
    """A folder that does not exist ends in a warning that says why."""
    window, _ = demo_window
    save_as(tmp_path / "gone" / "report.pdf")
    with qtbot.waitSignal(window.report_exporter.failed, timeout=20000) as failed:
        window.export_report()
    assert "the folder does not exist" in failed.args[0]
    box = window.report_exporter.result_box
    assert box.icon() == QMessageBox.Icon.Warning and "does not exist" in box.text()
    assert not (tmp_path / "gone").exists()


def test_cancel_stops_the_export(qtbot, demo_window, tmp_path, monkeypatch):
    """Cancel in the progress dialog stops the writer; nothing is written."""
    window, visit_id = demo_window
    started = []

    def slow(source, path, fmt=None, *, progress=None, cancelled=lambda: False):
        started.append(path)
        while not cancelled():
            progress(40, "Writing")
            time.sleep(0.01)
        raise ExportCancelled

    monkeypatch.setattr(reports, "write_report", slow)
    exporter = window.report_exporter
    assert exporter.export(visit_id, tmp_path / "r.pdf")
    assert exporter.export(visit_id, tmp_path / "second.pdf") is False  # one at a time
    qtbot.waitUntil(lambda: bool(started))
    dialog = exporter.progress_dialog
    qtbot.waitUntil(dialog.isVisible)  # shown once the export takes a moment
    with qtbot.waitSignal(exporter.failed, timeout=5000) as failed:
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert "cancelled" in failed.args[0]
    assert not exporter.busy and exporter.progress_dialog is None
    assert not (tmp_path / "r.pdf").exists() and not (tmp_path / "second.pdf").exists()


def test_export_is_off_without_a_visit(open_window, ws):
    """With no visit on screen there is nothing to export."""
    window = open_window(ws)
    assert not window.export_report_action.isEnabled()


def test_closing_the_window_stops_a_running_export(qtbot, demo_window, tmp_path, monkeypatch):
    """Closing the window mid-export cancels it and waits, leaving no file behind."""
    window, visit_id = demo_window
    seen = []

    def slow(source, path, fmt=None, *, progress=None, cancelled=lambda: False):
        while not cancelled():
            time.sleep(0.01)
        seen.append("stopped")
        raise ExportCancelled

    monkeypatch.setattr(reports, "write_report", slow)
    assert window.report_exporter.export(visit_id, tmp_path / "r.pdf")
    window.close()
    assert seen == ["stopped"] and not (tmp_path / "r.pdf").exists()
