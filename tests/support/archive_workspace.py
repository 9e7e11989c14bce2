"""An archive filled from the sample workspace: four visits at two accounts, one of them
outside the ideal customer profile, built once per test session and copied per test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.bundles.export import export_bundle
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.demo.script import VISITS
from voc_desktop.services.workspace.workspace import Workspace


@dataclass(frozen=True)
class SampleArchive:
    folder: Path
    index: Path

    def open(self) -> ArchiveWorkspace:
        lens = ArchiveWorkspace.open(self.folder, index=self.index)
        lens.refresh()
        return lens


def build_sample_archive(where: Path) -> SampleArchive:
    """The sample workspace sent as one bundle into a new archive at `where`."""
    ws = Workspace.open(where / "laptop")
    try:
        fill_demo(ws)
        (where / "out").mkdir()
        export_bundle(ws, where / "out", encrypt=False)
        key = ws.public_key
    finally:
        ws.close()
    sample = SampleArchive(where / "archive", where / "index.sqlite3")
    with Archive.create(sample.folder, index=sample.index) as archive:
        archive.trust(key, "Sample laptop")
        archive.import_bundles(sorted((where / "out").iterdir()))
    return sample


def copy_sample(sample: SampleArchive, where: Path) -> SampleArchive:
    shutil.copytree(sample.folder, where / "archive")
    shutil.copy2(sample.index, where / "index.sqlite3")
    return SampleArchive(where / "archive", where / "index.sqlite3")


def sample_visit_day(which: str) -> date:
    """The sample's `first` or `last` visit day: the sample is dated back from today, so tests
    that filter by date ask for these instead of fixed dates."""
    days = [s.days_ago for s in VISITS]
    return date.today() - timedelta(days=max(days) if which == "first" else min(days))
