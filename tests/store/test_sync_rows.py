"""The sync columns: the m0002 migration, change numbers on every write, and rows as bundles
read and write them."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from voc_desktop.store.database import get_meta, new_id, open_database, set_meta
from voc_desktop.store.migrations import MIGRATIONS, workspace_migrations
from voc_desktop.store.records import NUMBERED_TABLES, SYNCED_TABLES, Records, max_change_seq
from voc_desktop.store.sync_rows import AttachmentReader, SyncRows, delete_meta
from voc_desktop.sync import merge


@pytest.fixture
def records(db) -> Records:
    return Records(db, "laptop-a")


def raw(db, table: str, record_id: str) -> dict:
    cur = db.execute(f'SELECT * FROM "{table}" WHERE id = ?', [record_id])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def account(records: Records, name: str = "Acme") -> str:
    account_id = new_id()
    records.insert("accounts", {"id": account_id, "name": name, "lifecycle_stage": "active"})
    return account_id


def contact(records: Records, account_id: str, name: str = "Anna") -> str:
    contact_id = new_id()
    records.insert("contacts", {"id": contact_id, "account_id": account_id, "name": name,
                                "title": "Head baker", "consent_given": 1,
                                "consent_quote_by_name": 1, "consent_method": "verbal",
                                "consent_at": "2030-01-01T00:00:00.000Z",
                                "consent_scope": "all"})
    return contact_id


def visit(records: Records, account_id: str) -> str:
    guide_id, visit_id = new_id(), new_id()
    records.insert("guide_versions", {"id": guide_id, "guide_id": "g", "version": 1,
                                      "name": "G", "body": "{}"})
    records.insert("visits", {"id": visit_id, "account_id": account_id,
                              "guide_version_id": guide_id, "objective": "o",
                              "visit_date": "2030-01-01", "status": "in_progress"})
    return visit_id


# --- the migration -----------------------------------------------------------------------

def test_synced_table_lists_agree() -> None:
    """The store, the merge rule and the export name the same synced tables in one order."""
    from voc_desktop.services.bundles.export import SYNCED

    assert SYNCED_TABLES == merge.SYNCED_TABLES == SYNCED
    assert (*SYNCED_TABLES, "erasures") == NUMBERED_TABLES


def test_fresh_workspace_has_sync_columns_and_indexes(db) -> None:
    """Every synced table has base_version and an indexed change_seq; erasures exist."""
    for table in SYNCED_TABLES:
        cols = {c.name: c.type for c in db.utils[table].columns}
        assert cols["base_version"] == "TEXT" and cols["change_seq"] == "INTEGER"
        assert any(i.columns == ["change_seq"] for i in db.utils[table].indexes), table
    cols = {c.name: c.type for c in db.utils["erasures"].columns}
    assert cols == {"contact_id": "TEXT", "account_id": "TEXT", "erased_at": "TEXT",
                    "device_id": "TEXT", "change_seq": "INTEGER"}
    assert db.utils["erasures"].pks == ["contact_id"]
    assert [m.__name__ for m in MIGRATIONS][:2] == ["m0001_initial", "m0002_sync"]


def test_a_workspace_from_before_sync_migrates_and_keeps_its_data(tmp_path: Path) -> None:
    """A workspace made with m0001 alone opens, migrates, keeps its rows and numbers them."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    old = Database(conn)
    workspace_migrations().apply(old, stop_before="m0002_sync")
    assert "change_seq" not in {c.name for c in old["accounts"].columns}
    stamps = {"created_at": "t", "updated_at": "t", "device_id": "old-laptop", "revision": 3}
    old["accounts"].insert_all([{"id": f"a{i}", "name": f"Acme {i}",
                                 "lifecycle_stage": "active", **stamps} for i in range(3)])
    old["contacts"].insert({"id": "c1", "account_id": "a1", "name": "Anna", **stamps})
    guide = {"guide_id": "default", "version": 1, "name": "G", "body": "{}", **stamps}
    old["guide_versions"].insert({"id": "random-id", **guide})
    old["meta"].insert({"key": "device_id", "value": "old-laptop"})
    conn.commit()
    conn.close()

    db = open_database(path)
    try:
        assert [r[1] for r in db.execute("SELECT id, name FROM accounts ORDER BY id")] == \
            ["Acme 0", "Acme 1", "Acme 2"]
        assert raw(db, "contacts", "c1")["name"] == "Anna"
        assert raw(db, "contacts", "c1")["revision"] == 3
        assert get_meta(db, "device_id") == "old-laptop"
        seqs = [r[0] for t in ("accounts", "contacts") for r in
                db.execute(f"SELECT change_seq FROM {t}")]
        assert None not in seqs and len(set(seqs)) == len(seqs) == 4
        assert raw(db, "guide_versions", "random-id")["change_seq"] > 0
        assert {raw(db, "accounts", "a0")["base_version"]} == {None}
        # the shipped guide seeded under a random id, and the same version under its shared
        # id as a pack brings it, both fit
        with db.atomic():
            SyncRows(Records(db, "new")).put("guide_versions", {"id": "shared-id", **guide},
                                             replace=False)
        assert any(i.columns == ["guide_id", "version"] and not i.unique
                   for i in db.utils["guide_versions"].indexes)
        # new writes are numbered above everything the migration numbered
        assert Records(db, "new").next_change_seq() > max(seqs)
    finally:
        db.close()


