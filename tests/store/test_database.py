"""Opening the workspace database: schema, migrations, pragmas, file safety, damaged files."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from voc_desktop.domain.accounts import Account, Contact
from voc_desktop.domain.visit import ActionItem, Attendee, Entry, KeyLearning, Visit
from voc_desktop.store.database import applied_migrations, get_meta, open_database, set_meta
from voc_desktop.store.errors import StoreError
from voc_desktop.store.migrations import (
    MIGRATIONS,
    RECORD_COLUMNS,
    pending,
    workspace_migrations,
)

SYNCED_TABLES = ["accounts", "contacts", "guide_versions", "visits", "attendees", "entries",
                 "key_learnings", "action_items"]
ALL_TABLES = {"meta", "attachments", *SYNCED_TABLES}


def columns(db, table: str) -> dict[str, tuple[str, bool]]:
    """Column name -> (declared type, not null)."""
    return {c.name: (c.type, bool(c.notnull)) for c in db.utils[table].columns}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ws" / "workspace.sqlite3"


@pytest.fixture
def db(db_path: Path):
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def good_bytes(tmp_path: Path) -> bytes:
    """The bytes of a real, closed workspace with a little data in it."""
    path = tmp_path / "good" / "workspace.sqlite3"
    database = open_database(path)
    set_meta(database, "filler", "x" * 20000)
    database.close()
    return path.read_bytes()


def test_fresh_database_has_every_table(db) -> None:
    """A new workspace holds every table of the schema."""
    assert set(db.utils.table_names()) >= ALL_TABLES


def test_tables_have_declared_column_types(db) -> None:
    """Every column is created with an explicit type, never left to an insert to imply."""
    for table in ALL_TABLES:
        for name, (col_type, _) in columns(db, table).items():
            assert col_type in {"TEXT", "INTEGER", "BLOB", "FLOAT"}, (table, name, col_type)


@pytest.mark.parametrize("table", SYNCED_TABLES)
def test_synced_tables_carry_record_columns(db, table: str) -> None:
    """Each synchronised table has created/updated times, device, revision and a tombstone."""
    cols = columns(db, table)
    assert set(RECORD_COLUMNS) <= set(cols)
    for required in ("created_at", "updated_at", "device_id", "revision"):
        assert cols[required][1], f"{table}.{required} must be NOT NULL"
    assert cols["revision"][0] == "INTEGER"
    assert not cols["deleted_at"][1]


@pytest.mark.parametrize(("table", "record"), [
    ("accounts", Account), ("visits", Visit), ("attendees", Attendee), ("entries", Entry),
    ("key_learnings", KeyLearning), ("action_items", ActionItem),
])
def test_every_domain_field_has_a_column(db, table: str, record: type) -> None:
    """Nothing a domain object holds is lost on the way to its table."""
    missing = {f.name for f in dataclasses.fields(record)} - set(columns(db, table))
    assert missing == set()


def test_contact_consent_has_columns(db) -> None:
    """A contact's consent is stored field by field beside the contact."""
    cols = set(columns(db, "contacts"))
    plain = {f.name for f in dataclasses.fields(Contact)} - {"consent"}
    assert plain <= cols
    assert {"consent_given", "consent_quote_by_name", "consent_method", "consent_at",
            "consent_scope"} <= cols


def test_migration_is_recorded(db) -> None:
    """Every known migration is recorded in _sqlite_migrations and none is pending."""
    rows = list(db.utils["_sqlite_migrations"].rows_where("migration_set = ?",
                                                          ["voc_workspace"]))
    names = [r["name"] for r in rows]
    assert names[0] == "m0001_initial"
    assert len(set(names)) == len(names)
    assert applied_migrations(db) == names
    assert workspace_migrations().pending(db.utils) == []
    assert pending(db.conn) == []


def test_reopening_applies_nothing_twice(db_path: Path) -> None:
    """A second open finds the migrations done and leaves their record untouched."""
    first = open_database(db_path)
    before = list(first.utils["_sqlite_migrations"].rows)
    first.close()
    second = open_database(db_path)
    try:
        assert list(second.utils["_sqlite_migrations"].rows) == before
    finally:
        second.close()


def test_reopening_keeps_data(db_path: Path) -> None:
    """What was written before closing is there after reopening."""
    first = open_database(db_path)
    set_meta(first, "colour", "blue")
    first.close()
    second = open_database(db_path)
    try:
        assert get_meta(second, "colour") == "blue"
    finally:
        second.close()


def test_meta_overwrites_and_missing_is_none(db) -> None:
    """set_meta replaces a value; an unknown key reads as None."""
    assert get_meta(db, "k") is None
    set_meta(db, "k", "1")
    set_meta(db, "k", "2")
    assert get_meta(db, "k") == "2"
    assert db.execute("SELECT COUNT(*) FROM meta WHERE key = 'k'").fetchone()[0] == 1


