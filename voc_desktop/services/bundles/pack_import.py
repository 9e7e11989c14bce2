"""Taking in a pack: what the archive sends back to a laptop (guides, accounts, contacts,
visits and their key learnings, erasures), signed by the archive's own key.

The pack is verified whole before anything is read and checked against the archive key this
laptop trusts. Its rows are then read, checked and merged a batch at a time inside one
transaction, so memory stays bounded whatever the pack's size, and a bad row anywhere
leaves the workspace as it was. Rows changed here and at the archive are reported as
conflicts and this laptop's copy stays. The same pack twice changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voc_desktop.services.backups import backup_before
from voc_desktop.services.bundles.settings import HOW_TO_ADD, archive_key
from voc_desktop.services.erasure import apply_erasure
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.progress import Progress
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.errors import StoreError
from voc_desktop.store.sync_rows import SyncRows
from voc_desktop.sync.merge import SYNCED_TABLES, Outcome, decide, version

_log = logging.getLogger(__name__)

BATCH_ROWS = 5_000  # rows of a pack checked and merged together
_RECORD_TEXT = ("id", "device_id", "created_at", "updated_at")
_ERASURE_TEXT = ("contact_id", "erased_at", "device_id")


@dataclass
class TableCounts:
    new: int = 0
    updated: int = 0
    duplicates: int = 0  # the same version again, or an older copy of one of ours
    conflicts: int = 0
    dropped: int = 0  # rows about a person who was erased


@dataclass(frozen=True)
class PackConflict:
    """A row changed both here and at the archive: this laptop's copy was kept."""

    table: str
    id: str
    laptop_version: str
    archive_version: str


@dataclass(frozen=True)
class PackSummary:
    path: Path
    bundle_id: str
    archive_id: str | None
    sequence: int
    created_at: str
    tables: dict[str, TableCounts]  # per synced table the pack holds
    conflicts: tuple[PackConflict, ...]
    erasures: int  # erasures newly applied here
    attachments: int  # attachments newly stored
    archive_fingerprint: str = ""
    totals: TableCounts = field(default_factory=TableCounts)

    @property
    def new(self) -> int:
        return self.totals.new

    @property
    def updated(self) -> int:
        return self.totals.updated

    @property
    def duplicates(self) -> int:
        return self.totals.duplicates


def import_pack(ws: Workspace, path: Path | str, *,
                progress: Progress | None = None) -> PackSummary:
    """Verify the pack at `path` and merge it into the workspace (all or nothing)."""
    from voc_desktop.sync.bundle_file import BundleError, open_bundle

    step = progress or (lambda percent, what: None)
    started = time.perf_counter()
    path = Path(path).expanduser()
    trusted = archive_key(ws)
    if trusted is None:
        raise ServiceError("This laptop does not know the archive's key, so it cannot tell "
                           f"whether the pack is genuine. Add the key with `{HOW_TO_ADD}` "
                           "first.")
    step(5, "Checking the pack")
    try:
        with open_bundle(path) as pack:
            if pack.signer_key != trusted.signing_public_text:
                raise ServiceError(
                    f"This pack was not made by your archive: it is signed by key "
                    f"{pack.signer_fingerprint}, and your archive's key is "
                    f"{trusted.fingerprint}. Nothing was imported.")
            kind = pack.manifest.extra.get("kind")
            if kind != "pack":
                what = "a laptop's bundle" if kind == "bundle" else "not a pack"
                raise ServiceError(f"{path.name} is {what}; only packs from the archive can "
                                   "be imported here.")
            step(15, "Reading the pack")
            erasures = _all_checked("erasures", pack.records("erasures"))
            carried = set(pack.manifest.attachments)
            files = {f["sha256"]: f for f in _all_checked("attachment_files",
                                                          pack.records("attachment_files"))
                     if f.get("sha256") in carried}
            step(45, "Backing up the workspace")
            backup_before(ws, "before-import", "importing a pack")
            step(50, "Merging")
            summary = _apply(ws, pack.records, erasures, files, pack.attachment)
    except BundleError as exc:
        text = str(exc)
        raise ServiceError(text if path.name in text else f"{path.name}: {text}") from exc
    except StoreError as exc:
        raise ServiceError(f"The pack cannot be taken in, so nothing was imported: {exc}") \
            from exc
    step(100, "Done")
    m = pack.manifest
    done = PackSummary(path, m.bundle_id, m.extra.get("archive_id"), m.sequence, m.created_at,
                       archive_fingerprint=trusted.fingerprint, **summary)
    _log.info("Pack imported: %d new, %d updated, %d already here, %d conflicts, %.0f ms",
              done.new, done.updated, done.duplicates, len(done.conflicts),
              1000 * (time.perf_counter() - started))
    return done


