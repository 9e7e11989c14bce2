"""Staging one verified bundle against the archive index: check every row, decide each one
with the merge rule, and write it, a batch of rows at a time, inside the caller's
transaction.

Rows are read, decided and written `BATCH_ROWS` at a time, so an import's memory stays the
same whatever the bundle's size; the caller's transaction makes them all or nothing. A row
that breaks the schema rejects the whole bundle, with the member and line named, and the
caller's transaction takes back the batches already written. What is left (conflicts,
erasures, attachments) comes back as one `IndexChanges` to commit with the bundle's record.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from voc_desktop.services.archive.redaction import EMPTIED_CONTACT
from voc_desktop.store.archive_index import ArchiveIndex, IndexChanges, RecordExists
from voc_desktop.store.archive_migrations import SYNCED_COLUMNS, Column
from voc_desktop.sync.bundle_file import VerifiedBundle
from voc_desktop.sync.bundle_manifest import SHA256_PATTERN
from voc_desktop.sync.merge import SYNCED_TABLES, Outcome, decide, version

ERASURES, ATTACHMENT_FILES = "erasures", "attachment_files"
KNOWN_TABLES = frozenset((*SYNCED_TABLES, ERASURES, ATTACHMENT_FILES))
ERASURE_VERSION = ":erasure"  # after a device id: the version a held erasure waits as
_EMPTIED_CONTACT = EMPTIED_CONTACT  # what an erasure leaves of a contact, in the folder too
META_REVISION = "archive_revision"  # the last revision the archive gave a version of its own
BATCH_ROWS = 5_000  # rows read, decided and written together
_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number with a fraction",
               bool: "true/false", dict: "an object", list: "a list", type(None): "null"}


class BundleRejected(Exception):
    """The bundle breaks the archive's schema; the message names the member and line."""


@dataclass
class Tally:
    """What became of one bundle's rows."""
    new: int = 0
    updated: int = 0
    duplicates: int = 0  # the same version again, or an older copy arriving late
    conflicts: int = 0
    erased: int = 0  # dropped on arrival: the rows of a person who was erased


def _where(table: str, line: int) -> str:
    return f"records/{table}.jsonl line {line}"


