"""The archive's local SQLite index: what the accepted bundles add up to.

The index is a cache of the archive folder, never the truth: it lives on the analyst's own
disk (SQLite must not run on a network share) and can be rebuilt from the folder. Reads are
batched (one query per table for a whole bundle) and every bundle's changes are written in
one transaction, so an import killed at any moment leaves the index as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voc_desktop.store.archive_migrations import SYNCED_COLUMNS, archive_migrations, pending

CONFLICT_COLUMNS = ("record_table", "record_id", "current_version", "incoming_version",
                    "incoming_row", "bundle_id", "status")
BUNDLE_COLUMNS = ("bundle_id", "device_id", "sequence", "previous_sequence", "file_sha256",
                  "file_name", "import_order", "imported_at", "created_at", "app_version",
                  "sealed", "counts", "signer_key", "signer_fingerprint", "new", "updated",
                  "duplicates", "conflicts", "erased")
ATTACHMENT_COLUMNS = ("sha256", "name", "mime", "size", "data", "bundle_id")
ERASURE_COLUMNS = ("contact_id", "account_id", "erased_at", "device_id", "bundle_id")


class ArchiveIndexError(Exception):
    """The index file cannot be opened or used; the message says what and where."""


class ArchiveIndexBusy(ArchiveIndexError):
    """Another process holds the index's lock for longer than a wait."""


def _open_trouble(path: Path, exc: sqlite3.OperationalError) -> str:
    """An index that cannot be opened for a reason other than damage: say which."""
    text = str(exc)
    if "readonly" in text or not os.access(path.parent, os.W_OK) or (
            path.exists() and not os.access(path, os.W_OK)):
        return (f"The archive index {path} cannot be written: it or its folder is read-only "
                "for you. Give the archive an index where you may write (--index).")
    if "full" in text:
        return f"The disk holding the archive index {path} is full; free some space."
    return (f"{path} is not an archive index or is damaged ({exc}); `voc archive rebuild` "
            "makes a new one.")


class RecordExists(ArchiveIndexError):
    """A row was inserted as new, but the index holds a row with its key already."""


class UnstorableValue(ArchiveIndexError):
    """A value SQLite cannot hold (text with lone surrogates, a number past 64 bits)."""


@dataclass
class IndexChanges:
    """Everything one bundle (or one resolution) changes, written in one transaction."""
    # rows the index does not hold yet: plain inserts, written before the upserts
    inserts: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    upserts: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    conflicts: list[tuple[Any, ...]] = field(default_factory=list)  # CONFLICT_COLUMNS order
    # (status, kept, kept_version, resolved_at, resolved_version, conflict id)
    conflict_updates: list[tuple[Any, ...]] = field(default_factory=list)
    attachments: list[tuple[Any, ...]] = field(default_factory=list)
    # (table, record id) of rows an erasure emptied: their conflicting copies are dropped
    erase_conflicts: list[tuple[str, str]] = field(default_factory=list)
    erasures: list[tuple[Any, ...]] = field(default_factory=list)
    bundle: dict[str, Any] | None = None
    # (file name, conflict id or None, outcome, detail, event key)
    resolution: tuple[str, int | None, str, str, str] | None = None
    refused: tuple[str, str, str] | None = None  # (file name, event key, reason)
    meta: dict[str, str] = field(default_factory=dict)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _upsert_sql(table: str) -> str:
    names = [c.name for c in SYNCED_COLUMNS[table]]
    sets = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != "id")
    return (f'INSERT INTO "{table}" ({_quoted(names)}) VALUES ({", ".join("?" * len(names))}) '
            f"ON CONFLICT(id) DO UPDATE SET {sets}")


def _insert_sql(table: str, names: tuple[str, ...], verb: str = "INSERT") -> str:
    return f'{verb} INTO "{table}" ({_quoted(names)}) VALUES ({", ".join("?" * len(names))})'


