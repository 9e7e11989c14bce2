"""Erasing a person who withdrew consent, for good.

The contact's row is emptied (name, title, consent) and deleted; their quotes, the key
learnings drawn from those quotes, and their attendances are deleted with the words taken
out. The erasure itself is remembered and travels in the next bundle, so the archive erases
them too, and a late or re-imported bundle or pack cannot bring them back.
"""

from __future__ import annotations

from dataclasses import dataclass

from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import now_utc
from voc_desktop.store.sync_rows import ErasedRows, SyncRows

ERASURE_TABLES = ("contacts", "entries", "attendees", "key_learnings", "erasures")


@dataclass(frozen=True)
class ErasureSummary:
    """A person's erasure: what it takes (before) or took (after) from this laptop."""

    contact_id: str
    account_id: str | None
    name: str  # the name as it was, to confirm with; "" once erased
    quotes: int
    attendances: int
    learnings: int
    erased_at: str | None = None  # None while only previewed


def _sync(ws: Workspace) -> SyncRows:
    return SyncRows(ws.accounts.records)


def find_contact_id(ws: Workspace, ref: str) -> str:
    """A contact's id from the id or a unique beginning of it (deleted contacts included)."""
    ref = ref.strip()
    sync = _sync(ws)
    if ref and sync.contact_row(ref):
        return ref
    matches = sync.contact_ids_starting(ref) if len(ref) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ServiceError(f"'{ref}' matches several contacts; give more of the id.")
    raise ServiceError(f"No contact with id {ref}. `voc visit show ID --json` lists each "
                       "attendee's contact_id.")


def erasure_preview(ws: Workspace, contact_ref: str) -> ErasureSummary:
    """What erasing this contact would take, for a person to confirm before it is done."""
    contact_id = find_contact_id(ws, contact_ref)
    sync = _sync(ws)
    _refuse_if_erased(sync, contact_id)
    row = sync.contact_row(contact_id)
    assert row is not None
    scope = sync.erasure_scope(contact_id)
    return ErasureSummary(contact_id, row["account_id"], row["name"], scope.quotes,
                          scope.attendances, scope.learnings)


def erase_contact(ws: Workspace, contact_id: str) -> ErasureSummary:
    """Erase a contact who withdrew consent. This cannot be undone."""
    contact_id = find_contact_id(ws, contact_id)
    sync = _sync(ws)
    _refuse_if_erased(sync, contact_id)
    row = sync.contact_row(contact_id)
    assert row is not None
    at = now_utc()
    with ws.write(ERASURE_TABLES, ids=[contact_id]):
        done = apply_erasure(sync, contact_id, row["account_id"], at, ws.device_id,
                             local=True)
    assert done is not None
    return ErasureSummary(contact_id, row["account_id"], row["name"], done.quotes,
                          done.attendances, done.learnings, at)


def apply_erasure(sync: SyncRows, contact_id: str, account_id: str | None, erased_at: str,
                  device_id: str, *, local: bool) -> ErasedRows | None:
    """Remember the erasure and apply it to the rows held; None when it was known already.
    Call inside a write. A local erasure is numbered so the next bundle carries it."""
    if not sync.add_erasure(contact_id, account_id, erased_at, device_id, numbered=local):
        return None
    return sync.erase_contact(contact_id, now_utc())


def _refuse_if_erased(sync: SyncRows, contact_id: str) -> None:
    for erasure in sync.erasures():
        if erasure["contact_id"] == contact_id:
            raise ServiceError(f"This contact was already erased ({erasure['erased_at'][:10]}).")
