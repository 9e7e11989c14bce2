"""Planning a visit: which account, the one objective, when, where, who goes and who attends."""

from __future__ import annotations

import contextlib
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.accounts import Account, Contact, LifecycleStage, Role, roles_label
from voc_desktop.domain.dates import EXAMPLE, is_far
from voc_desktop.services import accounts as account_service
from voc_desktop.services import visits as visit_service
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.date_field import DateField
from voc_desktop.ui.common.look import (
    ERROR_STYLE,
    HINT_STYLE,
    FittingScroll,
    apply_readable_style,
    ok_cancel,
    text_label,
)
from voc_desktop.ui.common.theme import styled
from voc_desktop.ui.laptop.contact_dialog import ContactDialog, ContactDraft

OBJECTIVE_HINT = "One objective, e.g. understand why the last renewal took four months"
# list items remember either a saved contact's id or the index of a person not saved yet
CONTACT, DRAFT = "contact", "draft"
ITEM_KEY = Qt.ItemDataRole.UserRole


def _stage_combo() -> QComboBox:
    combo = QComboBox()
    for stage in LifecycleStage:
        combo.addItem(stage.label, stage.value)
    return combo


def _select_stage(combo: QComboBox, stage: LifecycleStage) -> None:
    combo.setCurrentIndex(max(0, combo.findData(stage.value)))


def _attendee_text(name: str, title: str, roles: tuple[Role, ...], consent_label: str) -> str:
    heading = f"{name} — {title}" if title else name
    return f"{heading}\n{roles_label(roles)} · {consent_label}"