def _all_checked(table: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a small table (erasures, attachments), each checked."""
    return [_checked(table, row, line) for line, row in enumerate(rows, 1)]


def _checked(table: str, row: dict[str, Any], line: int) -> dict[str, Any]:
    """A staged row, or ServiceError when it could not be stored as given."""
    def damaged(why: str) -> ServiceError:
        return ServiceError(f"The pack is damaged: {table} row {line} {why}. Nothing was "
                            "imported.")

    for key, value in row.items():
        if value is not None and not isinstance(value, str | int | float):
            raise damaged(f"holds a list or object in '{key}'")
    if table == "attachment_files":
        return row
    needed = _ERASURE_TEXT if table == "erasures" else _RECORD_TEXT
    for key in needed:
        if not isinstance(row.get(key), str) or not row[key]:
            raise damaged(f"lacks '{key}'")
    if table != "erasures":
        revision = row.get("revision")
        if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
            raise damaged("has no valid 'revision'")
    return row


def _apply(ws: Workspace, records: Callable[[str], Iterable[dict[str, Any]]],
           erasures: list[dict[str, Any]], files: dict[str, dict[str, Any]],
           read: Callable[[str], bytes]) -> dict[str, Any]:
    sync = SyncRows(ws.accounts.records)
    erased_now = stored = 0
    touched = [*SYNCED_TABLES, "erasures", "attachments"]
    with ws.write(touched):
        for e in erasures:
            if apply_erasure(sync, e["contact_id"], e.get("account_id"), e["erased_at"],
                             e["device_id"], local=False) is not None:
                erased_now += 1
        merge = _Merge(sync)
        for table in SYNCED_TABLES:
            batch: list[dict[str, Any]] = []
            for line, row in enumerate(records(table), 1):
                batch.append(_checked(table, row, line))
                if len(batch) >= BATCH_ROWS:
                    merge.rows(table, batch)
                    batch = []
            if batch:
                merge.rows(table, batch)
        for sha, info in files.items():
            if sync.has_attachment(sha):
                continue
            data = read(sha)
            if hashlib.sha256(data).hexdigest() != sha:
                raise ServiceError("The pack is damaged: an attachment does not match its "
                                   "name. Nothing was imported.")
            name, mime = info.get("name"), info.get("mime")
            stored += sync.put_attachment(
                sha, name if isinstance(name, str) and name else sha[:12],
                mime if isinstance(mime, str) and mime else "application/octet-stream",
                data, ws.device_id)
    counts = merge.counts
    totals = TableCounts(*(sum(getattr(c, f) for c in counts.values())
                           for f in ("new", "updated", "duplicates", "conflicts", "dropped")))
    return {"tables": counts, "conflicts": tuple(merge.conflicts), "erasures": erased_now,
            "attachments": stored, "totals": totals}


class _Merge:
    """Merges a pack's rows, one batch at a time, inside the caller's transaction."""

    def __init__(self, sync: SyncRows) -> None:
        self.sync = sync
        self.counts: dict[str, TableCounts] = {}  # per synced table the pack holds
        self.conflicts: list[PackConflict] = []
        self.erased = sync.erased_contact_ids()
        self.erased_quotes = sync.erased_quote_ids()

    def rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        sync, erased, erased_quotes = self.sync, self.erased, self.erased_quotes
        counts = self.counts.setdefault(table, TableCounts())
        if table == "entries":
            erased_quotes |= {r["id"] for r in rows if r.get("speaker_id") in erased}
        current = sync.current(table, [r["id"] for r in rows])
        for row in rows:
            if _about_erased(table, row, erased, erased_quotes):
                counts.dropped += 1
                continue
            held = current.get(row["id"])
            outcome = decide(held, row, table)
            if outcome in (Outcome.NEW, Outcome.UPDATED):
                incoming = {k: v for k, v in row.items() if k != "change_seq"}
                incoming["base_version"] = version(row)
                sync.put(table, incoming, replace=held is not None)
                current[row["id"]] = incoming
                if outcome is Outcome.NEW:
                    counts.new += 1
                else:
                    counts.updated += 1
            elif outcome is Outcome.CONFLICT:
                assert held is not None
                counts.conflicts += 1
                self.conflicts.append(PackConflict(table, row["id"], version(held),
                                                   version(row)))
            else:
                counts.duplicates += 1


def _about_erased(table: str, row: dict[str, Any], erased: set[str],
                  erased_quotes: set[str]) -> bool:
    """Rows that would bring an erased person back: their contact row, attendances,
    quotes, and key learnings drawn from those quotes."""
    if table == "contacts":
        return row["id"] in erased
    if table == "attendees":
        return row.get("contact_id") in erased
    if table == "entries":
        return row["id"] in erased_quotes
    if table == "key_learnings":
        return row.get("source_entry_id") in erased_quotes
    return False
