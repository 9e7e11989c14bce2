"""A disk that fills up while the app writes: files opened for writing through os.fdopen
(which write_atomically uses) take a few kilobytes and then fail with ENOSPC from write().

    from support.full_disk import fill_disk_after
    fill_disk_after(monkeypatch, 4096)
"""

from __future__ import annotations

import errno
import os


class FillingFile:
    """A file that takes `room` bytes and then fails as a full disk does."""

    def __init__(self, real, room: int) -> None:
        self._real, self._room = real, room

    def write(self, data) -> int:
        self._room -= len(data)
        if self._room < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._real.write(data)

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._real.close()


def fill_disk_after(monkeypatch, room: int = 4096) -> None:
    """From now on in the test, every file opened for writing by os.fdopen fills up."""
    real = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):
        opened = real(fd, mode, *args, **kwargs)
        return FillingFile(opened, room) if "w" in mode else opened

    monkeypatch.setattr(os, "fdopen", fdopen)