class RowCheck:
    """Checks rows of one synced table against its columns and types, fast: a row whose
    pattern of value types was seen valid before needs no column-by-column look."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.columns: tuple[Column, ...] = SYNCED_COLUMNS[table]
        self.names = tuple(c.name for c in self.columns)
        self.name_set = frozenset(self.names)
        self.getter = operator.itemgetter(*self.names)
        self.shapes: set[tuple[type, ...]] = set()
        self.id_at, self.device_at = self.names.index("id"), self.names.index("device_id")
        self.revision_at = self.names.index("revision")

    def many(self, rows: list[dict[str, Any]], first_line: int) -> list[tuple[Any, ...]]:
        """The rows' values in column order; `first_line` is the first row's line."""
        getter, name_set, shapes = self.getter, self.name_set, self.shapes
        id_at, device_at, revision_at = self.id_at, self.device_at, self.revision_at
        checked: list[tuple[Any, ...]] = []
        add = checked.append
        for line, row in enumerate(rows, first_line):
            values = getter(row) if row.keys() == name_set else self._complete(row, line)
            shape = tuple(map(type, values))
            if shape not in shapes:
                self._check_types(values, line)
                shapes.add(shape)
            if not values[id_at] or not values[device_at] or values[revision_at] < 1:
                raise BundleRejected(f"{_where(self.table, line)}: 'id' and 'device_id' must "
                                     "not be empty and 'revision' must be 1 or more.")
            add(values)
        return checked

    def _complete(self, row: dict[str, Any], line: int) -> tuple[Any, ...]:
        where = _where(self.table, line)
        unknown = sorted(set(row) - self.name_set)
        if unknown:
            raise BundleRejected(f"{where}: unknown column '{unknown[0]}' for table "
                                 f"'{self.table}'.")
        for name in ("id", "device_id", "revision"):
            if name not in row:
                raise BundleRejected(f"{where}: the row has no '{name}'.")
        for c in self.columns:
            if c.name not in row and c.not_null and c.default is None:
                raise BundleRejected(f"{where}: the row has no '{c.name}'.")
        return tuple(row.get(c.name, c.default) for c in self.columns)

    def _check_types(self, values: tuple[Any, ...], line: int) -> None:
        for column, value in zip(self.columns, values, strict=True):
            if value is None:
                if column.not_null:
                    raise BundleRejected(f"{_where(self.table, line)}: '{column.name}' must "
                                         "not be null.")
            elif type(value) is not column.type:
                want = _TYPE_WORDS[column.type]
                got = _TYPE_WORDS.get(type(value), type(value).__name__)
                raise BundleRejected(f"{_where(self.table, line)}: '{column.name}' must be "
                                     f"{want}, not {got}.")


def _deletes_anothers(now: dict[str, Any] | None, row: dict[str, Any], device: str) -> bool:
    """A tombstone from `device` over a live row that another device wrote."""
    return bool(now is not None and row.get("deleted_at") and not now.get("deleted_at")
                and now["device_id"] != device)


def _split_version(text: str) -> tuple[str, int]:
    device, _, revision = text.rpartition(":")
    return device, int(revision) if revision.isdigit() else 0


class Stager:
    """Stages one bundle. Use once, inside `index.batch()` or `index.atomic()`:
    `changes, tally = Stager(...).stage(bundle)`, then apply `changes` in that transaction."""

    def __init__(self, index: ArchiveIndex, archive_id: str, bundle_id: str,
                 device_id: str) -> None:
        self.index, self.archive_id, self.bundle_id = index, archive_id, bundle_id
        self.device = device_id  # the device whose key signed the bundle: its only writer
        self.changes = IndexChanges()
        self.tally = Tally()
        self.revision = int(index.meta(META_REVISION) or 0)
        self.erased: set[str] = set()
        self.erased_quotes: set[str] = set()
        # rows as they were before this bundle's erasures emptied them: what the bundle's
        # own copies of them meet, until a copy replaces them
        self.unerased: dict[str, dict[str, dict[str, Any]]] = {}
        self.unheld: set[str] = set()  # tables the index held no row of when they began

    def stage(self, bundle: VerifiedBundle) -> tuple[IndexChanges, Tally]:
        if not self.index.in_transaction:
            raise RuntimeError("A bundle's rows are written as they are staged: stage it "
                               "inside index.batch() or index.atomic().")
        tables = bundle.manifest.tables
        for table in tables:
            if table not in KNOWN_TABLES:
                raise BundleRejected(f"records/{table}.jsonl: the archive has no table "
                                     f"'{table}'.")
        self._erasures(bundle)
        self._write(IndexChanges(upserts=self.changes.upserts))
        self.changes.upserts = {}
        for table in SYNCED_TABLES:
            if table in tables:
                self._table(bundle, table)
        self._attachments(bundle)
        if self.revision != int(self.index.meta(META_REVISION) or 0):
            self.changes.meta[META_REVISION] = str(self.revision)
        return self.changes, self.tally

    def next_revision(self, *floors: int) -> int:
        self.revision = max(self.revision, *floors) + 1
        return self.revision

    # --- erasures --------------------------------------------------------------------------

    def _erasures(self, bundle: VerifiedBundle) -> None:
        fresh: dict[str, dict[str, Any]] = {}
        for line, row in enumerate(bundle.records(ERASURES), 1):
            if set(row) != {"contact_id", "account_id", "erased_at", "device_id"} or not all(
                    isinstance(row[k], str) and row[k] for k in
                    ("contact_id", "erased_at", "device_id")) or not isinstance(
                    row["account_id"], str | None):
                raise BundleRejected(f"{_where(ERASURES, line)}: an erasure is "
                                     '{"contact_id", "account_id", "erased_at", "device_id"} '
                                     "with text values.")
            fresh.setdefault(row["contact_id"], row)
        known = self.index.erased_contacts() if self.index.has_erasures() else set()
        for line, (cid, row) in enumerate(fresh.items(), 1):
            if row["device_id"] != self.device and cid not in known:
                raise BundleRejected(f"{_where(ERASURES, line)}: the erasure says device "
                                     f"{row['device_id']} made it, but the bundle is signed "
                                     f"for device {self.device}; a laptop writes only as "
                                     "itself.")
        new = {cid: row for cid, row in fresh.items() if cid not in known}
        held = self._hold_erasures(new)
        self.erased = known | (set(fresh) - held)
        for cid, row in new.items():
            if cid in held:
                continue
            self.changes.erasures.append((cid, row["account_id"], row["erased_at"],
                                          row["device_id"], self.bundle_id))
            self._erase(cid, row["erased_at"])
        if self.erased:
            self.erased_quotes = {r["id"] for r in self.index.rows_where(
                "entries", "speaker_id", self.erased)}

    def _hold_erasures(self, new: dict[str, dict[str, Any]]) -> set[str]:
        """Erasures of people another laptop recorded wait for a lead, each as a conflict
        over the contact: keeping the incoming copy carries the erasure out."""
        contacts = self.index.current_rows("contacts", list(new))
        held: set[str] = set()
        for cid, row in new.items():
            now = contacts.get(cid)
            if now is None or now["device_id"] == self.device:
                continue
            held.add(cid)
            incoming = f"{self.device}{ERASURE_VERSION}"
            if any(v == incoming for _, v, _ in self.index.conflict_versions(
                    "contacts", [cid]).get(cid, [])):
                continue  # already waiting
            emptied = {**now, **_EMPTIED_CONTACT, "deleted_at": now["deleted_at"] or
                       row["erased_at"], "device_id": self.device}
            self.changes.conflicts.append(("contacts", cid, version(now), incoming,
                                           json.dumps(emptied, ensure_ascii=False),
                                           self.bundle_id, "open"))
            self.tally.conflicts += 1
        return held

    def erase_accepted(self, contact_id: str, account_id: str | None, at: str) -> None:
        """Carry out an erasure a lead accepted."""
        self.erased = {contact_id}
        self.changes.erasures.append((contact_id, account_id, at, self.device, self.bundle_id))
        self._erase(contact_id, at)

    def _erase(self, contact_id: str, at: str) -> None:
        """Empty what the index holds of a person, each change a version of the archive's."""
        index = self.index
        quotes = index.rows_where("entries", "speaker_id", [contact_id])
        plans: list[tuple[str, list[dict[str, Any]], dict[str, Any]]] = [
            ("contacts", index.rows_where("contacts", "id", [contact_id]), _EMPTIED_CONTACT),
            ("entries", quotes, {"text": ""}),
            ("key_learnings", index.rows_where("key_learnings", "source_entry_id",
                                               [q["id"] for q in quotes]),
             {"text": "", "correction": ""}),
            ("attendees", index.rows_where("attendees", "contact_id", [contact_id]), {}),
        ]
        for table, rows, emptied in plans:
            for row in rows:
                self.changes.erase_conflicts.append((table, row["id"]))
                changed = {**row, **emptied, "deleted_at": row["deleted_at"] or at}
                if changed == row:
                    continue  # already empty and deleted
                self.unerased.setdefault(table, {}).setdefault(row["id"], row)
                changed.update(updated_at=at, device_id=self.archive_id,
                               revision=self.next_revision(row["revision"]),
                               base_version=version(row))
                self.changes.upserts.setdefault(table, []).append(
                    tuple(changed[c.name] for c in SYNCED_COLUMNS[table]))

    def _is_erased(self, table: str, values: tuple[Any, ...], check: RowCheck) -> bool:
        get = dict(zip(check.names, values, strict=True))
        if table == "contacts":
            return get["id"] in self.erased
        if table == "attendees":
            return get["contact_id"] in self.erased
        if table == "entries":
            if get["speaker_id"] in self.erased:
                self.erased_quotes.add(get["id"])
                return True
            return False
        if table == "key_learnings":
            return get["source_entry_id"] in self.erased_quotes
        return False

    # --- synced tables ---------------------------------------------------------------------

    def _table(self, bundle: VerifiedBundle, table: str) -> None:
        check = RowCheck(table)
        disputed: list[tuple[tuple[Any, ...], dict[str, Any], str]] = []
        records, line = bundle.records(table), 1
        if not self.index.holds_rows(table):
            self.unheld.add(table)
        while rows := list(itertools.islice(records, BATCH_ROWS)):
            batch = list(zip(check.many(rows, line), rows, strict=True))
            line += len(rows)
            if self.erased:
                kept = [(v, r) for v, r in batch if not self._is_erased(table, v, check)]
                self.tally.erased += len(batch) - len(kept)
                batch = kept
            if batch:
                self._decide(table, check, batch, disputed)
        if disputed:
            # conflicts wait here until the table ends: each needs a lead, so they are few
            self._conflicts(table, check, disputed)
        if table in self.changes.upserts:
            self._write(IndexChanges(upserts={table: self.changes.upserts.pop(table)}))

    def _decide(self, table: str, check: RowCheck,
                batch: list[tuple[tuple[Any, ...], dict[str, Any]]],
                disputed: list[tuple[tuple[Any, ...], dict[str, Any], str]]) -> None:
        """Decide one batch of rows with the merge rule and write what it takes in."""
        device_at, device = check.device_at, self.device
        if table in self.unheld and all(v[device_at] == device for v, _ in batch):
            # A table the index held nothing of holds only rows of this bundle: unless
            # one of them comes again, every row is new, and the insert tells if one does.
            tally = dataclasses.replace(self.tally)
            try:
                with self.index.atomic():
                    self._merge(table, check, batch, {}, disputed)
                return
            except RecordExists:
                self.tally = tally
                self.unheld.discard(table)
        current = self.index.current_rows(table, [v[check.id_at] for v, _ in batch])
        self._merge(table, check, batch, current, disputed)

    def _merge(self, table: str, check: RowCheck,
               batch: list[tuple[tuple[Any, ...], dict[str, Any]]],
               current: dict[str, dict[str, Any]],
               disputed: list[tuple[tuple[Any, ...], dict[str, Any], str]]) -> None:
        unerased = self.unerased.get(table)
        if unerased:
            current.update((i, unerased[i]) for i in current.keys() & unerased.keys())
        inserts: list[tuple[Any, ...]] = []
        upserts: list[tuple[Any, ...]] = []
        tally = self.tally
        device = self.device
        for values, row in batch:
            record_id = values[check.id_at]
            now = current.get(record_id)
            if values[check.device_at] != device:
                self._relayed(table, row, now)
                tally.duplicates += 1
                continue
            outcome = decide(now, row, table)
            if outcome is Outcome.CONFLICT and version(row) == now.get("base_version"):
                # the very version the held one was based on, arriving again
                outcome = Outcome.STALE
            elif outcome is Outcome.UPDATED and _deletes_anothers(now, row, device):
                # deleting what another laptop recorded waits for a lead: it is kept aside
                # as a conflict, settled by keeping the current row or the deletion
                outcome = Outcome.CONFLICT
            if outcome is Outcome.NEW:
                inserts.append(values)
                current[record_id] = row  # what a later copy in this bundle meets
                tally.new += 1
            elif outcome is Outcome.UPDATED:
                upserts.append(values)
                current[record_id] = row
                if unerased:
                    unerased.pop(record_id, None)
                tally.updated += 1
            elif outcome is Outcome.CONFLICT:
                disputed.append((values, row, version(now)))
            else:
                tally.duplicates += 1
        self._write(IndexChanges(inserts={table: inserts}, upserts={table: upserts}))

    def _write(self, changes: IndexChanges) -> None:
        """Write rows decided so far (UnstorableValue for a value SQLite cannot hold)."""
        self.index.apply(changes)

    def _relayed(self, table: str, row: dict[str, Any], now: dict[str, Any] | None) -> None:
        """A row another device wrote may only be passed on as it is (a laptop sends back
        what it took in from a pack): a version the archive already knows. Anything else
        would let one laptop write as another."""
        writer, revision, claimed = row["device_id"], int(row["revision"]), version(row)
        if now is not None and (version(now) == claimed or now.get("base_version") == claimed
                                or (now["device_id"] == writer
                                    and int(now["revision"]) >= revision)):
            return
        if writer == self.archive_id and revision <= self.revision:
            return
        history = self.index.conflict_versions(table, [row["id"]]).get(row["id"], [])
        if any(v == claimed for _, v, _ in history):
            return
        raise BundleRejected(f"records/{table}.jsonl: the row {row['id']} says device "
                             f"{writer} wrote it, but the bundle is signed for device "
                             f"{self.device}; a laptop writes only as itself.")

    def _conflicts(self, table: str, check: RowCheck,
                   disputed: list[tuple[tuple[Any, ...], dict[str, Any], str]]) -> None:
        """Keep each conflicting version aside once, however often it arrives."""
        ids = [v[check.id_at] for v, _, _ in disputed]
        history = self.index.conflict_versions(table, ids)
        kept = self.index.kept_versions(table, ids)
        staged: dict[str, list[list[Any]]] = {}
        for values, row, current_version in disputed:
            record_id, incoming = values[check.id_at], version(row)
            if row.get("base_version") and kept.get((record_id, current_version)) == \
                    row["base_version"]:
                # A resolution's row stands for the version whose content it kept: an edit
                # made on top of that version (a laptop that already held it) moves on.
                self.changes.upserts.setdefault(table, []).append(values)
                self.tally.updated += 1
                continue
            held = history.get(record_id, [])
            mine = staged.setdefault(record_id, [])
            if any(v == incoming for _, v, _ in held) or any(c[3] == incoming for c in mine):
                self.tally.duplicates += 1
                continue
            device, revision = row["device_id"], row["revision"]
            open_here = [(cid, v) for cid, v, status in held if status == "open"
                         and _split_version(v)[0] == device]
            if any(_split_version(v)[1] > revision for _, v in open_here):
                self.tally.duplicates += 1  # a later copy from that device already waits
                continue
            for cid, _ in open_here:
                # the same device's newer copy replaces its older one in the queue
                self.changes.conflict_updates.append(("superseded", None, None, None, None,
                                                      cid))
            for c in mine:
                if c[6] == "open" and _split_version(c[3])[0] == device:
                    c[6] = "superseded"
            full = dict(zip(check.names, values, strict=True))
            mine.append([table, record_id, current_version, incoming,
                         json.dumps(full, ensure_ascii=False), self.bundle_id, "open"])
            self.tally.conflicts += 1
        for rows in staged.values():
            self.changes.conflicts += [tuple(c) for c in rows]

    # --- attachments -----------------------------------------------------------------------

    def _attachments(self, bundle: VerifiedBundle) -> None:
        members = {sha: bundle.manifest.members[f"attachments/{sha}"].size
                   for sha in bundle.manifest.attachments}
        described: dict[str, dict[str, Any]] = {}
        for line, row in enumerate(bundle.records(ATTACHMENT_FILES), 1):
            where = _where(ATTACHMENT_FILES, line)
            if (set(row) != {"sha256", "name", "mime", "size"}
                    or not isinstance(row["sha256"], str)
                    or not SHA256_PATTERN.fullmatch(row["sha256"])
                    or not isinstance(row["name"], str) or not isinstance(row["mime"], str)
                    or type(row["size"]) is not int or row["size"] < 0):
                raise BundleRejected(f"{where}: an attachment is {{\"sha256\", \"name\", "
                                     "\"mime\", \"size\"}} with a 64-digit lowercase hash, "
                                     "text and a whole number.")
            sha = row["sha256"]
            if sha in members and members[sha] != row["size"]:
                raise BundleRejected(f"{where}: the size {row['size']:,} does not match the "
                                     f"attachment, which holds {members[sha]:,} bytes.")
            described.setdefault(sha, row)
        wanted = set(members) | set(described)
        held = self.index.has_attachments(wanted) if wanted else set()
        for sha in sorted(set(described) - set(members) - held):
            raise BundleRejected(f"records/{ATTACHMENT_FILES}.jsonl: attachment {sha[:12]}… "
                                 "is neither in the bundle nor in the archive.")
        for sha in sorted(set(members) - held):
            info = described.get(sha, {"name": "", "mime": "application/octet-stream"})
            # streamed into the index when the change is written: never whole in memory
            self.changes.attachments.append((sha, info["name"], info["mime"], members[sha],
                                             functools.partial(bundle.copy_attachment, sha),
                                             self.bundle_id))


