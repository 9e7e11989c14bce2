"""Erasure reaches the laptop's backups: each one made before is rewritten with the person
erased, or deleted when it cannot be, and the summary says which."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.backups import damage, filled_workspace, rows

from voc_desktop.services import backups
from voc_desktop.services.erasure import (
    ERASING_NOTE,
    erase_contact,
    erase_from_backups,
    finish_backup_erasures,
)
from voc_desktop.services.workspace.workspace import Workspace

NAME = "Piotr Nowak"


def _person(data_dir: Path) -> tuple[str, list[bytes]]:
    """Piotr's id, and every text of his that must not survive: name, title, quotes."""
    ws = Workspace.open(data_dir)
    try:
        (cid, name, title), = ws.db.execute(
            "SELECT id, name, title FROM contacts WHERE name = ?", [NAME]).fetchall()
        quotes = [r[0] for r in ws.db.execute(
            "SELECT text FROM entries WHERE speaker_id = ?", [cid]).fetchall()]
    finally:
        ws.close()
    assert quotes
    return cid, [s.encode() for s in (name, *name.split(), title, *quotes)]


def _leaks(folder: Path, secrets: list[bytes]) -> dict[str, list[bytes]]:
    found = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        data = path.read_bytes()
        hits = [s for s in secrets if s in data]
        if hits:
            found[path.name] = hits
    return found


@pytest.fixture
def backed_up(tmp_path):
    data_dir = filled_workspace(tmp_path / "data")
    first = backups.make_backup(data_dir, "manual", now=datetime(2026, 5, 1, 8, tzinfo=UTC))
    second = backups.make_backup(data_dir, "scheduled",
                                 now=datetime(2026, 5, 2, 8, tzinfo=UTC))
    broken = second.path.with_name("workspace-20260503T080000Z-manual.sqlite3")
    shutil.copy(second.path, broken)
    damage(broken)
    return data_dir, first, second, broken


def test_every_older_backup_is_rewritten_or_dropped(backed_up):
    """Both good backups are rewritten without the person and stay restorable; the
    damaged one is deleted; no byte of any file in the backups folder holds his name,
    title or quotes, and the summary says which backup went which way."""
    data_dir, first, second, broken = backed_up
    cid, secrets = _person(data_dir)
    folder = backups.backups_dir(data_dir)
    assert set(_leaks(folder, secrets)) >= {first.name, second.name}
    ws = Workspace.open(data_dir)
    try:
        done = erase_contact(ws, cid)
    finally:
        ws.close()
    outcomes = {b.name: b.outcome for b in done.backups}
    assert outcomes == {first.name: "rewritten", second.name: "rewritten",
                        broken.name: "dropped"}
    assert not broken.exists()
    assert _leaks(folder, secrets) == {}
    lines = done.backup_lines()
    assert lines[0].startswith("Rewritten with the person erased: 2 backup(s)")
    assert lines[1].startswith("Deleted, because they could not be rewritten: 1 backup(s)")
    for kept in (first, second):
        assert rows(kept.path, f"SELECT name, title FROM contacts WHERE id = '{cid}'") == [
            ("", "")]
        assert rows(kept.path, "SELECT contact_id FROM erasures") == [(cid,)]
        assert backups.find_backup(data_dir, kept.name).verified
    restored = backups.restore(data_dir, first.name)
    assert restored.restored.name == first.name
    ws = Workspace.open(data_dir)
    try:
        assert ws.accounts.contact(cid) is None
        assert sum(v.status.value == "completed" for v in ws.visits.list()) > 0
    finally:
        ws.close()


def test_a_backup_without_the_person_is_left_as_it_was(tmp_path):
    """A backup that never held the person keeps its bytes and is reported as clean."""
    data_dir = filled_workspace(tmp_path / "data")
    cid, _ = _person(data_dir)
    ws = Workspace.open(data_dir)
    try:
        with ws.db.atomic():
            ws.db.execute("UPDATE entries SET speaker_id = NULL WHERE speaker_id = ?", [cid])
            ws.db.execute("DELETE FROM attendees WHERE contact_id = ?", [cid])
            ws.db.execute("DELETE FROM contacts WHERE id = ?", [cid])
    finally:
        ws.close()
    made = backups.make_backup(data_dir, "manual")
    before = made.path.read_bytes()
    [result] = erase_from_backups(data_dir, cid, None, "2026-05-10T09:00:00.000Z", "dev")
    assert result.outcome == "clean"
    assert made.path.read_bytes() == before


def test_a_pass_stopped_half_way_is_finished_before_the_next_backup(backed_up,
                                                                    monkeypatch):
    """A kill between rewriting and renaming leaves each backup old or new, never half, and
    a note; the next backup finishes the erasure first."""
    data_dir, first, second, broken = backed_up
    broken.unlink()
    cid, secrets = _person(data_dir)
    folder = backups.backups_dir(data_dir)
    real = os.replace

    class Killed(BaseException):
        pass

    def killed(src, dst, *args, **kwargs):
        if Path(dst) == second.path:
            raise Killed
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", killed)
    ws = Workspace.open(data_dir)
    try:
        with pytest.raises(Killed):
            erase_contact(ws, cid)
    finally:
        ws.close()
    monkeypatch.setattr(os, "replace", real)
    assert (folder / ERASING_NOTE).is_file()
    leaking = _leaks(folder, secrets)
    assert set(leaking) <= {first.name, second.name} and second.name in leaking
    assert not [p for p in folder.iterdir() if p.name.endswith(".partial")]
    backups.make_backup(data_dir, "manual")
    assert not (folder / ERASING_NOTE).exists()
    assert _leaks(folder, secrets) == {}
    assert finish_backup_erasures(data_dir) == 0
