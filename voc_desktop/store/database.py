"""Opening the workspace database: pragmas, migrations, and the small key/value table."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

from voc_desktop.store.backup import BACKUPS_DIR, make_backup
from voc_desktop.store.connection import WorkspaceDB
from voc_desktop.store.errors import StoreError
from voc_desktop.store.migrations import MIGRATIONS, pending, workspace_migrations

WORKSPACE_FILE = "workspace.sqlite3"


class WorkspaceDamagedError(StoreError):
    """The workspace file fails SQLite's own check. It was only read, never written."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"The workspace file {path} is damaged ({detail}). It was only "
                         "read: nothing was written to it.")
        self.path = path
        self.detail = detail


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
    # Checked before anything may write to it (a migration, a checkpoint when a connection
    # closes): a damaged workspace must stay exactly as it is.
    if path.is_file() and path.stat().st_size > 0 and (problem := _quick_check(path)):
        raise WorkspaceDamagedError(path, problem)
    conn = None
    try:
        if os.name == "posix" and not path.exists():
            # Customer notes are readable by their owner only. Created private before
            # SQLite opens it, so the -wal and -shm files SQLite makes inherit the mode.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False)
        db = WorkspaceDB(conn)
        _tune(db)
        if todo := pending(conn):
            if len(todo) < len(MIGRATIONS):  # an existing workspace: keep it as it was
                _backup_before_migration(path)
            workspace_migrations().apply(db.utils)
    except StoreError:
        _close_quietly(conn)
        raise
    except sqlite3.DatabaseError as exc:
        _close_quietly(conn)  # let go of a damaged file, leaving nothing beside it
        raise StoreError(
            f"{path} is not a VOC Desktop workspace or is damaged ({exc})."
        ) from exc
    except OSError as exc:
        _close_quietly(conn)
        raise StoreError(f"Cannot open the workspace {path}: {exc.strerror}") from exc
    return db


def _quick_check(path: Path) -> str | None:
    """What SQLite's quick check finds wrong with the file, or None (also when the file
    cannot be read at all: opening it for real then says why)."""
    # A log left beside the file by a crash is read, never folded in: a read-only connection
    # does not checkpoint. Without a log a plain connection is used, as it removes the -wal
    # and -shm it makes when it closes, where a read-only one would leave them behind.
    read_only = "?mode=ro" if Path(f"{path}-wal").exists() else ""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}{read_only}", uri=True, timeout=5.0)
    except sqlite3.Error:
        return None
    try:
        rows = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        return str(exc) if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) else None
    finally:
        conn.close()
    return None if rows == ["ok"] else "; ".join(map(str, rows[:3]))


def _backup_before_migration(path: Path) -> None:
    try:
        make_backup(path, path.parent / BACKUPS_DIR, "before-migration")
    except StoreError as exc:
        raise StoreError(f"The workspace {path} needs updating for this version, and a "
                         f"backup must be made first, but it could not: {exc}") from exc


def _close_quietly(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def _tune(db: WorkspaceDB) -> None:
    db.execute("PRAGMA journal_mode=WAL").fetchall()
    # FULL keeps a confirmed save through a power cut, not only through an app crash.
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    # An erased person's words are overwritten in the file, not merely marked free.
    db.execute("PRAGMA secure_delete=ON")
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
