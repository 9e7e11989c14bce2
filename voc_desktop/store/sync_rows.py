"""Rows as bundles see them: whole rows with their sync columns, read for an export, written
back as they arrive in a pack, marked as shared, and erased when a person withdraws consent.

Rows taken from an archive keep no change number (change_seq NULL): they are the archive's
already, so the next bundle does not carry them back. Local writes, the effects of an
erasure included, are numbered like any other write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voc_desktop.store.database import now_utc
from voc_desktop.store.errors import StoreError
from voc_desktop.store.records import NUMBERED_TABLES, Records

_CHUNK = 500  # ids per IN (...): well below SQLite's limit on bound values


def _dicts(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _marks(values: list[str]) -> str:
    return ", ".join("?" for _ in values)


@dataclass(frozen=True)
class ErasedRows:
    """What an erasure changed in this workspace."""

    contact: bool  # the contact's row was emptied
    quotes: int
    attendances: int
    learnings: int


class SyncRows:
    def __init__(self, records: Records) -> None:
        self.records = records
        self.db = records.db
        self._columns: dict[str, list[str]] = {}

    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            if table not in NUMBERED_TABLES:
                raise ValueError(f"{table!r} is not a synchronised table")
            cur = self.db.execute(f'PRAGMA table_info("{table}")')
            self._columns[table] = [row[1] for row in cur.fetchall()]
        return self._columns[table]

    # --- export --------------------------------------------------------------------------

    def changed(self, table: str, after: int | None) -> list[dict[str, Any]]:
        """Every row, tombstones included, numbered above `after` (all rows when None)."""
        self.columns(table)  # refuses a table that is not synchronised
        if after is None:
            return _dicts(self.db.execute(f'SELECT * FROM "{table}" ORDER BY rowid'))
        return _dicts(self.db.execute(
            f'SELECT * FROM "{table}" WHERE change_seq > ? ORDER BY change_seq, rowid', [after]))

    def attachment_files(self, shas: Iterable[str]) -> list[dict[str, Any]]:
        """Name, type and size of the stored attachments among `shas` (not their content)."""
        found: list[dict[str, Any]] = []
        for part in _chunks(sorted(set(shas))):
            found += _dicts(self.db.execute(
                "SELECT sha256, name, mime, size FROM attachments "
                f"WHERE sha256 IN ({_marks(part)}) ORDER BY sha256", part))
        return found

    def mark_shared(self, table: str, shared: Iterable[tuple[str, str, str, int]],
                    seen_up_to: int) -> None:
        """Set base_version on rows just put into a bundle: (id, version, device, revision).
        A row is marked when it is still the version sent, or was edited after the bundle
        was gathered (numbered above `seen_up_to`), since that edit builds on what was sent;
        a row replaced from elsewhere meanwhile is left alone."""
        self.columns(table)
        self.db.conn.executemany(
            f'UPDATE "{table}" SET base_version = ? WHERE id = ? '
            "AND ((device_id = ? AND revision = ?) OR change_seq > ?)",
            [(version, row_id, device, revision, seen_up_to)
             for row_id, version, device, revision in shared])

    # --- import --------------------------------------------------------------------------

    def current(self, table: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The rows held for `ids`, tombstones included, by id."""
        self.columns(table)
        found: dict[str, dict[str, Any]] = {}
        for part in _chunks(sorted(set(ids))):
            for row in _dicts(self.db.execute(
                    f'SELECT * FROM "{table}" WHERE id IN ({_marks(part)})', part)):
                found[row["id"]] = row
        return found

    def put(self, table: str, row: Mapping[str, Any], *, replace: bool) -> None:
        """Write a row taken from elsewhere exactly as given (its stamps are not renewed).
        Fields this table does not have are left out; a row the schema refuses raises
        StoreError naming the table and row."""
        known = set(self.columns(table))
        values = {k: v for k, v in row.items() if k in known}
        try:
            if replace:
                sets = ", ".join(f'"{c}" = ?' for c in values if c != "id")
                self.db.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?',
                                [*(v for c, v in values.items() if c != "id"), values["id"]])
            else:
                cols = ", ".join(f'"{c}"' for c in values)
                self.db.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({_marks(list(values))})',
                                list(values.values()))
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{table} row {row.get('id')} cannot be stored: {exc}.") from exc

    def put_attachment(self, sha256: str, name: str, mime: str, data: bytes,
                       device_id: str) -> bool:
        """Store an attachment taken from elsewhere; False when it was here already."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO attachments(sha256, name, mime, size, data, created_at, "
            "device_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [sha256, name, mime, len(data), data, now_utc(), device_id])
        return cur.rowcount > 0

    def has_attachment(self, sha256: str) -> bool:
        return self.db.execute("SELECT 1 FROM attachments WHERE sha256 = ?",
                               [sha256]).fetchone() is not None

    # --- erasures ------------------------------------------------------------------------

    def erasures(self, after: int | None = None) -> list[dict[str, Any]]:
        """Erasures numbered above `after`, or all of them when None."""
        if after is None:
            return _dicts(self.db.execute("SELECT * FROM erasures ORDER BY rowid"))
        return _dicts(self.db.execute(
            "SELECT * FROM erasures WHERE change_seq > ? ORDER BY change_seq, rowid", [after]))

    def erased_contact_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT contact_id FROM erasures").fetchall()}

    def erased_quote_ids(self) -> set[str]:
        """Entries whose words came from an erased contact."""
        return {r[0] for r in self.db.execute(
            "SELECT id FROM entries WHERE speaker_id IN (SELECT contact_id FROM erasures)")}

    def add_erasure(self, contact_id: str, account_id: str | None, erased_at: str,
                    device_id: str, *, numbered: bool) -> bool:
        """Remember an erasure; False when this contact was erased already. A local one is
        numbered so it travels; one taken from the archive is not sent back."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO erasures(contact_id, account_id, erased_at, device_id, "
            "change_seq) VALUES (?, ?, ?, ?, ?)",
            [contact_id, account_id, erased_at, device_id,
             self.records.next_change_seq() if numbered else None])
        return cur.rowcount > 0

    def erase_contact(self, contact_id: str, at: str) -> ErasedRows:
        """Empty the contact's row and delete their quotes, the key learnings drawn from
        those quotes, and their attendances. The words go too, not only the rows: a
        tombstone still holding a quote would keep what the person asked to have removed.
        Tombstones are emptied as well; rows already in that state are not touched again."""
        stamp = "updated_at = ?, device_id = ?, revision = revision + 1, change_seq = ?"

        def stamped(sql: str, where: list[Any]) -> int:
            params = [at, at, self.records.device_id, self.records.next_change_seq(), *where]
            return self.db.execute(sql, params).rowcount

        contact = stamped(
            "UPDATE contacts SET name = '', title = '', consent_given = 0, "
            "consent_quote_by_name = 0, consent_method = '', consent_at = NULL, "
            f"consent_scope = '', deleted_at = COALESCE(deleted_at, ?), {stamp} "
            "WHERE id = ? AND NOT (name = '' AND title = '' AND consent_given = 0 AND "
            "consent_quote_by_name = 0 AND consent_method = '' AND consent_at IS NULL AND "
            "consent_scope = '' AND deleted_at IS NOT NULL)", [contact_id])
        learnings = stamped(
            "UPDATE key_learnings SET text = '', correction = '', "
            f"deleted_at = COALESCE(deleted_at, ?), {stamp} "
            "WHERE source_entry_id IN (SELECT id FROM entries WHERE speaker_id = ?) "
            "AND NOT (text = '' AND correction = '' AND deleted_at IS NOT NULL)", [contact_id])
        quotes = stamped(
            f"UPDATE entries SET text = '', deleted_at = COALESCE(deleted_at, ?), {stamp} "
            "WHERE speaker_id = ? AND NOT (text = '' AND deleted_at IS NOT NULL)", [contact_id])
        attendances = stamped(
            f"UPDATE attendees SET deleted_at = ?, {stamp} "
            "WHERE contact_id = ? AND deleted_at IS NULL", [contact_id])
        return ErasedRows(contact > 0, quotes, attendances, learnings)

    def erasure_scope(self, contact_id: str) -> ErasedRows:
        """What erase_contact would change now, for a person to confirm first."""
        def count(sql: str) -> int:
            return int(self.db.execute(sql, [contact_id]).fetchone()[0])

        return ErasedRows(
            contact=count("SELECT COUNT(*) FROM contacts WHERE id = ?") > 0,
            quotes=count("SELECT COUNT(*) FROM entries WHERE speaker_id = ? "
                         "AND deleted_at IS NULL"),
            attendances=count("SELECT COUNT(*) FROM attendees WHERE contact_id = ? "
                              "AND deleted_at IS NULL"),
            learnings=count("SELECT COUNT(*) FROM key_learnings WHERE deleted_at IS NULL AND "
                            "source_entry_id IN (SELECT id FROM entries WHERE speaker_id = ?)"),
        )

    def contact_row(self, contact_id: str) -> dict[str, Any] | None:
        """A contact's row whether deleted or not."""
        rows = _dicts(self.db.execute("SELECT * FROM contacts WHERE id = ?", [contact_id]))
        return rows[0] if rows else None

    def contact_ids_starting(self, prefix: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT id FROM contacts WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 2",
            [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"])]


def delete_meta(db: Any, key: str) -> None:
    with db.atomic():
        db.execute("DELETE FROM meta WHERE key = ?", [key])


class AttachmentReader:
    """Reads attachment content through a connection of its own, so a bundle can be
    written on a worker thread while the window keeps the workspace's connection."""

    def __init__(self, workspace_file: Path) -> None:
        uri = Path(workspace_file).resolve().as_uri() + "?mode=ro"
        try:
            self._conn = sqlite3.connect(uri, uri=True, timeout=5.0, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot read the attachments in {workspace_file}: {exc}") from exc

    def data(self, sha256: str) -> bytes | None:
        row = self._conn.execute("SELECT data FROM attachments WHERE sha256 = ?",
                                 [sha256]).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> AttachmentReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
