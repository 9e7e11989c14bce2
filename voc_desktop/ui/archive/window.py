"""The archive workspace: a research lead's window onto many visits at once.

Four pages share one open archive (a "lens"): Search, Patterns, Triangulation, Routing.
The window owns the lens and everything long: deriving findings after an import, importing
bundles and exports all run on a worker with a lens of their own, since a lens and its
connection belong to the thread that opened them. The pages read through LensReaders, each
on a read-only connection of its own; closing the window closes those first.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.findings import FindingFilter
from voc_desktop.services.archive.keeper import Archive, ImportReport
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.ui.archive.lens_reader import LensReader, close_readers
from voc_desktop.ui.archive.search_page import SearchPage
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.background import BackgroundTask
from voc_desktop.ui.common.bundle_parts import BUNDLE_FILTER
from voc_desktop.ui.common.look import fit_to_screen, text_label
from voc_desktop.ui.common.notice import notice
from voc_desktop.ui.common.theme_menu import add_theme_menu

if TYPE_CHECKING:
    from voc_desktop.services.archive.publish import PublishSummary

IMPORT_BUNDLES = QKeySequence("Ctrl+I")
EXPORT_CSV = QKeySequence("Ctrl+Shift+C")
EXPORT_QDA = QKeySequence("Ctrl+Shift+Q")
CLOSE = QKeySequence("Ctrl+W")
MANAGE = QKeySequence("Ctrl+Shift+M")
PUBLISH = QKeySequence("Ctrl+Shift+P")
FIND = QKeySequence("Ctrl+F")
HELP = QKeySequence("F1")
PAGE_KEYS = tuple(QKeySequence(f"Ctrl+{n}") for n in range(1, 5))
PAGES_CODE_AFTER_MS = 2000

# Keys that pages use themselves, listed in the help with the window's own.
PAGE_SHORTCUTS = (("Ctrl+Shift+Backspace", "Search: clear filters"),
                  ("Down / Return", "Search: from the words into the results"),
                  ("Return", "Open the selected finding's visit in context"),
                  ("F3 / Shift+F3", "In a visit: next / previous hit of the list"),
                  ("Ctrl+R", "Patterns: pattern report"), ("Ctrl+D", "Routing: team digest"))


class _Stopped(Exception):
    """Indexing was asked to stop; what was derived so far stays."""


def import_summary(report: ImportReport) -> tuple[str, str]:
    """(what happened, per file) as the archive keeper's dialog tells it."""
    t = report.totals
    text = (f"{t['imported']} imported, {t['duplicate_bundles']} already in the archive, "
            f"{t['held']} held, {t['rejected']} rejected.\n"
            f"Records: {t['new']} new, {t['updated']} updated, {t['duplicates']} unchanged, "
            f"{t['conflicts']} conflicts.")
    if report.redacted:
        text += (f"\n{len(report.redacted)} accepted bundle(s) held an erased person and were "
                 "replaced by redacted copies.")
    details = "\n".join(f"{b.file}: {b.status.value}" + (f" — {b.reason}" if b.reason else "")
                        for b in report.bundles)
    return text, details


