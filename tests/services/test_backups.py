"""Backups as the app and the command line use them: the list, a restore (healthy or
damaged workspace, killed midway, refused while in use), and a backup before each import."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.backups import account_names, damage, digest, filled_workspace
from support.laptop_sync import Archive, fill, make_pack

from voc_desktop.services import backups
from voc_desktop.services.accounts import create_account
from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.lock import WorkspaceInUse
from voc_desktop.services.workspace.workspace import Workspace, WorkspaceDamaged
from voc_desktop.store.backup import check_file
from voc_desktop.store.database import WORKSPACE_FILE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return filled_workspace(tmp_path / "ws")


@pytest.fixture
def sample(data_dir: Path) -> set[str]:
    """The sample workspace's account names."""
    names = account_names(data_dir)
    assert len(names) >= 2
    return names


def add_account(data_dir: Path, name: str) -> None:
    ws = Workspace.open(data_dir)
    try:
        create_account(ws, name)
    finally:
        ws.close()


def test_the_list_is_newest_first_with_what_a_person_needs(data_dir: Path) -> None:
    """Each backup shows when, why, how big and how many visits; the newest comes first."""
    first = backups.make_backup(data_dir, "manual")
    second = backups.make_backup(data_dir, "scheduled")
    listed = backups.list_backups(data_dir)
    assert [b.name for b in listed] == [second.name, first.name]
    top = listed[0]
    assert (top.reason, top.reason_words, top.visits, top.verified) == (
        "scheduled", "Scheduled", 4, True)
    assert top.size == second.path.stat().st_size > 0
    assert top.when.tzinfo is not None


def test_an_unreadable_backup_is_listed_as_such(data_dir: Path) -> None:
    """A backup file that no longer opens is shown, marked unverified, with no visit count."""
    made = backups.make_backup(data_dir, "manual")
    made.path.write_bytes(b"x" * 4096)
    (listed,) = backups.list_backups(data_dir)
    assert (listed.visits, listed.verified) == (None, False)


def test_restore_puts_the_backup_back_and_keeps_the_current_state(
        data_dir: Path, sample: set[str]) -> None:
    """After a restore the workspace holds the backup's data; what was there before is
    itself in a before-restore backup, and no log of the old file is left beside the new."""
    chosen = backups.make_backup(data_dir, "manual")
    add_account(data_dir, "Added Later Ltd")
    result = backups.restore(data_dir, chosen.name)
    assert result.restored.name == chosen.name and result.damaged_kept is None
    assert not Path(f"{data_dir / WORKSPACE_FILE}-wal").exists()
    assert account_names(data_dir) == sample
    assert result.before_restore is not None
    assert result.before_restore.reason == "before-restore"
    ws_dir = data_dir.parent / "check"
    ws_dir.mkdir()
    os.link(result.before_restore.path, ws_dir / WORKSPACE_FILE)
    assert "Added Later Ltd" in account_names(ws_dir)


def test_restore_refuses_while_another_program_holds_the_workspace(data_dir: Path) -> None:
    """With the app running elsewhere on the workspace, restore says so and changes nothing."""
    chosen = backups.make_backup(data_dir, "manual")
    before = digest(data_dir / WORKSPACE_FILE)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom voc_desktop.services.workspace.lock "
         "import hold\nlock = hold(sys.argv[1])\nprint('held', flush=True)\ntime.sleep(60)",
         str(data_dir)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WorkspaceInUse, match="has the workspace .* open"):
            backups.restore(data_dir, chosen.name)
    finally:
        holder.kill()
        holder.wait()
    assert digest(data_dir / WORKSPACE_FILE) == before
    assert len(backups.list_backups(data_dir)) == 1


def test_restore_refuses_while_a_connection_is_still_open(data_dir: Path) -> None:
    """A workspace still open in this process is not swapped under its connection."""
    chosen = backups.make_backup(data_dir, "manual")
    ws = Workspace.open(data_dir)
    try:
        create_account(ws, "Still Open Ltd")
        with pytest.raises(ServiceError, match="still open"):
            backups.restore(data_dir, chosen.name)
        assert "Still Open Ltd" in {a.name for a in ws.accounts.list()}
    finally:
        ws.close()
    assert "Still Open Ltd" in account_names(data_dir)
    assert not list(data_dir.glob(".*restoring*"))


def test_a_damaged_workspace_is_set_aside_whole_and_the_backup_restored(
        data_dir: Path, sample: set[str]) -> None:
    """Restoring over a damaged workspace moves it, with its -wal and -shm, into the backups
    folder byte for byte; the restored workspace opens."""
    chosen = backups.make_backup(data_dir, "manual")
    path = data_dir / WORKSPACE_FILE
    damage(path)
    Path(f"{path}-wal").write_bytes(b"log that belongs to the damaged file")
    before = digest(path)
    with pytest.raises(WorkspaceDamaged) as caught:
        Workspace.open(data_dir)
    assert caught.value.path == path and "nothing was written" in str(caught.value)
    assert digest(path) == before
    result = backups.restore(data_dir, chosen.name)
    assert result.before_restore is None
    kept = result.damaged_kept
    assert kept is not None and kept.parent == backups.backups_dir(data_dir)
    assert kept.name.startswith("damaged-") and digest(kept) == before
    assert Path(f"{kept}-wal").read_bytes() == b"log that belongs to the damaged file"
    assert not Path(f"{path}-wal").exists()
    assert account_names(data_dir) == sample
    assert kept.name not in {b.name for b in backups.list_backups(data_dir)}


