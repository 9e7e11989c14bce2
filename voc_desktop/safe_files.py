"""Writing files so that a reader only ever sees the old file or the whole new one.

The content goes to a temporary file in the target's folder (so the final rename stays on
one file system), is flushed to the disk, and then replaces the target in one step. If
anything fails or is interrupted on the way, the temporary file is removed and the target
is untouched. A new file is readable by its owner only: what these files hold came from
customers.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, fill: Callable[[BinaryIO], object], *,
                     mode: int | None = None) -> None:
    """Let `fill` write the whole file to a binary stream, then put it at `path`.
    `mode` sets the file's permissions; by default a replaced file keeps its own and a new
    one is private. Exceptions from `fill` or from the disk propagate after the cleanup."""
    path = Path(path)
    # mkstemp makes the file private from its first byte: keys are written this way too
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif path.exists():
            # keep the permissions a person gave the file they are replacing
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (where the system allows it)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def why_not_written(exc: OSError) -> str:
    """Why a file could not be written, in words a person understands."""
    return {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "you do not have permission to write there",
        errno.EPERM: "you do not have permission to write there",
        errno.EROFS: "that location is read-only",
        errno.ENOENT: "the folder does not exist",
        errno.ENOTDIR: "part of the path is not a folder",
        errno.EISDIR: "that path is a folder",
    }.get(exc.errno or 0, exc.strerror or str(exc))


def write_text_atomically(path: Path, text: str) -> None:
    write_atomically(path, lambda fh: fh.write(text.encode("utf-8")))
