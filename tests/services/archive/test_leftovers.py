"""Nothing is left behind: work copies beside the index are private and removed once their
process is gone, a killed writer's temporary file in the shared folder is removed once no
live import can own it, and a new index catches up before it is searched."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

from support.archive_rows import account, entry, visit

from voc_desktop.domain.findings import FindingFilter
from voc_desktop.services.archive import keeper
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.archive.workspace import ArchiveWorkspace


def test_work_copies_are_owner_only_in_an_owner_only_folder(archive, make_bundle,
                                                            monkeypatch):
    """The copy an import works on is 0600, in a 0700 folder."""
    seen = []
    real = keeper.copy_atomic

    def watch(src, dest, sha):
        real(src, dest, sha)
        seen.append((stat.S_IMODE(dest.stat().st_mode),
                     stat.S_IMODE(dest.parent.stat().st_mode)))

    archive.index_path.parent.chmod(0o755)
    monkeypatch.setattr(keeper, "copy_atomic", watch)
    archive.import_bundles([make_bundle({"accounts": [account("a1")]})])
    assert seen == [(0o600, 0o700)]
    # the index's own folder is the person's: left as they made it
    assert stat.S_IMODE(archive.index_path.parent.stat().st_mode) == 0o755


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_imports_work_files_go_at_the_next_start(archive, tmp_path):
    """Work files of a process that is gone are removed when the index is next opened;
    those of a running process stay."""
    folder = archive.index_path.parent
    archive.close()
    (folder / ".voc-work").mkdir(exist_ok=True)
    orphan = folder / ".voc-work" / f".incoming-{dead_pid()}-abc.vocbundle"
    unsealed = folder / f".unsealed-{dead_pid()}-abc.zip"  # where older versions put them
    live = folder / ".voc-work" / f".incoming-{os.getppid()}-abc.vocbundle"
    for path in (orphan, unsealed, live):
        path.write_text("Ruth Okoro said …")
    with Archive.open(archive.folder.path, index=archive.index_path) as again:
        again.refresh()
    assert not orphan.exists() and not unsealed.exists() and live.exists()


def test_a_killed_writers_temporary_file_in_the_folder_goes_when_old(archive):
    """A temporary file in bundles/ goes once it is older than any import; a new one stays
    (a lead elsewhere may be writing it)."""
    bundles = archive.folder.path / "bundles"
    old, new = bundles / ".x.vocbundle.1.aa.tmp", bundles / ".y.vocbundle.2.bb.tmp"
    for path in (old, new):
        path.write_bytes(b"half a bundle")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    archive.refresh()
    assert not old.exists() and new.exists()


def test_search_on_a_new_index_catches_up_with_the_folder(archive, make_bundle, tmp_path):
    """An analyst who opens the folder with a new index finds what others imported."""
    archive.import_bundles([make_bundle({
        "accounts": [account("a1")], "visits": [visit("v1", "a1", status="completed")],
        "entries": [entry("e1", "v1", text="The printer jams in the cold")]})])
    with ArchiveWorkspace.open(archive.folder.path, index=tmp_path / "new.sqlite3") as lens:
        lens.refresh()
        assert lens.count(FindingFilter(query="printer")) == 1
