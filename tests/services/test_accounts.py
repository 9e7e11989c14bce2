"""Accounts and contacts: creation rules, edits, roles, consent and how people are named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from voc_desktop.domain.accounts import Consent, Contact, LifecycleStage, Role, parse_roles
from voc_desktop.services.accounts import (
    add_contact,
    create_account,
    record_consent,
    update_account,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace


def test_create_account_stores_trimmed_fields(ws: Workspace) -> None:
    """A new account is stored with its fields trimmed and readable back."""
    account = create_account(ws, "  Acme Bakery ", vertical=" Food ", segment="SMB",
                             stage=LifecycleStage.ONBOARDING, in_icp=False,
                             icp_note=" too small ")
    back = ws.accounts.get(account.id)
    assert back == account
    assert (back.name, back.vertical, back.segment, back.lifecycle_stage, back.in_icp,
            back.icp_note) == ("Acme Bakery", "Food", "SMB", LifecycleStage.ONBOARDING,
                               False, "too small")
    assert back.created_at and back.updated_at


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_blank_account_name_rejected(ws: Workspace, name: str) -> None:
    """An account needs a name; nothing is stored without one."""
    with pytest.raises(ServiceError, match="name"):
        create_account(ws, name)
    assert ws.accounts.list() == []


@pytest.mark.parametrize("duplicate", ["Acme", "acme", " ACME "])
def test_duplicate_account_name_rejected(ws: Workspace, duplicate: str) -> None:
    """A second account with the same name, in any case, is refused."""
    create_account(ws, "Acme")
    with pytest.raises(ServiceError, match="already exists"):
        create_account(ws, duplicate)
    assert len(ws.accounts.list()) == 1


def test_account_list_searches_name_vertical_segment(ws: Workspace) -> None:
    """The account list filters on name, vertical or segment, sorted by name."""
    create_account(ws, "Zeta Mills", vertical="Food")
    create_account(ws, "alpha Tools", segment="Enterprise food service")
    create_account(ws, "Beta Steel", vertical="Metal")
    assert [a.name for a in ws.accounts.list("food")] == ["alpha Tools", "Zeta Mills"]
    assert [a.name for a in ws.accounts.list()] == ["alpha Tools", "Beta Steel", "Zeta Mills"]


def test_update_account(ws: Workspace) -> None:
    """An update changes the given fields and bumps the stored revision."""
    account = create_account(ws, "Acme")
    updated = update_account(ws, account.id, vertical="Retail",
                             lifecycle_stage=LifecycleStage.AT_RISK, in_icp=False)
    assert (updated.vertical, updated.lifecycle_stage, updated.in_icp) == (
        "Retail", LifecycleStage.AT_RISK, False)
    assert ws.accounts.get(account.id) == updated
    assert ws.accounts.records.get("accounts", account.id)["revision"] == 2


def test_update_account_rename_trims_and_rejects_blank(ws: Workspace) -> None:
    """A rename is trimmed, and a blank new name is refused without change."""
    account = create_account(ws, "Acme")
    assert update_account(ws, account.id, name="  Acme Ltd ").name == "Acme Ltd"
    with pytest.raises(ServiceError, match="name"):
        update_account(ws, account.id, name="  ")
    assert ws.accounts.get(account.id).name == "Acme Ltd"


def test_update_account_rename_to_existing_name_rejected(ws: Workspace) -> None:
    """Renaming onto another account's name is refused, like creating a duplicate."""
    create_account(ws, "Acme")
    other = create_account(ws, "Globex")
    with pytest.raises(ServiceError, match="already exists"):
        update_account(ws, other.id, name="ACME")
    assert ws.accounts.get(other.id).name == "Globex"


def test_update_account_may_keep_its_own_name(ws: Workspace) -> None:
    """Saving an account under its own name (even recased) is not a duplicate."""
    account = create_account(ws, "Acme")
    assert update_account(ws, account.id, name="ACME", vertical="Food").name == "ACME"


def test_update_missing_account(ws: Workspace) -> None:
    """Updating an account that does not exist says so."""
    with pytest.raises(ServiceError, match="no longer exists"):
        update_account(ws, "nope", vertical="x")


def test_add_contact_with_roles(ws: Workspace) -> None:
    """A contact is stored under its account with several roles."""
    account = create_account(ws, "Acme")
    contact = add_contact(ws, account.id, " Ann Ortiz ", title=" COO ",
                          roles=(Role.ECONOMIC_BUYER, Role.USER))
    back = ws.accounts.contact(contact.id)
    assert (back.name, back.title, set(back.roles)) == (
        "Ann Ortiz", "COO", {Role.ECONOMIC_BUYER, Role.USER})
    assert [c.id for c in ws.accounts.contacts(account.id)] == [contact.id]


