"""One running app per workspace: the lock is the operating system's and dies with its holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from voc_desktop.services.workspace import lock as workspace_lock
from voc_desktop.services.workspace.lock import WorkspaceInUse

ROOT = Path(__file__).resolve().parents[3]

HOLDER = """
import sys, time
from voc_desktop.services.workspace.lock import hold
lock = hold(sys.argv[1])
print("held", flush=True)
time.sleep(60)
"""


def test_second_hold_is_refused_until_the_first_lets_go(tmp_path):
    """While one lock is held a second is refused with a plain message; after release it is free."""
    first = workspace_lock.hold(tmp_path)
    assert workspace_lock.is_held(tmp_path)
    with pytest.raises(WorkspaceInUse, match="already has the workspace"):
        workspace_lock.hold(tmp_path)
    first.release()
    assert not workspace_lock.is_held(tmp_path)
    with workspace_lock.hold(tmp_path) as again:
        assert again.held
    assert not again.held


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    """A process killed while holding the lock leaves the file behind but not the lock."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "held"
        assert workspace_lock.is_held(tmp_path)
        with pytest.raises(WorkspaceInUse):
            workspace_lock.hold(tmp_path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert (tmp_path / workspace_lock.LOCK_FILE).exists()
    assert not workspace_lock.is_held(tmp_path)
    workspace_lock.hold(tmp_path).release()


def test_no_lock_file_means_not_held(tmp_path):
    """A workspace never opened by the window is not held, and asking creates nothing."""
    assert not workspace_lock.is_held(tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()


@pytest.mark.skipif(os.name != "posix", reason="owner-only modes are POSIX permissions")
def test_lock_file_is_private(tmp_path):
    """The lock file, like everything in the workspace folder, is readable by its owner only."""
    with workspace_lock.hold(tmp_path):
        assert (tmp_path / workspace_lock.LOCK_FILE).stat().st_mode & 0o077 == 0


def test_this_process_knows_the_locks_it_holds(tmp_path):
    """held_here names the workspaces whose lock this process holds, by any spelling of the
    folder, and forgets them on release."""
    (tmp_path / "ws").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "ws")
    assert not workspace_lock.held_here(tmp_path / "ws")
    with workspace_lock.hold(tmp_path / "ws"):
        assert workspace_lock.held_here(tmp_path / "link")
        assert workspace_lock.held_here(f"{tmp_path}/ws/")
    assert not workspace_lock.held_here(tmp_path / "ws")
