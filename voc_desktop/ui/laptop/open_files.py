"""What the window does with a file it is handed (`voc-desktop FILE`, a second launch, a
double-click): the archive's pack goes into this laptop's workspace, a laptop's bundle into
an archive the person picks, and anything else gets a plain answer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from voc_desktop.services.bundles.kind import BundleKind, bundle_kind
from voc_desktop.services.errors import ServiceError
from voc_desktop.ui.common.notice import notice

if TYPE_CHECKING:
    from voc_desktop.ui.laptop.laptop_window import LaptopWindow

LAST_ARCHIVE = "archive/last_folder"
_log = logging.getLogger(__name__)


def settings() -> QSettings:
    return QSettings("VOC Desktop", "VOC Desktop")


def bring_to_front(window: QWidget) -> None:
    """Show the window over the others, as a second launch expects it to."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def open_files(window: LaptopWindow, paths: list[Path]) -> None:
    """Take each file where it belongs; laptops' bundles go to one archive together."""
    bring_to_front(window)
    for_archive: list[Path] = []
    kinds: dict[str, int] = {}
    for path in paths:
        try:
            kind = bundle_kind(path)
        except ServiceError as exc:
            kinds["unreadable"] = kinds.get("unreadable", 0) + 1
            notice(window, QMessageBox.Icon.Warning, "File not opened", str(exc))
            continue
        kinds[kind.value] = kinds.get(kind.value, 0) + 1
        if kind is BundleKind.PACK:
            window.laptop_sync.import_pack(path)
        elif kind is BundleKind.BUNDLE:
            for_archive.append(path)
        else:
            notice(window, QMessageBox.Icon.Information, "Not a VOC bundle",
                   f"{path.name} is not a VOC bundle, so VOC Desktop cannot open it.",
                   info="VOC Desktop opens .vocbundle files: a laptop's bundle, which goes "
                   "into your team's archive, and the archive's pack, which brings the "
                   "archive's accounts and learnings to this laptop.")
    _log.info("Handed files: %s", ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
              or "none")
    if for_archive:
        import_into_archive(window, for_archive)


def import_into_archive(window: LaptopWindow, paths: list[Path],
                        folder: Path | None = None) -> bool:
    """Ask which archive takes the laptops' bundles (starting at the last one used), then
    import them there with the archive dialog's progress and report."""
    store = settings()
    if folder is None:
        last = str(store.value(LAST_ARCHIVE, "") or "")
        what = "this laptop's bundle" if len(paths) == 1 else f"these {len(paths)} bundles"
        chosen = QFileDialog.getExistingDirectory(
            window, f"Choose the archive folder to take in {what}", last)
        if not chosen:
            window.statusBar().showMessage("No archive chosen; the bundle was not imported.",
                                           10000)
            return False
        folder = Path(chosen)
    dialog = window.open_archive(folder)
    if dialog is None:
        return False
    store.setValue(LAST_ARCHIVE, str(folder))
    return dialog.import_bundles(paths)
