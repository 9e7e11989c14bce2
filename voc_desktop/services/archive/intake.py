"""Looking at a file before the archive reads it, and keeping the index's folder clean.

A bundle is checked for what it is before a byte of it is copied: a FIFO or a device such
as /dev/zero would make a reader wait or read for ever, and a file that does not start
like a bundle is refused at once however large it is. The work copies an import makes
beside the index are private and carry their process's id, so the next start removes
those whose process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import stat
import time
from pathlib import Path

from voc_desktop.store.archive_index import ArchiveIndexError
from voc_desktop.sync import seal
from voc_desktop.sync.bundle_checks import Limits

_log = logging.getLogger(__name__)
WORK_FOLDER = ".voc-work"  # beside the index
WORK_FILE = re.compile(r"\.(?:incoming|unsealed)-(?:(\d+)-)?.*")
LEFTOVER_AGE_SECONDS = 3600  # a work file without a process id: older than any import
_HEADER = 16


def check_bundle_file(path: Path, limits: Limits | None = None) -> str:
    """Why `path` cannot be a bundle, judged from its type, size and first bytes; "" when
    it may be one. Never opens anything but a regular file."""
    limits = limits or Limits()
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"The file cannot be read: {exc.strerror or exc}."
    if stat.S_ISDIR(info.st_mode):
        return "This is a folder, not a bundle file."
    if not stat.S_ISREG(info.st_mode):
        return "This is not a regular file (a pipe, a device or a socket); a bundle is a file."
    if info.st_size == 0:
        return "The file is empty: it is not a VOC bundle."
    # a sealed zip is a little larger than the zip; the zip holds at most max_total_size
    if info.st_size > limits.max_total_size + (64 << 20):
        return (f"The file is {info.st_size / (1 << 30):.1f} GB, larger than any bundle the "
                "archive takes in.")
    with open(path, "rb") as fh:
        start = fh.read(_HEADER)
    if not (start.startswith(seal.MAGIC_STEM) or start.startswith(b"PK\x03\x04")):
        return "This file is not a VOC bundle (it does not start like one)."
    return ""


def private_folder(folder: Path) -> None:
    """Make the work folder beside the index if needed, readable by its owner only: work
    copies of customers' notes pass through it. It is the app's own folder, so its mode is
    put right if someone widened it."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            if folder.stat().st_mode & 0o077:
                folder.chmod(0o700)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def clear_work_files(folder: Path) -> int:
    """Remove the work files of imports that were killed or lost power: a decrypted bundle
    must not outlive its import. A file whose process still runs is left to it."""
    if not folder.is_dir():
        return 0
    cleared, now = 0, time.time()
    for path in folder.iterdir():
        match = WORK_FILE.fullmatch(path.name)
        if not match:
            continue
        with contextlib.suppress(OSError):
            pid = int(match.group(1)) if match.group(1) else None
            orphan = not _alive(pid) if pid is not None else \
                now - path.stat().st_mtime > LEFTOVER_AGE_SECONDS
            if orphan:
                path.unlink()
                cleared += 1
    if cleared:
        _log.info("Removed %d work files left by interrupted imports", cleared)
    return cleared


def one_line(exc: BaseException) -> str:
    """A person's one line for an error, whatever raised it."""
    if isinstance(exc, OSError):
        text = exc.strerror or str(exc)
        if exc.errno == errno.ENOSPC:
            text = "the disk is full"
    else:
        text = str(exc)
    return " ".join(text.split()) or type(exc).__name__


def index_trouble(exc: ArchiveIndexError, path: Path) -> str:
    """What went wrong with the index, told apart: a full disk or a read-only folder is
    not a damaged index, and rebuilding would not help."""
    text = str(exc)
    lowered = text.lower()
    if "database or disk is full" in lowered or "disk i/o" in lowered and not os.access(
            path.parent, os.W_OK):
        return f"The disk holding the archive index {path} is full; free some space."
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered \
            and not os.access(path.parent, os.W_OK):
        return (f"The archive index {path} cannot be written: its folder is read-only for "
                "you. Give the archive an index where you may write (--index).")
    return " ".join(text.split())