def kept_row(conflict: dict[str, Any], current: dict[str, Any], keep: str, archive_id: str,
             revision: int, resolved_at: str) -> dict[str, Any]:
    """The row a resolution makes current: the kept content as a new version of the
    archive's own. It is based on the version that lost, so a laptop holding that one
    fast-forwards to it; a laptop holding the kept content already has the same content."""
    if keep == "current":
        content, lost = current, conflict["incoming_version"]
    else:
        content, lost = json.loads(conflict["incoming_row"]), version(current)
    return {**content, "device_id": archive_id, "revision": revision,
            "updated_at": resolved_at, "base_version": lost}


def resolution_changes(index: ArchiveIndex, archive_id: str, file_name: str,
                       data: dict[str, Any], conflict: dict[str, Any]) -> IndexChanges:
    """What applying one resolution file changes (only its record, when still open)."""
    changes = IndexChanges(resolution=(file_name, conflict["id"]))
    if conflict["status"] != "open":
        return changes  # erased or settled meanwhile: only remember the file was seen
    table = conflict["record_table"]
    revision = int(str(data["resolved_version"]).rpartition(":")[2])
    if conflict["incoming_version"].endswith(ERASURE_VERSION) and data["keep"] == "incoming":
        held = json.loads(conflict["incoming_row"])
        stager = Stager(index, archive_id, conflict["bundle_id"],
                        conflict["incoming_version"].removesuffix(ERASURE_VERSION))
        stager.revision = max(stager.revision, revision)
        stager.erase_accepted(conflict["record_id"], held["account_id"], held["deleted_at"])
        changes = stager.changes
        changes.resolution = (file_name, conflict["id"])
        changes.conflict_updates.append(("resolved", "incoming", conflict["incoming_version"],
                                         data["resolved_at"], data["resolved_version"],
                                         conflict["id"]))
        changes.meta[META_REVISION] = str(stager.revision)
        return changes
    current = index.row(table, conflict["record_id"])
    assert current is not None
    row = kept_row(conflict, current, data["keep"], archive_id, revision, data["resolved_at"])
    changes.upserts[table] = [row_tuple(table, row)]
    kept = version(current) if data["keep"] == "current" else conflict["incoming_version"]
    changes.conflict_updates.append(("resolved", data["keep"], kept, data["resolved_at"],
                                     data["resolved_version"], conflict["id"]))
    changes.meta[META_REVISION] = str(max(int(index.meta(META_REVISION) or 0), revision))
    return changes


def row_tuple(table: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in SYNCED_COLUMNS[table])


def differing_fields(current: dict[str, Any], incoming: dict[str, Any],
                     skip: Iterable[str] = ("created_at", "updated_at", "device_id",
                                            "revision", "base_version")) -> list[str]:
    skipped = set(skip)
    return [k for k in current if k not in skipped and current.get(k) != incoming.get(k)]
