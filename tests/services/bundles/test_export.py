"""Bundles out of a laptop: incremental exports, sealing, failures that leave nothing
behind, erasure, and the keys."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from support.laptop_sync import (
    PHOTO,
    PHOTO_SHA,
    SYNCED,
    Archive,
    Filled,
    fill,
    ids,
    raw,
    read_bundle,
    snapshot,
)

from voc_desktop.services import interview
from voc_desktop.services.accounts import update_account
from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.bundles.export import ArchiveKeyMissing, NothingNew
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import get_meta
from voc_desktop.sync import keys, seal
from voc_desktop.sync.archive_key import parse_archive_key
from voc_desktop.sync.bundle_file import BundleWriter, open_bundle


@pytest.fixture(scope="module")
def archive() -> Archive:
    return Archive.new()


@pytest.fixture
def filled(ws: Workspace, archive: Archive, tmp_path: Path) -> Filled:
    return fill(ws, archive, tmp_path)


# --- exports -----------------------------------------------------------------------------

def test_first_bundle_carries_everything_sealed_and_signed(filled: Filled,
                                                           archive: Archive) -> None:
    """The first bundle holds every row and the photo, is sealed for the archive, signed by
    the device, and its rows are then marked as shared."""
    ws = filled.ws
    summary = bundles.export_bundle(ws, filled.out)
    assert summary.path.parent == filled.out and summary.path.name.endswith(" #1.vocbundle")
    assert summary.path.read_bytes().startswith(seal.MAGIC)
    assert (summary.sequence, summary.previous_sequence, summary.complete) == (1, None, False)
    assert summary.archive_fingerprint == parse_archive_key(archive.text).fingerprint
    bundle, tables = read_bundle(summary.path, archive)
    m = bundle.manifest
    assert bundle.signer_key == ws.public_key
    assert m.extra == {"kind": "bundle", "workspace_id": ws.device_id}
    assert (m.device_id, m.sequence, m.previous_sequence) == (ws.device_id, 1, None)
    for table in SYNCED:
        held = ws.db.execute(f'SELECT id FROM "{table}"').fetchall()
        assert ids(tables.get(table, [])) == {r[0] for r in held}, table
    quote = next(r for r in tables["entries"] if r["id"] == filled.quote_id)
    assert quote["text"] == "We lose a day each week" and quote["base_version"] is None
    assert "change_seq" not in quote
    assert tables["attachment_files"] == [{"sha256": PHOTO_SHA, "name": "file.jpg",
                                           "mime": "image/jpeg", "size": len(PHOTO)}]
    assert tables["_files"] == {PHOTO_SHA: PHOTO}
    assert summary.counts["entries"] == 2 and summary.attachments == 1
    row = raw(ws, "entries", filled.quote_id)
    assert row["base_version"] == f"{row['device_id']}:{row['revision']}"
    assert get_meta(ws.db, "bundle_sequence") == "1"


def test_next_bundle_carries_only_the_changes(filled: Filled, archive: Archive) -> None:
    """After a bundle, the next one holds just the rows changed since, based on what the
    first one sent."""
    ws = filled.ws
    bundles.export_bundle(ws, filled.out)
    interview.update_text(ws, filled.quote_id, "We lose two days each week")
    update_account(ws, filled.account_id, vertical="Food")
    second = bundles.export_bundle(ws, filled.out)
    assert (second.sequence, second.previous_sequence, second.complete) == (2, 1, False)
    bundle, tables = read_bundle(second.path, archive)
    # the learning drawn from the quote follows its text
    assert set(bundle.manifest.tables) == {"entries", "accounts", "key_learnings"}
    assert ids(tables["key_learnings"]) == {filled.learning_id}
    (quote,) = tables["entries"]
    assert quote["text"] == "We lose two days each week"
    assert quote["base_version"] == f"{ws.device_id}:1"
    assert quote["revision"] == 2
    assert tables["_files"] == {}


def test_nothing_new_writes_nothing_and_says_so(filled: Filled) -> None:
    """With no change since the last bundle no file is written and the counters stay."""
    ws = filled.ws
    first = bundles.export_bundle(ws, filled.out)
    before = snapshot(ws)
    with pytest.raises(NothingNew, match=r"Nothing new since bundle #1 of \d{4}-\d\d-\d\d; "
                                         "use --all to export everything.") as info:
        bundles.export_bundle(ws, filled.out)
    assert info.value.sequence == 1
    assert sorted(filled.out.iterdir()) == [first.path]
    assert snapshot(ws) == before


def test_all_exports_everything_again(filled: Filled, archive: Archive) -> None:
    """--all writes a complete bundle with every row, even when nothing changed."""
    ws = filled.ws
    bundles.export_bundle(ws, filled.out)
    full = bundles.export_bundle(ws, filled.out, everything=True)
    assert (full.sequence, full.previous_sequence, full.complete) == (2, None, True)
    _, tables = read_bundle(full.path, archive)
    assert ids(tables["contacts"]) == {filled.anna, filled.bob}
    assert tables["_files"] == {PHOTO_SHA: PHOTO}
    with pytest.raises(NothingNew, match="#2"):
        bundles.export_bundle(ws, filled.out)


def test_deletions_travel_as_tombstones(filled: Filled, archive: Archive) -> None:
    """A note deleted after a bundle goes in the next one with deleted_at set; its photo
    does not travel again."""
    ws = filled.ws
    bundles.export_bundle(ws, filled.out)
    interview.delete_entry(ws, filled.photo_entry_id)
    summary = bundles.export_bundle(ws, filled.out)
    _, tables = read_bundle(summary.path, archive)
    (entry,) = tables["entries"]
    assert entry["id"] == filled.photo_entry_id and entry["deleted_at"]
    assert tables["_files"] == {}


def test_unencrypted_only_when_asked(ws: Workspace, tmp_path: Path) -> None:
    """Without an archive key the export is refused and writes nothing, unless the person
    chose to export unencrypted."""
    with pytest.raises(ArchiveKeyMissing, match="voc settings archive-key KEY.*--no-encrypt"):
        bundles.export_bundle(ws, tmp_path)
    assert list(tmp_path.iterdir()) == [tmp_path / "ws"]
    assert get_meta(ws.db, "bundle_sequence") is None
    summary = bundles.export_bundle(ws, tmp_path, encrypt=False)
    assert summary.archive_fingerprint is None and not summary.encrypted
    assert summary.path.read_bytes().startswith(b"PK\x03\x04")
    with open_bundle(summary.path) as b:
        assert ids(list(b.records("guide_versions")))


def test_encrypt_false_stays_plain_even_with_a_key(filled: Filled) -> None:
    """Choosing no encryption is honoured when a key is known too."""
    summary = bundles.export_bundle(filled.ws, filled.out, encrypt=False)
    assert summary.path.read_bytes().startswith(b"PK\x03\x04")


def test_a_missing_folder_leaves_the_workspace_as_it_was(filled: Filled) -> None:
    """Writing into a folder that does not exist fails plainly and records nothing."""
    before = snapshot(filled.ws)
    with pytest.raises(ServiceError, match="the folder does not exist. Nothing was recorded"):
        bundles.export_bundle(filled.ws, filled.out / "gone" / "b.vocbundle")
    assert snapshot(filled.ws) == before


@pytest.mark.parametrize("encrypt", [None, False])
def test_a_failing_disk_leaves_no_file_and_no_record(filled: Filled, monkeypatch,
                                                     encrypt: bool | None) -> None:
    """A disk error in the middle of writing leaves no file, no temporary file, and the
    workspace unchanged; the next export is the same bundle again."""
    before = snapshot(filled.ws)

    def broken(self, sha256, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(BundleWriter, "add_attachment", broken)
    with pytest.raises(ServiceError, match="the disk is full"):
        bundles.export_bundle(filled.ws, filled.out, encrypt=encrypt)
    assert list(filled.out.iterdir()) == []
    assert sorted(p.name for p in filled.ws.data_dir.iterdir() if not p.name.startswith(
        "workspace.sqlite3")) == ["device-key.pem"]
    assert snapshot(filled.ws) == before
    monkeypatch.undo()
    assert bundles.export_bundle(filled.ws, filled.out).sequence == 1


def test_a_failed_record_removes_the_written_file(filled: Filled, monkeypatch) -> None:
    """If noting the export fails after the file was written, the file goes too."""
    from voc_desktop.store.sync_rows import SyncRows

    before = snapshot(filled.ws)

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(SyncRows, "mark_shared", locked)
    with pytest.raises(ServiceError, match="Nothing was written"):
        bundles.export_bundle(filled.ws, filled.out)
    assert list(filled.out.iterdir()) == []
    assert snapshot(filled.ws) == before


def test_an_existing_file_is_not_overwritten(filled: Filled) -> None:
    """A bundle never replaces a file by accident: it may be one not yet delivered."""
    target = filled.out / "mine.vocbundle"
    target.write_bytes(b"older bundle")
    with pytest.raises(ServiceError, match="already exists"):
        bundles.export_bundle(filled.ws, target)
    assert target.read_bytes() == b"older bundle"
    assert bundles.export_bundle(filled.ws, target, replace=True).path == target


def test_writing_runs_on_a_worker_thread_with_progress(filled: Filled, archive) -> None:
    """Gathered on the calling thread, the file is written on another one (attachments
    through their own connection) while progress climbs to 100."""
    ws = filled.ws
    source = bundles.gather_bundle(ws)
    seen: list[int] = []
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(bundles.write_bundle(
        source, filled.out, progress=lambda percent, what: seen.append(percent))))
    worker.start()
    worker.join()
    summary = bundles.record_bundle(ws, source, result[0])
    assert seen == sorted(seen) and seen[-1] == 100 and len(seen) > 3
    _, tables = read_bundle(summary.path, archive)
    assert tables["_files"] == {PHOTO_SHA: PHOTO}


def test_cancelling_writes_and_records_nothing(filled: Filled) -> None:
    """A cancelled export leaves no file behind and the counters unchanged."""
    source = bundles.gather_bundle(filled.ws)
    with pytest.raises(bundles.BundleCancelled):
        bundles.write_bundle(source, filled.out, cancelled=lambda: True)
    assert list(filled.out.iterdir()) == []
    assert bundles.last_bundle(filled.ws) is None


# --- erasure -----------------------------------------------------------------------------

def test_erasing_a_contact_here_and_in_the_next_bundle(filled: Filled, archive) -> None:
    """An erasure empties the person here and travels in the next bundle with the rows."""
    ws = filled.ws
    bundles.export_bundle(ws, filled.out)
    preview = bundles.erasure_preview(ws, filled.anna[:8])
    assert (preview.name, preview.quotes, preview.attendances, preview.learnings) == \
        ("Anna Berg", 1, 1, 1)
    done = bundles.erase_contact(ws, filled.anna)
    assert done.erased_at and (done.quotes, done.attendances, done.learnings) == (1, 1, 1)
    assert ws.accounts.contact(filled.anna) is None
    assert raw(ws, "contacts", filled.anna)["name"] == ""
    assert raw(ws, "entries", filled.quote_id)["text"] == ""
    assert ws.visits.learning(filled.learning_id) is None
    assert [a.contact_id for a in ws.visits.attendees(filled.visit_id)] == [filled.bob]
    summary = bundles.export_bundle(ws, filled.out)
    _, tables = read_bundle(summary.path, archive)
    (erasure,) = tables["erasures"]
    assert erasure == {"contact_id": filled.anna, "account_id": filled.account_id,
                       "erased_at": done.erased_at, "device_id": ws.device_id}
    assert ids(tables["contacts"]) == {filled.anna}
    assert tables["contacts"][0]["name"] == "" and tables["entries"][0]["text"] == ""
    with pytest.raises(ServiceError, match="already erased"):
        bundles.erase_contact(ws, filled.anna)


def test_an_erased_persons_words_leave_the_file(filled: Filled) -> None:
    """After an erasure the closed workspace file holds neither the name nor their quote."""
    ws = filled.ws
    quote = raw(ws, "entries", filled.quote_id)["text"]
    assert quote
    bundles.erase_contact(ws, filled.anna)
    ws.close()
    data = ws.path.read_bytes()
    assert not ws.path.with_name(ws.path.name + "-wal").exists()
    assert b"Anna Berg" not in data and quote.encode() not in data


def test_erasing_an_unknown_contact_is_refused(filled: Filled) -> None:
    """An id that matches no contact is refused with a pointer to where ids are shown."""
    with pytest.raises(ServiceError, match="No contact with id nope"):
        bundles.erase_contact(filled.ws, "nope")


# --- the archive key ---------------------------------------------------------------------

def test_archive_key_set_show_and_clear(ws: Workspace, archive: Archive) -> None:
    """The key is checked, stored in its canonical form, shown, and forgotten on request."""
    assert bundles.archive_key(ws) is None
    wrapped = archive.text[:40] + "\n   " + archive.text[40:] + "  "
    key = bundles.set_archive_key(ws, wrapped)
    assert key.text == archive.text and bundles.archive_key(ws) == key
    assert key.signing_public_text == keys.public_key_text(archive.signer)
    assert len(key.fingerprint) == 19 and key.fingerprint.count("-") == 3
    assert bundles.clear_archive_key(ws) == key
    assert bundles.archive_key(ws) is None and bundles.clear_archive_key(ws) is None


@pytest.mark.parametrize(("text", "says"), [
    ("", "empty"),
    ("ed25519:" + "A" * 43 + "=", "device key"),
    ("x25519:" + "A" * 43 + "=", "only the encryption half"),
    ("voc-archive-9:a:b", "newer VOC Desktop"),
    ("hello", "starts with 'voc-archive-1:'"),
    ("voc-archive-1:abc", "two keys"),
    ("voc-archive-1:abc:def", "44 characters of base64"),
])
def test_a_bad_archive_key_is_refused_and_nothing_stored(ws: Workspace, text: str,
                                                         says: str) -> None:
    """Each way of getting the key wrong gets its own message; nothing is stored."""
    with pytest.raises(ServiceError, match=says):
        bundles.set_archive_key(ws, text)
    assert bundles.archive_key(ws) is None


def test_a_cut_archive_key_is_refused(archive: Archive, ws: Workspace) -> None:
    """A key missing its last characters is not taken for another key."""
    with pytest.raises(ServiceError, match="copied whole"):
        bundles.set_archive_key(ws, archive.text[:-3])


def test_device_key_is_the_one_bundles_are_signed_with(ws: Workspace) -> None:
    """The shown device key and fingerprint belong to the key that signs bundles."""
    shown = bundles.device_key(ws)
    assert shown.public_key == keys.public_key_text(ws.device_key)
    assert shown.fingerprint == keys.fingerprint(shown.public_key)
    assert shown.device_id == ws.device_id


# --- packs -------------------------------------------------------------------------------
