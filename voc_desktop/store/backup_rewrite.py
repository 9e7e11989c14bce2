"""Rewriting a backup in place, for an erasure: a checked copy is changed, vacuumed so no
freed page keeps what was removed, checked again, and then takes the backup's name in one
step. A crash on the way leaves the backup as it was and a partial file the next backup
clears; the backups folder never holds half a file under a backup's name."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from voc_desktop.safe_files import fsync_folder
from voc_desktop.store.backup import (
    PARTIAL,
    BackupError,
    _copy_checked,
    backup_files,
    remove_with_side_files,
)
from voc_desktop.store.connection import WorkspaceDB
from voc_desktop.store.migrations import pending, workspace_migrations

DAMAGED_GLOB = "damaged-*.sqlite3"


class NothingToChange(Exception):
    """Raised inside `rewriting` to leave the backup exactly as it is."""


def backups_holding_data(folder: Path) -> list[Path]:
    """Every file of the backups folder that holds a workspace: the backups, and damaged
    workspaces a restore set aside."""
    found = [b.path for b in backup_files(folder)]
    with contextlib.suppress(OSError):
        found += sorted(folder.glob(DAMAGED_GLOB))
    return found


@contextlib.contextmanager
def rewriting(path: Path) -> Iterator[WorkspaceDB]:
    """The backup at `path` opened for changes (migrated to the current schema, as a
    restore would); when the block ends without an exception the changed copy replaces
    it. Raises BackupError when the backup cannot be read or the copy fails its check."""
    partial = path.with_name(f".{path.name}.rewrite{PARTIAL}")
    remove_with_side_files(partial)
    try:
        _copy_checked(path, partial, full_check=False)
    except (sqlite3.Error, OSError, BackupError) as exc:
        remove_with_side_files(partial)
        raise BackupError(f"The backup {path.name} cannot be read ({exc}).") from exc
    conn = sqlite3.connect(str(partial), timeout=5.0)
    try:
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA foreign_keys=ON")
        db = WorkspaceDB(conn)
        if pending(conn):
            workspace_migrations().apply(db.utils)
        yield db
        conn.execute("VACUUM")
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            raise BackupError(f"The rewritten copy of {path.name} did not pass its check.")
        conn.close()
        fd = os.open(partial, os.O_RDWR)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, path)
    except NothingToChange:
        pass
    except sqlite3.Error as exc:
        raise BackupError(f"The backup {path.name} cannot be rewritten ({exc}).") from exc
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        remove_with_side_files(partial)
    fsync_folder(path.parent)