def test_add_contact_requires_name_and_account(ws: Workspace) -> None:
    """A contact needs a name and an existing account."""
    account = create_account(ws, "Acme")
    with pytest.raises(ServiceError, match="name"):
        add_contact(ws, account.id, "  ")
    with pytest.raises(ServiceError, match="account"):
        add_contact(ws, "no-such-account", "Ann")
    assert ws.accounts.contacts(account.id) == []


def test_contact_without_consent_has_none_recorded(ws: Workspace) -> None:
    """With no consent given there is no consent time."""
    account = create_account(ws, "Acme")
    contact = add_contact(ws, account.id, "Ann")
    back = ws.accounts.contact(contact.id)
    assert back.consent == Consent()
    assert back.consent.label == "No consent recorded"


def test_consent_given_is_time_stamped(ws: Workspace) -> None:
    """Consent given without a time gets the current UTC time."""
    account = create_account(ws, "Acme")
    before = datetime.now(UTC).replace(microsecond=0)
    contact = add_contact(ws, account.id, "Ann",
                          consent=Consent(given=True, method="verbal"))
    stamp = ws.accounts.contact(contact.id).consent.recorded_at
    assert stamp is not None
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert before <= when <= datetime.now(UTC)


def test_consent_time_given_is_kept(ws: Workspace) -> None:
    """A consent time supplied by the caller is stored as given."""
    account = create_account(ws, "Acme")
    consent = Consent(given=True, recorded_at="2030-01-02T03:04:05.000Z")
    contact = add_contact(ws, account.id, "Ann", consent=consent)
    assert ws.accounts.contact(contact.id).consent.recorded_at == "2030-01-02T03:04:05.000Z"


def test_record_consent_later(ws: Workspace) -> None:
    """Consent recorded after the fact replaces the old one and is stamped."""
    account = create_account(ws, "Acme")
    contact = add_contact(ws, account.id, "Ann")
    record_consent(ws, contact.id, Consent(given=True, quote_by_name=True, method="e-mail",
                                           scope="internal use"))
    back = ws.accounts.contact(contact.id).consent
    assert (back.given, back.quote_by_name, back.method, back.scope) == (
        True, True, "e-mail", "internal use")
    assert back.recorded_at is not None
    with pytest.raises(ServiceError):
        record_consent(ws, "no-such-contact", Consent(given=True))


@pytest.mark.parametrize(("consent", "shown"), [
    (Consent(given=True, quote_by_name=True), "Ann Ortiz"),
    (Consent(given=True, quote_by_name=False), "Economic buyer, User"),
    (Consent(given=False, quote_by_name=True), "Economic buyer, User"),
    (Consent(), "Economic buyer, User"),
])
def test_display_name_follows_consent(ws: Workspace, consent: Consent, shown: str) -> None:
    """A contact is named only when they agreed to be quoted by name; else by role."""
    account = create_account(ws, "Acme")
    contact = add_contact(ws, account.id, "Ann Ortiz", consent=consent,
                          roles=(Role.USER, Role.ECONOMIC_BUYER))
    assert ws.accounts.contact(contact.id).display_name() == shown


def test_display_name_without_roles_is_anonymous() -> None:
    """Without roles and without permission, a contact is 'A participant'."""
    contact = Contact("c", "a", "Ann Ortiz")
    assert contact.display_name() == "A participant"
    assert contact.display_name(by_name=True) == "Ann Ortiz"


def test_display_name_override_can_hide_a_name() -> None:
    """An explicit by_name=False hides a name even with permission."""
    contact = Contact("c", "a", "Ann", roles=(Role.GATEKEEPER,),
                      consent=Consent(given=True, quote_by_name=True))
    assert contact.display_name(by_name=False) == "Gatekeeper"


@pytest.mark.parametrize(("value", "expected"), [
    ("user, Decision maker", (Role.DECISION_MAKER, Role.USER)),
    ("gatekeeper;user;user", (Role.USER, Role.GATEKEEPER)),
    (["technical evaluator", "OTHER"], (Role.TECHNICAL_EVALUATOR, Role.OTHER)),
    ("", ()),
])
def test_parse_roles(value: object, expected: tuple[Role, ...]) -> None:
    """Roles parse from text or lists, in canonical order without repeats."""
    assert parse_roles(value) == expected


def test_parse_roles_rejects_unknown() -> None:
    """An unknown role name is an error, not silently dropped."""
    with pytest.raises(ValueError):
        parse_roles("user, astronaut")
