"""The archive keeper's dialog: import with progress, held bundles, enrolling, packs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from voc_desktop.services.archive.keeper import Archive, BundleStatus
from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.bundles import settings as bundle_settings
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.ui.archive.keeper_dialog import ArchiveDialog, EnrolDialog, open_archive_folder
from voc_desktop.ui.laptop.sync import LaptopSync


@pytest.fixture
def archive(tmp_path):
    """A new archive with its index beside it (not in its folder)."""
    made = Archive.create(tmp_path / "archive", index=tmp_path / "index.sqlite3")
    yield made
    made.close()


@pytest.fixture
def laptop_bundle(ws, archive, tmp_path):
    """The sample workspace's first bundle, sealed for the archive."""
    fill_demo(ws)
    bundle_settings.set_archive_key(ws, archive.info.key_text)
    return bundles.export_bundle(ws, tmp_path / "first.vocbundle")


@pytest.fixture
def dialog(qtbot, archive):
    window = ArchiveDialog(archive)
    qtbot.addWidget(window)
    window.show()
    return window


def test_unknown_laptop_is_held_then_accepted(qtbot, dialog, laptop_bundle, ws, monkeypatch):
    """A bundle from a laptop not enrolled is held; accepting enrols it and imports."""
    with qtbot.waitSignal(dialog.changed, timeout=20000):
        assert dialog.import_bundles([laptop_bundle.path])
    assert dialog.last_report.bundles[0].status is BundleStatus.HELD
    assert dialog.held_list.count() == 1
    assert ws.public_key and dialog.tabs.tabText(1) == "Held bundles (1)"
    dialog.held_list.setCurrentRow(0)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a: ("Maria", True)))
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.held_list.count() == 0
    assert "Maria" in dialog.devices.item(0).text()
    assert dialog.box.text().startswith("first.vocbundle: imported")
    assert "new" in dialog.box.text()


def test_enrolled_laptop_imports_straight_away_and_again_is_duplicate(qtbot, dialog,
                                                                      laptop_bundle, ws):
    """After enrolling by key, the bundle imports; the same file again changes nothing."""
    assert dialog.enrol(ws.public_key, "Sam's laptop")
    with qtbot.waitSignal(dialog.changed, timeout=20000):
        dialog.import_bundles([laptop_bundle.path])
    first = dialog.last_report.bundles[0]
    assert first.status is BundleStatus.IMPORTED and first.new > 0
    with qtbot.waitSignal(dialog.changed, timeout=20000):
        dialog.import_bundles([laptop_bundle.path])
    assert dialog.last_report.bundles[0].status is BundleStatus.DUPLICATE
    assert dialog.box.icon() == QMessageBox.Icon.Information


def test_a_bad_file_is_rejected_with_its_reason(qtbot, dialog, tmp_path):
    """A damaged file ends in a warning naming it; nothing is imported."""
    bad = tmp_path / "broken.vocbundle"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with qtbot.waitSignal(dialog.changed, timeout=20000):
        dialog.import_bundles([bad])
    result = dialog.last_report.bundles[0]
    assert result.status is BundleStatus.REJECTED and result.reason
    assert dialog.box.icon() == QMessageBox.Icon.Warning


def test_enrol_dialog_shows_the_fingerprint(qtbot, ws):
    """Pasting a device key shows its fingerprint before anything is enrolled."""
    from voc_desktop.sync import keys

    enrol = EnrolDialog()
    qtbot.addWidget(enrol)
    assert not enrol.ok.isEnabled()
    enrol.key_edit.setText(ws.public_key)
    assert enrol.fingerprint.text() == keys.fingerprint(ws.public_key) and enrol.ok.isEnabled()


def test_pack_goes_back_to_the_laptop(qtbot, dialog, laptop_bundle, ws, tmp_path):
    """A pack made in the dialog imports on a laptop that knows the archive's key."""
    dialog.enrol(ws.public_key, "Sam's laptop")
    with qtbot.waitSignal(dialog.changed, timeout=20000):
        dialog.import_bundles([laptop_bundle.path])
    pack = tmp_path / "pack.vocbundle"
    assert dialog.make_pack(pack) and pack.exists()
    from voc_desktop.services.workspace.workspace import Workspace

    other = Workspace.open(tmp_path / "second-laptop")
    try:
        bundle_settings.set_archive_key(other, dialog.archive.info.key_text)
        owner = QWidget()
        qtbot.addWidget(owner)  # closed after the test, with the summary box it shows
        summary = LaptopSync(other, owner).import_pack(pack)
        assert summary is not None and summary.new > 0 and not summary.conflicts
        assert len(other.visits.list()) == 3  # the completed visits, with their learnings
    finally:
        other.close()


def test_open_archive_folder_offers_to_create_one(qtbot, tmp_path, monkeypatch):
    """Choosing an empty folder offers a new archive; its index stays outside the folder."""
    monkeypatch.setenv("VOC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a: str(tmp_path / "shared")))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    made = open_archive_folder(None)
    assert made is not None and (tmp_path / "shared" / "archive.json").exists()
    assert tmp_path / "shared" not in made.index_path.parents
    made.close()


def test_a_deletion_of_another_laptops_record_is_accepted_or_refused_here(qtbot, dialog,
                                                                          archive, tmp_path):
    """A laptop deleting another's account shows as a deletion to accept or refuse;
    refusing keeps the record."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from support.archive_rows import account, uid, write_bundle

    from voc_desktop.sync import keys

    seal_for = archive.folder.encryption_key().public_key()
    a, b = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    for key in (a, b):
        archive.trust(keys.public_key_text(key), "laptop")
    write_bundle(tmp_path / "b.vocbundle", b, {"accounts": [account("a1", device="dev-b")]},
                 device_id="dev-b", seal_for=seal_for)
    write_bundle(tmp_path / "a.vocbundle", a, {"accounts": [account(
        "a1", revision=2, base="dev-b:1", deleted_at="2026-06-01T00:00:00Z")]},
        seal_for=seal_for)
    assert archive.import_bundles([tmp_path / "b.vocbundle", tmp_path / "a.vocbundle"]).ok
    dialog.refresh()
    assert dialog.conflict_list.item(0).text().endswith("deletion to accept or refuse")
    dialog.conflict_list.setCurrentRow(0)
    assert "Keep the archive's copy to refuse" in dialog.conflict_view.toPlainText()
    assert dialog.resolve("current")
    assert archive.index.row("accounts", uid("a1"))["deleted_at"] is None
