"""A full disk or a place that cannot be written: a clear message, and nothing lost.

Permission bits do not stop root, so when the tests run as root the opening is done by a
subprocess that becomes `nobody` first (after loading everything it needs while it still
may read the interpreter's files)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from support.full_disk import fill_disk_after

from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.reports import export_visit_report
from voc_desktop.services.workspace.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and setuid")

_AS_NOBODY = """
import json, os, sys, tempfile
from voc_desktop.services.workspace.workspace import ServiceError, Workspace
with tempfile.TemporaryDirectory() as warm:  # loads every module an opening needs
    Workspace.open(os.path.join(warm, "ws")).close()
os.setgroups([])
os.setgid({uid})
os.setuid({uid})
try:
    Workspace.open(sys.argv[1]).close()
    print(json.dumps(["opened", ""]))
except ServiceError as exc:
    print(json.dumps([type(exc).__name__, str(exc)]))
"""


@pytest.fixture
def shared_tmp():
    """A folder `nobody` can reach (pytest's own temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="voc-disk-"))
    folder.chmod(0o755)
    yield folder
    for path in (folder, *folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def open_unprivileged(folder: Path) -> tuple[str, str]:
    """Open the workspace in `folder` as a user whom permission bits bind: (what happened,
    message)."""
    if os.geteuid() != 0:
        try:
            Workspace.open(folder).close()
        except ServiceError as exc:
            return type(exc).__name__, str(exc)
        return "opened", ""
    for path in (folder.parent, *folder.parent.rglob("*")):
        os.lchown(path, NOBODY, NOBODY)
    done = subprocess.run([sys.executable, "-c", _AS_NOBODY.format(uid=NOBODY), str(folder)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd="/")
    assert done.returncode == 0, done.stderr
    kind, message = json.loads(done.stdout.strip().splitlines()[-1])
    return kind, message


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_a_writable_workspace_opens_for_the_same_user(shared_tmp):
    """The harness itself: with ordinary modes the workspace opens."""
    Workspace.open(shared_tmp / "box" / "ws").close()
    assert open_unprivileged(shared_tmp / "box" / "ws") == ("opened", "")


def test_a_new_workspace_in_a_read_only_folder_is_refused_plainly(shared_tmp):
    """No folder can be made there: the message says why and what to do."""
    parent = shared_tmp / "box"
    parent.mkdir()
    parent.chmod(0o555)
    kind, message = open_unprivileged(parent / "ws")
    assert kind == "NotWritable"
    assert f"The workspace in {parent / 'ws'} cannot be opened for writing: you do not " \
           "have permission to write there. Nothing in it was changed." in message
    assert not (parent / "ws").exists()


def test_a_read_only_workspace_file_is_not_called_damaged(shared_tmp):
    """A workspace file that cannot be written is refused as read-only, not as damaged,
    and left exactly as it was."""
    data = shared_tmp / "box" / "ws"
    Workspace.open(data).close()
    (data / "workspace.sqlite3").chmod(0o444)
    before = snapshot(data)
    kind, message = open_unprivileged(data)
    assert kind == "NotWritable" and "you do not have permission" in message
    assert "damaged" not in message
    assert snapshot(data) == before


def test_a_read_only_workspace_folder_is_refused_before_sqlite_opens(shared_tmp):
    """SQLite needs to make its journal beside the file; a folder that forbids it is named
    as the problem and nothing in it changes."""
    data = shared_tmp / "box" / "ws"
    Workspace.open(data).close()
    before = snapshot(data)
    data.chmod(0o555)
    kind, message = open_unprivileged(data)
    assert kind == "NotWritable" and "cannot be opened for writing" in message
    assert snapshot(data) == before


@pytest.fixture
def full_disk(monkeypatch):
    """Files the app writes run out of room after 4 kB."""
    fill_disk_after(monkeypatch, 4096)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("name", ["r.pdf", "r.docx"])
def test_a_report_to_a_full_disk_leaves_no_part_file(ws, tmp_path, full_disk, name):
    """The write fails with ENOSPC: the message says the disk is full, no half report and
    no temporary file stay behind, and a report that was there is unchanged."""
    from voc_desktop.services.demo.sample_workspace import fill_demo

    visit = fill_demo(ws).completed_visit_ids[0]
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ServiceError, match="the disk is full"):
        export_visit_report(ws, visit, out / name)
    assert leftovers(out) == []
    (out / name).write_bytes(b"yesterday's report")
    with pytest.raises(ServiceError, match="the disk is full. The file that was there is "
                       "unchanged"):
        export_visit_report(ws, visit, out / name)
    assert leftovers(out) == [name] and (out / name).read_bytes() == b"yesterday's report"


@pytest.mark.parametrize("encrypt", [False, None])
def test_a_bundle_to_a_full_disk_leaves_nothing_and_records_nothing(ws, tmp_path, full_disk,
                                                                    encrypt):
    """Plain or sealed, a bundle the disk cannot take leaves no file and is not counted as
    sent: the next export carries the same rows."""
    from support.laptop_sync import Archive as Keys

    from voc_desktop.services.bundles import settings as bundle_settings
    from voc_desktop.services.demo.sample_workspace import fill_demo

    fill_demo(ws)
    bundle_settings.set_archive_key(ws, Keys.new().text)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ServiceError, match="the disk is full. Nothing was recorded as sent"):
        bundles.export_bundle(ws, out / "b.vocbundle", encrypt=encrypt)
    assert leftovers(out) == []
    assert bundles.last_bundle(ws) is None


def test_a_full_database_refuses_a_write_whole(ws):
    """SQLITE_FULL (max_page_count) ends a write in a ServiceError that says nothing was
    written, and the workspace holds what it held before."""
    from voc_desktop.services.accounts import create_account
    from voc_desktop.services.demo.sample_workspace import fill_demo

    fill_demo(ws)
    before = [a.name for a in ws.accounts.list()]
    pages = ws.db.execute("PRAGMA page_count").fetchone()[0]
    ws.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(ServiceError, match="Nothing was written; free some disk space"):
        create_account(ws, "Nordic Cans", vertical="x" * 200_000)
    ws.db.execute(f"PRAGMA max_page_count = {pages * 100}")
    assert [a.name for a in ws.accounts.list()] == before
