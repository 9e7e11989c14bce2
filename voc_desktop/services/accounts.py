"""Creating and editing accounts and the people met there."""

from __future__ import annotations

from dataclasses import replace

from voc_desktop.domain.accounts import Account, Consent, Contact, LifecycleStage, Role
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import new_id, now_utc


def _required(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(f"{what} is required.")
    return value


def create_account(ws: Workspace, name: str, *, vertical: str = "", segment: str = "",
                   stage: LifecycleStage = LifecycleStage.PROSPECT, in_icp: bool = True,
                   icp_note: str = "") -> Account:
    name = _required(name, "An account name")
    if ws.accounts.find_by_name(name):
        raise ServiceError(f"An account called '{name}' already exists.")
    account = Account(new_id(), name, vertical.strip(), segment.strip(), stage, in_icp,
                      icp_note.strip())
    with ws.write(["accounts"], ids=[account.id]):
        ws.accounts.add(account)
    return ws.accounts.get(account.id) or account


def update_account(ws: Workspace, account_id: str, **changes: object) -> Account:
    if "name" in changes:
        changes["name"] = name = _required(str(changes["name"]), "An account name")
        same_name = ws.accounts.find_by_name(name)
        if same_name and same_name.id != account_id:
            raise ServiceError(f"An account called '{name}' already exists.")
    with ws.write(["accounts"], ids=[account_id]):
        if not ws.accounts.update(account_id, **changes):
            raise ServiceError("That account no longer exists.")
    account = ws.accounts.get(account_id)
    assert account is not None
    return account


def add_contact(ws: Workspace, account_id: str, name: str, *, title: str = "",
                roles: tuple[Role, ...] = (), consent: Consent | None = None) -> Contact:
    name = _required(name, "A contact name")
    if ws.accounts.get(account_id) is None:
        raise ServiceError("That account no longer exists.")
    consent = consent or Consent()
    if consent.given and consent.recorded_at is None:
        consent = replace(consent, recorded_at=now_utc())
    contact = Contact(new_id(), account_id, name, title.strip(), tuple(roles), consent)
    with ws.write(["contacts"], ids=[contact.id]):
        ws.accounts.add_contact(contact)
    return contact


def record_consent(ws: Workspace, contact_id: str, consent: Consent) -> Contact:
    contact = ws.accounts.contact(contact_id)
    if contact is None:
        raise ServiceError("That contact no longer exists.")
    if consent.given and consent.recorded_at is None:
        consent = replace(consent, recorded_at=now_utc())
    updated = replace(contact, consent=consent)
    with ws.write(["contacts"], ids=[contact_id]):
        ws.accounts.update_contact(updated)
    return updated
