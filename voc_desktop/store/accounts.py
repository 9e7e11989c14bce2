"""Accounts and contacts in the workspace."""

from __future__ import annotations

import json
from typing import Any

from voc_desktop.domain.accounts import Account, Consent, Contact, LifecycleStage, parse_roles
from voc_desktop.store.records import Records, dumps


def account_from_row(row: dict[str, Any]) -> Account:
    return Account(
        id=row["id"], name=row["name"], vertical=row["vertical"] or "",
        segment=row["segment"] or "", lifecycle_stage=LifecycleStage(row["lifecycle_stage"]),
        in_icp=bool(row["in_icp"]), icp_note=row["icp_note"] or "",
        created_at=row["created_at"], updated_at=row["updated_at"],
    )


def contact_from_row(row: dict[str, Any]) -> Contact:
    return Contact(
        id=row["id"], account_id=row["account_id"], name=row["name"], title=row["title"] or "",
        roles=parse_roles(json.loads(row["roles"] or "[]")),
        consent=Consent(
            given=bool(row["consent_given"]), quote_by_name=bool(row["consent_quote_by_name"]),
            method=row["consent_method"] or "", recorded_at=row["consent_at"],
            scope=row["consent_scope"] or "",
        ),
        created_at=row["created_at"], updated_at=row["updated_at"],
    )


def consent_columns(consent: Consent) -> dict[str, Any]:
    return {
        "consent_given": int(consent.given), "consent_quote_by_name": int(consent.quote_by_name),
        "consent_method": consent.method, "consent_at": consent.recorded_at,
        "consent_scope": consent.scope,
    }


class AccountRepo:
    def __init__(self, records: Records) -> None:
        self.records = records

    def add(self, account: Account) -> None:
        self.records.insert("accounts", {
            "id": account.id, "name": account.name, "vertical": account.vertical,
            "segment": account.segment, "lifecycle_stage": account.lifecycle_stage.value,
            "in_icp": int(account.in_icp), "icp_note": account.icp_note,
        })

    def update(self, account_id: str, **changes: Any) -> bool:
        cols = {k: (v.value if hasattr(v, "value") else int(v) if isinstance(v, bool) else v)
                for k, v in changes.items()}
        return self.records.update("accounts", account_id, cols)

    def get(self, account_id: str) -> Account | None:
        row = self.records.get("accounts", account_id)
        return account_from_row(row) if row else None

    def list(self, search: str = "") -> list[Account]:
        like = f"%{search.strip()}%"
        rows = self.records.select(
            "accounts", "name LIKE ? OR vertical LIKE ? OR segment LIKE ?", [like] * 3,
            order_by="name COLLATE NOCASE")
        return [account_from_row(r) for r in rows]

    def find_by_name(self, name: str) -> Account | None:
        rows = self.records.select("accounts", "name = ? COLLATE NOCASE", [name.strip()])
        return account_from_row(rows[0]) if rows else None

    def add_contact(self, contact: Contact) -> None:
        self.records.insert("contacts", {
            "id": contact.id, "account_id": contact.account_id, "name": contact.name,
            "title": contact.title, "roles": dumps(r.value for r in contact.roles),
            **consent_columns(contact.consent),
        })

    def update_contact(self, contact: Contact) -> bool:
        return self.records.update("contacts", contact.id, {
            "name": contact.name, "title": contact.title,
            "roles": dumps(r.value for r in contact.roles), **consent_columns(contact.consent),
        })

    def contact(self, contact_id: str) -> Contact | None:
        row = self.records.get("contacts", contact_id)
        return contact_from_row(row) if row else None

    def contacts(self, account_id: str) -> list[Contact]:
        rows = self.records.select("contacts", "account_id = ?", [account_id],
                                   order_by="name COLLATE NOCASE")
        return [contact_from_row(r) for r in rows]
