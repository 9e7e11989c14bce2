"""Importing bundles: round trips, sequences, re-imports, overlaps and late copies."""

from __future__ import annotations

import json

from support.archive_rows import (
    account,
    action_item,
    attachment_file,
    attendee,
    contact,
    entry,
    guide_version,
    key_learning,
    tree_hashes,
    uid,
    visit,
)

from voc_desktop.services.archive.keeper import BundleStatus
from voc_desktop.store.archive_migrations import SYNCED_COLUMNS

PHOTO = bytes(range(256)) * 40


def full_tables() -> dict[str, list[dict]]:
    return {
        "guide_versions": [guide_version()],
        "accounts": [account("a1")],
        "contacts": [contact("c1", "a1")],
        "visits": [visit("v1", "a1")],
        "attendees": [attendee("at1", "v1", "c1")],
        "entries": [entry("e1", "v1"), entry("e2", "v1", kind="quote", text="Too slow!",
                                             speaker_id=uid("c1"), position=1),
                    entry("e3", "v1", kind="attachment", text="", position=2,
                          attachment_sha=attachment_file(PHOTO)["sha256"],
                          attachment_name="shelf.jpg")],
        "key_learnings": [key_learning("k1", "v1")],
        "action_items": [action_item("ai1", "v1")],
        "attachment_files": [attachment_file(PHOTO)],
    }


def test_round_trip_keeps_every_row_and_attachment(archive, make_bundle):
    """Every row arrives exactly as sent, the photo with its name, the file kept as sent."""
    tables = full_tables()
    path = make_bundle(tables, attachments=(PHOTO,))
    report = archive.import_bundles([path])
    [result] = report.bundles
    assert result.status is BundleStatus.IMPORTED and report.ok
    assert (result.new, result.updated, result.duplicates, result.conflicts) == (10, 0, 0, 0)
    for table, rows in tables.items():
        if table == "attachment_files":
            continue
        for row in rows:
            held = archive.index.row(table, row["id"])
            assert held == {c.name: row[c.name] for c in SYNCED_COLUMNS[table]}
    stored = archive.index.attachment(attachment_file(PHOTO)["sha256"])
    assert (stored["name"], stored["mime"], bytes(stored["data"])) == (
        "shelf.jpg", "image/jpeg", PHOTO)
    accepted = archive.folder.path / "bundles" / result.stored_as
    assert result.stored_as.endswith(f"Z 000000001 {result.bundle_id}.vocbundle")
    assert accepted.read_bytes() == path.read_bytes()
    [bundle_row] = archive.index.bundles()
    assert bundle_row["signer_fingerprint"] == result.signer_fingerprint
    assert json.loads(bundle_row["counts"])["entries"] == 3 and bundle_row["new"] == 10


def test_incremental_bundles_update_in_sequence(archive, make_bundle):
    """Bundles 1, 2, 3 of one laptop: new rows, then edits, then more new rows."""
    first = make_bundle({"accounts": [account("a1")]}, sequence=1)
    second = make_bundle({"accounts": [account("a1", name="Nord GmbH", revision=2)],
                          "visits": [visit("v1", "a1")]}, sequence=2, previous=1)
    third = make_bundle({"visits": [visit("v1", "a1", revision=2, status="completed",
                                          place="Kiel")]}, sequence=3, previous=2)
    report = archive.import_bundles([first, second, third])
    assert [(b.new, b.updated) for b in report.bundles] == [(1, 0), (1, 1), (0, 1)]
    assert [b.stored_as.split()[1] for b in report.bundles] == [
        "000000001", "000000002", "000000003"]
    assert archive.index.row("accounts", uid("a1"))["name"] == "Nord GmbH"
    assert archive.index.row("visits", uid("v1"))["place"] == "Kiel"


def test_reimport_changes_nothing(archive, make_bundle, dump):
    """The same file again is a duplicate: index and folder stay exactly as they were."""
    path = make_bundle(full_tables(), attachments=(PHOTO,))
    archive.import_bundles([path])
    before, files = dump(archive), tree_hashes(archive.folder.path)
    again = archive.import_bundles([path, path])
    assert [b.status for b in again.bundles] == [BundleStatus.DUPLICATE] * 2
    assert again.bundles[0].reason == f"already accepted as {again.bundles[0].stored_as}"
    assert dump(archive) == before and tree_hashes(archive.folder.path) == files


def test_same_bundle_in_another_file_is_a_duplicate(archive, make_bundle, dump):
    """One bundle id sealed twice (different bytes) is recognised by its id."""
    rows = {"accounts": [account("a1")]}
    first = make_bundle(rows, bundle_id=uid("bundle-1"))
    second = make_bundle(rows, bundle_id=uid("bundle-1"))
    assert first.read_bytes() != second.read_bytes()
    archive.import_bundles([first])
    before = dump(archive)
    [result] = archive.import_bundles([second]).bundles
    assert result.status is BundleStatus.DUPLICATE and dump(archive) == before


def test_overlapping_bundles_add_each_row_once(archive, make_bundle):
    """Rows carried by two bundles are counted once as new, then as duplicates."""
    one = make_bundle({"accounts": [account("a1"), account("a2")]}, sequence=1)
    full = make_bundle({"accounts": [account("a1"), account("a2"), account("a3")]},
                       sequence=2)
    report = archive.import_bundles([one, full])
    assert [(b.new, b.duplicates) for b in report.bundles] == [(2, 0), (1, 2)]
    assert archive.index.table_counts()["accounts"] == 3
    assert archive.index.table_counts()["conflicts"] == 0


