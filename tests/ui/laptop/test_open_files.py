"""Files handed to the window: the archive's pack goes into this laptop, a laptop's bundle
into the archive the person picks (remembered), anything else gets a plain answer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.bundles import settings as bundle_settings
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.archive.keeper_dialog import ArchiveDialog
from voc_desktop.ui.laptop import open_files


@pytest.fixture
def remembered(tmp_path, monkeypatch):
    """The app's settings in a file of the test's own."""
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(open_files, "settings", lambda: store)
    return store


@pytest.fixture
def laptop(ws, tmp_path, monkeypatch):
    """The sample workspace with an archive it knows, and its first bundle, sealed."""
    monkeypatch.setenv("VOC_DATA_DIR", str(tmp_path / "data"))  # where archive indexes go
    archive = Archive.create(tmp_path / "archive")
    fill_demo(ws)
    bundle_settings.set_archive_key(ws, archive.info.key_text)
    archive.trust(ws.public_key, "Sam's laptop")
    archive.close()
    return ws, tmp_path / "archive", bundles.export_bundle(ws, tmp_path / "b.vocbundle").path


def boxes(window) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_a_laptops_bundle_goes_into_the_chosen_archive(qtbot, laptop, open_window,
                                                       remembered, monkeypatch):
    """The person picks the archive folder; the bundle is imported there with the archive
    dialog's report, and the folder is offered first next time."""
    ws, folder, bundle = laptop
    offered = []

    def choose(parent, title, start):
        offered.append((title, start))
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose))
    window = open_window(ws)
    window.open_files([bundle])
    dialog = window.findChild(ArchiveDialog)
    qtbot.waitUntil(lambda: getattr(dialog, "last_report", None) is not None, timeout=20000)
    assert dialog.last_report.totals["imported"] == 1
    assert offered == [("Choose the archive folder to take in this laptop's bundle", "")]
    assert remembered.value(open_files.LAST_ARCHIVE) == str(folder)
    dialog.close()
    window.open_files([bundle, bundle])
    assert offered[1] == ("Choose the archive folder to take in these 2 bundles", str(folder))
    again = next(d for d in window.findChildren(ArchiveDialog) if d is not dialog)
    qtbot.waitUntil(lambda: getattr(again, "last_report", None) is not None, timeout=20000)
    assert again.last_report.totals["duplicate_bundles"] == 2


def test_choosing_no_archive_imports_nothing_and_says_so(laptop, open_window, remembered,
                                                         monkeypatch):
    """Cancelling the folder choice leaves the archive alone, with a word in the status bar."""
    ws, folder, bundle = laptop
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a: ""))
    window = open_window(ws)
    window.open_files([bundle])
    assert window.findChild(ArchiveDialog) is None
    assert "not imported" in window.statusBar().currentMessage()
    assert remembered.value(open_files.LAST_ARCHIVE) is None


def test_the_archives_pack_goes_into_this_laptop(qtbot, laptop, open_window, tmp_path):
    """A pack handed to another laptop's window is imported there, with the usual report."""
    ws, folder, bundle = laptop
    with Archive.open(folder) as archive:
        assert archive.import_bundles([bundle]).ok
        pack = archive.write_pack(tmp_path / "pack.vocbundle").path
        key = archive.info.key_text
    other = Workspace.open(tmp_path / "second-laptop")
    try:
        bundle_settings.set_archive_key(other, key)
        window = open_window(other)
        window.open_files([pack])
        assert len(other.visits.list()) == 3
        assert any(text.startswith("From the archive") for text in boxes(window))
    finally:
        other.close()


def test_other_files_get_a_plain_answer(open_window, ws, tmp_path):
    """A file that is not a bundle, and one that is gone, are each explained."""
    (tmp_path / "notes.txt").write_text("shopping list")
    window = open_window(ws)
    window.open_files([tmp_path / "notes.txt", tmp_path / "gone.vocbundle"])
    shown = boxes(window)
    assert "notes.txt is not a VOC bundle, so VOC Desktop cannot open it." in shown
    assert any("gone.vocbundle cannot be read" in text for text in shown)


def test_handed_files_bring_the_window_to_the_front(qtbot, open_window, ws):
    """A minimized window is restored and made active."""
    window = open_window(ws)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    window.open_files([])
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert window.isVisible()
