"""Owner-only files: the workspace folder is 0700 and every file VOC Desktop keeps in it is
0600, new or inherited from an older version; the archive's keys and index too."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from voc_desktop.logs import setup_logging, shutdown_logging
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.workspace import lock as workspace_lock
from voc_desktop.services.workspace.place import make_private
from voc_desktop.services.workspace.workspace import Workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes; Windows keeps "
                                "the per-user profile private through its access list")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    """Every file and folder below `folder` (itself as "."), with its permission bits."""
    found = {".": mode(folder)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = mode(path)
    return found


def test_a_new_workspace_is_owner_only_throughout(tmp_path):
    """Folder, database with its -wal and -shm, key, lock and log: nobody else can read."""
    data = tmp_path / "ws"
    lock = workspace_lock.hold(data)
    setup_logging(data, hooks=False)
    try:
        ws = Workspace.open(data)
        ws.db.execute("CREATE TABLE IF NOT EXISTS scratch (x)")  # the -wal file now exists
        logging.getLogger("voc_desktop.test").info("a line for the log")
        found = modes(data)
        assert {"workspace.sqlite3", "workspace.sqlite3-wal", "workspace.sqlite3-shm",
                "device-key.pem", "workspace.lock", "logs", "logs/voc-desktop.log"} <= set(found)
        assert {name: m for name, m in found.items()
                if m != (0o700 if (data / name).is_dir() else 0o600)} == {}
        ws.close()
    finally:
        shutdown_logging()
        lock.release()


def test_opening_an_older_workspace_tightens_loosened_modes(tmp_path, caplog):
    """Files left readable by an older version become 0600, folders 0700, and the log says
    how many without naming them."""
    data = tmp_path / "ws"
    Workspace.open(data).close()
    (data / "backups").mkdir()
    (data / "backups" / "workspace-20260101T000000Z-manual.sqlite3").write_bytes(b"x")
    (data / "archives").mkdir()
    (data / "archives" / "a.sqlite3").write_bytes(b"x")
    for path in (data, data / "backups", data / "archives"):
        path.chmod(0o755)
    for path in (data / "workspace.sqlite3", data / "device-key.pem",
                 data / "backups" / "workspace-20260101T000000Z-manual.sqlite3",
                 data / "archives" / "a.sqlite3"):
        path.chmod(0o644)
    with caplog.at_level(logging.INFO, logger="voc_desktop"):
        Workspace.open(data).close()
    found = modes(data)
    assert found["."] == 0o700 and found["backups"] == 0o700 and found["archives"] == 0o700
    assert {n: m for n, m in found.items() if not (data / n).is_dir() and m != 0o600} == {}
    said = [r.getMessage() for r in caplog.records if "owner only" in r.getMessage()]
    assert said == ["Made 7 workspace files and folders readable by their owner only"]
    assert str(tmp_path) not in caplog.text


def test_a_folder_shared_with_other_files_keeps_its_mode(tmp_path):
    """A workspace put in a folder that also holds a person's own files tightens only its
    own files; the folder and the other files stay as they were."""
    data = tmp_path / "Documents"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    own = data / "holiday plans.txt"
    own.write_text("mine")
    own.chmod(0o644)
    Workspace.open(data).close()
    assert mode(data) == 0o755 and mode(own) == 0o644
    assert mode(data / "workspace.sqlite3") == 0o600 and mode(data / "device-key.pem") == 0o600


def test_links_are_not_followed(tmp_path):
    """A link in the workspace folder is left alone, and so is what it points to."""
    data = tmp_path / "ws"
    Workspace.open(data).close()
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    outside.chmod(0o644)
    (data / "workspace.sqlite3-link").symlink_to(outside)
    assert make_private(data) == 0
    assert mode(outside) == 0o644


def test_the_archive_keys_and_index_are_owner_only(tmp_path):
    """The archive's two private keys and the local index (with its journal) are 0600."""
    made = Archive.create(tmp_path / "archive", data_dir=tmp_path / "data")
    try:
        made.index.meta("archive_id")
        files = [made.index_path, *made.index_path.parent.glob("*.sqlite3-*")]
        keys = [p for p in (tmp_path / "archive").iterdir() if "key" in p.name
                and p.suffix == ".pem"]
        assert len(keys) == 2 and files
        assert {p.name: mode(p) for p in (*keys, *files) if mode(p) != 0o600} == {}
    finally:
        made.close()


def test_backups_are_owner_only(ws):
    """A backup of the workspace is as private as the workspace: folder 0700, file 0600."""
    from voc_desktop.services.backups import backups_dir, make_backup

    made = make_backup(ws.data_dir, "manual")
    folder = backups_dir(ws.data_dir)
    assert mode(folder) == 0o700
    assert {p.name: mode(p) for p in folder.iterdir()} == {made.path.name: 0o600}
