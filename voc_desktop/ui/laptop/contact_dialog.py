"""Adding a person met at an account, with their roles and what they consented to."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.accounts import Consent, Contact, Role
from voc_desktop.services import accounts as account_service
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common.look import ERROR_STYLE, HINT_STYLE, apply_readable_style, text_label

CONSENT_METHODS = ("verbal", "written", "e-mail")


@dataclass(frozen=True)
class ContactDraft:
    """A person typed in for an account that is not saved yet; the caller saves both."""

    name: str
    title: str = ""
    roles: tuple[Role, ...] = ()
    consent: Consent = Consent()


class ContactDialog(QDialog):
    """Create a contact, or record a contact's consent.

    With `account_id=None` the account does not exist yet: nothing is written and the
    details are kept in `draft` for the caller to save together with the account.
    """

    def __init__(self, ws: Workspace, account_id: str | None, parent: QWidget | None = None,
                 contact: Contact | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.account_id = account_id
        self.contact = contact
        self.contact_id: str | None = contact.id if contact else None
        self.draft: ContactDraft | None = None
        self.setWindowTitle("Edit person" if contact else "Add person")
        self.setMinimumWidth(520)
        apply_readable_style(self)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Full name, as they introduce themselves")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("e.g. Head of operations")

        self.role_boxes: dict[Role, QCheckBox] = {}
        roles_box = QGroupBox("Roles (several allowed)")
        grid = QGridLayout(roles_box)
        for i, role in enumerate(Role):
            box = QCheckBox(role.label)
            self.role_boxes[role] = box
            grid.addWidget(box, i // 2, i % 2)

        consent_box = QGroupBox("Consent")
        self.consent_given = QCheckBox("Consent given")
        self.consent_given.setToolTip("They agreed to take part and to have notes taken.")
        self.quote_by_name = QCheckBox("May be quoted by name")
        self.quote_by_name.setToolTip("Without this, reports quote them by their role only.")
        self.method_combo = QComboBox()
        self.method_combo.setEditable(True)
        self.method_combo.lineEdit().setAccessibleName("How consent was given")
        self.method_combo.addItems(CONSENT_METHODS)
        self.scope_edit = QLineEdit()
        self.scope_edit.setPlaceholderText("What it covers, e.g. internal use, no recordings")
        consent_form = QFormLayout(consent_box)
        consent_form.addRow(self.consent_given)
        consent_form.addRow(self.quote_by_name)
        consent_form.addRow("How it was given", self.method_combo)
        consent_form.addRow("What it covers", self.scope_edit)
        self.consent_given.toggled.connect(self._sync_consent_fields)

        self.error_label = text_label("", ERROR_STYLE)
        self.error_label.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save person")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Title", self.title_edit)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(roles_box)
        layout.addWidget(consent_box)
        if contact is not None:
            # the services record consent for an existing person; who they are stays as met
            layout.addWidget(text_label("Name, title and roles stay as first recorded; consent "
                                        "can change.", HINT_STYLE))
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self._load(contact)
        self._sync_consent_fields()
        (self.consent_given if contact else self.name_edit).setFocus()

    def _load(self, contact: Contact | None) -> None:
        if contact is None:
            self.method_combo.setCurrentText(CONSENT_METHODS[0])
            return
        self.name_edit.setText(contact.name)
        self.title_edit.setText(contact.title)
        for role, box in self.role_boxes.items():
            box.setChecked(role in contact.roles)
        for widget in (self.name_edit, self.title_edit, *self.role_boxes.values()):
            widget.setEnabled(False)
        consent = contact.consent
        self.consent_given.setChecked(consent.given)
        self.quote_by_name.setChecked(consent.quote_by_name)
        self.method_combo.setCurrentText(consent.method or CONSENT_METHODS[0])
        self.scope_edit.setText(consent.scope)

    def _sync_consent_fields(self) -> None:
        given = self.consent_given.isChecked()
        for widget in (self.quote_by_name, self.method_combo, self.scope_edit):
            widget.setEnabled(given)
        if not given:
            self.quote_by_name.setChecked(False)

    def roles(self) -> tuple[Role, ...]:
        return tuple(r for r, box in self.role_boxes.items() if box.isChecked())

    def consent(self) -> Consent:
        if not self.consent_given.isChecked():
            return Consent()
        previous = self.contact.consent if self.contact else None
        return Consent(
            given=True, quote_by_name=self.quote_by_name.isChecked(),
            method=self.method_combo.currentText().strip(),
            # re-saving unchanged consent keeps the moment it was first recorded
            recorded_at=previous.recorded_at if previous and previous.given else None,
            scope=self.scope_edit.text().strip(),
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def accept(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.show_error("Write the person's name; the role alone is not enough to find "
                            "them again.")
            self.name_edit.setFocus()
            return
        try:
            if self.contact is not None:
                self.contact = account_service.record_consent(self.ws, self.contact.id,
                                                              self.consent())
            elif self.account_id is None:
                self.draft = ContactDraft(name, self.title_edit.text().strip(), self.roles(),
                                          self.consent())
            else:
                self.contact = account_service.add_contact(
                    self.ws, self.account_id, name, title=self.title_edit.text(),
                    roles=self.roles(), consent=self.consent())
                self.contact_id = self.contact.id
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        super().accept()