class ArchiveIndex:
    """One open index file. Not for use from several threads at once."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path, archive_id: str) -> ArchiveIndex:
        """Open (creating and migrating if needed) the index of archive `archive_id`. A
        second process opening a new index at the same moment waits for the first."""
        deadline = time.monotonic() + 15.0
        while True:
            try:
                return cls._open(path, archive_id)
            except ArchiveIndexBusy:
                if time.monotonic() > deadline:
                    raise ArchiveIndexError(f"The archive index {path} is busy: another "
                                            "window or command keeps it; try again.") from None
                time.sleep(0.05)

    @classmethod
    def _open(cls, path: Path, archive_id: str) -> ArchiveIndex:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if os.name == "posix" and not path.exists():
                # Customer notes: private before SQLite first writes to the file.
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as exc:
            raise ArchiveIndexError(f"Cannot create the archive index {path}: "
                                    f"{exc.strerror or exc}.") from exc
        conn = None
        try:
            conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL").fetchall()
            # NORMAL is safe against a crashed or killed process; after a power cut the
            # index catches up from the archive folder, which stays the truth.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA secure_delete=ON")  # erased people leave no bytes behind
            index = cls(conn, path)
            if pending(conn):
                from sqlite_utils import Database

                archive_migrations().apply(Database(conn, execute_plugins=False))
            held = index.meta("archive_id")
            if held is None:
                index.apply(IndexChanges(meta={"archive_id": archive_id}))
            elif held != archive_id:
                raise ArchiveIndexError(f"{path} is the index of another archive ({held}); "
                                        "give this archive its own index file.")
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise ArchiveIndexBusy(str(exc)) from exc
            raise ArchiveIndexError(_open_trouble(path, exc)) from exc
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            raise ArchiveIndexError(f"{path} is not an archive index or is damaged ({exc}); "
                                    "`voc archive rebuild` makes a new one.") from exc
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        return index

    @classmethod
    def open_for_reading(cls, path: Path) -> ArchiveIndex:
        """The index opened again on a read-only connection of its own, for reads on a
        worker while the index stays open elsewhere: in WAL mode they neither wait for
        nor block its writes. The connection may move between threads as long as only one
        uses it at a time; `interrupt()` stops what it runs from any thread."""
        try:
            conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                                   timeout=10.0, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA query_only=ON")
            conn.execute("PRAGMA busy_timeout=10000")
        except sqlite3.OperationalError as exc:
            raise ArchiveIndexError(_open_trouble(Path(path), exc)) from exc
        return cls(conn, Path(path))

    def interrupt(self) -> None:
        """Stop the query running on this connection (it raises in its own thread)."""
        self.conn.interrupt()

    def changes(self) -> int:
        """Rows written through this connection since it opened."""
        return self.conn.total_changes

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ArchiveIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reads ----------------------------------------------------------------------------

    def _dicts(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def bundle_by_sha(self, file_sha256: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM bundles WHERE file_sha256 = ?", [file_sha256])
        return rows[0] if rows else None

    def bundle_by_id(self, bundle_id: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM bundles WHERE bundle_id = ?", [bundle_id])
        return rows[0] if rows else None

    def device_signer(self, device_id: str) -> str | None:
        """The key that signed the first bundle taken in for `device_id`."""
        row = self.conn.execute("SELECT signer_key FROM bundles WHERE device_id = ? "
                                "ORDER BY import_order LIMIT 1", [device_id]).fetchone()
        return row[0] if row else None

    def bundles(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM bundles ORDER BY import_order, bundle_id")

    def bundle_file_names(self) -> set[str]:
        return {name for (name,) in self.conn.execute("SELECT file_name FROM bundles")}

    def max_order(self) -> int:
        return int(self.conn.execute(
            "SELECT COALESCE(MAX(import_order), 0) FROM bundles").fetchone()[0])

    def current_rows(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The held rows among `ids`, by id, in one query however many ids there are."""
        if not ids or not self._has_rows(table):
            return {}
        rows = self._dicts(f'SELECT * FROM "{table}" WHERE id IN '
                           "(SELECT value FROM json_each(?))", [json.dumps(ids)])
        return {r["id"]: r for r in rows}

    def holds_rows(self, table: str) -> bool:
        return self._has_rows(table)

    def _has_rows(self, table: str) -> bool:
        return self.conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None

    def conflict_versions(self, table: str, ids: list[str]) -> dict[str, list[tuple[int, str,
                                                                                      str]]]:
        """{record id: [(conflict id, incoming version, status)]} for every conflict ever
        held for these records."""
        if not ids:
            return {}
        found: dict[str, list[tuple[int, str, str]]] = {}
        cur = self.conn.execute(
            "SELECT record_id, id, incoming_version, status FROM conflicts "
            "WHERE record_table = ? AND record_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY id", [table, json.dumps(ids)])
        for record_id, conflict_id, incoming, status in cur:
            found.setdefault(record_id, []).append((conflict_id, incoming, status))
        return found

    def kept_versions(self, table: str, ids: list[str]) -> dict[tuple[str, str], str]:
        """{(record id, version a resolution made): the version whose content it kept}."""
        cur = self.conn.execute(
            "SELECT record_id, resolved_version, kept_version FROM conflicts "
            "WHERE record_table = ? AND status = 'resolved' "
            "AND record_id IN (SELECT value FROM json_each(?))", [table, json.dumps(ids)])
        return {(r[0], r[1]): r[2] for r in cur}

    def rows_where(self, table: str, column: str, values: Iterable[str]) -> list[dict[str, Any]]:
        """Full rows of a synced table whose `column` is one of `values`."""
        if column not in {c.name for c in SYNCED_COLUMNS[table]}:
            raise ValueError(f"{table} has no column {column}")
        return self._dicts(f'SELECT * FROM "{table}" WHERE "{column}" IN '
                           "(SELECT value FROM json_each(?)) ORDER BY id",
                           [json.dumps(list(values))])

    def row(self, table: str, record_id: str) -> dict[str, Any] | None:
        rows = self.rows_where(table, "id", [record_id])
        return rows[0] if rows else None

    def erased_contacts(self, ids: Iterable[str] | None = None) -> set[str]:
        if ids is None:
            return {r for (r,) in self.conn.execute("SELECT contact_id FROM erasures")}
        return {r for (r,) in self.conn.execute(
            "SELECT contact_id FROM erasures WHERE contact_id IN "
            "(SELECT value FROM json_each(?))", [json.dumps(list(ids))])}

    def has_erasures(self) -> bool:
        return self.conn.execute("SELECT 1 FROM erasures LIMIT 1").fetchone() is not None

    def erasures(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT contact_id, account_id, erased_at, device_id FROM erasures "
                           "ORDER BY erased_at, contact_id")

    def has_attachments(self, shas: Iterable[str]) -> set[str]:
        return {r for (r,) in self.conn.execute(
            "SELECT sha256 FROM attachments WHERE sha256 IN (SELECT value FROM json_each(?))",
            [json.dumps(list(shas))])}

    def attachment(self, sha256: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM attachments WHERE sha256 = ?", [sha256])
        return rows[0] if rows else None

    def conflicts(self, status: str | None = "open") -> list[dict[str, Any]]:
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        return self._dicts(f"SELECT * FROM conflicts {where} ORDER BY id", params)

    def conflict(self, conflict_id: int) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM conflicts WHERE id = ?", [conflict_id])
        return rows[0] if rows else None

    def applied_resolutions(self) -> set[str]:
        """Names of the choice files this index has taken in, whatever became of them."""
        return {name for (name,) in self.conn.execute("SELECT file_name FROM resolutions")}

    def resolutions(self, outcome: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE outcome = ?", [outcome]) if outcome else ("", [])
        return self._dicts(f"SELECT * FROM resolutions {where} ORDER BY event_key, file_name",
                           params)

    def resolutions_of(self, conflict_id: int) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM resolutions WHERE conflict_id = ? "
                           "ORDER BY event_key, file_name", [conflict_id])

    def refused_files(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM refused_files ORDER BY event_key")

    def conflicts_of(self, table: str, record_id: str,
                     incoming_version: str) -> list[dict[str, Any]]:
        """Every conflict ever held over `incoming_version` of one record."""
        return self._dicts("SELECT * FROM conflicts WHERE record_table = ? AND record_id = ? "
                           "AND incoming_version = ? ORDER BY id",
                           [table, record_id, incoming_version])

    def reset(self) -> None:
        """Empty every table the folder's files fill (inside the caller's transaction), so
        they can be replayed from the start; the archive id and schema stay."""
        tables = [name for (name,) in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%_fts%' AND name NOT IN ('_sqlite_migrations', 'meta')")]
        with self._transaction() as conn:
            for table in tables:
                conn.execute(f'DELETE FROM "{table}"')
            conn.execute("DELETE FROM meta WHERE key != 'archive_id'")

    def scrub(self) -> None:
        """Leave no trace on disk of text just emptied (an erasure): the search index is
        built anew from the findings, so its old pages are freed (and zeroed, with
        secure_delete), then the journal is written back and cut to nothing. A reader in
        another connection (the archive window) is waited for, never broken."""
        conn = self.conn
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'findings_fts'"
                            ).fetchone():
                with self._transaction():
                    conn.execute("INSERT INTO findings_fts(findings_fts) VALUES ('rebuild')")
            for _ in range(100):
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                if not busy:
                    return
                time.sleep(0.05)
        except sqlite3.Error as exc:
            raise ArchiveIndexError(f"Could not clear erased text from the archive index "
                                    f"{self.path} ({exc}).") from exc

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One write transaction around several apply() calls: another process using this
        index waits until it ends, and a kill leaves none of it."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise ArchiveIndexError(f"Could not write to the archive index {self.path} "
                                    f"({exc}); nothing was written.") from exc
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ArchiveIndexError(f"Could not write to the archive index {self.path} "
                                    f"({exc}); nothing was written.") from exc

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """Several apply() calls as one: all of them, or (on any error) none. Inside
        batch() a savepoint, so an error undoes only what was written within."""
        try:
            with self._transaction():
                yield
        except sqlite3.Error as exc:
            raise ArchiveIndexError(f"Could not write to the archive index {self.path} "
                                    f"({exc}); nothing was written.") from exc

    @contextlib.contextmanager
    def trial(self) -> Iterator[None]:
        """Writes that are always undone at the end: to learn whether changes would go in."""
        conn = self.conn
        inside = conn.in_transaction
        conn.execute("SAVEPOINT trial" if inside else "BEGIN IMMEDIATE")
        try:
            yield
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO trial" if inside else "ROLLBACK")
                if inside:
                    conn.execute("RELEASE trial")

    def accounts(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT id, name, deleted_at FROM accounts ORDER BY name, id")

    def table_counts(self) -> dict[str, int]:
        return {t: int(self.conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
                for t in (*SYNCED_COLUMNS, "attachments", "bundles", "conflicts", "erasures")}

    def pack_rows(self, account_ids: list[str] | None) -> dict[str, list[dict[str, Any]]]:
        """What a pack carries: every guide version, the accounts (all, or these), their
        contacts, their completed visits and those visits' key learnings, action items and
        attendees."""
        if account_ids is None:
            accounts = self._dicts("SELECT * FROM accounts ORDER BY id")
        else:
            accounts = self.rows_where("accounts", "id", account_ids)
        ids = [a["id"] for a in accounts]
        visits = [v for v in self.rows_where("visits", "account_id", ids)
                  if v["status"] == "completed"]
        visit_ids = [v["id"] for v in visits]
        return {
            "guide_versions": self._dicts("SELECT * FROM guide_versions ORDER BY id"),
            "accounts": accounts,
            "contacts": self.rows_where("contacts", "account_id", ids),
            "visits": visits,
            "attendees": self.rows_where("attendees", "visit_id", visit_ids),
            "key_learnings": self.rows_where("key_learnings", "visit_id", visit_ids),
            "action_items": self.rows_where("action_items", "visit_id", visit_ids),
        }

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows, sorted: two indexes with equal dumps hold the same content."""
        tables = [name for (name,) in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return {t: sorted(self.conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}

    # --- writes ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        # inside batch(): a savepoint, undone alone on an error
        begin, undo, end = (("SAVEPOINT change", ("ROLLBACK TO change", "RELEASE change"),
                             "RELEASE change") if conn.in_transaction else
                            ("BEGIN IMMEDIATE", ("ROLLBACK",), "COMMIT"))
        conn.execute(begin)
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                for sql in undo:
                    conn.execute(sql)
            raise
        conn.execute(end)

    def apply(self, changes: IndexChanges) -> None:
        """Write all of `changes` in one transaction: all of it, or (on any error) none."""
        try:
            self._apply(changes)
        except (OverflowError, UnicodeEncodeError) as exc:
            raise UnstorableValue(f"a value cannot be stored ({exc})") from exc
        except sqlite3.IntegrityError as exc:
            raise RecordExists(f"Could not write to the archive index {self.path} ({exc}); "
                               "nothing was written.") from exc
        except sqlite3.Error as exc:
            if "too big" in str(exc):
                raise UnstorableValue(f"a value is too large to store ({exc})") from exc
            raise ArchiveIndexError(f"Could not write to the archive index {self.path} "
                                    f"({exc}); nothing was written.") from exc

    def _apply(self, changes: IndexChanges) -> None:
        with self._transaction() as conn:
            for table, rows in changes.inserts.items():
                if rows:
                    conn.executemany(_insert_sql(table, synced_column_names(table)), rows)
            for table, rows in changes.upserts.items():
                if rows:
                    conn.executemany(_upsert_sql(table), rows)
            _mark_stale(conn, changes.inserts)
            _mark_stale(conn, changes.upserts)
            if changes.conflicts:
                conn.executemany(_insert_sql("conflicts", CONFLICT_COLUMNS), changes.conflicts)
            if changes.conflict_updates:
                conn.executemany("UPDATE conflicts SET status = ?, kept = ?, kept_version = ?, "
                                 "resolved_at = ?, resolved_version = ? WHERE id = ?",
                                 changes.conflict_updates)
            if changes.erase_conflicts:
                conn.executemany(
                    "UPDATE conflicts SET incoming_row = NULL, status = CASE status "
                    "WHEN 'open' THEN 'erased' ELSE status END "
                    "WHERE record_table = ? AND record_id = ?", changes.erase_conflicts)
            for attachment in changes.attachments:
                _store_attachment(conn, attachment)
            if changes.erasures:
                conn.executemany(_insert_sql("erasures", ERASURE_COLUMNS, "INSERT OR IGNORE"),
                                 changes.erasures)
            if changes.bundle is not None:
                conn.execute(_insert_sql("bundles", BUNDLE_COLUMNS),
                             [changes.bundle[c] for c in BUNDLE_COLUMNS])
            if changes.resolution is not None:
                conn.execute(_insert_sql("resolutions", ("file_name", "conflict_id", "outcome",
                                                         "detail", "event_key"),
                                         "INSERT OR REPLACE"), list(changes.resolution))
            if changes.refused is not None:
                conn.execute(_insert_sql("refused_files", ("file_name", "event_key", "reason"),
                                         "INSERT OR REPLACE"), list(changes.refused))
            for key, value in changes.meta.items():
                conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) "
                             "DO UPDATE SET value = excluded.value", [key, value])


# Which visits a changed row touches: (column of the row, visits' column it names).
_TOUCHES = {"visits": ("id", "id"), "entries": ("visit_id", "id"),
            "key_learnings": ("visit_id", "id"), "attendees": ("visit_id", "id"),
            "action_items": ("visit_id", "id"), "accounts": ("id", "account_id"),
            # a person's consent decides how the whole account's visits name them
            "contacts": ("account_id", "account_id"),
            "guide_versions": ("id", "guide_version_id")}


def _store_attachment(conn: sqlite3.Connection, attachment: tuple[Any, ...]) -> None:
    """Store one attachment; its content is bytes or a function that streams it into a
    file-like blob, so a large photo never sits in memory whole."""
    sha, name, mime, size, data, bundle_id = attachment
    if not callable(data):
        conn.execute(_insert_sql("attachments", ATTACHMENT_COLUMNS, "INSERT OR IGNORE"),
                     [sha, name, mime, size, data, bundle_id])
        return
    cur = conn.execute('INSERT OR IGNORE INTO attachments (sha256, name, mime, size, data, '
                       'bundle_id) VALUES (?, ?, ?, ?, zeroblob(?), ?)',
                       [sha, name, mime, size, size, bundle_id])
    if cur.rowcount:
        with conn.blobopen("attachments", "data", cur.lastrowid) as blob:
            data(blob)


def _mark_stale(conn: sqlite3.Connection, upserts: dict[str, list[tuple[Any, ...]]]) -> None:
    """Queue the visits these rows belong to, so their findings are derived again."""
    for table, rows in upserts.items():
        if not rows or table not in _TOUCHES:
            continue
        column, visits_column = _TOUCHES[table]
        at = synced_column_names(table).index(column)
        values = json.dumps(sorted({r[at] for r in rows if r[at] is not None}))
        conn.execute(f'INSERT OR IGNORE INTO stale_visits (visit_id) SELECT id FROM visits '
                     f'WHERE "{visits_column}" IN (SELECT value FROM json_each(?))', [values])


def synced_column_names(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in SYNCED_COLUMNS[table])
