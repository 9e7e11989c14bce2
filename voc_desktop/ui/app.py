"""Starting the desktop app:
`voc-desktop [--data-dir DIR] [--archive DIR] [--log-console] [FILE ...]`."""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc_desktop import __version__, assets

if TYPE_CHECKING:
    from voc_desktop.services.workspace.workspace import Workspace
    from voc_desktop.ui.common.single_instance import Inbox
    from voc_desktop.ui.laptop.main_window import MainWindow

APP_ID = "io.vocdesktop.VocDesktop"  # as in packaging/linux: .desktop, AppStream, icons
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
HAND_OVER_SECONDS = 5.0  # how long a second launch waits for the running window's answer
_log = logging.getLogger(__name__)
# the coach's rules start compiling on a worker this long after the first paint
WARM_COACH_AFTER_MS = 2000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="voc-desktop",
                                     description="VOC Desktop: guided customer visits.")
    parser.add_argument("--data-dir", help="workspace folder (default: VOC_DATA_DIR or the "
                        "platform's data folder)")
    parser.add_argument("--archive", metavar="DIR", help="open a shared archive folder to "
                        "search and compare its visits, instead of this laptop's workspace")
    parser.add_argument("--log-console", action="store_true",
                        help="also write the log to stderr (as VOC_LOG_CONSOLE=1 does)")
    parser.add_argument("--version", action="version", version=f"voc-desktop {__version__}")
    parser.add_argument("files", nargs="*", metavar="FILE", help="a .vocbundle to open: a "
                        "laptop's bundle for an archive, or the archive's pack for this laptop")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from voc_desktop.logs import setup_logging, shutdown_logging
    from voc_desktop.services.workspace.place import UnsafePlace, check_workspace_place
    from voc_desktop.services.workspace.workspace import default_data_dir

    data_dir = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()
    session = _Session(data_dir)
    try:
        check_workspace_place(data_dir)
    except UnsafePlace as exc:
        session.unsafe = exc  # said once the app is up; not even a log folder is made there
    setup_logging(None if session.unsafe else data_dir, console=args.log_console)
    _log.info("VOC Desktop %s starting (Python %s, %s)", __version__,
              sys.version.split()[0], sys.platform)
    code: int | None = None
    try:
        code = _start(args, session)
        return code
    except BaseException:
        _log.critical("VOC Desktop stopped on an error", exc_info=True)
        raise
    finally:
        session.end()
        _log.info("VOC Desktop exits with code %s", code)
        shutdown_logging()


def laptop_window(ws: Workspace) -> MainWindow:
    """The interviewer's window on `ws`, able to open the archive's screens."""
    from voc_desktop.ui.archive.doors import ArchiveDoors
    from voc_desktop.ui.laptop.main_window import MainWindow

    return MainWindow(ws, ArchiveDoors())


def _start(args: argparse.Namespace, session: _Session) -> int:
    from PySide6.QtWidgets import QApplication

    from voc_desktop.ui.laptop.workspace_recovery import open_workspace_or_recover

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("VOC Desktop")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # lets Wayland desktops match windows to the menu entry
    app.setOrganizationName("VOC Desktop")  # where QSettings keeps the theme chosen
    from voc_desktop.ui.common import theme

    theme.start(app)
    session.listen_to_qt()
    if args.archive:
        return run_archive(app, args.archive, args.data_dir)
    refused = session.take_workspace([Path(f).absolute() for f in args.files])
    if refused is not None:
        return refused
    started = time.perf_counter()
    # a damaged one is offered its last backup; later launches are answered meanwhile
    ws = open_workspace_or_recover(args.data_dir, asking=session.listen)
    if ws is None:
        return 1
    _log.info("Workspace opened in %.0f ms (%d visits)",
              (time.perf_counter() - started) * 1000, ws.visits.count())
    window = laptop_window(ws)
    window.show()
    session.window_shown(window, then=lambda: (app.setWindowIcon(_app_icon()),
                                               session.listen(), _warm_up(ws)))
    code = app.exec()
    ws.close()
    return code


