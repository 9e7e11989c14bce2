"""One running VOC Desktop per workspace.

The window holds an operating-system lock on `workspace.lock` in the workspace folder for as
long as it runs. The lock goes with the process, so a crash or a power cut never leaves a
stale lock behind, unlike a file that merely exists. The command line asks whether the lock
is held before doing something the running window must not see happen under it (a restore).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from voc_desktop.services.errors import ServiceError

LOCK_FILE = "workspace.lock"


class WorkspaceInUse(ServiceError):
    """Another VOC Desktop has this workspace open."""


_HELD_HERE: set[str] = set()  # workspace folders whose lock this process holds


class WorkspaceLock:
    """A held lock; `release()` (or the end of the process) lets it go."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path
        _HELD_HERE.add(_key(path.parent))

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        _HELD_HERE.discard(_key(self.path.parent))
        with contextlib.suppress(OSError):
            _unlock(self._fd)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> WorkspaceLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def hold(data_dir: Path | str) -> WorkspaceLock:
    """Take the workspace's lock, or raise WorkspaceInUse when another process has it."""
    folder = Path(data_dir).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise ServiceError(f"Cannot use the workspace folder {folder}: "
                           f"{exc.strerror or exc}.") from exc
    try:
        _lock(fd)
    except OSError as exc:
        os.close(fd)
        raise WorkspaceInUse(f"VOC Desktop already has the workspace in {folder} open. "
                             "Switch to that window, or close it first.") from exc
    with contextlib.suppress(OSError):  # who holds it, for a person looking at the folder
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    return WorkspaceLock(fd, folder / LOCK_FILE)


def held_here(data_dir: Path | str) -> bool:
    """True while this process holds the workspace's lock (its own window has it open)."""
    return _key(Path(data_dir)) in _HELD_HERE


def _key(folder: Path) -> str:
    return os.path.realpath(os.path.expanduser(os.fspath(folder)))


def is_held(data_dir: Path | str) -> bool:
    """True while another process (or another lock in this one) holds the workspace."""
    path = Path(data_dir).expanduser() / LOCK_FILE
    if not path.exists():
        return False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        _lock(fd)
    except OSError:
        return True
    finally:
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)
    return False


if os.name == "nt":
    import msvcrt

    # Windows locks byte ranges and refuses reads of a locked range, so the lock sits on a
    # byte far past the process id written at the start, which others may then read.
    _LOCKED_BYTE = 1 << 30

    def _lock(fd: int) -> None:
        here = os.lseek(fd, 0, os.SEEK_CUR)
        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        finally:
            os.lseek(fd, here, os.SEEK_SET)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
