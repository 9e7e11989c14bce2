"""Backups of this laptop's workspace: made on request, on a schedule and before anything
that rewrites much of it (an app update, a pack import, a restore); listed; put back.

They live in `<data_dir>/backups/` as `workspace-YYYYmmddTHHMMSSZ-<reason>.sqlite3`, each a
standalone SQLite file that was checked before it got its name. A damaged workspace set
aside by a restore is kept there too, as `damaged-<time>.sqlite3`: nothing is deleted.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from voc_desktop.services.erasure import finish_backup_erasures
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace import lock as workspace_lock
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store import backup as store
from voc_desktop.store.database import WORKSPACE_FILE
from voc_desktop.store.errors import StoreError

REASON_WORDS = {
    "scheduled": "Scheduled",
    "before-migration": "Before an app update",
    "before-import": "Before a pack import",
    "before-restore": "Before a restore",
    "manual": "Backed up by hand",
}


_log = logging.getLogger(__name__)


class BackupFailed(ServiceError):
    """A backup was not made; the message says why. Older backups are unchanged."""


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    when: datetime  # UTC
    reason: str
    size: int  # bytes
    visits: int | None  # None when the file cannot be read
    # its name says it passed SQLite's integrity check when it was made, and it still opens
    verified: bool

    @property
    def reason_words(self) -> str:
        return REASON_WORDS.get(self.reason, self.reason.replace("-", " ").capitalize())


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    before_restore: BackupInfo | None  # the workspace as it was, when it was healthy
    damaged_kept: Path | None  # where a damaged workspace was set aside instead


def backups_dir(data_dir: Path | str) -> Path:
    return Path(data_dir).expanduser() / store.BACKUPS_DIR


def list_backups(data_dir: Path | str) -> list[BackupInfo]:
    """Every backup, newest first, with what a person needs to choose one."""
    try:
        files = store.backup_files(backups_dir(data_dir))
    except StoreError as exc:
        raise ServiceError(str(exc)) from exc
    found = []
    for b in files:
        info = _info(b)
        if info is not None:
            found.append(info)
    return found


def make_backup(data_dir: Path | str, reason: str = "manual", *,
                now: datetime | None = None) -> BackupInfo:
    """Back up the workspace in `data_dir` now, then thin the older backups."""
    data_dir = Path(data_dir).expanduser()
    started = time.perf_counter()
    finish_backup_erasures(data_dir)  # one stopped half way is finished before a new backup
    try:
        made = store.make_backup(data_dir / WORKSPACE_FILE, backups_dir(data_dir), reason,
                                 now=now)
    except StoreError as exc:
        _log.warning("Backup (%s) not made: %s", reason, type(exc).__name__)
        raise BackupFailed(str(exc)) from exc
    _log.info("Backup (%s) made and checked in %.0f ms", reason,
              (time.perf_counter() - started) * 1000)
    info = _info(made)
    if info is None:
        raise BackupFailed(f"The backup {made.name} vanished as soon as it was made.")
    return info


def backup_before(ws: Workspace, reason: str, what: str) -> BackupInfo:
    """A backup before `what` (e.g. "importing the pack"); refuses to go on without one."""
    try:
        return make_backup(ws.data_dir, reason)
    except BackupFailed as exc:
        raise ServiceError(f"Nothing was changed: a backup is made before {what}, and it "
                           f"could not be made. {exc}") from exc


def backed_up_since(data_dir: Path | str, since: datetime) -> bool:
    """Whether any backup was made at or after `since`."""
    with contextlib.suppress(StoreError):
        return any(b.when >= since for b in store.backup_files(backups_dir(data_dir)))
    return False


def find_backup(data_dir: Path | str, ref: str) -> BackupInfo:
    """A backup by its file name (a path to it will do), or a unique beginning of it."""
    name = Path(ref).name
    backups = list_backups(data_dir)
    exact = [b for b in backups if name in (b.name, b.name.removesuffix(".sqlite3"))]
    matches = exact or [b for b in backups if b.name.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    hint = "`voc backup list` shows them" if backups else "there are no backups yet"
    if matches:
        raise ServiceError(f"'{ref}' matches {len(matches)} backups; give more of the name "
                           f"({hint}).")
    raise ServiceError(f"No backup is named '{ref}' in {backups_dir(data_dir)} ({hint}).")


def latest_good(data_dir: Path | str) -> BackupInfo | None:
    """The newest backup that passes SQLite's full integrity check now."""
    for b in list_backups(data_dir):
        if b.verified and store.check_file(b.path, full=True) is None:
            return b
    return None


