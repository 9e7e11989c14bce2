"""Planning a visit and adding people, driven by the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from voc_desktop.domain.accounts import Consent, LifecycleStage, Role
from voc_desktop.domain.visit import VisitStatus
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.visits import plan_visit
from voc_desktop.ui.laptop.contact_dialog import ContactDialog
from voc_desktop.ui.laptop.new_visit import NewVisitDialog

ALT = Qt.KeyboardModifier.AltModifier


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


def when_dialog_opens(qtbot, handle) -> list[bool]:
    """Run `handle` on the modal ContactDialog as soon as it is open (its exec blocks)."""
    done: list[bool] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ContactDialog):
            handle(dialog)
            done.append(True)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return done


def test_new_account_and_new_person_make_a_planned_visit(qtbot, ws):
    """Typing a new account and adding a consenting person plans a visit with their roles."""
    dialog = shown(qtbot, NewVisitDialog(ws))
    assert QApplication.focusWidget() is dialog.account_combo
    qtbot.keyClicks(QApplication.focusWidget(), "Harbour Fresh Logistics")
    assert dialog.new_account_box.isVisible()
    qtbot.keyClicks(dialog.vertical_edit, "Cold chain")
    dialog.account_stage_combo.setCurrentIndex(
        dialog.account_stage_combo.findData(LifecycleStage.ONBOARDING.value))
    assert dialog.stage_combo.currentData() == LifecycleStage.ONBOARDING.value
    qtbot.keyClicks(dialog.objective_edit, "Learn how depot leads choose their tools")

    def add_mia(contact: ContactDialog) -> None:
        qtbot.keyClicks(contact.name_edit, "Mia Lund")
        qtbot.keyClicks(contact.title_edit, "Depot lead")
        contact.role_boxes[Role.DECISION_MAKER].setChecked(True)
        contact.role_boxes[Role.USER].setChecked(True)
        assert not contact.quote_by_name.isEnabled()
        qtbot.keyClick(contact.consent_given, Qt.Key.Key_Space)
        assert contact.quote_by_name.isEnabled()
        qtbot.keyClick(contact.quote_by_name, Qt.Key.Key_Space)
        qtbot.keyClick(contact.name_edit, Qt.Key.Key_Return)

    added = when_dialog_opens(qtbot, add_mia)
    qtbot.keyClick(dialog, Qt.Key.Key_P, ALT)
    assert added and dialog.attendee_list.count() == 1
    assert ws.accounts.list() == []  # nothing is written before the visit is accepted
    assert dialog.attendee_list.item(0).checkState() == Qt.CheckState.Checked

    qtbot.keyClick(dialog.attendee_list, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    visit = ws.visits.get(dialog.visit_id)
    assert visit.status is VisitStatus.PLANNED
    assert visit.objective == "Learn how depot leads choose their tools"
    assert visit.lifecycle_stage is LifecycleStage.ONBOARDING
    account = ws.accounts.get(visit.account_id)
    assert (account.name, account.vertical) == ("Harbour Fresh Logistics", "Cold chain")
    [attendee] = ws.visits.attendees(visit.id)
    assert attendee.roles == (Role.DECISION_MAKER, Role.USER)
    contact = ws.accounts.contact(attendee.contact_id)
    assert contact.consent.given and contact.consent.quote_by_name
    assert contact.consent.recorded_at


def test_blank_objective_is_refused_and_nothing_is_stored(qtbot, ws):
    """Accepting without an objective shows an inline message and writes nothing."""
    dialog = shown(qtbot, NewVisitDialog(ws))
    qtbot.keyClicks(dialog.account_combo.lineEdit(), "Quiet Harbour Ltd")
    qtbot.keyClick(dialog.place_edit, Qt.Key.Key_Return)
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.error_label.isVisible() and "objective" in dialog.error_label.text()
    assert QApplication.focusWidget() is dialog.objective_edit
    assert ws.accounts.list() == [] and ws.visits.list() == []


def test_enter_in_the_account_field_moves_on(qtbot, ws):
    """Enter after typing the account moves to the next field instead of accepting."""
    create_account(ws, "Nordic Cans")
    dialog = shown(qtbot, NewVisitDialog(ws))
    qtbot.keyClicks(dialog.account_combo, "Nordic Cans")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.objective_edit
    assert dialog.isVisible() and dialog.error_label.isHidden()


def test_existing_account_starts_in_objective_with_its_defaults(qtbot, ws):
    """Given an account, focus starts in the objective; stage and interviewers come prefilled."""
    account = create_account(ws, "Nordic Cans", stage=LifecycleStage.RENEWAL)
    plan_visit(ws, account.id, "Earlier visit", interviewers=("Sam Reid", "Ana Diaz"))
    add_contact(ws, account.id, "Ingrid Holm", roles=(Role.ECONOMIC_BUYER,))
    dialog = shown(qtbot, NewVisitDialog(ws, account_id=account.id))
    assert QApplication.focusWidget() is dialog.objective_edit
    assert dialog.stage_combo.currentData() == LifecycleStage.RENEWAL.value
    assert dialog.interviewers_edit.text() == "Sam Reid, Ana Diaz"
    assert not dialog.new_account_box.isVisible()
    assert "Ingrid Holm" in dialog.attendee_list.item(0).text()

    dialog.attendee_list.setCurrentRow(0)
    qtbot.keyClick(dialog.attendee_list, Qt.Key.Key_Space)
    qtbot.keyClicks(dialog.objective_edit, "Understand the renewal delay")
    qtbot.keyClick(dialog.objective_edit, Qt.Key.Key_Return)
    visit = ws.visits.get(dialog.visit_id)
    assert visit.interviewers == ("Sam Reid", "Ana Diaz")
    assert [a.roles for a in ws.visits.attendees(visit.id)] == [(Role.ECONOMIC_BUYER,)]


def test_add_person_at_an_existing_account_saves_and_ticks_them(qtbot, ws):
    """For an existing account, Add person saves the contact at once and ticks them."""
    account = create_account(ws, "Nordic Cans")
    dialog = shown(qtbot, NewVisitDialog(ws, account_id=account.id))

    def add_ole(contact: ContactDialog) -> None:
        qtbot.keyClicks(contact.name_edit, "Ole Berg")
        contact.accept()

    added = when_dialog_opens(qtbot, add_ole)
    qtbot.keyClick(dialog, Qt.Key.Key_P, ALT)
    assert added
    [contact] = ws.accounts.contacts(account.id)
    assert contact.name == "Ole Berg" and not contact.consent.given
    assert dialog.checked_people() == [("contact", contact.id)]


def test_service_refusal_shows_inline(qtbot, ws):
    """When a service refuses (the name was taken meanwhile), the message shows inline."""
    dialog = shown(qtbot, NewVisitDialog(ws))
    qtbot.keyClicks(dialog.account_combo.lineEdit(), "Nordic Cans")
    qtbot.keyClicks(dialog.objective_edit, "Understand the renewal delay")
    create_account(ws, "Nordic Cans")  # another window got there first
    qtbot.keyClick(dialog.objective_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "already exists" in dialog.error_label.text()
    assert ws.visits.list() == []


def test_contact_dialog_records_consent_for_an_existing_person(qtbot, ws):
    """Editing a person records their consent; quoting by name needs consent first."""
    account = create_account(ws, "Nordic Cans")
    person = add_contact(ws, account.id, "Ole Berg", roles=(Role.USER,))
    dialog = shown(qtbot, ContactDialog(ws, account.id, contact=person))
    assert not dialog.name_edit.isEnabled() and not dialog.quote_by_name.isEnabled()
    qtbot.keyClick(dialog.consent_given, Qt.Key.Key_Space)
    dialog.method_combo.setCurrentText("written")
    qtbot.keyClicks(dialog.scope_edit, "Internal use only")
    qtbot.keyClick(dialog.scope_edit, Qt.Key.Key_Return)
    consent = ws.accounts.contact(person.id).consent
    assert consent == Consent(True, False, "written", consent.recorded_at, "Internal use only")
    assert consent.recorded_at


def test_contact_dialog_needs_a_name(qtbot, ws):
    """A person without a name is refused inline and nothing is saved."""
    account = create_account(ws, "Nordic Cans")
    dialog = shown(qtbot, ContactDialog(ws, account.id))
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert ws.accounts.contacts(account.id) == []


def test_tab_walks_through_the_form_without_stopping_inside_the_date(qtbot, ws):
    """Tab from the objective crosses the date in one step, so typing lands in the place."""
    account = create_account(ws, "Fjord Dairy")
    dialog = shown(qtbot, NewVisitDialog(ws, account_id=account.id))
    qtbot.keyClicks(dialog.objective_edit, "Why the filling line idles on Mondays")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.date_edit.edit  # the field that takes keys
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.place_edit
    qtbot.keyClicks(QApplication.focusWidget(), "Filling hall")
    assert dialog.place_edit.text() == "Filling hall"


def test_ctrl_return_plans_the_visit_from_any_field(qtbot, ws):
    """Ctrl+Return accepts the dialog even with focus in the attendee list."""
    account = create_account(ws, "Fjord Dairy")
    add_contact(ws, account.id, "Marte Lind", roles=(Role.DECISION_MAKER,))
    dialog = shown(qtbot, NewVisitDialog(ws, account_id=account.id))
    qtbot.keyClicks(dialog.objective_edit, "Why the filling line idles on Mondays")
    dialog.attendee_list.setFocus()
    qtbot.keyClick(dialog.attendee_list, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ws.visits.get(dialog.visit_id).objective == "Why the filling line idles on Mondays"
