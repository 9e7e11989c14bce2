"""A full disk seen from the window: exports say so in plain words and leave nothing behind.
(A full database while typing is covered in test_interview.py: the text stays on screen.)"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from support.full_disk import fill_disk_after

from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.bundles import settings as bundle_settings
from voc_desktop.services.demo.sample_workspace import fill_demo


@pytest.fixture
def demo(ws, open_window):
    """The sample workspace in a window, showing a completed visit."""
    visit = fill_demo(ws).completed_visit_ids[0]
    window = open_window(ws)
    window.open_visit(visit)
    return window


def save_as(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), a[-1] if a else "")))


def test_a_report_to_a_full_disk_says_so_and_leaves_no_file(qtbot, demo, tmp_path,
                                                            monkeypatch):
    """The warning names the full disk; the folder stays empty."""
    out = tmp_path / "out"
    out.mkdir()
    save_as(monkeypatch, out / "report.pdf")
    fill_disk_after(monkeypatch)
    with qtbot.waitSignal(demo.report_exporter.failed, timeout=20000) as failed:
        demo.export_report()
    assert "the disk is full" in failed.args[0]
    box = demo.report_exporter.result_box
    assert box.icon() == QMessageBox.Icon.Warning and "the disk is full" in box.text()
    assert list(out.iterdir()) == []


def test_a_bundle_to_a_full_disk_says_so_and_is_not_counted_as_sent(qtbot, demo, tmp_path,
                                                                     monkeypatch):
    """The bundle box warns of the full disk; no file, and the next export is bundle #1."""
    from support.laptop_sync import Archive as Keys

    bundle_settings.set_archive_key(demo.ws, Keys.new().text)
    out = tmp_path / "out"
    out.mkdir()
    save_as(monkeypatch, out / "b.vocbundle")
    fill_disk_after(monkeypatch)
    sync = demo.laptop_sync
    with qtbot.waitSignal(sync.message, timeout=20000) as said:
        assert sync.export_bundle()
    assert "the disk is full" in said.args[0] and "Nothing was recorded as sent" in said.args[0]
    assert sync.box.windowTitle() == "Bundle not exported"
    assert list(out.iterdir()) == [] and bundles.last_bundle(demo.ws) is None