def test_a_damaged_backup_is_not_restored(data_dir: Path) -> None:
    """The chosen backup is checked first; a damaged one is refused and nothing changes."""
    chosen = backups.make_backup(data_dir, "manual")
    damage(chosen.path)
    before = digest(data_dir / WORKSPACE_FILE)
    with pytest.raises(ServiceError, match="is damaged .* Nothing was changed"):
        backups.restore(data_dir, chosen.name)
    assert digest(data_dir / WORKSPACE_FILE) == before
    assert len(backups.list_backups(data_dir)) == 1


def test_latest_good_passes_over_a_damaged_newer_backup(data_dir: Path) -> None:
    """The newest backup that passes the full check is offered, not simply the newest."""
    good = backups.make_backup(data_dir, "manual")
    bad = backups.make_backup(data_dir, "scheduled")
    damage(bad.path)
    assert backups.latest_good(data_dir).name == good.name


def test_backups_are_found_by_name_or_a_unique_beginning(data_dir: Path) -> None:
    """A name, a path, a name without its extension or a unique beginning all find it;
    anything else is explained."""
    made = backups.make_backup(data_dir, "manual")
    for ref in (made.name, str(made.path), made.name.removesuffix(".sqlite3"), made.name[:22]):
        assert backups.find_backup(data_dir, ref).name == made.name
    with pytest.raises(ServiceError, match="No backup is named"):
        backups.find_backup(data_dir, "workspace-1999")


def test_a_pack_import_is_preceded_by_a_backup(ws: Workspace, tmp_path: Path) -> None:
    """Taking in the archive's pack first backs up the workspace as it was."""
    archive = Archive.new()
    filled = fill(ws, archive, tmp_path)
    bundles.export_bundle(ws, filled.out)
    pack = make_pack(tmp_path / "p.vocbundle", archive.signer, {"accounts": [{
        "id": "globex", "name": "Globex", "vertical": "", "segment": "",
        "lifecycle_stage": "prospect", "in_icp": 1, "icp_note": "",
        "created_at": "2030-01-01T00:00:00.000Z", "updated_at": "2030-01-01T00:00:00.000Z",
        "device_id": "laptop-2", "revision": 1, "deleted_at": None, "base_version": None,
        "change_seq": 1}]})
    bundles.import_pack(ws, pack)
    assert ws.accounts.get("globex") is not None
    (made,) = backups.list_backups(ws.data_dir)
    assert made.reason == "before-import"
    conn = sqlite3.connect(made.path)
    assert conn.execute("SELECT COUNT(*) FROM accounts WHERE id = 'globex'").fetchone() == (0,)
    conn.close()


# --- a restore killed midway -----------------------------------------------------------

RESTORER = """
import sys, time
from voc_desktop.services.backups import restore
print("ready", flush=True)
started = time.perf_counter()
restore(sys.argv[1], sys.argv[2])
print(f"done {time.perf_counter() - started:.4f}", flush=True)
"""


def _restorer(data_dir: Path, name: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", RESTORER, str(data_dir), name],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_a_restore_killed_at_any_moment_leaves_one_whole_workspace(tmp_path: Path) -> None:
    """SIGKILL at moments spread over a restore: afterwards the workspace opens, passes the
    check, and holds either everything it had or exactly the backup, never a mix."""
    template = filled_workspace(tmp_path / "template")
    chosen = backups.make_backup(template, "manual").name
    restored = account_names(template)
    # The current state: more accounts and a photo, still in the write-ahead log of an app
    # that stopped without closing, so a restore must fold the log in before the swap.
    ws = Workspace.open(template)
    try:
        for i in range(40):
            create_account(ws, f"Later Account {i:02d}")
        with ws.write(["attachments"]):
            ws.attachments.put("a" * 64, "photo.jpg", "image/jpeg", os.urandom(3_000_000))
        current = {a.name for a in ws.accounts.list()}
        assert Path(f"{template / WORKSPACE_FILE}-wal").stat().st_size > 3_000_000
        files = {name: (template / name).read_bytes() for name in (
            WORKSPACE_FILE, f"{WORKSPACE_FILE}-wal", "device-key.pem", f"backups/{chosen}")}
    finally:
        ws.close()

    def fresh(n: int) -> Path:
        folder = tmp_path / f"run{n}"
        (folder / "backups").mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return folder

    durations = []
    for n in range(3):
        timing = _restorer(fresh(100 + n), chosen)
        durations.append(float(timing.stdout.readline().split()[1]))
        timing.wait()
    duration = sorted(durations)[1]
    rng = random.Random(2026)
    outcomes = {"old": 0, "new": 0}
    runs = 40
    for n in range(runs):
        folder = fresh(n)
        proc = _restorer(folder, chosen)
        # spread over the restore and past its end, so a slower run is still covered
        time.sleep((n + rng.random()) / runs * 2.5 * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert check_file(folder / WORKSPACE_FILE, full=False) is None
        names = account_names(folder)
        assert names in (current, restored), f"run {n}: a mix of old and new"
        outcomes["old" if names == current else "new"] += 1
    assert outcomes["old"] and outcomes["new"], outcomes
