"""Erasing a person who withdrew consent, for good.

The contact's row is emptied (name, title, consent) and deleted; their quotes, the key
learnings drawn from those quotes, and their attendances are deleted with the words taken
out. The erasure itself is remembered and travels in the next bundle, so the archive erases
them too, and a late or re-imported bundle or pack cannot bring them back. Every backup
made before is rewritten with the person erased, or deleted when it cannot be rewritten.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voc_desktop.safe_files import write_text_atomically
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.backup import BACKUPS_DIR, BackupError, remove_with_side_files
from voc_desktop.store.backup_rewrite import NothingToChange, backups_holding_data, rewriting
from voc_desktop.store.database import now_utc
from voc_desktop.store.records import Records
from voc_desktop.store.sync_rows import ErasedRows, SyncRows

_log = logging.getLogger(__name__)

ERASING_NOTE = ".erasing.json"  # erasures whose pass over the backups is not finished
ERASURE_TABLES = ("contacts", "entries", "attendees", "key_learnings", "erasures")


@dataclass(frozen=True)
class BackupErasure:
    """What became of one backup: "rewritten" with the person erased, "dropped" (deleted,
    because it could not be rewritten), or "clean" (it never held them)."""

    name: str
    outcome: str
    reason: str = ""


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
    backups: tuple[BackupErasure, ...] = field(default=())

    def backup_lines(self) -> list[str]:
        """What happened to the backups, in words: which were rewritten, which dropped."""
        by = {o: [b for b in self.backups if b.outcome == o]
              for o in ("rewritten", "dropped", "clean")}
        lines = []
        if by["rewritten"]:
            lines.append(f"Rewritten with the person erased: {len(by['rewritten'])} "
                         f"backup(s): {', '.join(b.name for b in by['rewritten'])}.")
        if by["dropped"]:
            lines.append(f"Deleted, because they could not be rewritten: "
                         f"{len(by['dropped'])} backup(s): "
                         f"{', '.join(f'{b.name} ({b.reason})' for b in by['dropped'])}.")
        if by["clean"]:
            lines.append(f"Left as they were (they never held the person): "
                         f"{len(by['clean'])} backup(s).")
        return lines or ["There were no backups to rewrite."]


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
    backups = erase_from_backups(ws.data_dir, contact_id, row["account_id"], at,
                                 ws.device_id)
    return ErasureSummary(contact_id, row["account_id"], row["name"], done.quotes,
                          done.attendances, done.learnings, at, backups)


def erase_from_backups(data_dir: Path | str, contact_id: str, account_id: str | None,
                       erased_at: str, device_id: str) -> tuple[BackupErasure, ...]:
    """Erase the person from every backup in the data folder (all were made before the
    erasure): each is rewritten whole, or deleted when it cannot be rewritten. A note in
    the backups folder says the pass is under way, so one that was stopped (the app was
    killed) is finished by `finish_backup_erasures` before the next backup."""
    folder = Path(data_dir).expanduser() / BACKUPS_DIR
    note = folder / ERASING_NOTE
    erasure = {"contact_id": contact_id, "account_id": account_id, "erased_at": erased_at,
               "device_id": device_id}
    if folder.is_dir():
        pending = _pending(note)
        write_text_atomically(note, json.dumps([*(e for e in pending
                                                  if e["contact_id"] != contact_id),
                                                erasure]))
    results = _erase_in_backups(folder, contact_id, account_id, erased_at, device_id)
    _done(note, contact_id)
    return results


def finish_backup_erasures(data_dir: Path | str) -> int:
    """Finish erasing people from the backups where a pass was stopped; how many."""
    note = Path(data_dir).expanduser() / BACKUPS_DIR / ERASING_NOTE
    pending = _pending(note)
    for e in pending:
        _erase_in_backups(note.parent, e["contact_id"], e["account_id"], e["erased_at"],
                          e["device_id"])
        _done(note, e["contact_id"])
    return len(pending)


def _pending(note: Path) -> list[dict[str, Any]]:
    try:
        found = json.loads(note.read_text("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise ServiceError(f"The note of unfinished erasures {note} cannot be read ({exc}); "
                           "erase the person again to finish.") from exc
    return [e for e in found if isinstance(e, dict) and isinstance(e.get("contact_id"), str)]


def _done(note: Path, contact_id: str) -> None:
    left = [e for e in _pending(note) if e["contact_id"] != contact_id]
    if left:
        write_text_atomically(note, json.dumps(left))
    else:
        note.unlink(missing_ok=True)


def _erase_in_backups(folder: Path, contact_id: str, account_id: str | None,
                      erased_at: str, device_id: str) -> tuple[BackupErasure, ...]:
    results = []
    for path in backups_holding_data(folder):
        touched = False
        try:
            with rewriting(path) as db:
                sync = SyncRows(Records(db, device_id))
                if sync.contact_row(contact_id) is None and not sync.erasure_scope(
                        contact_id).quotes:
                    raise NothingToChange
                with db.atomic():
                    apply_erasure(sync, contact_id, account_id, erased_at, device_id,
                                  local=True)
                touched = True
        except (BackupError, OSError) as exc:
            reason = str(exc).rstrip(".")
            try:
                remove_with_side_files(path)
            except OSError as gone:
                raise ServiceError(f"The backup {path.name} still holds the erased person: "
                                   f"it could neither be rewritten nor deleted "
                                   f"({gone.strerror or gone}). Delete it by hand.") from exc
            _log.warning("A backup was deleted after an erasure: it could not be rewritten")
            results.append(BackupErasure(path.name, "dropped", reason))
            continue
        results.append(BackupErasure(path.name, "rewritten" if touched else "clean"))
    return tuple(results)


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
