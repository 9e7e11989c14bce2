"""Backups at the file level: checked standalone copies taken while the workspace is in use,
nothing left behind when they fail, thinning, and the checks when a workspace is opened."""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.backups import damage, digest, filled_workspace, rows

from voc_desktop.services.accounts import create_account
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store import backup
from voc_desktop.store.backup import BackupDiskFull, BackupError, make_backup
from voc_desktop.store.database import WORKSPACE_FILE, WorkspaceDamagedError, open_database
from voc_desktop.store.errors import StoreError
from voc_desktop.store.migrations import MIGRATION_SET, MIGRATIONS, m0001_initial, pending

NOW = datetime(2026, 11, 25, 15, 0, 7, tzinfo=UTC)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return filled_workspace(tmp_path / "ws")


def folder_of(data_dir: Path) -> Path:
    return data_dir / backup.BACKUPS_DIR


def test_a_backup_is_a_checked_private_standalone_copy(data_dir: Path) -> None:
    """The copy is named by time and reason, owner-only in an owner-only folder, in rollback
    journal mode, and opening it leaves no -wal file beside it."""
    made = make_backup(data_dir / WORKSPACE_FILE, folder_of(data_dir), "manual", now=NOW)
    assert made.name == "workspace-20261125T150007Z-manual.sqlite3"
    assert (made.when, made.reason) == (NOW.replace(microsecond=0), "manual")
    if os.name == "posix":
        assert made.path.stat().st_mode & 0o777 == 0o600
        assert folder_of(data_dir).stat().st_mode & 0o777 == 0o700
    header = made.path.read_bytes()[:100]
    assert header[18:20] == b"\x01\x01"  # rollback journal, not WAL
    conn = sqlite3.connect(made.path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert conn.execute("SELECT COUNT(*) FROM visits").fetchone() == (4,)
    conn.close()
    assert sorted(os.listdir(folder_of(data_dir))) == [made.name]
    assert backup.check_file(made.path) is None


def test_a_backup_does_not_wait_for_a_write_in_progress(data_dir: Path) -> None:
    """While a write transaction is open on the workspace, the backup is taken at once from
    the last committed state, and the write still commits afterwards."""
    ws = Workspace.open(data_dir)
    try:
        with ws.batch():
            create_account(ws, "Not Yet Committed Ltd")
            started = time.perf_counter()
            made = make_backup(ws.path, folder_of(data_dir), "scheduled")
            elapsed = time.perf_counter() - started
        assert "Not Yet Committed Ltd" in {a.name for a in ws.accounts.list()}
    finally:
        ws.close()
    assert elapsed < 2.0  # the busy timeout is 5 s: it never waited for the writer
    names = {r[0] for r in rows(made.path, "SELECT name FROM accounts")}
    assert names and "Not Yet Committed Ltd" not in names


def test_two_backups_in_one_second_get_their_own_names(data_dir: Path) -> None:
    """A second backup in the same second is named a second later, never over the first."""
    first = make_backup(data_dir / WORKSPACE_FILE, folder_of(data_dir), "manual", now=NOW)
    second = make_backup(data_dir / WORKSPACE_FILE, folder_of(data_dir), "before-restore",
                         now=NOW)
    assert second.when == first.when + timedelta(seconds=1)
    assert first.path.exists() and second.path.exists()


def _limit_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    def small(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(str(path))
        conn.execute("PRAGMA max_page_count = 4")  # as if the disk filled up
        return conn

    monkeypatch.setattr(backup, "_open_destination", small)


def test_a_full_disk_leaves_no_partial_file_and_the_old_backups(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up during the copy: the message says so, nothing half-written stays,
    and the earlier backup is untouched."""
    old = make_backup(data_dir / WORKSPACE_FILE, folder_of(data_dir), "manual", now=NOW)
    before = digest(old.path)
    _limit_pages(monkeypatch)
    with pytest.raises(BackupDiskFull) as caught:
        make_backup(data_dir / WORKSPACE_FILE, folder_of(data_dir), "manual")
    assert str(caught.value) == ("The disk is full: the backup was not made. Older backups "
                                 "are unchanged.")
    assert os.listdir(folder_of(data_dir)) == [old.name]
    assert digest(old.path) == before


def test_no_space_while_flushing_to_disk_leaves_nothing(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC from the operating system at the last step is a full disk too, and the
    finished-looking copy is removed."""
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(backup.os, "fsync", no_space)
    with pytest.raises(BackupDiskFull, match="The disk is full"):
        make_backup(data_dir / WORKSPACE_FILE, folder_of(data_dir), "manual")
    assert os.listdir(folder_of(data_dir)) == []


def test_a_damaged_workspace_makes_no_backup(data_dir: Path) -> None:
    """A copy that fails SQLite's check is not kept, and the error says the workspace may be
    damaged."""
    damage(data_dir / WORKSPACE_FILE)
    with pytest.raises(BackupError):
        make_backup(data_dir / WORKSPACE_FILE, folder_of(data_dir), "manual")
    assert os.listdir(folder_of(data_dir)) == []


def test_no_workspace_no_backup(tmp_path: Path) -> None:
    """Backing up a folder without a workspace says so and creates nothing."""
    with pytest.raises(BackupError, match="There is no workspace"):
        make_backup(tmp_path / WORKSPACE_FILE, tmp_path / "backups", "manual")
    assert not (tmp_path / "backups").exists()


def test_thinning_follows_each_backup_and_spares_other_files(data_dir: Path) -> None:
    """Hourly backups over two days, each thinned: the last day's ten newest and one per
    older day remain; a damaged workspace set aside and other files are never touched."""
    folder = folder_of(data_dir)
    folder.mkdir(mode=0o700)
    (folder / "damaged-20260101T000000Z.sqlite3").write_bytes(b"kept")
    (folder / "notes.txt").write_text("mine")
    start = NOW - timedelta(hours=40)
    for hour in range(41):
        make_backup(data_dir / WORKSPACE_FILE, folder, "scheduled",
                    now=start + timedelta(hours=hour))
    left = [b.when for b in backup.backup_files(folder)]
    assert left[:10] == [NOW.replace(microsecond=0) - timedelta(hours=h) for h in range(10)]
    # then the newest of each older day: 23:00 yesterday and the day before
    assert left[10:] == [datetime(2026, 11, d, 23, 0, 7, tzinfo=UTC) for d in (24, 23)]
    assert (folder / "damaged-20260101T000000Z.sqlite3").read_bytes() == b"kept"
    assert (folder / "notes.txt").read_text() == "mine"


def test_leftovers_of_a_killed_backup_are_cleared_later(data_dir: Path) -> None:
    """A temporary file older than an hour is removed by the next backup; a fresh one (a
    backup running in another process) is left alone."""
    folder = folder_of(data_dir)
    folder.mkdir(mode=0o700)
    stale = folder / ".workspace-20260101T000000Z-manual.sqlite3.partial"
    fresh = folder / ".workspace-20261125T150000Z-manual.sqlite3.partial"
    for path in (stale, fresh, Path(f"{stale}-journal")):
        path.write_bytes(b"half")
    hours_ago = time.time() - 7200
    os.utime(stale, (hours_ago, hours_ago))
    os.utime(f"{stale}-journal", (hours_ago, hours_ago))
    make_backup(data_dir / WORKSPACE_FILE, folder, "manual")
    assert not stale.exists() and not Path(f"{stale}-journal").exists()
    assert fresh.exists()


# --- the check when a workspace is opened --------------------------------------------------

def test_a_damaged_workspace_is_refused_at_open_and_not_written(data_dir: Path) -> None:
    """Garbage in the middle of the file is found by the quick check; the file's bytes stay
    exactly as they were and no log of changes appears beside it."""
    path = data_dir / WORKSPACE_FILE
    damage(path)
    before = digest(path)
    with pytest.raises(WorkspaceDamagedError) as caught:
        open_database(path)
    assert caught.value.path == path
    assert str(path) in str(caught.value) and "nothing was written" in str(caught.value)
    assert digest(path) == before
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_file_that_is_not_a_database_is_refused_as_damaged(tmp_path: Path) -> None:
    """A workspace file with other content is reported, not overwritten."""
    path = tmp_path / WORKSPACE_FILE
    path.write_bytes(b"not a database at all " * 500)
    with pytest.raises(WorkspaceDamagedError):
        open_database(path)
    assert path.read_bytes() == b"not a database at all " * 500


def _old_workspace(path: Path) -> None:
    """A workspace as the first release left it: only the first migration applied."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    migrations()(m0001_initial)
    db = Database(path)
    migrations.apply(db)
    db.close()


def test_an_existing_workspace_is_backed_up_before_a_migration(tmp_path: Path) -> None:
    """Opening a workspace that needs updating first backs it up as it was."""
    path = tmp_path / WORKSPACE_FILE
    _old_workspace(path)
    open_database(path).close()
    (made,) = backup.backup_files(tmp_path / "backups")
    assert made.reason == "before-migration"
    assert rows(made.path, "SELECT name FROM _sqlite_migrations") == [("m0001_initial",)]
    conn = sqlite3.connect(path)
    assert pending(conn) == []
    conn.close()


def test_a_new_workspace_needs_no_backup(tmp_path: Path) -> None:
    """A brand-new workspace runs every migration without making a backup."""
    open_database(tmp_path / WORKSPACE_FILE).close()
    assert not (tmp_path / "backups").exists()


def test_no_migration_without_its_backup(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """When the backup before a migration cannot be made, the workspace is left unmigrated
    and the message says why."""
    path = tmp_path / WORKSPACE_FILE
    _old_workspace(path)
    _limit_pages(monkeypatch)
    with pytest.raises(StoreError, match="backup must be made first.*disk is full"):
        open_database(path)
    conn = sqlite3.connect(path)
    assert pending(conn) == [m.__name__ for m in MIGRATIONS[1:]]
    conn.close()
