"""The laptop window's way into the archive's screens, which the field app may not import:
the app hands the window an `ArchiveDoor`, and the window asks it to open them."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget


class ArchiveScreen(Protocol):
    """A window or dialog the door opened; `closed` tells the opener it is gone."""

    closed: SignalInstance


class KeeperScreen(Protocol):
    """The keeper's dialog on one archive: it can take in bundles handed to the app."""

    def import_bundles(self, paths: list[Path]) -> bool: ...


class ArchiveDoor(Protocol):
    def open_keeper(self, parent: QWidget, folder: Path | None,
                    data_dir: Path) -> KeeperScreen | None:
        """The keeper's dialog on the archive in `folder` (asked for when None)."""
        ...

    def open_workspace(self, parent: QWidget, folder: Path | None,
                       data_dir: Path) -> ArchiveScreen | None:
        """The archive workspace window on `folder` (asked for when None)."""
        ...
