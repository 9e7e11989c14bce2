"""Every bad thing ends in one line for its bundle, and `voc archive ... --json` still
answers: pipes and devices given as bundles, huge files, a full disk or an oversized value
at commit time, a read-only index folder."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from support.archive_rows import account, attachment_file, entry, visit

from voc_desktop.services.archive.keeper import Archive, BundleStatus
from voc_desktop.services.errors import ServiceError

REPO = Path(__file__).resolve().parents[3]


def one_rejection(archive: Archive, path: Path) -> str:
    started = time.monotonic()
    [result] = archive.import_bundles([path]).bundles
    assert time.monotonic() - started < 5, "the import waited on the file"
    assert result.status is BundleStatus.REJECTED and "\n" not in result.reason
    return result.reason


def test_a_pipe_given_as_a_bundle_is_refused_at_once(archive, tmp_path):
    """A FIFO nobody writes to would make a reader wait for ever: it is refused unread."""
    fifo = tmp_path / "pipe.vocbundle"
    os.mkfifo(fifo)
    assert one_rejection(archive, fifo).startswith("This is not a regular file")


def test_dev_zero_given_as_a_bundle_is_refused_at_once(archive):
    """/dev/zero never ends: it is refused without reading it."""
    assert one_rejection(archive, Path("/dev/zero")).startswith("This is not a regular file")


def test_a_huge_file_that_is_no_bundle_is_refused_before_it_is_copied(archive, tmp_path):
    """2 GB that does not start like a bundle: refused from its first bytes, nothing copied
    beside the index."""
    big = tmp_path / "big.vocbundle"
    with open(big, "wb") as out:
        out.write(b"MZ not a bundle")
        out.truncate(2 << 30)
    assert one_rejection(archive, big) == ("This file is not a VOC bundle (it does not start "
                                           "like one).")
    assert [p for p in archive.index_path.parent.iterdir() if p.name.startswith(".")] == []


def test_a_large_attachment_is_staged_in_bounded_memory(archive, make_bundle):
    """A 24 MB photo is taken in without holding it in memory whole."""
    photo = os.urandom(24 << 20)
    path = make_bundle({"accounts": [account("a1")], "visits": [visit("v1", "a1")],
                        "entries": [entry("e1", "v1", kind="photo",
                                          attachment_sha=attachment_file(photo)["sha256"])],
                        "attachment_files": [attachment_file(photo)]}, attachments=(photo,))
    del photo
    tracemalloc.start()
    try:
        [result] = archive.import_bundles([path]).bundles
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.status is BundleStatus.IMPORTED
    assert peak < 8 << 20, f"peak {peak:,} bytes"


def test_a_full_disk_at_commit_is_one_line_and_takes_nothing(archive, make_bundle):
    """The index's disk fills while a bundle is written: that bundle's one line, the folder
    and index unchanged, and the next bundle is still tried."""
    archive.refresh()
    pages = archive.index.conn.execute("PRAGMA page_count").fetchone()[0]
    archive.index.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = make_bundle({"accounts": [account(f"a{n}", name="x" * 400) for n in range(400)]})
    small = make_bundle({"accounts": [account("b1")]}, sequence=2)
    report = archive.import_bundles([big, small])
    assert report.bundles[0].status is BundleStatus.REJECTED
    assert report.bundles[0].reason == (f"The disk holding the archive index "
                                        f"{archive.index_path} is full; free some space.")
    assert report.bundles[1].status is BundleStatus.IMPORTED
    assert [p.name for p in (archive.folder.path / "bundles").iterdir()] == [
        report.bundles[1].stored_as]


def test_an_oversized_value_is_that_bundles_one_line(archive, make_bundle):
    """A value larger than the index stores rejects its bundle with one line."""
    archive.refresh()
    archive.index.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 5000)
    path = make_bundle({"accounts": [account("a1", name="x" * 6000)]})
    reason = one_rejection(archive, path)
    assert reason.startswith("the bundle holds a value the archive cannot store")
    assert list((archive.folder.path / "bundles").iterdir()) == []


def test_a_read_only_index_is_said_so_not_called_damaged(archive, make_bundle,
                                                         monkeypatch):
    """An index SQLite may not write to is reported as read-only, with what to do, never as
    damaged (rebuilding would not help)."""
    path = make_bundle({"accounts": [account("a1")]})
    archive.close()
    real = sqlite3.connect

    def read_only(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.execute("PRAGMA query_only = ON")  # as SQLite behaves on a read-only folder
        return conn

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(ServiceError) as caught:
        archive.import_bundles([path])
    assert "read-only" in str(caught.value) and "damaged" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_json_still_answers_when_the_command_fails(archive, tmp_path):
    """`voc archive import --json` on a folder that is no archive prints a JSON error."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "VOC_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-m", "voc_desktop.cli", "archive", "import",
                           str(tmp_path / "nowhere"), str(tmp_path / "x.vocbundle"), "--json"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["error"].endswith("`voc archive init` makes one.")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_no_room_to_unpack_an_accepted_file_is_tried_again_later(archive, make_bundle,
                                                                 tmp_path, monkeypatch):
    """A new index that cannot unpack a sealed accepted file now (a full disk) stops
    before it with one line, and takes it in once there is room; it is never refused."""
    import errno
    import tempfile

    assert archive.import_bundles([make_bundle({"accounts": [account("a1")]})]).ok
    real = tempfile.mkstemp

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with Archive.open(archive.folder.path, index=tmp_path / "new.sqlite3") as other:
        monkeypatch.setattr(tempfile, "mkstemp", full)
        [stopped] = other.refresh().bundles
        assert stopped.status is BundleStatus.REJECTED and "cannot be taken in now" in \
            stopped.reason and "\n" not in stopped.reason
        assert other.index.refused_files() == []
        monkeypatch.setattr(tempfile, "mkstemp", real)
        [taken] = other.refresh().bundles
        assert taken.status is BundleStatus.IMPORTED
