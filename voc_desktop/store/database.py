"""Opening the workspace database: pragmas, migrations, and the small key/value table."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

from voc_desktop.store.connection import WorkspaceDB
from voc_desktop.store.migrations import pending, workspace_migrations

WORKSPACE_FILE = "workspace.sqlite3"


class StoreError(Exception):
    """A workspace problem a person can act on; the message says what and where."""


def now_utc() -> str:
    """UTC ISO-8601 with milliseconds, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    return str(uuid.uuid4())


def open_database(path: Path) -> WorkspaceDB:
    """Open (creating if needed) and migrate a workspace database."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the workspace folder {path.parent}: {exc.strerror}") from exc
    conn = None
    try:
        if os.name == "posix" and not path.exists():
            # Customer notes are readable by their owner only. Created private before
            # SQLite opens it, so the -wal and -shm files SQLite makes inherit the mode.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False)
        db = WorkspaceDB(conn)
        _tune(db)
        if pending(conn):
            workspace_migrations().apply(db.utils)
    except sqlite3.DatabaseError as exc:
        _close_quietly(conn)  # let go of a damaged file, leaving nothing beside it
        raise StoreError(
            f"{path} is not a VOC Desktop workspace or is damaged ({exc})."
        ) from exc
    except OSError as exc:
        _close_quietly(conn)
        raise StoreError(f"Cannot open the workspace {path}: {exc.strerror}") from exc
    return db


def _close_quietly(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def _tune(db: WorkspaceDB) -> None:
    db.execute("PRAGMA journal_mode=WAL").fetchall()
    # FULL keeps a confirmed save through a power cut, not only through an app crash.
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")


def get_meta(db: WorkspaceDB, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: WorkspaceDB, key: str, value: str) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def applied_migrations(db: WorkspaceDB) -> list[str]:
    return [m.name for m in workspace_migrations().applied(db.utils)]