def test_out_of_order_bundles_from_one_device_end_at_the_latest(archive, make_bundle):
    """Bundle 2 before bundle 1: the index replays them in the order they were made, so
    bundle 1 is new there, bundle 2 updates it, and the later revision stays."""
    first = make_bundle({"accounts": [account("a1", name="Old")]}, sequence=1)
    second = make_bundle({"accounts": [account("a1", name="New", revision=2)]}, sequence=2,
                         previous=1)
    report = archive.import_bundles([second, first])
    assert [(b.new, b.updated, b.duplicates) for b in report.bundles] == [(1, 0, 0),
                                                                           (1, 0, 0)]
    assert [(b["new"], b["updated"]) for b in archive.index.bundles()] == [(1, 0), (0, 1)]
    assert archive.index.row("accounts", uid("a1"))["name"] == "New"


def test_edit_based_on_the_archive_copy_fast_forwards(archive, make_bundle, laptop_b_key):
    """Laptop B's change on top of laptop A's version replaces it without a conflict."""
    archive.import_bundles([make_bundle({"accounts": [account("a1")]})])
    edit = make_bundle({"accounts": [account("a1", name="Nord Süd", device="dev-b",
                                             revision=2, base="dev-a:1")]},
                       key=laptop_b_key, device_id="dev-b")
    [result] = archive.import_bundles([edit]).bundles
    assert (result.updated, result.conflicts) == (1, 0)
    held = archive.index.row("accounts", uid("a1"))
    assert (held["name"], held["device_id"], held["base_version"]) == (
        "Nord Süd", "dev-b", "dev-a:1")


def test_tombstones_are_kept(archive, make_bundle):
    """A deleted record arrives as a tombstone and replaces the live copy."""
    archive.import_bundles([make_bundle({"visits": [visit("v1", "a1")]})])
    gone = visit("v1", "a1", revision=2, deleted_at="2026-05-10T08:00:00.000Z")
    [result] = archive.import_bundles([make_bundle({"visits": [gone]}, sequence=2)]).bundles
    assert result.updated == 1
    assert archive.index.row("visits", uid("v1"))["deleted_at"] == "2026-05-10T08:00:00.000Z"


def test_missing_optional_columns_take_their_defaults(archive, make_bundle):
    """A row without base_version or other optional fields is filled as the schema says."""
    row = account("a1")
    for name in ("base_version", "vertical", "icp_note", "deleted_at"):
        del row[name]
    archive.import_bundles([make_bundle({"accounts": [row]})])
    held = archive.index.row("accounts", uid("a1"))
    assert (held["base_version"], held["vertical"], held["icp_note"]) == (None, "", "")


def test_plain_bundles_are_accepted_too(archive, make_bundle):
    """A bundle the laptop chose not to encrypt is imported like a sealed one."""
    path = make_bundle({"accounts": [account("a1")]}, sealed=False)
    assert path.read_bytes()[:2] == b"PK"
    [result] = archive.import_bundles([path]).bundles
    assert result.status is BundleStatus.IMPORTED
    assert archive.index.bundles()[0]["sealed"] == 0


def test_known_attachment_need_not_travel_again(archive, make_bundle):
    """A later bundle may name an attachment the archive holds without carrying it."""
    archive.import_bundles([make_bundle({"attachment_files": [attachment_file(PHOTO)]},
                                        attachments=(PHOTO,))])
    later = make_bundle({"attachment_files": [attachment_file(PHOTO, name="again.jpg")]},
                        sequence=2)
    [result] = archive.import_bundles([later]).bundles
    assert result.status is BundleStatus.IMPORTED
    assert archive.index.attachment(attachment_file(PHOTO)["sha256"])["name"] == "shelf.jpg"


def test_a_guide_version_never_changes(archive, make_bundle, laptop_b_key):
    """Two copies of one guide version id are the same guide: the second is a duplicate."""
    archive.import_bundles([make_bundle({"guide_versions": [guide_version()]})])
    other = guide_version(device="dev-b", body='{"x": 1}')
    [result] = archive.import_bundles([make_bundle({"guide_versions": [other]},
                                                   key=laptop_b_key,
                                                   device_id="dev-b")]).bundles
    assert (result.duplicates, result.conflicts) == (1, 0)
    assert archive.index.row("guide_versions", uid("guide"))["body"] == "{}"


def test_an_archive_pack_is_not_taken_in(archive, make_bundle, dump):
    """A pack (meant for laptops) brought to the archive is refused, changing nothing."""
    before = dump(archive)
    path = make_bundle({"accounts": [account("a1")]}, extra={"kind": "pack"})
    [result] = archive.import_bundles([path]).bundles
    assert result.status is BundleStatus.REJECTED and "archive pack" in result.reason
    assert dump(archive) == before


def test_progress_is_reported_and_import_can_stop(archive, make_bundle):
    """Progress names each file; a cancel between files leaves the rest untouched."""
    paths = [make_bundle({"accounts": [account(f"a{i}")]}, sequence=i) for i in (1, 2, 3)]
    seen: list[tuple[int, int, str]] = []
    report = archive.import_bundles(paths, progress=lambda *a: seen.append(a),
                                    cancelled=lambda: len(seen) >= 2)
    assert [s[:2] for s in seen] == [(0, 3), (1, 3), (2, 3)]
    assert len(report.bundles) == 2 and archive.index.table_counts()["accounts"] == 2