def test_wal_and_foreign_keys(db) -> None:
    """The workspace runs in WAL mode with foreign keys enforced and full sync."""
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_foreign_keys_reject_orphans(db) -> None:
    """A contact cannot point at an account that does not exist."""
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO contacts(id, account_id, name, created_at, updated_at, device_id) "
            "VALUES ('c', 'no-such-account', 'Ann', 't', 't', 'd')")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_database_files_are_private(db, db_path: Path) -> None:
    """The database and its WAL companions are readable by their owner only, from the start."""
    set_meta(db, "something", "written")  # makes sure the WAL has been created
    for path in db_path.parent.glob(db_path.name + "*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == 0o600, f"{path.name} has mode {oct(mode)}"


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    """A workspace folder blocked by a file gives a StoreError naming the folder."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="Cannot create the workspace folder"):
        open_database(blocker / "ws" / "workspace.sqlite3")


def _damaged(kind: str, good: bytes) -> bytes:
    if kind == "random":
        return os.urandom(16384)
    if kind == "text":
        return b"these are somebody's shopping notes\n" * 50
    if kind == "header only":
        return good[:100]
    if kind == "first page":
        return good[:4096]
    if kind == "half":
        return good[: len(good) // 2]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["random", "text", "header only", "first page", "half"])
def test_damaged_file_raises_and_is_left_unchanged(tmp_path: Path, good_bytes: bytes,
                                                   kind: str) -> None:
    """A damaged file gives a StoreError naming it, and is left byte-for-byte as found."""
    data = _damaged(kind, good_bytes)
    path = tmp_path / "bad" / "workspace.sqlite3"
    path.parent.mkdir()
    path.write_bytes(data)
    with pytest.raises(StoreError) as info:
        open_database(path)
    message = str(info.value)
    assert str(path) in message
    assert "damaged" in message
    assert path.read_bytes() == data


@pytest.mark.parametrize("kind", ["random", "half"])
def test_damaged_file_leaves_no_companion_files(tmp_path: Path, good_bytes: bytes,
                                                kind: str) -> None:
    """A failed open lets go of the file: no -wal or -shm is left beside it."""
    path = tmp_path / "bad" / "workspace.sqlite3"
    path.parent.mkdir()
    path.write_bytes(_damaged(kind, good_bytes))
    with pytest.raises(StoreError):
        open_database(path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["workspace.sqlite3"]


def test_pending_migrations_are_read_like_sqlite_utils_reads_them(tmp_path: Path) -> None:
    """The quick check at open agrees with sqlite-utils on what is still to run."""
    import sqlite3

    from sqlite_utils import Database

    conn = sqlite3.connect(tmp_path / "w.sqlite3")
    names = [m.__name__ for m in MIGRATIONS]
    assert pending(conn) == names
    migrations = workspace_migrations()
    assert pending(conn) == [m.name for m in migrations.pending(Database(conn))]
    migrations.apply(Database(conn))
    assert pending(conn) == [] == migrations.pending(Database(conn))


def test_an_up_to_date_workspace_opens_without_loading_sqlite_utils(db_path: Path) -> None:
    """Opening a current workspace and reading from it does not import sqlite-utils."""
    import subprocess
    import sys

    open_database(db_path).close()
    code = ("import sys; from voc_desktop.store.database import open_database, get_meta; "
            "db = open_database(sys.argv[1]); get_meta(db, 'device_id'); "
            "print('sqlite_utils' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(db_path)], check=True,
                         capture_output=True, text=True).stdout.strip()
    assert out == "False"


def test_action_items_of_an_older_workspace_keep_their_rows_and_name_no_owner(
        db_path: Path) -> None:
    """A workspace from before owners were kept opens with its action items whole, each
    owned by no one, and an owner written afterwards is kept."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    before = Migrations("voc_workspace")
    for migration in MIGRATIONS[:MIGRATIONS.index(
            next(m for m in MIGRATIONS if m.__name__ == "m0006_action_owners"))]:
        before()(migration)
    db_path.parent.mkdir(parents=True)
    old = Database(db_path)
    before.apply(old)
    stamp = {"created_at": "2030-01-01T00:00:00Z", "updated_at": "2030-01-01T00:00:00Z",
             "device_id": "laptop"}
    old["accounts"].insert({"id": "a", "name": "Acme", "lifecycle_stage": "active", **stamp})
    old["guide_versions"].insert({"id": "g", "guide_id": "g", "version": 1, "name": "G",
                                  "body": "{}", **stamp})
    old["visits"].insert({"id": "v", "account_id": "a", "guide_version_id": "g",
                          "objective": "o", "visit_date": "2030-01-01", "status": "completed",
                          **stamp})
    old["action_items"].insert({"id": "x", "visit_id": "v", "text": "Call back",
                                "team": "sales", "status": "open", "due_date": "2030-02-01",
                                "position": 1, **stamp})
    assert "owner" not in {c.name for c in old["action_items"].columns}
    old.close()

    db = open_database(db_path)
    try:
        from voc_desktop.store.visits import action_from_row
        (row,) = db.utils["action_items"].rows
        item = action_from_row(row)
        assert (item.text, item.due_date, item.owner) == ("Call back", "2030-02-01", "")
        assert columns(db, "action_items")["owner"] == ("TEXT", True)
        db.utils["action_items"].update("x", {"owner": "Maria (product)"})
        assert action_from_row(db.utils["action_items"].get("x")).owner == "Maria (product)"
    finally:
        db.close()
