"""The archive's screens as the laptop window opens them: the keeper's dialog and the archive
workspace, each keeping its index beside the laptop's workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from voc_desktop.services.errors import ServiceError

if TYPE_CHECKING:
    from voc_desktop.ui.archive.keeper_dialog import ArchiveDialog
    from voc_desktop.ui.archive.window import ArchiveWindow


class ArchiveDoors:
    """Opens the archive's screens for the laptop window (an `ArchiveDoor`). The screens
    load when first opened, so the laptop window starts without them."""

    def open_keeper(self, parent: QWidget, folder: Path | None,
                    data_dir: Path) -> ArchiveDialog | None:
        """The archive's keeper's dialog: import, enrol, held bundles, conflicts, packs."""
        from voc_desktop.ui.archive.keeper_dialog import ArchiveDialog, open_archive_folder

        archive = open_archive_folder(parent, folder, data_dir=data_dir)
        if archive is None:
            return None
        dialog = ArchiveDialog(archive, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_workspace(self, parent: QWidget, folder: Path | None,
                       data_dir: Path) -> ArchiveWindow | None:
        """A shared archive in a window of its own, to search and compare many visits."""
        from voc_desktop.services.archive.workspace import ArchiveWorkspace
        from voc_desktop.ui.archive.window import ArchiveWindow

        if folder is None:
            chosen = QFileDialog.getExistingDirectory(parent, "Open an archive workspace")
            if not chosen:
                return None
            folder = Path(chosen)
        try:
            # the index lives beside this laptop's workspace, as --data-dir says
            lens = ArchiveWorkspace.open(folder, data_dir=data_dir)
        except ServiceError as exc:
            QMessageBox.warning(parent, "Archive workspace", str(exc))
            return None
        window = ArchiveWindow(lens)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        return window