class ArchiveWindow(QMainWindow):
    """One open archive. The window owns `lens` and closes it when it closes."""

    refreshed = Signal()  # findings derived (or nothing to derive) and pages reloaded
    imported = Signal(object)  # the ImportReport
    exported = Signal(object)  # the written file's path
    closed = Signal()

    def __init__(self, lens: ArchiveWorkspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lens = lens
        self.task: BackgroundTask | None = None
        self.box: QMessageBox | None = None
        self.folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        self.setWindowTitle(f"{lens.name} — VOC Desktop archive")
        fit_to_screen(self, 1366)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.search_page = SearchPage(lens, self)
        self.tabs.addTab(self.search_page, "Search")
        # two seconds after the list is in, the other pages' code loads on a worker, so a
        # first click on a tab builds the page without first reading its modules from disk
        self.search_page.model.loaded.connect(
            lambda: QTimer.singleShot(PAGES_CODE_AFTER_MS, self, _load_pages_code),
            Qt.ConnectionType.SingleShotConnection)
        # the other pages are built when first shown: each runs its own queries, and on a
        # big archive building them all would keep the window from opening quickly
        self._makers: dict[int, Callable[[], QWidget]] = {}
        for maker, title in ((_patterns, "Patterns"), (_triangulation, "Triangulation"),
                             (_routing, "Routing")):
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self._makers[self.tabs.addTab(holder, title)] = \
                lambda maker=maker: maker(self.lens, self)
        self._built: dict[int, QWidget] = {0: self.search_page}
        self.tabs.currentChanged.connect(self._page_shown)
        self.setCentralWidget(self.tabs)
        self.scope_label = QLabel()
        self.statusBar().addPermanentWidget(self.scope_label)
        self.scope_reader = LensReader(lens, self)
        self._build_menus()
        self._tell_failed_reads(self)
        self._show_scope()
        QTimer.singleShot(0, self._opened)

    # --- menus ----------------------------------------------------------------------------

    def _action(self, menu, text: str, key: QKeySequence, slot: Callable[[], Any],
                tip: str = "") -> QAction:
        action = menu.addAction(text)
        action.setShortcut(key)
        action.triggered.connect(lambda _=False: slot())
        if tip:
            action.setStatusTip(tip)
        self.window_actions.append(action)
        return action

    def _build_menus(self) -> None:
        self.window_actions: list[QAction] = []
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&Import bundles…", IMPORT_BUNDLES, self.import_bundles,
                     "Bring laptops' bundles into the archive, then index their visits")
        file.addSeparator()
        self._action(file, "Export list as &CSV…", EXPORT_CSV, self.export_list_csv,
                     "Save the list the current page shows as a spreadsheet file")
        self._action(file, "Export REFI-&QDA project…", EXPORT_QDA, self.export_qda,
                     "Save the visits the search finds for QualCoder, NVivo, ATLAS.ti, MAXQDA")
        file.addSeparator()
        self._action(file, "&Close", CLOSE, self.close)
        # Quit ends the app, as in the laptop window (which asks first if text is unsaved)
        self._action(file, "&Quit", shortcuts.QUIT,
                     QApplication.closeAllWindows)
        view = bar.addMenu("&View")
        for at, key in enumerate(PAGE_KEYS):
            self._action(view, f"&{self.tabs.tabText(at)}", key,
                         lambda i=at: self.tabs.setCurrentIndex(i))
        view.addSeparator()
        self._action(view, "&Find on this page", FIND, self.focus_find)
        view.addSeparator()
        add_theme_menu(view)
        archive = bar.addMenu("&Archive")
        self._action(archive, "&Manage laptops, held bundles and conflicts…", MANAGE,
                     self.manage_archive)
        self._action(archive, "&Publish a copy for browsing…", PUBLISH, self.publish_copy,
                     "Write masked findings, themes and visits to a file Datasette can serve")
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", HELP, self.show_help)

    def _page_shown(self, at: int) -> None:
        self.page(at)
        QTimer.singleShot(0, self._focus_page)

    def page(self, at: int) -> QWidget:
        """The page of tab `at`, built now if it was not yet."""
        if at not in self._built:
            page = self._makers[at]()
            holder = self.tabs.widget(at)
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(page)
            page.show()
            self._built[at] = page
            self._tell_failed_reads(page)
        return self._built[at]

    def _tell_failed_reads(self, owner: QWidget) -> None:
        """A read that failed leaves its page as it was and says why in the status bar."""
        for reader in owner.findChildren(LensReader):
            reader.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))

    def current_page(self) -> QWidget:
        return self.page(self.tabs.currentIndex())

    def pages(self) -> list[QWidget]:
        """Every page, building those not shown yet."""
        return [self.page(i) for i in range(self.tabs.count())]

    def built_pages(self) -> list[QWidget]:
        return [self._built[i] for i in sorted(self._built)]

    def _focus_page(self) -> None:
        page = self.current_page()
        if hasattr(page, "focus_first"):
            page.focus_first()

    def focus_find(self) -> None:
        page = self.current_page()
        for name in ("focus_find", "focus_first"):
            if hasattr(page, name):
                getattr(page, name)()
                return

    # --- keeping the findings current -------------------------------------------------------

    def _opened(self) -> None:
        self.refresh_if_stale(catch_up=True)

    def refresh_if_stale(self, catch_up: bool = False) -> bool:
        """On a worker: take in bundles other copies of the archive accepted into the shared
        folder (`catch_up`), then derive the findings of visits that wait for it. False when
        nothing was started."""
        waiting = self.lens.stale()
        if self.busy or not (waiting or catch_up):
            return False
        lens = self.lens

        def work(progress, cancelled) -> bool:
            with lens.reopen() as mine:
                if catch_up:
                    progress(0, "Reading new bundles in the archive folder")
                    mine.archive.refresh()
                mine.refresh(lambda done, total: _step(progress, cancelled, done, total))
                return mine.written() > 0  # the lists as read at opening are current

        label = f"Indexing {waiting:,} visits" if waiting else "Looking for new visits"
        self._run("Archive", label, work, self._indexed, self._indexed, (_Stopped,))
        if self.task is not None:  # what is indexed already still shows
            self.task.failed.connect(lambda _: self._indexed())
        return True

    def _indexed(self, changed: object = True) -> None:
        if changed is not False:
            self.reload_pages()
        waiting = self.lens.stale()
        if waiting:
            self.statusBar().showMessage(f"Indexing stopped: {waiting:,} visits are not in "
                                         "the lists yet; they are indexed when the archive "
                                         "opens again.", 15000)
        self._focus_page()
        self.refreshed.emit()

    def reload_pages(self) -> None:
        for page in self.built_pages():
            if hasattr(page, "reload"):
                page.reload()
        self._show_scope()

    def _show_scope(self) -> None:
        def read(lens: ArchiveWorkspace) -> tuple[tuple[int, int], int]:
            return lens.scope(FindingFilter()), lens.count(FindingFilter())

        def show(read: tuple[tuple[int, int], int]) -> None:
            (accounts, visits), findings = read
            self.scope_label.setText(f"{visits:,} visits · {accounts:,} accounts · "
                                     f"{findings:,} findings")

        self.scope_reader.ask(read, show)

    # --- long work ------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def _run(self, title: str, label: str, work: Callable[..., Any],
             done: Callable[[Any], None], stopped: Callable[[], None] | None = None,
             cancel_errors: tuple[type[BaseException], ...] = ()) -> None:
        task = BackgroundTask(self, title, label, work, cancel_errors=cancel_errors)
        task.done.connect(done)
        task.failed.connect(lambda message: self._tell(QMessageBox.Icon.Warning, title,
                                                       message))
        task.cancelled.connect(stopped or (lambda: self.statusBar().showMessage(
            "Stopped; nothing was written.", 10000)))
        self.task = task
        task.start()

    def import_bundles(self, paths: list[Path] | None = None) -> bool:
        """Import laptops' bundles on a worker, then index the visits they brought."""
        if self.busy:
            return False
        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(self, "Import bundles", self.folder,
                                                     BUNDLE_FILTER)
            paths = [Path(p) for p in chosen]
        if not paths:
            return False
        self.folder = str(paths[0].parent)
        lens = self.lens

        def work(progress, cancelled) -> ImportReport:
            with lens.reopen() as mine:
                report = mine.archive.import_bundles(
                    paths, cancelled=cancelled,
                    progress=lambda done, total, name: progress(
                        int(80 * done / max(total, 1)),
                        f"Importing {name}" if name else "Finishing"))
                # when stopped, the rest is indexed as the archive next opens
                with contextlib.suppress(_Stopped):
                    mine.refresh(lambda done, total: _step(progress, cancelled, done, total,
                                                           start=80))
                return report

        self._run("Import bundles", "Checking the bundles", work, self._imported)
        return True

    def _imported(self, report: ImportReport) -> None:
        text, details = import_summary(report)
        self._tell(QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Warning,
                   "Import finished", text, details)
        self._indexed()
        self.imported.emit(report)

    def _ask_path(self, title: str, name: str, file_filter: str, suffix: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(Path(self.folder) / name),
                                                file_filter)
        return _with_suffix(Path(chosen), suffix) if chosen else None

    def export_list_csv(self, path: Path | None = None) -> bool:
        """Save the current page's list on a worker; the page says what that is
        (`csv_export`)."""
        page = self.current_page()
        if not hasattr(page, "csv_export") or self.busy:
            self.statusBar().showMessage("This page has no list to export.", 8000)
            return False
        title = self.tabs.tabText(self.tabs.currentIndex())
        path = _with_suffix(path, ".csv") if path else self._ask_path(
            "Export list as CSV", f"{self.lens.name} {title}.csv", "CSV spreadsheet (*.csv)",
            ".csv")
        if path is None:
            return False
        self.folder = str(path.parent)
        job, lens = page.csv_export(), self.lens

        def work(progress, cancelled) -> int:
            with lens.reopen() as mine:
                return job(mine, path)

        self._run("Export list as CSV", "Writing the CSV file", work,
                  lambda rows: self._exported(path, f"{rows:,} rows"))
        return True

    def export_qda(self, path: Path | None = None) -> bool:
        """The visits the search finds as a REFI-QDA project, for a QDA program."""
        if self.busy:
            return False
        from voc_desktop.services.archive.exports import export_qda
        from voc_desktop.services.reports import ExportCancelled

        flt = self.search_page.current_filter()
        path = _with_suffix(path, ".qdpx") if path else self._ask_path(
            "Export REFI-QDA project", f"{self.lens.name}.qdpx", "REFI-QDA project (*.qdpx)",
            ".qdpx")
        if path is None:
            return False
        self.folder = str(path.parent)
        lens = self.lens

        def work(progress, cancelled) -> int:
            with lens.reopen() as mine:
                return export_qda(mine, flt, path, progress=progress, cancelled=cancelled)

        self._run("Export REFI-QDA project", "Gathering the visits", work,
                  lambda n: self._exported(path, f"{n:,} visits"),
                  cancel_errors=(ExportCancelled,))
        return True

    def _exported(self, path: Path, what: str) -> None:
        box = self._tell(QMessageBox.Icon.Information, "Export saved",
                         f"{what} saved as\n{path}")
        opened = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
        folder = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(opened)
        opened.clicked.connect(lambda: _open(path))
        folder.clicked.connect(lambda: _open(path, folder=True))
        self.statusBar().showMessage(f"Saved {path}.", 10000)
        self.exported.emit(path)

    def publish_copy(self, path: Path | None = None, with_photos: bool | None = None) -> bool:
        """Write the published copy on a worker; say where it went and how to serve it."""
        if self.busy:
            return False
        if path is None:
            path = self._ask_path("Publish a copy for browsing", f"{self.lens.name}.db",
                                  "SQLite database (*.db)", ".db")
        if path is None:
            return False
        if with_photos is None:
            with_photos = self._ask_photos()
            if with_photos is None:
                return False
        from voc_desktop.services.archive.publish import publish

        self.folder = str(path.parent)
        lens = self.lens

        def work(progress, cancelled) -> PublishSummary:
            with lens.reopen() as mine:
                return publish(mine.archive, path, with_photos=with_photos,
                               progress=progress)

        self._run("Publish a copy", "Catching up with the archive folder", work,
                  self._published)
        return True

    def _ask_photos(self) -> bool | None:
        box = QMessageBox(QMessageBox.Icon.Question, "Publish a copy for browsing",
                          "Include the photos? They are encoded afresh without their "
                          "metadata, under their masked captions.", parent=self)
        without = box.addButton("&Without photos", QMessageBox.ButtonRole.AcceptRole)
        with_ = box.addButton("With &photos", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(without)
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is with_ else False if clicked is without else None

    def _published(self, summary: PublishSummary) -> None:
        c = summary.counts
        photos = f", {c['photos']:,} photos" if summary.with_photos else ", no photos"
        box = self._tell(
            QMessageBox.Icon.Information, "Published copy saved",
            f"{c['findings']:,} findings of {c['visits']:,} visits{photos}, saved as\n"
            f"{summary.path}\n\nPeople who did not agree to be named appear by role. "
            f"Serve it read-only with:\n{summary.datasette_command}")
        folder = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
        folder.clicked.connect(lambda: _open(summary.path, folder=True))
        self.statusBar().showMessage(f"Published {summary.path}.", 10000)
        self.exported.emit(summary.path)

    # --- the archive keeper's dialog, help ------------------------------------------------

    def manage_archive(self) -> QDialog:
        from voc_desktop.ui.archive.keeper_dialog import ArchiveDialog

        # the dialog closes the archive it is given, so it gets one of its own
        archive = Archive.open(self.lens.archive.folder.path,
                               index=self.lens.archive.index_path)
        dialog = ArchiveDialog(archive, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _=0: self._managed())
        dialog.open()
        return dialog

    def _managed(self) -> None:
        if not self.refresh_if_stale():
            self.reload_pages()

    def help_html(self) -> str:
        rows = [(a.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                 a.text().replace("&", "")) for a in self.window_actions]
        rows += list(PAGE_SHORTCUTS)
        cells = "".join(f"<tr><td style='padding:2px 16px 2px 0; white-space:nowrap'>"
                        f"<code>{k}</code></td><td>{t}</td></tr>" for k, t in rows)
        return (f"<h3>Keyboard shortcuts</h3><table>{cells}</table><p>Accounts outside the "
                "ideal customer profile are left out of a page's lists and counts until its "
                "“Include accounts outside the profile” is ticked; then they show grey.</p>")

    def show_help(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setWindowTitle("Archive keyboard shortcuts")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text_label(self.help_html(), rich=True))
        layout.addWidget(buttons)
        dialog.open()
        return dialog

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str,
              details: str = "") -> QMessageBox:
        self.box = notice(self, icon, title, text, details=details,
                          closed=lambda: setattr(self, "box", None))
        return self.box

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.task is not None:
            self.task.stop_and_wait()
        super().closeEvent(event)
        close_readers(self)  # each reads on a connection of its own
        self.lens.close()
        self.closed.emit()


