"""The main window: accounts and visits on the left, the open visit on the right."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
)

from voc_desktop.domain.visit import VisitStatus
from voc_desktop.services import guides
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.archive_door import ArchiveDoor, ArchiveScreen, KeeperScreen
from voc_desktop.ui.common.bus import ChangeBus
from voc_desktop.ui.common.look import fit_to_screen
from voc_desktop.ui.common.theme_menu import add_theme_menu
from voc_desktop.ui.interview.actions import make_actions
from voc_desktop.ui.laptop.backup_schedule import BackupSchedule
from voc_desktop.ui.laptop.visit_list import VisitBrowser

if TYPE_CHECKING:
    from voc_desktop.ui.common.report_export import ReportExporter
    from voc_desktop.ui.guides.editor import GuideEditor
    from voc_desktop.ui.interview.interview_page import InterviewPage
    from voc_desktop.ui.interview.summarize import SummarizePage
    from voc_desktop.ui.laptop.account_page import AccountPage
    from voc_desktop.ui.laptop.backup_dialog import BackupDialog
    from voc_desktop.ui.laptop.contact_plan_dialog import ContactPlanDialog
    from voc_desktop.ui.laptop.sync import LaptopSync
    from voc_desktop.ui.laptop.visit_page import VisitPage
    from voc_desktop.ui.laptop.welcome import WelcomePage


# Ctrl+Shift+A attaches a photo during an interview; L for learning across visits.
OPEN_ARCHIVE_WORKSPACE = QKeySequence("Ctrl+Shift+L")


class MainWindow(QMainWindow):
    def __init__(self, ws: Workspace, archive: ArchiveDoor) -> None:
        """`archive` opens the archive's screens, which this window does not import."""
        super().__init__()
        self.ws = ws
        self.archive = archive
        self.setWindowTitle("VOC Desktop")
        fit_to_screen(self, 1280)
        self.bus = ChangeBus(ws, self)
        self.browser = VisitBrowser(ws, self.bus)
        self.stack = QStackedWidget()
        self._welcome: WelcomePage | None = None
        self._visit_page: VisitPage | None = None
        self._summarize: SummarizePage | None = None
        self._interview: InterviewPage | None = None
        self._report_exporter: ReportExporter | None = None
        self._laptop_sync: LaptopSync | None = None
        self._account_page: AccountPage | None = None
        self._before_account = None  # the page Esc on an account returns to
        self.archive_windows: list[ArchiveScreen] = []
        # Pages are built when first shown, so the window opens quickly; the interview's
        # actions live here so menus and shortcuts exist before the page does.
        self.actions = make_actions(self)
        self._list_during_visit = False  # focus mode: the list stays away while interviewing
        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(self.browser)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([320, 960])
        self.setCentralWidget(split)

        self.browser.visit_selected.connect(self.open_visit)
        self.browser.account_selected.connect(self.open_account)
        self.stack.currentChanged.connect(self._page_changed)
        self._build_menus()
        self.backup_schedule = BackupSchedule(ws.data_dir, self.bus, self)
        self.backup_schedule.message.connect(lambda m: self.statusBar().showMessage(m, 10000))
        self.backup_schedule.start()
        self._page_changed()
        self.resume_or_welcome()

    def _action(self, menu, text: str, key: QKeySequence | None, slot) -> QAction:
        action = menu.addAction(text)
        if key is not None:
            action.setShortcut(key)
            self.window_actions.append(action)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        self.window_actions: list[QAction] = []
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&New visit…", shortcuts.NEW_VISIT, lambda: self.new_visit())
        self._action(file, "Contact &plan: who is due…", shortcuts.CONTACT_PLAN,
                     self.show_contact_plan)
        self.export_report_action = self._action(file, "Export visit &report…",
                                                 shortcuts.EXPORT_REPORT, self.export_report)
        self.export_report_action.setStatusTip(
            "Save the open visit's report as a Word document or a PDF")
        file.addSeparator()
        self._action(file, "&Import guide…", None, self.import_guide)
        self._action(file, "&Export guide…", None, self.export_guide)
        self._action(file, "Edit &guides…", None, lambda: self.guide_editor.show_editor())
        file.addSeparator()
        self._action(file, "&Backups…", shortcuts.BACKUPS, self.show_backups)
        file.addSeparator()
        self._action(file, "&Quit", shortcuts.QUIT, self.close)
        edit = bar.addMenu("&Edit")
        edit.addAction(self.actions.undo)
        edit.addAction(self.actions.redo)
        menu = bar.addMenu("&Interview")
        a = self.actions
        for group in ((a.save_next, a.previous, a.skip, a.go_to),
                      (a.why, a.quote, a.observation, a.attach, a.tags, a.delete),
                      (a.learning, a.write_learning), (a.end,)):
            for action in group:
                menu.addAction(action)
            menu.addSeparator()
        sync = bar.addMenu("&Sync")
        self._action(sync, "&Export bundle for the archive…", shortcuts.EXPORT_BUNDLE,
                     lambda: self.laptop_sync.export_bundle())
        self._action(sync, "Export &everything as a bundle…", None,
                     lambda: self.laptop_sync.export_bundle(everything=True))
        self._action(sync, "&Import the archive's pack…", None,
                     lambda: self.laptop_sync.import_pack())
        sync.addSeparator()
        self._action(sync, "&Archive key…", None, lambda: self.laptop_sync.edit_archive_key())
        self._action(sync, "This laptop's &device key…", None,
                     lambda: self.laptop_sync.show_device_key())
        archive = bar.addMenu("&Archive")
        self._action(archive, "&Open or create a shared archive…", None, self.open_archive)
        self._action(archive, "Open archive &workspace…", OPEN_ARCHIVE_WORKSPACE,
                     lambda: self.open_archive_workspace())
        view = bar.addMenu("&View")
        self._action(view, "&Find accounts and visits", shortcuts.FIND,
                     lambda: self.browser.search.setFocus(Qt.FocusReason.ShortcutFocusReason))
        for index, key in enumerate((shortcuts.SHOW_ALL, shortcuts.SHOW_PLANNED,
                                     shortcuts.SHOW_IN_PROGRESS, shortcuts.SHOW_COMPLETED)):
            label = ("&All visits", "&Planned", "&In progress", "&Completed")[index]
            self._action(view, label, key, lambda _=False, i=index: self.browser.set_filter(i))
        self.visit_list_action = self._action(
            view, "Show the &visit list during a visit", shortcuts.FOCUS_MODE,
            self.toggle_visit_list)
        self.visit_list_action.setCheckable(True)
        view.addSeparator()
        add_theme_menu(view)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Listening rules and shortcuts", shortcuts.SHORTCUTS_HELP,
                     self.show_help)

    @property
    def interview(self) -> InterviewPage:
        if self._interview is None:
            from voc_desktop.domain.coaching.pitch import warm_rules
            from voc_desktop.ui.interview.interview_page import InterviewPage

            warm_rules()  # the interview checks every note against them
            self._interview = InterviewPage(self.ws, self.bus, self.actions)
            self._interview.end_requested.connect(self.open_visit)
            self._interview.status_message.connect(
                lambda m: self.statusBar().showMessage(m, 8000))
            self.stack.addWidget(self._interview)
        return self._interview

    @property
    def welcome(self) -> WelcomePage:
        if self._welcome is None:
            from voc_desktop.ui.laptop.welcome import WelcomePage

            self._welcome = WelcomePage(self.ws)
            self._welcome.new_visit_requested.connect(self.new_visit)
            self._welcome.sample_requested.connect(self.load_sample)
            self.stack.addWidget(self._welcome)
        return self._welcome

    @property
    def visit_page(self) -> VisitPage:
        if self._visit_page is None:
            from voc_desktop.domain.coaching.pitch import warm_rules
            from voc_desktop.ui.laptop.visit_page import VisitPage

            warm_rules()  # a visit's summary counts its coaching flags
            self._visit_page = VisitPage(self.ws, self.bus)
            self._visit_page.start_requested.connect(self.open_visit)
            self._visit_page.export_requested.connect(self.export_report)
            self._visit_page.brief_requested.connect(self.print_brief)
            self.stack.addWidget(self._visit_page)
        return self._visit_page

    @property
    def summarize(self) -> SummarizePage:
        if self._summarize is None:
            from voc_desktop.ui.interview.summarize import SummarizePage

            self._summarize = SummarizePage(self.ws, self.bus)
            self._summarize.completed.connect(self.open_visit)
            self._summarize.back_to_questions.connect(self.open_visit)
            self.stack.addWidget(self._summarize)
        return self._summarize

    @property
    def account_page(self) -> AccountPage:
        if self._account_page is None:
            from voc_desktop.ui.laptop.account_page import AccountPage

            self._account_page = AccountPage(self.ws, self.bus)
            self._account_page.visit_requested.connect(self.open_visit)
            self._account_page.back_requested.connect(self._leave_account)
            self.stack.addWidget(self._account_page)
        return self._account_page

    def open_account(self, account_id: str) -> None:
        if self._interview is not None and not self._interview.flush():
            self.statusBar().showMessage("The open interview has text that could not be saved "
                                         "yet; it stays open until it can be saved.", 10000)
            return
        if self.stack.currentWidget() is not self._account_page:
            self._before_account = self.stack.currentWidget()
        self.account_page.show_account(account_id)
        self.stack.setCurrentWidget(self.account_page)

    def _leave_account(self) -> None:
        """Esc or Alt+Left on an account goes back to the page shown before it."""
        self.stack.setCurrentWidget(self._before_account or self.welcome)

    def show_backups(self) -> BackupDialog:
        """The backups: make one now, or put one back (the window is then built anew)."""
        from voc_desktop.ui.laptop.backup_dialog import BackupDialog
        from voc_desktop.ui.laptop.workspace_recovery import restore_in_window, why_not_restore

        # kept, not deleted on close: a backup it started may still be running
        dialog = getattr(self, "_backup_dialog", None)
        if dialog is None:
            dialog = self._backup_dialog = BackupDialog(
                self.ws.data_dir, self, can_restore=lambda: why_not_restore(self))
            dialog.restore_chosen.connect(lambda chosen: restore_in_window(self, chosen))
        else:
            dialog.reload()
        dialog.open()
        return dialog

    def has_unsaved_text(self) -> bool:
        """Typed text the workspace could not take yet (a full disk, say)."""
        return self._interview is not None and not self._interview.flush()

    def show_help(self) -> None:
        from voc_desktop.ui.laptop.help_dialog import show_help  # loaded when first needed

        show_help(self, self.actions, self.window_actions)

    def in_visit(self) -> bool:
        """An interview or its read-back is on screen (the customer may be watching)."""
        page = self.stack.currentWidget()
        return page is not None and page in (self._interview, self._summarize)

    def toggle_visit_list(self) -> None:
        """During a visit the list of visits and other accounts stays hidden; this key brings
        it back, and again hides it."""
        if self.in_visit():
            self._list_during_visit = not self._list_during_visit
        else:
            self._list_during_visit = True
        self._show_list()

    def _show_list(self) -> None:
        shown = not self.in_visit() or self._list_during_visit
        self.browser.setVisible(shown)
        self.visit_list_action.setChecked(self._list_during_visit)

    def _page_changed(self, *_: object) -> None:
        on = self._interview is not None and self.stack.currentWidget() is self._interview
        self.actions.set_enabled(on)
        self._show_list()
        self.export_report_action.setEnabled(self.shown_visit_id() is not None)

    def shown_visit_id(self) -> str | None:
        """The visit on screen, if the page showing is a visit's."""
        page = self.stack.currentWidget()
        return None if page is self._welcome else getattr(page, "visit_id", None)

    @property
    def report_exporter(self) -> ReportExporter:
        if self._report_exporter is None:
            from voc_desktop.ui.common.report_export import ReportExporter

            self._report_exporter = ReportExporter(self.ws, self)
            self._report_exporter.finished.connect(
                lambda path: self.statusBar().showMessage(f"Report saved to {path}.", 10000))
            self._report_exporter.failed.connect(
                lambda message: self.statusBar().showMessage(message, 10000))
        return self._report_exporter

    @property
    def guide_editor(self) -> GuideEditor:
        if getattr(self, "_guide_editor", None) is None:
            from voc_desktop.ui.guides.editor import GuideEditor

            self._guide_editor = GuideEditor(self.ws, self)
            self._guide_editor.saved.connect(
                lambda _: self._welcome.refresh() if self._welcome is not None else None)
        return self._guide_editor

    @property
    def laptop_sync(self) -> LaptopSync:
        if self._laptop_sync is None:
            from voc_desktop.ui.laptop.sync import LaptopSync

            self._laptop_sync = LaptopSync(self.ws, self)
            self._laptop_sync.message.connect(
                lambda message: self.statusBar().showMessage(message, 10000))
        return self._laptop_sync

    def open_files(self, paths: list[Path]) -> None:
        """Files handed to the app (command line, a second launch, a double-click)."""
        from voc_desktop.ui.laptop.open_files import open_files

        open_files(self, [Path(p) for p in paths])

    def open_archive(self, folder: Path | None = None) -> KeeperScreen | None:
        """The archive's keeper's dialog: import, enrol, held bundles, conflicts, packs."""
        return self.archive.open_keeper(self, folder, self.ws.data_dir)

    def open_archive_workspace(self, folder: Path | None = None) -> ArchiveScreen | None:
        """A shared archive in a window of its own, to search and compare many visits."""
        window = self.archive.open_workspace(self, folder, self.ws.data_dir)
        if window is not None:
            # kept here: a window without a parent and without a reference would be collected
            self.archive_windows.append(window)
            window.closed.connect(lambda: self.archive_windows.remove(window)
                                  if window in self.archive_windows else None)
        return window

    def sibling(self, ws: Workspace) -> MainWindow:
        """A new window like this one on `ws` (after a restore puts a backup in place)."""
        return MainWindow(ws, self.archive)

    def export_report(self, visit_id: str | None = None) -> None:
        visit_id = visit_id or self.shown_visit_id()
        if not visit_id:
            return
        if self._interview is not None and self.stack.currentWidget() is self._interview \
                and not self._interview.flush():
            self.statusBar().showMessage("The last words typed are not saved yet, so the "
                                         "report would miss them; try again in a moment.", 10000)
            return
        self.report_exporter.export(visit_id)

    def resume_or_welcome(self) -> None:
        """Reopen the visit that was in progress when the app last closed."""
        running = self.ws.visits.in_progress()
        if running:
            self.open_visit(running.id)
            self.statusBar().showMessage("Resumed the visit in progress.", 8000)
        else:
            self.stack.setCurrentWidget(self.welcome)

    def open_visit(self, visit_id: str) -> None:
        if self._interview is not None and not self._interview.flush():
            self.statusBar().showMessage(
                "The open interview has text that could not be saved yet; it stays open "
                "until it can be saved.", 10000)
            self.browser.select_visit(self._interview.visit_id or visit_id, emit=False)
            return
        visit = self.ws.visits.get(visit_id)
        if visit is None:
            return
        self.statusBar().clearMessage()  # news from the page left behind
        self.browser.select_visit(visit_id, emit=False)
        if visit.status is VisitStatus.IN_PROGRESS:
            self.interview.show_visit(visit_id)
            self.stack.setCurrentWidget(self.interview)
        elif visit.status is VisitStatus.SUMMARIZING:
            self.summarize.show_visit(visit_id)
            self.stack.setCurrentWidget(self.summarize)
        else:
            self.visit_page.show_visit(visit_id)
            self.stack.setCurrentWidget(self.visit_page)

    def new_visit(self, account_id: str | None = None, objective: str = "") -> None:
        from voc_desktop.ui.laptop.new_visit import NewVisitDialog  # loaded when first needed

        dialog = NewVisitDialog(self.ws, self, account_id)
        if objective:
            dialog.objective_edit.setText(objective)
            dialog.objective_edit.selectAll()  # suggested: typing replaces it
        if dialog.exec() and dialog.visit_id:
            self.browser.refresh()
            self.open_visit(dialog.visit_id)

    def print_brief(self, visit_id: str, path: Path | None = None) -> Path | None:
        """Save a visit's one-page brief as a PDF, then offer to open it."""
        from PySide6.QtWidgets import QApplication

        from voc_desktop.services.brief import export_brief, suggested_brief_name
        from voc_desktop.ui.common.notice import notice
        from voc_desktop.ui.common.report_export import open_path

        if path is None:
            folder = self.report_exporter.folder
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Print the pre-visit brief",
                str(Path(folder) / suggested_brief_name(self.ws, visit_id)), "PDF (*.pdf)")
            if not chosen:
                return None
            path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_brief(self.ws, visit_id, path)
        except ServiceError as exc:
            QApplication.restoreOverrideCursor()
            notice(self, QMessageBox.Icon.Warning, "Brief not saved", str(exc))
            return None
        QApplication.restoreOverrideCursor()
        self.report_exporter.folder = str(path.parent)
        box = notice(self, QMessageBox.Icon.Information, "Brief saved",
                     f"The brief is saved as\n{path}")
        opened = box.addButton("&Open the brief", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(opened)
        opened.clicked.connect(lambda: open_path(path))
        self.statusBar().showMessage(f"Brief saved to {path}.", 10000)
        return path

    def show_contact_plan(self) -> ContactPlanDialog:
        from voc_desktop.ui.laptop.contact_plan_dialog import ContactPlanDialog

        dialog = ContactPlanDialog(self.ws, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.plan_requested.connect(self.new_visit)
        dialog.open_requested.connect(self.open_visit)
        dialog.open()
        return dialog

    def load_sample(self) -> None:
        from voc_desktop.services.demo.sample_workspace import fill_demo  # loaded when first needed

        try:
            fill_demo(self.ws)
        except ServiceError as exc:
            QMessageBox.warning(self, "Sample workspace", str(exc))
            return
        if self._welcome is not None:
            self._welcome.refresh()
        self.browser.refresh()
        self.statusBar().showMessage("Sample accounts and visits added.", 8000)

    def import_guide(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a guide", self.report_exporter.folder,
                                              "Guides (*.json)")
        if not path:
            return
        try:
            stored, added = guides.import_guide(self.ws, path)
        except ServiceError as exc:
            QMessageBox.warning(self, "Import guide", str(exc))
            return
        self.statusBar().showMessage(
            f"{'Added' if added else 'Already here:'} {stored.guide.name} "
            f"version {stored.guide.version}.", 8000)
        if self._welcome is not None:
            self._welcome.refresh()

    def export_guide(self) -> None:
        latest = self.ws.guides.list_latest()
        if not latest:
            return
        stored = latest[0]
        if self.stack.currentWidget() is not self._welcome:
            page_visit = getattr(self.stack.currentWidget(), "visit_id", None)
            visit = self.ws.visits.get(page_visit) if page_visit else None
            stored = self.ws.guides.version(visit.guide_version_id) if visit else stored
        name = f"{stored.guide.name} v{stored.guide.version}.json".replace("/", "-")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export guide", str(Path(self.report_exporter.folder) / name),
            "Guides (*.json)")
        if not path:
            return
        try:
            guides.export_guide(self.ws, stored.version_id, path)
        except ServiceError as exc:
            QMessageBox.warning(self, "Export guide", str(exc))
            return
        self.statusBar().showMessage(f"Guide saved to {path}.", 8000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self._interview is not None and not self._interview.flush():
            answer = QMessageBox.warning(
                self, "Text not saved",
                "Some of what you typed could not be saved (is the disk full?).\n\n"
                "Close anyway and lose it?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        if self._interview is not None and self._interview.place_pending:
            self._interview.keep_place()  # the next start opens on this note, this cursor
        if self._report_exporter is not None:
            self._report_exporter.shut_down()
        if self._laptop_sync is not None and self._laptop_sync.task is not None:
            self._laptop_sync.task.stop_and_wait()
        self.backup_schedule.stop()
        self.browser.reader.wait()  # its reads use the workspace's connection
        self.bus.detach()
        super().closeEvent(event)
