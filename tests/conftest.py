"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402

from voc_desktop.services.workspace import Workspace  # noqa: E402


@pytest.fixture
def ws(tmp_path):
    """A fresh workspace in a temporary folder, closed after the test."""
    workspace = Workspace.open(tmp_path / "ws")
    yield workspace
    workspace.close()
