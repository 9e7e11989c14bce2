"""Backups of the workspace file, and putting one back in its place.

A backup is taken with SQLite's backup API from a read-only connection in one step: in WAL
mode a reader never blocks the writer, so typing goes on while it runs. The copy is written
under a temporary name, checked with `PRAGMA integrity_check`, made a standalone file
(rollback journal, so opening it never leaves -wal files), flushed to disk, and only then
renamed to `workspace-YYYYmmddTHHMMSSZ-<reason>.sqlite3`. A file with that name was checked
when it was made; a failed backup leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from voc_desktop.domain.backup_plan import backups_to_keep
from voc_desktop.safe_files import fsync_folder
from voc_desktop.store.errors import StoreError

BACKUPS_DIR = "backups"
REASONS = ("scheduled", "before-migration", "before-import", "before-restore", "manual")
DISK_FULL = "The disk is full: the backup was not made. Older backups are unchanged."
PARTIAL = ".partial"
SIDE_FILES = ("-wal", "-shm", "-journal")
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^workspace-(\d{8}T\d{6}Z)-([a-z]+(?:-[a-z]+)*)\.sqlite3$")
_STALE_PARTIAL = timedelta(hours=1)  # older leftovers are from a process that was killed


class BackupError(StoreError):
    """A backup could not be made, checked or put back; the message says why."""


class BackupDiskFull(BackupError):
    """The disk filled up while a backup was written."""


class BackupNotVerified(BackupError):
    """The copy did not pass SQLite's integrity check, so it was not kept."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    when: datetime  # UTC
    reason: str

    @property
    def name(self) -> str:
        return self.path.name


def backup_name(when: datetime, reason: str) -> str:
    return f"workspace-{when.astimezone(UTC).strftime(_STAMP)}-{reason}.sqlite3"


def parse_name(name: str) -> tuple[datetime, str] | None:
    """The time and reason in a backup's file name, or None for any other file."""
    match = _NAME.match(name)
    if not match:
        return None
    try:
        when = datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return when, match[2]


def backup_files(folder: Path) -> list[BackupFile]:
    """The backups in `folder`, newest first (damaged workspaces and other files left out)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BackupError(f"Cannot read the backups folder {folder}: {exc.strerror}.") from exc
    found = [BackupFile(folder / n, *parsed) for n in names if (parsed := parse_name(n))]
    return sorted(found, key=lambda b: (b.when, b.name), reverse=True)


def make_backup(source: Path, folder: Path, reason: str, *, now: datetime | None = None,
                thin: bool = True, protect: Collection[str] = ()) -> BackupFile:
    """Back up the database at `source` into `folder`, then thin the folder (never touching
    the names in `protect`). Raises BackupError, BackupDiskFull or BackupNotVerified."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    if not source.is_file():
        raise BackupError(f"There is no workspace at {source} to back up.")
    now = now or datetime.now(UTC)
    try:
        private_folder(folder)
        _remove_stale_partials(folder)
    except OSError as exc:
        raise _os_error(exc, f"Cannot use the backups folder {folder}") from exc
    when = _free_stamp(folder, now)
    final = folder / backup_name(when, reason)
    partial = folder / f".{final.name}{PARTIAL}"
    try:
        _copy_checked(source, partial, full_check=True)
        os.replace(partial, final)
    except BaseException as exc:
        remove_with_side_files(partial)
        if isinstance(exc, sqlite3.Error | OSError):
            raise _backup_error(exc, source) from exc
        raise
    with contextlib.suppress(OSError):  # the copy itself is on disk already
        fsync_folder(folder)
    made = BackupFile(final, when, reason)
    if thin:
        thin_folder(folder, now, protect={made.name, *protect})
    return made


def thin_folder(folder: Path, now: datetime, *, protect: Collection[str] = ()) -> list[Path]:
    """Delete the backups the keeping rule lets go; returns what was deleted."""
    files = backup_files(folder)
    keep = backups_to_keep([b.when for b in files], now,
                           protected=[i for i, b in enumerate(files) if b.name in protect])
    removed = []
    for i, b in enumerate(files):
        if i not in keep:
            with contextlib.suppress(OSError):  # one that cannot go now stays till next time
                b.path.unlink()
                removed.append(b.path)
    return removed


def check_file(path: Path, *, full: bool = True) -> str | None:
    """None when the database at `path` passes SQLite's integrity check (the quick one
    unless `full`), else what is wrong. Opens it read-only: nothing is written to it."""
    try:
        with _read_only(path) as conn:
            pragma = "integrity_check" if full else "quick_check"
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    except OSError as exc:
        return exc.strerror or str(exc)
    if rows == ["ok"]:
        return None
    return "; ".join(str(r) for r in rows[:3]) or "no answer from the check"


def count_visits(path: Path) -> int | None:
    """The visits a backup holds, from a read-only open; None when it cannot be read."""
    try:
        with _read_only(path) as conn:
            return int(conn.execute(
                "SELECT COUNT(*) FROM visits WHERE deleted_at IS NULL").fetchone()[0])
    except (sqlite3.Error, OSError):
        return None