def _open(path: Path, folder: bool = False) -> None:
    """Open a written file, or its folder, with the system's own program."""
    from voc_desktop.ui.common.report_export import open_path, show_in_folder

    (show_in_folder if folder else open_path)(path)


def _load_pages_code() -> None:
    def load() -> None:
        for name in ("pattern_page", "triangulation_page", "routing_page"):
            importlib.import_module(f"voc_desktop.ui.archive.{name}")

    threading.Thread(target=load, name="archive pages", daemon=True).start()


# The pages beyond Search, loaded with their modules when first shown: the window opens
# without importing what only they use (reports, exports).
def _patterns(lens: ArchiveWorkspace, parent: QWidget) -> QWidget:
    from voc_desktop.ui.archive.pattern_page import PatternPage

    return PatternPage(lens, parent)


def _triangulation(lens: ArchiveWorkspace, parent: QWidget) -> QWidget:
    from voc_desktop.ui.archive.triangulation_page import TriangulationPage

    return TriangulationPage(lens, parent)


def _routing(lens: ArchiveWorkspace, parent: QWidget) -> QWidget:
    from voc_desktop.ui.archive.routing_page import RoutingPage

    return RoutingPage(lens, parent)


def _step(progress, cancelled: Callable[[], bool], done: int, total: int,
          start: int = 0) -> None:
    if cancelled():
        raise _Stopped
    progress(start + int((100 - start) * done / max(total, 1)),
             f"Indexing {done:,} of {total:,} visits")


def _with_suffix(path: Path, suffix: str) -> Path:
    path = Path(path)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)
