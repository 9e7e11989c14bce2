"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402

from voc_desktop.services.workspace.workspace import Workspace  # noqa: E402


@pytest.fixture
def ws(tmp_path):
    """A fresh workspace in a temporary folder, closed after the test."""
    workspace = Workspace.open(tmp_path / "ws")
    yield workspace
    workspace.close()


@pytest.fixture(scope="session")
def _sample_archive_master(tmp_path_factory):
    from support.archive_workspace import build_sample_archive

    return build_sample_archive(tmp_path_factory.mktemp("sample-archive"))


@pytest.fixture
def sample_archive(_sample_archive_master, tmp_path):
    """The sample workspace's four visits in an archive of the test's own (a copy)."""
    from support.archive_workspace import copy_sample

    return copy_sample(_sample_archive_master, tmp_path)


@pytest.fixture
def lens(sample_archive):
    """The sample archive opened as an archive workspace, findings derived."""
    opened = sample_archive.open()
    yield opened
    opened.close()
