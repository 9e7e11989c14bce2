"""Fixtures for the store tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from voc_desktop.store.database import open_database


@pytest.fixture
def db(tmp_path: Path):
    """A new, fully migrated workspace database."""
    database = open_database(tmp_path / "workspace.sqlite3")
    yield database
    database.close()