# --- change numbers ----------------------------------------------------------------------

def test_every_write_takes_a_higher_change_number(db, records: Records) -> None:
    """Insert, update, delete and restore each stamp a change number above all before."""
    account_id = account(records)
    seen = [raw(db, "accounts", account_id)["change_seq"]]
    records.update("accounts", account_id, {"vertical": "Food"})
    seen.append(raw(db, "accounts", account_id)["change_seq"])
    records.delete("accounts", account_id)
    seen.append(raw(db, "accounts", account_id)["change_seq"])
    records.restore("accounts", account_id)
    seen.append(raw(db, "accounts", account_id)["change_seq"])
    assert seen == sorted(seen) and len(set(seen)) == 4
    assert max_change_seq(db) == seen[-1]


def test_change_numbers_are_shared_by_every_records_on_one_database(db) -> None:
    """Two Records on one connection count from one counter, never handing out a number
    lower than one already given."""
    first, second = Records(db, "a"), Records(db, "b")
    numbers = [first.next_change_seq(), second.next_change_seq(), first.next_change_seq()]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3


def test_change_numbers_keep_growing_after_reopening(tmp_path: Path) -> None:
    """A reopened workspace continues above the highest number stored."""
    path = tmp_path / "w.sqlite3"
    db = open_database(path)
    records = Records(db, "a")
    with db.atomic():
        for _ in range(3):
            account(records)
    top = max_change_seq(db)
    db.close()
    db = open_database(path)
    try:
        assert Records(db, "a").next_change_seq() == top + 1
    finally:
        db.close()


def test_a_write_by_another_connection_moves_the_counter_on(tmp_path: Path) -> None:
    """When another process wrote meanwhile, the next number is above what it wrote."""
    path = tmp_path / "w.sqlite3"
    window, command_line = open_database(path), open_database(path)
    try:
        mine = Records(window, "a")
        with window.atomic():
            account(mine)
        theirs = Records(command_line, "a")
        with command_line.atomic():
            for _ in range(5):
                account(theirs)
        assert mine.next_change_seq() > max_change_seq(command_line)
    finally:
        window.close()
        command_line.close()


def test_a_rolled_back_write_does_not_reuse_its_number(db, records: Records) -> None:
    """Numbers given to a transaction that failed are skipped, never handed out twice."""
    with pytest.raises(RuntimeError), db.atomic():
        account(records)
        taken = records.next_change_seq()
        raise RuntimeError("boom")
    assert records.next_change_seq() > taken


# --- rows for bundles --------------------------------------------------------------------

def test_changed_rows_include_tombstones_and_honour_the_watermark(db, records) -> None:
    """`changed` gives whole rows above a number (tombstones too), or all rows for None."""
    sync = SyncRows(records)
    a, b = account(records, "A"), account(records, "B")
    mark = max_change_seq(db)
    records.delete("accounts", a)
    c = account(records, "C")
    assert [r["id"] for r in sync.changed("accounts", mark)] == [a, c]
    assert sync.changed("accounts", mark)[0]["deleted_at"] is not None
    assert [r["id"] for r in sync.changed("accounts", None)] == [a, b, c]
    with pytest.raises(ValueError):
        sync.changed("meta", None)


def test_mark_shared_skips_rows_replaced_meanwhile(db, records) -> None:
    """base_version is set on rows still as sent or edited here since; not on rows that
    were replaced by another device's version in between."""
    sync = SyncRows(records)
    sent, edited, replaced = account(records, "A"), account(records, "B"), account(records, "C")
    gathered = max_change_seq(db)
    records.update("accounts", edited, {"vertical": "Food"})
    db.execute("UPDATE accounts SET device_id = 'archive', revision = 9, change_seq = NULL "
               "WHERE id = ?", [replaced])
    sync.mark_shared("accounts", [(i, "laptop-a:1", "laptop-a", 1)
                                  for i in (sent, edited, replaced)], gathered)
    assert raw(db, "accounts", sent)["base_version"] == "laptop-a:1"
    assert raw(db, "accounts", edited)["base_version"] == "laptop-a:1"
    assert raw(db, "accounts", replaced)["base_version"] is None


def test_put_writes_rows_as_given_and_ignores_unknown_fields(db, records) -> None:
    """A row from elsewhere keeps its own stamps; fields the table lacks are left out."""
    sync = SyncRows(records)
    row = {"id": "x", "name": "Elsewhere", "lifecycle_stage": "active", "created_at": "c",
           "updated_at": "u", "device_id": "archive", "revision": 4, "base_version":
           "archive:4", "archived_by": "someone"}
    sync.put("accounts", row, replace=False)
    stored = raw(db, "accounts", "x")
    assert (stored["device_id"], stored["revision"], stored["change_seq"]) == \
        ("archive", 4, None)
    sync.put("accounts", {**row, "name": "Renamed", "revision": 5}, replace=True)
    assert raw(db, "accounts", "x")["name"] == "Renamed"
    assert sync.current("accounts", ["x", "nope"]).keys() == {"x"}


