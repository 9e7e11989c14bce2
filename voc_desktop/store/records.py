"""Generic writes of synchronised records: every insert and update is stamped with time,
device and revision, so later sync can tell new, same and conflicting copies apart, and with
a change number, so the next bundle knows which rows changed since the last one."""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from voc_desktop.store.connection import WorkspaceDB
from voc_desktop.store.database import now_utc

# The tables that travel in bundles, in an order that respects their foreign keys.
SYNCED_TABLES = ("accounts", "contacts", "guide_versions", "visits", "attendees", "entries",
                 "key_learnings", "action_items")
# Tables whose rows carry a change number (the erasures travel too).
NUMBERED_TABLES = (*SYNCED_TABLES, "erasures")


class _ChangeCounter:
    """The workspace's change numbers: read from the tables once, then counted in memory.
    Another process (the command line beside the window) may have written in between; SQLite
    tells by a new data_version, and the counter then reads the tables again."""

    def __init__(self) -> None:
        self.last: int | None = None
        self.data_version: int | None = None

    def next(self, db: WorkspaceDB) -> int:
        data_version = db.execute("PRAGMA data_version").fetchone()[0]
        if self.last is None or data_version != self.data_version:
            self.last = max(self.last or 0, max_change_seq(db))
            self.data_version = data_version
        self.last += 1
        return self.last


# One counter per open database, shared by every Records on it.
_COUNTERS: weakref.WeakKeyDictionary[WorkspaceDB, _ChangeCounter] = \
    weakref.WeakKeyDictionary()


def max_change_seq(db: WorkspaceDB) -> int:
    """The highest change number given out so far (0 when none); each MAX reads one index."""
    parts = " UNION ALL ".join(f'SELECT MAX(change_seq) AS m FROM "{t}"'
                               for t in NUMBERED_TABLES)
    return int(db.execute(f"SELECT COALESCE(MAX(m), 0) FROM ({parts})").fetchone()[0])


def dumps(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def loads(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text else ()


class Records:
    """Row-level writes for one device; callers wrap related writes in `db.atomic()`."""

    def __init__(self, db: WorkspaceDB, device_id: str) -> None:
        self.db = db
        self.device_id = device_id
        self._counter = _COUNTERS.setdefault(db, _ChangeCounter())

    def next_change_seq(self) -> int:
        """A change number higher than every one given out before in this workspace."""
        return self._counter.next(self.db)

    def insert(self, table: str, row: Mapping[str, Any]) -> dict[str, Any]:
        now = now_utc()
        full = {"created_at": now, "updated_at": now, "device_id": self.device_id,
                "revision": 1, **row, "change_seq": self.next_change_seq()}
        cols = ", ".join(f'"{c}"' for c in full)
        marks = ", ".join("?" for _ in full)
        self.db.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(full.values()))
        return full

    def update(self, table: str, record_id: str, changes: Mapping[str, Any]) -> bool:
        """Apply changes to a live record; False when there is no such record."""
        if not changes:
            return self.get(table, record_id) is not None
        sets = ", ".join(f'"{c}" = ?' for c in changes)
        cur = self.db.execute(
            f'UPDATE "{table}" SET {sets}, updated_at = ?, device_id = ?, revision = revision + 1, '
            "change_seq = ? WHERE id = ? AND deleted_at IS NULL",
            [*changes.values(), now_utc(), self.device_id, self.next_change_seq(), record_id],
        )
        return cur.rowcount > 0

    def delete(self, table: str, record_id: str, at: str | None = None) -> bool:
        """Mark a record deleted; the row stays as a tombstone for sync."""
        return self.update(table, record_id, {"deleted_at": at or now_utc()})

    def restore(self, table: str, record_id: str) -> bool:
        """Bring a deleted record back (undo of a delete)."""
        cur = self.db.execute(
            f'UPDATE "{table}" SET deleted_at = NULL, updated_at = ?, device_id = ?, '
            "revision = revision + 1, change_seq = ? WHERE id = ? AND deleted_at IS NOT NULL",
            [now_utc(), self.device_id, self.next_change_seq(), record_id])
        return cur.rowcount > 0

    def get(self, table: str, record_id: str) -> dict[str, Any] | None:
        cur = self.db.execute(
            f'SELECT * FROM "{table}" WHERE id = ? AND deleted_at IS NULL', [record_id])
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None

    def select(self, table: str, where: str = "1", params: Iterable[Any] = (),
               order_by: str = "rowid") -> list[dict[str, Any]]:
        cur = self.db.execute(
            f'SELECT * FROM "{table}" WHERE deleted_at IS NULL AND ({where}) ORDER BY {order_by}',
            list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def next_position(self, table: str, visit_id: str) -> int:
        row = self.db.execute(
            f'SELECT COALESCE(MAX(position), -1) + 1 FROM "{table}" WHERE visit_id = ?',
            [visit_id]).fetchone()
        return int(row[0])
