"""Starting the desktop app: `voc-desktop [--data-dir DIR] [--archive DIR]`."""

from __future__ import annotations

import argparse
import sys

from voc_desktop import __version__


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="voc-desktop",
                                     description="VOC Desktop: guided customer visits.")
    parser.add_argument("--data-dir", help="workspace folder (default: VOC_DATA_DIR or the "
                        "platform's data folder)")
    parser.add_argument("--archive", metavar="DIR", help="open a shared archive folder to "
                        "search and compare its visits, instead of this laptop's workspace")
    parser.add_argument("--version", action="version", version=f"voc-desktop {__version__}")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from voc_desktop.services.workspace import ServiceError, Workspace
    from voc_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("VOC Desktop")
    app.setApplicationVersion(__version__)
    if args.archive:
        return run_archive(app, args.archive, args.data_dir)
    try:
        ws = Workspace.open(args.data_dir)
    except ServiceError as exc:
        QMessageBox.critical(None, "VOC Desktop", f"The workspace could not be opened.\n\n{exc}")
        return 1
    window = MainWindow(ws)
    window.show()
    QTimer.singleShot(0, ws.prepare_writes)  # right after the first paint, before any typing
    code = app.exec()
    ws.close()
    return code


def run_archive(app, folder: str, data_dir: str | None) -> int:
    """The archive workspace window alone; an archive that cannot be opened ends in a
    message and exit code 1."""
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    from voc_desktop.services.archive_workspace import ArchiveWorkspace
    from voc_desktop.services.workspace import ServiceError
    from voc_desktop.ui.archive_window import ArchiveWindow

    try:
        lens = ArchiveWorkspace.open(Path(folder).expanduser(),
                                     data_dir=Path(data_dir) if data_dir else None)
    except (ServiceError, OSError) as exc:
        QMessageBox.critical(None, "VOC Desktop",
                             f"The archive in {folder} could not be opened.\n\n{exc}")
        return 1
    window = ArchiveWindow(lens)
    window.show()
    return app.exec()