class NewVisitDialog(QDialog):
    """Writes nothing until accepted; then creates the account (if new) and the visit."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 account_id: str | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.visit_id: str | None = None
        self.drafts: list[ContactDraft] = []
        self._far_date_confirmed: date | None = None
        self._accounts: list[Account] = ws.accounts.list()
        self.setWindowTitle("New visit")
        self.setMinimumWidth(min(640, self.screen().availableGeometry().width() - 40))
        apply_readable_style(self)

        self.account_combo = QComboBox()
        self.account_combo.setEditable(True)
        self.account_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for account in self._accounts:
            self.account_combo.addItem(account.name, account.id)
        self.account_combo.lineEdit().setPlaceholderText("Pick an account or type a new name")
        self.account_combo.lineEdit().setAccessibleName("Account")
        completer = self.account_combo.completer()
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)

        self.new_account_box = QGroupBox("New account")
        self.vertical_edit = QLineEdit()
        self.vertical_edit.setPlaceholderText("e.g. Food distribution")
        self.segment_edit = QLineEdit()
        self.segment_edit.setPlaceholderText("e.g. Mid-market")
        self.account_stage_combo = _stage_combo()
        self.in_icp_check = QCheckBox("Inside our ideal customer profile")
        self.in_icp_check.setChecked(True)
        # two fields a row, so the whole dialog fits a 768-pixel laptop screen
        new_form = QGridLayout(self.new_account_box)
        new_form.addWidget(QLabel("Vertical"), 0, 0)
        new_form.addWidget(self.vertical_edit, 0, 1)
        new_form.addWidget(QLabel("Segment"), 0, 2)
        new_form.addWidget(self.segment_edit, 0, 3)
        new_form.addWidget(QLabel("Stage"), 1, 0)
        new_form.addWidget(self.account_stage_combo, 1, 1)
        new_form.addWidget(self.in_icp_check, 1, 2, 1, 2)
        self.new_account_box.hide()

        self.objective_edit = QLineEdit()
        self.objective_edit.setPlaceholderText(OBJECTIVE_HINT)
        self.date_edit = DateField(QDate.currentDate())
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText("Where the work happens, e.g. their warehouse floor")
        self.interviewers_edit = QLineEdit()
        self.interviewers_edit.setPlaceholderText("Names, separated by commas")
        self.interviewers_edit.setText(", ".join(self._last_interviewers()))
        self.guide_combo = QComboBox()
        for stored in ws.guides.list_latest():
            self.guide_combo.addItem(f"{stored.guide.name} (version {stored.guide.version})",
                                     stored.version_id)
        self.stage_combo = _stage_combo()

        self.attendee_list = QListWidget()
        self.attendee_list.setAccessibleName("Attendees")
        self.attendee_list.setWordWrap(True)
        self.attendee_list.setSpacing(2)
        # a style sheet resets the inherited font, so it names the size again
        styled(self.attendee_list,
               "QListWidget { font-size: $body; }"
               "QListWidget::item { padding: 6px 4px; border-bottom: 1px solid $border; }"
               "QListWidget::item:selected { background: $accent_soft; color: $text; }")
        self.attendee_list.setMinimumHeight(110)
        self.attendee_list.setMaximumHeight(190)
        self.attendee_list.setToolTip("Space ticks or unticks the selected person")
        self.attendee_hint = text_label("", HINT_STYLE)
        self.add_person_button = QPushButton("Add person…")
        self.add_person_button.setToolTip(shortcuts.tip("Add a person met at this account",
                                                        shortcuts.ADD_PERSON))
        self.add_person_button.setAutoDefault(False)
        self.add_person_button.clicked.connect(self.add_person)
        shortcuts.bind("Planning a visit", shortcuts.ADD_PERSON, self, self.add_person)

        self.error_label = text_label("", ERROR_STYLE)
        self.error_label.hide()

        # Ctrl+Return plans from any field, the attendee list included
        buttons, self.plan_button = ok_cancel(self, "Plan visit", "Save the planned visit",
                                              shortcuts.SAVE_AND_NEXT, "Planning a visit")

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow("Account", self.account_combo)
        form.addRow(self.new_account_box)
        form.addRow("Objective", self.objective_edit)
        form.addRow("Date", self.date_edit)
        form.addRow("Place", self.place_edit)
        form.addRow("Interviewers", self.interviewers_edit)
        form.addRow("Guide", self.guide_combo)
        form.addRow("Stage at this visit", self.stage_combo)
        people_row = QHBoxLayout()
        people_row.addWidget(self.attendee_hint, 1)
        people_row.addWidget(self.add_person_button)
        attendees = QVBoxLayout()
        attendees.addWidget(self.attendee_list)
        attendees.addLayout(people_row)
        form.addRow("Attendees", attendees)

        # the form scrolls on a small screen; what went wrong and the buttons stay in sight
        body = QWidget()
        body.setLayout(form)
        form.setContentsMargins(0, 0, 8, 0)
        self.form_scroll = FittingScroll(body, room=0.7)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.addWidget(self.form_scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.account_combo.currentTextChanged.connect(self._account_changed)
        self.account_combo.installEventFilter(self)
        self.account_combo.lineEdit().installEventFilter(self)
        self.account_stage_combo.currentIndexChanged.connect(self._new_stage_changed)

        index = self.account_combo.findData(account_id) if account_id else -1
        self.account_combo.setCurrentIndex(index)
        self._account_changed(self.account_combo.currentText())
        (self.objective_edit if index >= 0 else self.account_combo).setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        # Enter after naming the account moves on to the next field instead of accepting
        if obj in (self.account_combo, self.account_combo.lineEdit()) \
                and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            nxt = self.vertical_edit if self.new_account_box.isVisible() else self.objective_edit
            nxt.setFocus()
            return True
        return super().eventFilter(obj, event)

    # reading the form

    def _last_interviewers(self) -> tuple[str, ...]:
        visits = self.ws.visits.list()
        last = max(visits, key=lambda v: v.created_at, default=None)
        return last.interviewers if last else ()

    def selected_account(self) -> Account | None:
        """The existing account the typed name refers to, or None for a new one."""
        name = self.account_combo.currentText().strip().casefold()
        return next((a for a in self._accounts if a.name.casefold() == name), None)

    def interviewers(self) -> tuple[str, ...]:
        return tuple(n.strip() for n in self.interviewers_edit.text().split(",") if n.strip())

    def checked_people(self) -> list[tuple[str, int | str]]:
        items = (self.attendee_list.item(i) for i in range(self.attendee_list.count()))
        return [item.data(ITEM_KEY) for item in items
                if item.checkState() == Qt.CheckState.Checked]

    # reacting to the account

    def _account_changed(self, text: str) -> None:
        account = self.selected_account()
        is_new = account is None and bool(text.strip())
        self.new_account_box.setVisible(is_new)
        if account is not None:
            _select_stage(self.stage_combo, account.lifecycle_stage)
        with contextlib.suppress(ServiceError):
            index = self.guide_combo.findData(
                visit_service.default_guide_version(self.ws, account.id if account else None))
            self.guide_combo.setCurrentIndex(max(index, 0))
        if account is None and is_new:
            _select_stage(self.stage_combo, LifecycleStage(self.account_stage_combo.currentData()))
        self._fill_attendees(account, is_new)

    def _new_stage_changed(self) -> None:
        if self.selected_account() is None:
            _select_stage(self.stage_combo, LifecycleStage(self.account_stage_combo.currentData()))

    def _fill_attendees(self, account: Account | None, is_new: bool,
                        check: tuple[str, int | str] | None = None) -> None:
        ticked = set(self.checked_people())
        if check:
            ticked.add(check)
        self.attendee_list.clear()
        contacts: list[Contact] = self.ws.accounts.contacts(account.id) if account else []
        for contact in contacts:
            self._add_item(_attendee_text(contact.name, contact.title, contact.roles,
                                          contact.consent.label), (CONTACT, contact.id), ticked)
        if is_new:
            for i, draft in enumerate(self.drafts):
                self._add_item(_attendee_text(draft.name, draft.title, draft.roles,
                                              draft.consent.label), (DRAFT, i), ticked)
        has_people = self.attendee_list.count() > 0
        self.attendee_list.setVisible(has_people)
        self.add_person_button.setEnabled(account is not None or is_new)
        if has_people:
            self.attendee_hint.setText("Tick who you expect to meet.")
        elif account is not None or is_new:
            self.attendee_hint.setText("No one recorded at this account yet.")
        else:
            self.attendee_hint.setText("Pick the account first to see its people.")

    def _add_item(self, text: str, key: tuple[str, int | str], ticked: set) -> None:
        item = QListWidgetItem(text)
        item.setData(ITEM_KEY, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if key in ticked else Qt.CheckState.Unchecked)
        self.attendee_list.addItem(item)

    def add_person(self) -> None:
        """Open the person dialog; the new person is listed and ticked as attending."""
        if not self.add_person_button.isEnabled():
            return
        account = self.selected_account()
        dialog = ContactDialog(self.ws, account.id if account else None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if account is not None and dialog.contact_id:
            key: tuple[str, int | str] = (CONTACT, dialog.contact_id)
        elif dialog.draft is not None:
            self.drafts.append(dialog.draft)
            key = (DRAFT, len(self.drafts) - 1)
        else:
            return
        self._fill_attendees(account, account is None, check=key)
        self.attendee_list.setFocus()

    # saving

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _refuse(self, message: str, focus: QWidget) -> None:
        self.show_error(message)
        focus.setFocus()

    def accept(self) -> None:
        name = self.account_combo.currentText().strip()
        objective = self.objective_edit.text().strip()
        if not name:
            return self._refuse("Pick an account, or type the name of a new one.",
                                self.account_combo)
        if not objective:
            return self._refuse("Write down the visit's one objective: what should we know "
                                "after this visit that we do not know now?", self.objective_edit)
        if not self.date_edit.commit():
            return self._refuse(f"“{self.date_edit.edit.text()}” is not a date I can read; "
                                f"type one like {EXAMPLE.removeprefix('e.g. ')}.",
                                self.date_edit)
        when = self.date_edit.date().toPython()
        if is_far(when, date.today()) and when != self._far_date_confirmed:
            asked = QMessageBox.question(
                self, "Plan a visit so far away?",
                f"The date is {when:%-d %B %Y}, more than a year from today. Plan the visit "
                "for that day?")
            if asked != QMessageBox.StandardButton.Yes:
                return self._refuse("Change the date, or plan again to keep it.",
                                    self.date_edit)
            self._far_date_confirmed = when  # asked once; planning again keeps it
        if self.guide_combo.currentIndex() < 0:
            return self._refuse("There is no guide in this workspace to run the visit with.",
                                self.guide_combo)
        account = self.selected_account()
        try:
            people = self.checked_people()
            if account is None:
                account = account_service.create_account(
                    self.ws, name, vertical=self.vertical_edit.text(),
                    segment=self.segment_edit.text(),
                    stage=LifecycleStage(self.account_stage_combo.currentData()),
                    in_icp=self.in_icp_check.isChecked())
                self._accounts.append(account)
                people = self._save_drafts(account, people)
            visit = visit_service.plan_visit(
                self.ws, account.id, objective,
                visit_date=self.date_edit.date().toString(Qt.DateFormat.ISODate),
                place=self.place_edit.text(), interviewers=self.interviewers(),
                guide_version_id=self.guide_combo.currentData(),
                attendees=self._attendees(people),
                stage=LifecycleStage(self.stage_combo.currentData()))
        except ServiceError as exc:
            return self._refuse(str(exc), self.objective_edit)
        self.visit_id = visit.id
        super().accept()

    def _save_drafts(self, account: Account,
                     people: list[tuple[str, int | str]]) -> list[tuple[str, int | str]]:
        """Save everyone typed in for the new account, ticked or not: they were met there.
        Returns the ticked keys pointing at the saved contacts."""
        saved: dict[int, str] = {}
        for i, draft in enumerate(self.drafts):
            saved[i] = account_service.add_contact(
                self.ws, account.id, draft.name, title=draft.title, roles=draft.roles,
                consent=draft.consent).id
        self.drafts.clear()
        people = [(CONTACT, saved[int(ref)]) if kind == DRAFT else (kind, ref)
                  for kind, ref in people]
        # a retry after a later failure must find these as saved people, not drafts
        self._fill_attendees(account, False)
        for i in range(self.attendee_list.count()):
            item = self.attendee_list.item(i)
            if item.data(ITEM_KEY) in people:
                item.setCheckState(Qt.CheckState.Checked)
        return people

    def _attendees(self, people: list[tuple[str, int | str]],
                   ) -> tuple[tuple[str, tuple[Role, ...]], ...]:
        """Ticked people as (contact id, roles on the day); the day's roles start as theirs."""
        found = (self.ws.accounts.contact(str(ref)) for kind, ref in people if kind == CONTACT)
        return tuple((c.id, c.roles) for c in found if c is not None)
