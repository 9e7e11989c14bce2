"""The index is a cache of the folder: rebuilt or caught up, it holds the same content."""

from __future__ import annotations

import shutil

from support.archive_rows import account, contact, entry, erasure, uid, visit

from voc_desktop.services.archive.keeper import Archive, BundleStatus


def history(archive, make_bundle, laptop_b_key) -> None:
    """Bundles from two laptops with a conflict resolved midway, edits made on top of the
    resolution, an erasure, a tombstone and a late copy."""
    imp = archive.import_bundles
    imp([make_bundle({"accounts": [account("a1")], "contacts": [contact("c1", "a1")],
                      "visits": [visit("v1", "a1")],
                      "entries": [entry("q1", "v1", kind="quote", speaker_id=uid("c1"))]})])
    imp([make_bundle({"accounts": [account("a1", name="B", device="dev-b", revision=2)]},
                     key=laptop_b_key, device_id="dev-b")])
    imp([make_bundle({"accounts": [account("a1", name="A2", revision=2, base="dev-a:1")]},
                     sequence=2, previous=1)])
    conflict = archive.conflicts()[0]
    archive.resolve(conflict.id, "incoming")
    imp([make_bundle({"accounts": [account("a1", name="B3", device="dev-b", revision=3,
                                           base="dev-b:2")]},
                     key=laptop_b_key, device_id="dev-b", sequence=2, previous=1)])
    imp([make_bundle({"erasures": [erasure("c1", "a1")],
                      "visits": [visit("v1", "a1", revision=2,
                                       deleted_at="2026-05-11T00:00:00.000Z")]},
                     sequence=3, previous=2)])
    imp([make_bundle({"accounts": [account("a1")]}, sequence=4)])


def test_rebuild_gives_the_same_content(archive, make_bundle, laptop_b_key, dump):
    """Replaying the folder builds an index equal to the incremental one, times included."""
    history(archive, make_bundle, laptop_b_key)
    assert archive.index.row("accounts", uid("a1"))["name"] == "B3"
    before = dump(archive)
    summary = archive.rebuild()
    assert (summary.bundles, summary.resolutions) == (6, 1)
    assert dump(archive) == before
    assert not list(summary.index_path.parent.glob(".*rebuild*"))


def test_a_damaged_index_is_rebuilt(archive, make_bundle, laptop_b_key, dump):
    """An index file that is not a database any more can still be rebuilt."""
    history(archive, make_bundle, laptop_b_key)
    before = dump(archive)
    archive.close()
    archive.index_path.write_bytes(b"not a database" * 100)
    again = Archive.open(archive.folder.path, index=archive.index_path)
    again.rebuild()
    assert dump(again) == before
    again.close()


def test_a_second_index_catches_up_with_the_folder(archive, make_bundle, laptop_b_key, dump,
                                                   tmp_path):
    """Another analyst's index (same shared folder) takes in what it lacks, in order."""
    history(archive, make_bundle, laptop_b_key)
    other = Archive.open(archive.folder.path, index=tmp_path / "other" / "index.sqlite3")
    caught = other.refresh()
    assert len(caught.bundles) == 6 and caught.resolutions == 1
    assert dump(other) == dump(archive)
    assert other.refresh().bundles == ()
    other.close()


def test_an_accepted_file_the_index_lacks_is_taken_in_first(archive, make_bundle, dump,
                                                             tmp_path):
    """An accepted file the index lacks (a cut-off import) is taken in first, in its place."""
    first = make_bundle({"accounts": [account("a1")]})
    archive.import_bundles([first])
    copy = tmp_path / "copy.sqlite3"
    archive.close()
    shutil.copy(archive.index_path, copy)
    second = archive.import_bundles([make_bundle({"accounts": [account("a2")]},
                                                 sequence=2)]).bundles[0]
    expected = dump(archive)
    archive.close()
    shutil.copy(copy, archive.index_path)  # the index as it was before the second import
    report = archive.import_bundles([make_bundle({"accounts": [account("a3")]},
                                                 sequence=3)])
    [caught] = report.caught_up.bundles
    assert caught.status is BundleStatus.IMPORTED
    assert (caught.bundle_id, caught.stored_as) == (second.bundle_id, second.stored_as)
    assert report.bundles[0].stored_as.split()[1] == "000000003"
    after = dump(archive)
    assert len(after["bundles"]) == 3 and set(expected["accounts"]) < set(after["accounts"])
