"""The laptop's sync in the window: archive key, bundle export with its choices, device key."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel

from voc_desktop.services.bundles import settings as bundle_settings
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.sync import keys, seal
from voc_desktop.sync.archive_key import archive_key_text, parse_archive_key
from voc_desktop.sync.bundle_file import open_bundle
from voc_desktop.ui.laptop.sync import ArchiveKeyDialog, DeviceKeyDialog


@pytest.fixture
def archive_keys():
    """An archive's key pair (encryption and signing) and the text laptops are given."""
    box, signer = seal.new_archive_key(), Ed25519PrivateKey.generate()
    return box, archive_key_text(box, keys.public_key_text(signer))


@pytest.fixture
def window(ws, open_window):
    """The main window on the sample workspace."""
    fill_demo(ws)
    return open_window(ws)


def _save_as(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: (str(path), "")))


def _box(sync, title):
    box = sync.box
    assert box is not None and box.windowTitle() == title, box and box.windowTitle()
    return box


def _click(qtbot, box, label):
    button = next(b for b in box.buttons() if b.text().replace("&", "") == label)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_archive_key_dialog_checks_and_shows_the_fingerprint(qtbot, ws, archive_keys):
    """A bad key is explained and cannot be saved; a good one shows its fingerprint."""
    dialog = ArchiveKeyDialog(ws)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.key_edit, "voc-archive-1:nonsense")
    assert not dialog.save_button.isEnabled() and dialog.problem.text()
    dialog.key_edit.setText(archive_keys[1])
    expected = parse_archive_key(archive_keys[1]).fingerprint
    assert dialog.fingerprint.text() == expected and dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert bundle_settings.archive_key(ws).fingerprint == expected


def test_device_key_dialog_shows_key_and_fingerprint(qtbot, ws):
    """The device key is shown whole, ready to copy, with its fingerprint."""
    dialog = DeviceKeyDialog(ws)
    qtbot.addWidget(dialog)
    assert dialog.key_edit.text() == ws.public_key and dialog.key_edit.isReadOnly()
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert keys.fingerprint(ws.public_key) in labels


def test_export_seals_for_the_archive_and_then_has_nothing_new(qtbot, window, archive_keys,
                                                              tmp_path, monkeypatch):
    """A bundle is written in the background, sealed; the next export says nothing is new."""
    box_key, text = archive_keys
    bundle_settings.set_archive_key(window.ws, text)
    sync = window.laptop_sync
    _save_as(monkeypatch, tmp_path / "first")
    with qtbot.waitSignal(sync.done, timeout=20000) as done:
        assert sync.export_bundle()
    summary = done.args[0]
    assert summary.path == tmp_path / "first.vocbundle" and summary.encrypted
    assert "Encrypted for the archive" in _box(sync, "Bundle exported").informativeText()
    with open_bundle(summary.path, archive_key=box_key) as bundle:
        assert bundle.manifest.sequence == 1 and bundle.sealed
        assert len(list(bundle.records("visits"))) == 4
    assert sync.export_bundle() is False
    nothing = _box(sync, "Nothing new")
    assert "Nothing new since bundle #1" in nothing.text()
    _save_as(monkeypatch, tmp_path / "again.vocbundle")
    with qtbot.waitSignal(sync.done, timeout=20000) as done:
        _click(qtbot, nothing, "Export everything")
    assert done.args[0].complete and done.args[0].sequence == 2


def test_without_a_key_unencrypted_is_an_explicit_choice(qtbot, window, tmp_path,
                                                         monkeypatch):
    """With no archive key the window asks; only the explicit choice writes a plain bundle."""
    sync = window.laptop_sync
    _save_as(monkeypatch, tmp_path / "plain.vocbundle")
    assert sync.export_bundle() is False
    question = _box(sync, "Archive key needed")
    assert not (tmp_path / "plain.vocbundle").exists()
    with qtbot.waitSignal(sync.done, timeout=20000) as done:
        _click(qtbot, question, "Export unencrypted")
    assert not done.args[0].encrypted
    assert "Not encrypted" in _box(sync, "Bundle exported").informativeText()


def test_bundle_export_is_in_the_menu_with_a_shortcut(window):
    """The Sync menu offers bundle export with Ctrl+Shift+X, the pack and both keys."""
    sync_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.text().replace("&", "") == "Sync")
    items = {a.text().replace("&", ""): a for a in sync_menu.actions() if a.text()}
    assert items["Export bundle for the archive…"].shortcut().toString() == "Ctrl+Shift+X"
    assert {"Import the archive's pack…", "Archive key…",
            "This laptop's device key…"} <= set(items)