def test_put_names_the_row_the_schema_refuses(records) -> None:
    """A row pointing at a missing parent raises StoreError naming table and id."""
    from voc_desktop.store.errors import StoreError

    with pytest.raises(StoreError, match="contacts row c9"):
        SyncRows(records).put("contacts", {"id": "c9", "account_id": "none", "name": "N",
                                           "created_at": "c", "updated_at": "u",
                                           "device_id": "d", "revision": 1}, replace=False)


def test_erase_contact_empties_the_person_and_their_words(db, records) -> None:
    """The contact is emptied and deleted; their quotes, learnings drawn from them and
    attendances are deleted with the words removed; other notes stay."""
    sync = SyncRows(records)
    account_id = account(records)
    anna, bob = contact(records, account_id, "Anna"), contact(records, account_id, "Bob")
    visit_id = visit(records, account_id)
    records.insert("attendees", {"id": "att", "visit_id": visit_id, "contact_id": anna})
    records.insert("entries", {"id": "q1", "visit_id": visit_id, "kind": "quote",
                               "text": "Anna's words", "speaker_id": anna, "position": 0})
    records.insert("entries", {"id": "q2", "visit_id": visit_id, "kind": "quote",
                               "text": "Bob's words", "speaker_id": bob, "position": 1})
    records.insert("key_learnings", {"id": "kl", "visit_id": visit_id, "text": "Anna's words",
                                     "source_entry_id": "q1", "status": "draft",
                                     "position": 0})
    before = max_change_seq(db)
    assert sync.erasure_scope(anna) == sync.erasure_scope(anna)
    scope = sync.erasure_scope(anna)
    assert (scope.quotes, scope.attendances, scope.learnings) == (1, 1, 1)
    done = sync.erase_contact(anna, "2030-02-02T00:00:00.000Z")
    assert done == scope
    person = raw(db, "contacts", anna)
    assert (person["name"], person["title"], person["consent_given"],
            person["consent_quote_by_name"], person["consent_method"], person["consent_at"],
            person["consent_scope"]) == ("", "", 0, 0, "", None, "")
    assert person["deleted_at"] and person["change_seq"] > before and person["revision"] == 2
    for table, row_id, column in [("entries", "q1", "text"), ("key_learnings", "kl", "text")]:
        row = raw(db, table, row_id)
        assert row[column] == "" and row["deleted_at"] and row["change_seq"] > before
    assert raw(db, "attendees", "att")["deleted_at"]
    assert raw(db, "entries", "q2")["text"] == "Bob's words"
    assert raw(db, "contacts", bob)["name"] == "Bob"
    again = sync.erase_contact(anna, "2030-02-03T00:00:00.000Z")
    assert (again.contact, again.quotes, again.attendances, again.learnings) == \
        (False, 0, 0, 0)
    assert raw(db, "contacts", anna)["revision"] == 2


def test_an_erasure_is_remembered_once(records) -> None:
    """add_erasure records a contact once; a local one is numbered, a received one not."""
    sync = SyncRows(records)
    assert sync.add_erasure("c1", "a1", "2030-01-01", "laptop-a", numbered=True)
    assert not sync.add_erasure("c1", "a1", "2030-01-02", "archive", numbered=False)
    assert sync.add_erasure("c2", None, "2030-01-01", "archive", numbered=False)
    rows = {e["contact_id"]: e for e in sync.erasures()}
    assert rows["c1"]["change_seq"] and rows["c2"]["change_seq"] is None
    assert [e["contact_id"] for e in sync.erasures(0)] == ["c1"]
    assert sync.erased_contact_ids() == {"c1", "c2"}


def test_attachments_read_through_their_own_connection(db, records, tmp_path) -> None:
    """AttachmentReader reads committed attachments on another thread."""
    from voc_desktop.store.attachments import AttachmentRepo

    with db.atomic():
        AttachmentRepo(records).put("ab" * 32, "oven.jpg", "image/jpeg", b"\xff\xd8photo")
    found: list[bytes | None] = []

    def work() -> None:
        with AttachmentReader(tmp_path / "workspace.sqlite3") as reader:
            found.extend([reader.data("ab" * 32), reader.data("cd" * 32)])

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert found == [b"\xff\xd8photo", None]
    assert SyncRows(records).attachment_files(["ab" * 32, "cd" * 32]) == [
        {"sha256": "ab" * 32, "name": "oven.jpg", "mime": "image/jpeg", "size": 7}]


def test_delete_meta_removes_the_key(db) -> None:
    """delete_meta forgets a setting; deleting a missing one is fine."""
    set_meta(db, "archive_key", "x")
    delete_meta(db, "archive_key")
    delete_meta(db, "archive_key")
    assert get_meta(db, "archive_key") is None
