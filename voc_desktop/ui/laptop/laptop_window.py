"""The interviewer's main window as the modules it calls on see it. They may not import the
window (it imports them), so they take any QMainWindow with these members."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, QRect, SignalInstance
    from PySide6.QtWidgets import QStatusBar

    from voc_desktop.services.workspace.workspace import Workspace
    from voc_desktop.ui.common.archive_door import ArchiveScreen, KeeperScreen
    from voc_desktop.ui.laptop.sync import LaptopSync


class LaptopWindow(Protocol):
    ws: Workspace
    archive_windows: list[ArchiveScreen]
    destroyed: SignalInstance

    @property
    def laptop_sync(self) -> LaptopSync: ...

    def has_unsaved_text(self) -> bool: ...

    def open_archive(self, folder: Path | None = None) -> KeeperScreen | None: ...

    def open_files(self, paths: list[Path]) -> None: ...

    def sibling(self, ws: Workspace) -> LaptopWindow: ...

    # what it has as a QMainWindow
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's names)

    def saveGeometry(self) -> QByteArray: ...  # noqa: N802

    def restoreGeometry(self, geometry: QByteArray) -> bool: ...  # noqa: N802

    def geometry(self) -> QRect: ...

    def close(self) -> bool: ...

    def deleteLater(self) -> None: ...  # noqa: N802

    def show(self) -> None: ...
