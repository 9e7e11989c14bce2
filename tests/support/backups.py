"""Shared pieces for the backup tests: a workspace with something in it, damage done to a
closed file, and a fingerprint of a file's bytes.

Import from here in tests: `from support.backups import damage, digest, filled_workspace`."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

from voc_desktop.services.accounts import create_account
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.workspace.workspace import Workspace

PAGE = 4096


def filled_workspace(data_dir: Path, *, extra_accounts: tuple[str, ...] = ()) -> Path:
    """The sample workspace (four visits) in `data_dir`, closed; returns the folder."""
    ws = Workspace.open(data_dir)
    try:
        fill_demo(ws)
        for name in extra_accounts:
            create_account(ws, name)
    finally:
        ws.close()
    return data_dir


def account_names(data_dir: Path) -> set[str]:
    ws = Workspace.open(data_dir)
    try:
        return {a.name for a in ws.accounts.list()}
    finally:
        ws.close()


def damage(path: Path, *, seed: int = 5) -> None:
    """Overwrite pages in the middle of a closed database file with garbage, as a failing
    disk or a half-copied file would."""
    pages = path.stat().st_size // PAGE
    assert pages >= 8, "too small a file to damage in the middle"
    rng = random.Random(seed)
    with path.open("r+b") as fh:
        for page in range(pages // 3, 2 * pages // 3):
            fh.seek(page * PAGE)
            fh.write(rng.randbytes(PAGE))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(path: Path, sql: str) -> list[tuple]:
    """Rows from a database file, read-only."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()