class _Session:
    """What one run holds besides the window: the workspace's lock, the socket later launches
    talk to, the inbox of handed files, and the Qt message handler; `end()` lets go of all."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.unsafe: Exception | None = None
        self.lock: Any = None
        self.server: Any = None
        self.inbox: Inbox | None = None
        self._qt_handler: Any = None
        self._qt_installed = False

    def listen_to_qt(self) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        self._qt_handler = qInstallMessageHandler(_qt_message)
        self._qt_installed = True

    def take_workspace(self, files: list[Path]) -> int | None:
        """Hold the workspace for this run, or hand `files` to the run that holds it; an exit
        code when this run must end here."""
        from PySide6.QtWidgets import QApplication, QMessageBox

        from voc_desktop.services.errors import ServiceError
        from voc_desktop.services.workspace.lock import WorkspaceInUse, hold
        from voc_desktop.ui.common.single_instance import Inbox

        app = QApplication.instance()
        try:
            if self.unsafe is not None:  # before the lock file is made there
                raise self.unsafe
            self.lock = hold(self.data_dir)
        except WorkspaceInUse:
            return self._hand_over(files)
        except ServiceError as exc:
            QMessageBox.critical(None, "VOC Desktop",
                                 f"The workspace could not be opened.\n\n{exc}")
            return 1
        self.inbox = Inbox(app)
        self.inbox.put(files)
        if sys.platform == "darwin":
            # only macOS sends FileOpen; a filter on the whole application is a Python call
            # for every event, which costs start-up and typing a little everywhere else
            app.installEventFilter(self.inbox)
        return None

    def listen(self) -> None:
        """Take files from later launches (they retry while this one is still starting)."""
        from PySide6.QtWidgets import QApplication

        from voc_desktop.ui.common.single_instance import InstanceServer, server_name

        if self.inbox is None or self.server is not None:
            return
        self.server = InstanceServer(server_name(self.data_dir), QApplication.instance())
        self.server.files_received.connect(self.inbox.put)
        self.server.listen()

    def _hand_over(self, files: list[Path]) -> int:
        from PySide6.QtWidgets import QMessageBox

        from voc_desktop.ui.common.single_instance import hand_over, server_name

        if hand_over(server_name(self.data_dir), files, timeout=HAND_OVER_SECONDS):
            _log.info("Handed %d files to the running window", len(files))
            return 0
        _log.warning("The workspace is in use and its window does not answer")
        QMessageBox.critical(
            None, "VOC Desktop",
            f"The workspace in {self.data_dir} is in use by another VOC Desktop that does "
            "not answer.\n\nWait a moment and try again. If it stays like this, close the "
            "other VOC Desktop (or end it in the task manager), then start again.")
        return 1

    def window_shown(self, window: MainWindow, then: Callable[[], None]) -> None:
        _log_when_painted(window, then)
        if self.inbox is not None:
            from PySide6.QtCore import QTimer

            inbox = self.inbox
            QTimer.singleShot(0, lambda: inbox.deliver_to(
                lambda paths: _front_window(window).open_files(paths)))

    def end(self) -> None:
        from PySide6.QtWidgets import QApplication

        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
        app = QApplication.instance()
        if self.inbox is not None and app is not None:
            app.removeEventFilter(self.inbox)
            self.inbox.deleteLater()
        if self.lock is not None:
            self.lock.release()
        if self._qt_installed:
            from PySide6.QtCore import qInstallMessageHandler

            qInstallMessageHandler(self._qt_handler)


def _app_icon() -> Any:
    """The app's icon at every size it ships in (loaded by Qt only when a size is drawn)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = QIcon()
    folder = assets.path("icons")
    for size in ICON_SIZES:
        icon.addFile(str(folder / f"voc-desktop-{size}.png"), QSize(size, size))
    return icon


def _front_window(first: MainWindow) -> MainWindow:
    """The main window showing now: a restore from a backup replaces the first one."""
    from PySide6.QtWidgets import QApplication

    from voc_desktop.ui.laptop.main_window import MainWindow

    shown = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, MainWindow) and w.isVisible()]
    return shown[-1] if shown else first


def _warm_up(ws: Any) -> None:
    """Right after the first paint, before any typing: load what the first save would
    otherwise make the interviewer wait for. The coach's rules, which take most of a second
    to compile, follow a little later on a worker (or as soon as a visit's page or the
    interview is first opened), so that neither the first screen nor a quick exit waits for
    them."""
    from PySide6.QtCore import QTimer

    from voc_desktop.domain.coaching.pitch import warm_rules

    ws.prepare_writes()
    QTimer.singleShot(WARM_COACH_AFTER_MS, warm_rules)


def _log_when_painted(window: MainWindow, then: Callable[[], None]) -> None:
    """Log `Main window shown` once the window's first paint is done (start-up tests and the
    cold-start benchmark wait for that line), then run `then`."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    def shown() -> None:
        _log.info("Main window shown")
        then()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, shown)
            return False

    watcher = FirstPaint(window)
    window.installEventFilter(watcher)


# Qt's own warnings may quote a file name or a piece of text; those parts are left out.
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|\([^)]+\)|\S*[/\\]\S*")
_QT_LEVELS = {"QtDebugMsg": logging.DEBUG, "QtInfoMsg": logging.INFO,
              "QtWarningMsg": logging.WARNING, "QtCriticalMsg": logging.ERROR,
              "QtFatalMsg": logging.CRITICAL}


def _qt_message(kind: Any, context: Any, message: str) -> None:
    level = _QT_LEVELS.get(getattr(kind, "name", ""), logging.WARNING)
    logging.getLogger("voc_desktop.qt").log(level, "%s: %s", context.category or "qt",
                                            _QUOTED.sub("…", message)[:300])


def run_archive(app, folder: str, data_dir: str | None) -> int:
    """The archive workspace window alone; an archive that cannot be opened ends in a
    message and exit code 1."""
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    from voc_desktop.services.archive.workspace import ArchiveWorkspace
    from voc_desktop.services.errors import ServiceError
    from voc_desktop.ui.archive.window import ArchiveWindow

    try:
        lens = ArchiveWorkspace.open(Path(folder).expanduser(),
                                     data_dir=Path(data_dir) if data_dir else None)
    except (ServiceError, OSError) as exc:
        QMessageBox.critical(None, "VOC Desktop",
                             f"The archive in {folder} could not be opened.\n\n{exc}")
        return 1
    window = ArchiveWindow(lens)
    window.show()
    app.setWindowIcon(_app_icon())
    return app.exec()
