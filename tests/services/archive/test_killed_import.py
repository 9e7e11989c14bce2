"""An import killed at any moment (SIGKILL, no chance to clean up) leaves the index as it
was, and running it again succeeds with the same result as an uninterrupted import.

The import runs as `python -m voc_desktop.cli archive import ...` in a subprocess. A
`sitecustomize` module put on its path kills the process at a chosen step; the program
itself has no hook for this.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from support.archive_rows import account, contact, entry, visit

from voc_desktop.services.archive.keeper import Archive
from voc_desktop.store.archive_index import BUNDLE_COLUMNS

REPO = Path(__file__).resolve().parents[3]
IMPORTED_AT = BUNDLE_COLUMNS.index("imported_at")

HOOK = textwrap.dedent('''
    import os, signal

    STAGE = os.environ.get("VOC_TEST_KILL_AT", "")

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    if STAGE:
        from voc_desktop.services.archive import staging as archive_import
        from voc_desktop.store.archive_index import ArchiveIndex
        from voc_desktop.sync import archive_folder, seal

        if STAGE == "unsealing":
            real_unseal = seal.unseal

            def unseal(src, out, key):
                class Cut:
                    def write(self, data):
                        out.write(data)
                        die()
                return real_unseal(src, Cut(), key)
            seal.unseal = unseal
        if STAGE == "staged":
            real_stage = archive_import.Stager.stage

            def stage(self, bundle):
                result = real_stage(self, bundle)
                die()
                return result
            archive_import.Stager.stage = stage
        if STAGE == "copied":
            real_accept = archive_folder.ArchiveFolder.accept

            def accept(self, *args):
                result = real_accept(self, *args)
                die()
                return result
            archive_folder.ArchiveFolder.accept = accept
        if STAGE in ("writing", "committing"):
            real_open = ArchiveIndex.open.__func__

            def open_index(cls, *args, **kwargs):
                index = real_open(cls, *args, **kwargs)
                seen = []

                def trace(sql):
                    seen.append(sql)
                    if STAGE == "writing" and sql.startswith('INSERT INTO "entries"'):
                        die()
                    if STAGE == "committing" and sql == "COMMIT" and any(
                            s.startswith('INSERT INTO "bundles"') for s in seen):
                        die()
                index.conn.set_trace_callback(trace)
                return index
            ArchiveIndex.open = classmethod(open_index)
''')
STAGES = ["unsealing", "staged", "copied", "writing", "committing"]


def big_tables(visits: int, per_visit: int) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {"accounts": [account("k-a")],
                                     "contacts": [contact("k-c", "k-a")], "visits": [],
                                     "entries": []}
    for v in range(visits):
        tables["visits"].append(visit(f"k-v{v}", "k-a"))
        tables["entries"] += [entry(f"k-e{v}-{i}", f"k-v{v}", position=i,
                                    text=f"Answer {i} of visit {v}, said at length. " * 3)
                              for i in range(per_visit)]
    return tables


def comparable(archive: Archive) -> dict:
    """The index content, without times that depend on when a run happened."""
    dumped = archive.index.dump()
    dumped.pop("_sqlite_migrations")
    dumped["bundles"] = [row[:IMPORTED_AT] + row[IMPORTED_AT + 1:] for row in dumped["bundles"]]
    return dumped


def prepare(tmp_path, archive, make_bundle, visits: int, per_visit: int):
    """An archive with one bundle imported, a bigger bundle to import next, the index's
    content before that import, and the content an uninterrupted import gives."""
    archive.import_bundles([make_bundle({"accounts": [account("first")]})])
    bundle = make_bundle(big_tables(visits, per_visit), sequence=2, previous=1)
    before = comparable(archive)
    archive.close()
    reference = tmp_path / "reference"
    shutil.copytree(archive.folder.path, reference / "archive")
    shutil.copy(archive.index_path, reference / "index.sqlite3")
    with Archive.open(reference / "archive", index=reference / "index.sqlite3") as ref:
        assert ref.import_bundles([bundle]).ok
        expected = comparable(ref)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(HOOK)
    return archive, bundle, before, expected, hooks


@pytest.fixture
def setting(tmp_path, archive, make_bundle):
    return prepare(tmp_path, archive, make_bundle, 40, 50)


@pytest.fixture
def big_setting(tmp_path, archive, make_bundle):
    """As `setting`, with 20,000 notes: the import runs for about half a second."""
    return prepare(tmp_path, archive, make_bundle, 200, 100)


def voc_import(archive: Archive, bundle: Path, hooks: Path | None, stage: str = "",
               **popen) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "VOC_TEST_KILL_AT"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *([str(hooks)] if hooks else [])])
    env["VOC_DATA_DIR"] = str(archive.index_path.parent / "data")
    if stage:
        env["VOC_TEST_KILL_AT"] = stage
    return subprocess.Popen([sys.executable, "-m", "voc_desktop.cli", "archive", "import",
                             str(archive.folder.path), str(bundle), "--index",
                             str(archive.index_path)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **popen)


def rerun_gives(archive: Archive, bundle: Path, expected: dict) -> None:
    proc = voc_import(archive, bundle, None)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    with Archive.open(archive.folder.path, index=archive.index_path) as again:
        assert comparable(again) == expected


@pytest.mark.parametrize("stage", STAGES)
def test_an_import_killed_midway_leaves_the_index_as_it_was(setting, stage):
    """Killed at any step, the index equals its state before, and a re-run succeeds."""
    archive, bundle, before, expected, hooks = setting
    proc = voc_import(archive, bundle, hooks, stage)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, out + err
    with Archive.open(archive.folder.path, index=archive.index_path) as after:
        assert comparable(after) == before
    accepted = [p for p in (archive.folder.path / "bundles").iterdir()
                if not p.name.startswith(".")]
    # the file is put in the folder inside the index transaction, before it commits
    copied = stage in ("copied", "committing")
    assert len(accepted) == (2 if copied else 1)
    rerun_gives(archive, bundle, expected)


@pytest.mark.parametrize("delay", [0.3, 0.45, 0.6, 0.75, 0.9])
def test_an_import_killed_at_any_time_is_all_or_nothing(big_setting, delay):
    """Killed after a delay, the index holds the bundle whole or not at all; re-run works."""
    archive, bundle, before, expected, _ = big_setting
    proc = voc_import(archive, bundle, None)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=120)
    with Archive.open(archive.folder.path, index=archive.index_path) as after:
        assert comparable(after) in (before, expected)
    rerun_gives(archive, bundle, expected)
