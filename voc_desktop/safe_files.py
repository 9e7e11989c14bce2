"""Writing files so that a reader only ever sees the old file or the whole new one.

The content goes to a temporary file in the target's folder (so the final rename stays on
one file system), is flushed to the disk, and then replaces the target in one step. If
anything fails or is interrupted on the way, the temporary file is removed and the target
is untouched. A new file is readable by its owner only: what these files hold came from
customers.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Let `fill` write the whole file to a binary stream, then put it at `path`.
    Exceptions from `fill` or from the disk propagate after the cleanup."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            # keep the permissions a person gave the file they are replacing
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    write_atomically(path, lambda fh: fh.write(text.encode("utf-8")))
