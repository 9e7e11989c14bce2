"""Brings workspace change notices onto the Qt side as one signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from voc_desktop.services.workspace.workspace import Workspace


class ChangeBus(QObject):
    """Emits `changed(Change)` after every committed write; views refresh only what it names."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = ws.subscribe(self.changed.emit)

    def detach(self) -> None:
        self._unsubscribe()