def copy_for_restore(backup: Path, target: Path) -> Path:
    """A checked, standalone copy of `backup` beside `target`, ready to take its place."""
    staged = target.with_name(f".{target.name}.restoring")
    remove_with_side_files(staged)  # left over from a restore that was stopped
    try:
        _copy_checked(backup, staged, full_check=False)
    except BaseException as exc:
        remove_with_side_files(staged)
        if isinstance(exc, BackupError) or not isinstance(exc, sqlite3.Error | OSError):
            raise
        if is_disk_full(exc):
            raise BackupDiskFull("The disk is full: the backup was not restored. The "
                                 "workspace is unchanged.") from exc
        raise BackupError(f"Could not prepare the restore beside {target} ({exc}); the "
                          "workspace is unchanged.") from exc
    return staged


def release_workspace(target: Path) -> None:
    """Fold a healthy workspace's write-ahead log into its file, so the file alone holds all
    of it. Refuses when some connection still has it open: swapping the file under an open
    connection would pair its old log with the new file."""
    if not target.exists():
        return
    try:
        conn = sqlite3.connect(str(target), timeout=5.0)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Could not prepare {target} for the restore ({exc}).") from exc
    # the last connection to close folds the log in and deletes it; a log still there means
    # another connection, in this process or another, has the workspace open
    if busy or Path(f"{target}-wal").exists():
        raise BackupError(f"The workspace {target} is still open in another program; close "
                          "it first. Nothing was changed.")
    with contextlib.suppress(FileNotFoundError):
        Path(f"{target}-shm").unlink()


def swap_in(staged: Path, target: Path, *, damaged_to: Path | None = None) -> None:
    """Put `staged` in place of `target` in one rename. With `damaged_to`, the old file and
    its -wal and -shm are kept under that name first (nothing is deleted)."""
    if damaged_to is not None and target.exists():
        _keep_damaged(target, damaged_to)
    os.replace(staged, target)
    fsync_folder(target.parent)


def private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)


def remove_with_side_files(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _copy_checked(source: Path, dest: Path, *, full_check: bool) -> None:
    # created private before SQLite opens it, as the workspace itself is
    os.close(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with _read_only(source) as src:
        dst = _open_destination(dest)
        try:
            src.backup(dst)  # every page in one step: one read transaction, one snapshot
            dst.execute("PRAGMA journal_mode=DELETE").fetchall()
            pragma = "integrity_check" if full_check else "quick_check"
            rows = [r[0] for r in dst.execute(f"PRAGMA {pragma}").fetchall()]
        finally:
            dst.close()
    if rows != ["ok"]:
        raise BackupNotVerified(
            f"The copy of {source} did not pass its check ({'; '.join(map(str, rows[:3]))}), "
            "so it was not kept; the workspace itself may be damaged.")
    for suffix in ("-wal", "-shm"):
        if Path(f"{dest}{suffix}").exists():
            raise BackupError(f"The copy of {source} is not a standalone file.")
    fd = os.open(dest, os.O_RDWR)  # Windows flushes only a handle that may write
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_destination(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=5.0)


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    if not path.is_file():
        raise sqlite3.DatabaseError(f"{path} does not exist")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    try:
        yield conn
    finally:
        conn.close()


def _free_stamp(folder: Path, now: datetime) -> datetime:
    """`now` to the second, moved on a second while a backup already has that time, so each
    name is unique and the names sort in the order the backups were made."""
    taken = {b.when for b in backup_files(folder)}
    when = now.astimezone(UTC).replace(microsecond=0)
    while when in taken:
        when += timedelta(seconds=1)
    return when


def _remove_stale_partials(folder: Path) -> None:
    limit = time.time() - _STALE_PARTIAL.total_seconds()
    for entry in os.scandir(folder):
        base = entry.name
        for suffix in SIDE_FILES:
            base = base.removesuffix(suffix)
        if base.startswith(".") and base.endswith(PARTIAL):
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < limit:
                    os.unlink(entry.path)


def _keep_damaged(target: Path, damaged_to: Path) -> None:
    # A hard link keeps the damaged file under its new name while the workspace name still
    # points at it, so no moment passes with neither; where links are not possible, a rename.
    try:
        os.link(target, damaged_to)
    except OSError:
        os.rename(target, damaged_to)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{target}{suffix}")
        if side.exists():
            os.rename(side, Path(f"{damaged_to}{suffix}"))
    fsync_folder(damaged_to.parent)


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL \
            or "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _backup_error(exc: BaseException, source: Path) -> BackupError:
    if isinstance(exc, BackupError):
        return exc
    if is_disk_full(exc):
        return BackupDiskFull(DISK_FULL)
    if isinstance(exc, OSError):
        return _os_error(exc, "The backup was not made")
    return BackupError(f"The backup of {source} was not made ({exc}). Older backups are "
                       "unchanged.")


def _os_error(exc: OSError, what: str) -> BackupError:
    if is_disk_full(exc):
        return BackupDiskFull(DISK_FULL)
    where = f" ({exc.filename})" if exc.filename else ""
    return BackupError(f"{what}: {exc.strerror or exc}{where}.")