def restore(data_dir: Path | str, ref: str, *, now: datetime | None = None) -> RestoreResult:
    """Put the backup `ref` in place of the workspace, which is backed up first (or, when
    damaged, set aside in the backups folder). Every connection to the workspace must be
    closed; the lock held by this process's own window is no obstacle, another's is.

    A crash at any moment leaves the old workspace or the restored one, whole.
    """
    data_dir = Path(data_dir).expanduser()
    chosen = find_backup(data_dir, ref)
    lock = _lock_for_restore(data_dir)
    target = data_dir / WORKSPACE_FILE
    folder = backups_dir(data_dir)
    try:
        problem = store.check_file(chosen.path, full=True)
        if problem is not None:
            raise ServiceError(f"The backup {chosen.name} is damaged ({problem}); choose "
                               "another one. Nothing was changed.")
        staged = store.copy_for_restore(chosen.path, target)
        try:
            before, damaged = _set_current_aside(target, folder, chosen.name, now)
            store.swap_in(staged, target, damaged_to=damaged)
        finally:
            store.remove_with_side_files(staged)  # gone already once it is in place
    except StoreError as exc:
        raise ServiceError(str(exc)) from exc
    except OSError as exc:
        raise ServiceError(f"The backup could not be put in place ({exc.strerror or exc}); "
                           "the workspace is as it was.") from exc
    finally:
        if lock is not None:
            lock.release()
    replaced = "damaged" if damaged else "backed up" if before else "missing"
    _log.info("Restored a backup (%s) of %s; the replaced workspace was %s", chosen.reason,
              f"{chosen.when:%Y-%m-%d %H:%M}Z", replaced)
    return RestoreResult(chosen, before, damaged)


def _set_current_aside(target: Path, folder: Path, chosen: str, now: datetime | None
                       ) -> tuple[BackupInfo | None, Path | None]:
    """Back up a healthy workspace (and fold in its log), or name where a damaged one goes."""
    if not target.is_file() or target.stat().st_size == 0:
        return None, None
    healthy = store.check_file(target, full=False) is None
    if healthy:
        try:
            made = store.make_backup(target, folder, "before-restore", now=now,
                                     protect={chosen})
        except store.BackupNotVerified:
            healthy = False  # the quick check missed what the full one found
        else:
            store.release_workspace(target)
            return _info(made), None
    store.private_folder(folder)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    while (damaged := folder / f"damaged-{stamp:%Y%m%dT%H%M%SZ}.sqlite3").exists():
        stamp += timedelta(seconds=1)
    return None, damaged


def _lock_for_restore(data_dir: Path) -> workspace_lock.WorkspaceLock | None:
    """None when this process's window holds the workspace; else the lock, held for the
    restore so no app opens the workspace halfway through."""
    if workspace_lock.held_here(data_dir):
        return None
    try:
        return workspace_lock.hold(data_dir)
    except workspace_lock.WorkspaceInUse as exc:
        raise workspace_lock.WorkspaceInUse(
            f"VOC Desktop has the workspace in {data_dir} open. Close it, then restore the "
            "backup (or use File › Backups… in that window). Nothing was changed.") from exc


def _info(b: store.BackupFile) -> BackupInfo | None:
    try:
        size = b.path.stat().st_size
    except FileNotFoundError:  # thinned by another process just now
        return None
    visits = store.count_visits(b.path)
    return BackupInfo(b.name, b.path, b.when, b.reason, size, visits, visits is not None)
