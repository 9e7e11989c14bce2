"""Imports stream: a bundle's rows are read, decided and written a batch at a time inside
one transaction, so memory stays bounded whatever the size, and the result is the same
whatever the batch size; a bad row late in a bundle still leaves the index as it was."""

from __future__ import annotations

import tracemalloc

import pytest
from support.archive_rows import account, contact, entry, erasure, uid, visit

from voc_desktop.services.archive import staging
from voc_desktop.services.archive.keeper import Archive, BundleStatus
from voc_desktop.store.archive_index import BUNDLE_COLUMNS
from voc_desktop.sync.bundle_reader import VerifiedBundle

IMPORTED_AT = BUNDLE_COLUMNS.index("imported_at")


def comparable(archive: Archive) -> dict:
    """The index content, without times that depend on when a run happened."""
    dumped = archive.index.dump()
    dumped.pop("_sqlite_migrations")
    dumped["bundles"] = [row[:IMPORTED_AT] + row[IMPORTED_AT + 1:] for row in dumped["bundles"]]
    return dumped


def notes(visit_key: str, count: int, **over) -> list[dict]:
    return [entry(f"{visit_key}-e{i}", visit_key, position=i,
                  text=f"Answer {i}: the seals are swapped by hand.", **over)
            for i in range(count)]


def test_batches_of_any_size_give_the_same_index(archive, make_bundle, laptop_b_key,
                                                tmp_path, monkeypatch):
    """New rows, updates, an erasure and conflicts, imported a few rows at a time, end in
    the same index as in the default batches."""
    first = {"accounts": [account("a1")], "contacts": [contact("c1", "a1")],
             "visits": [visit("v1", "a1"), visit("v2", "a1")],
             "entries": [*notes("v1", 30), *notes("v2", 30),
                         entry("q1", "v1", kind="quote", speaker_id=uid("c1"))]}
    edits = [{**row, "text": "Changed on laptop A", "revision": 2, "base_version": "dev-a:1"}
             for row in notes("v1", 30)[::2]]
    others = [{**row, "text": "Changed on laptop B", "device_id": "dev-b", "revision": 2}
              for row in notes("v1", 30)[:12]]
    bundles = [make_bundle(first),
               make_bundle({"entries": [*edits, *notes("v3", 20)],
                            "visits": [visit("v3", "a1")],
                            "erasures": [erasure("c1", "a1")]}, sequence=2, previous=1),
               make_bundle({"entries": others}, key=laptop_b_key, device_id="dev-b")]
    report = archive.import_bundles(bundles)
    assert report.ok and report.totals["conflicts"] > 0 and report.totals["updated"] > 0
    by_default = comparable(archive)
    monkeypatch.setattr(staging, "BATCH_ROWS", 3)
    with Archive.open(archive.folder.path, index=tmp_path / "small.sqlite3") as small:
        small.refresh()
        assert comparable(small) == by_default
    monkeypatch.setattr(staging, "BATCH_ROWS", staging.BATCH_ROWS)
    with Archive.open(archive.folder.path, index=tmp_path / "default.sqlite3") as again:
        again.refresh()
        assert comparable(again) == by_default


def test_a_row_that_comes_again_in_a_later_batch_is_an_update(archive, make_bundle,
                                                              tmp_path, monkeypatch):
    """A note sent twice in one bundle (a later revision further on) into a table the
    index held nothing of: taken in as new, then updated, in batches of 3 as in one."""
    rows = notes("v1", 10)
    rows.append({**rows[3], "text": "Said again, more precisely.", "revision": 2})
    path = make_bundle({"accounts": [account("a1")], "visits": [visit("v1", "a1")],
                        "entries": rows})
    monkeypatch.setattr(staging, "BATCH_ROWS", 3)
    [result] = archive.import_bundles([path]).bundles
    assert (result.new, result.updated, result.duplicates) == (12, 1, 0)
    assert archive.index.row("entries", uid("v1-e3"))["text"] == "Said again, more precisely."
    monkeypatch.setattr(staging, "BATCH_ROWS", 5_000)
    with Archive.open(archive.folder.path, index=tmp_path / "whole.sqlite3") as whole:
        whole.refresh()
        assert comparable(whole) == comparable(archive)
        assert whole.index.bundles()[0]["updated"] == 1


def test_rows_are_written_before_the_whole_bundle_is_read(archive, make_bundle, monkeypatch):
    """With batches of 10, the first notes reach the index while most are still unread."""
    read = {"entries": 0}
    real_records = VerifiedBundle.records

    def counted(self, table):
        for row in real_records(self, table):
            read[table] = read.get(table, 0) + 1
            yield row

    monkeypatch.setattr(VerifiedBundle, "records", counted)
    monkeypatch.setattr(staging, "BATCH_ROWS", 10)
    path = make_bundle({"accounts": [account("a1")], "visits": [visit("v1", "a1")],
                        "entries": notes("v1", 100)})
    archive.refresh()
    read_at_insert: list[int] = []
    archive.index.conn.set_trace_callback(
        lambda sql: read_at_insert.append(read["entries"])
        if sql.startswith('INSERT INTO "entries"') else None)
    [result] = archive.import_bundles([path]).bundles
    archive.index.conn.set_trace_callback(None)
    assert result.status is BundleStatus.IMPORTED and result.new == 102
    assert read_at_insert and read_at_insert[0] <= 10
    assert archive.index.table_counts()["entries"] == 100


@pytest.mark.parametrize("sorts_earlier", [False, True])
def test_a_bad_row_late_in_a_bundle_leaves_the_index_as_it_was(archive, make_bundle,
                                                              monkeypatch, sorts_earlier):
    """Row 38 of 40 breaks the schema after seven batches were written: the bundle is
    refused, naming the line, and the index and folder are exactly as before."""
    monkeypatch.setattr(staging, "BATCH_ROWS", 5)
    archive.import_bundles([make_bundle({"accounts": [account("a0")]},
                                        created_at="2026-05-09T12:00:00.000Z")])
    before = comparable(archive)
    stored = sorted(p.name for p in (archive.folder.path / "bundles").iterdir())
    rows = notes("v1", 40)
    rows[37] = {**rows[37], "position": "last"}
    path = make_bundle({"accounts": [account("a1")], "visits": [visit("v1", "a1")],
                        "entries": rows}, device_id="dev-a", sequence=2, previous=1,
                       created_at="2026-05-09T08:00:00.000Z" if sorts_earlier else None)
    [result] = archive.import_bundles([path]).bundles
    assert result.status is BundleStatus.REJECTED
    assert "records/entries.jsonl line 38" in result.reason
    assert comparable(archive) == before
    assert sorted(p.name for p in (archive.folder.path / "bundles").iterdir()) == stored


def test_an_import_holds_a_batch_of_rows_not_the_bundle(archive, make_bundle, monkeypatch):
    """12,000 notes (about 30 MB when all are held at once) go in within a few MB."""
    monkeypatch.setattr(staging, "BATCH_ROWS", 500)
    visits = [visit(f"v{v}", "a1") for v in range(40)]
    rows = [row for v in range(40) for row in notes(f"v{v}", 300)]
    path = make_bundle({"accounts": [account("a1")], "visits": visits, "entries": rows})
    del rows
    archive.refresh()
    tracemalloc.start()
    try:
        [result] = archive.import_bundles([path]).bundles
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.status is BundleStatus.IMPORTED and result.new == 12_041
    assert peak < 8 << 20, f"peak {peak:,} bytes"
