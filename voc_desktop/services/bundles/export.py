"""Bundles out of this laptop: what changed since the last one, sealed for the archive.

An export runs in three steps so a window can keep working meanwhile: `gather_bundle` reads
the rows on the calling thread, `write_bundle` writes the file without touching the
workspace's connection (a worker thread may run it), and `record_bundle` then notes in one
transaction that those rows were shared. The file appears only whole, and the workspace
moves on only once the file is in place: a failed export leaves both as they were.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc_desktop import __version__
from voc_desktop.safe_files import why_not_written
from voc_desktop.services.bundles.pack_import import (
    PackConflict,
    PackSummary,
    TableCounts,
    import_pack,
)
from voc_desktop.services.bundles.settings import (
    ArchiveKeyMissing,
    DeviceKey,
    archive_key,
    clear_archive_key,
    device_key,
    set_archive_key,
)
from voc_desktop.services.erasure import ErasureSummary, erase_contact, erasure_preview
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.progress import Progress, cancellable
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import get_meta, set_meta
from voc_desktop.store.errors import StoreError
from voc_desktop.store.sync_rows import AttachmentReader, SyncRows

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from voc_desktop.sync.archive_key import ArchiveKey
    from voc_desktop.sync.bundle_file import Manifest

__all__ = [
    "ArchiveKeyMissing", "BundleCancelled", "BundleSource", "BundleSummary", "DeviceKey",
    "ErasureSummary", "LastBundle", "NothingNew", "PackConflict", "PackSummary", "TableCounts",
    "WrittenBundle", "archive_key", "clear_archive_key", "default_file_name", "device_key",
    "erase_contact", "erasure_preview", "export_bundle", "gather_bundle", "import_pack",
    "last_bundle", "record_bundle", "set_archive_key", "write_bundle",
]


_log = logging.getLogger(__name__)
SUFFIX = ".vocbundle"
META_SEQUENCE = "bundle_sequence"  # the last bundle's sequence number
META_WATERMARK = "bundle_watermark"  # the highest change number the last bundle carried
META_LAST_AT = "bundle_last_at"  # when the last bundle was made (UTC, ISO-8601)
SYNCED = ("accounts", "contacts", "guide_versions", "visits", "attendees", "entries",
          "key_learnings", "action_items")  # the order foreign keys need on arrival


class NothingNew(ServiceError):
    """Nothing changed since the last bundle; no file was written."""

    def __init__(self, sequence: int, made_at: str | None) -> None:
        self.sequence, self.made_at = sequence, made_at
        when = f" of {_local_day(made_at)}" if made_at else ""
        super().__init__(f"Nothing new since bundle #{sequence}{when}; use --all to export "
                         "everything." if sequence else "Nothing to export yet.")


class BundleCancelled(Exception):
    """The person stopped the export; nothing was written and nothing recorded."""


@dataclass(frozen=True)
class BundleSource:
    """Everything one bundle carries, read from the workspace in one go."""

    workspace_file: Path
    device_id: str
    signing_key: Ed25519PrivateKey
    sequence: int
    previous_sequence: int | None
    complete: bool
    tables: dict[str, list[dict[str, Any]]]  # records members: synced tables, erasures, files
    archive: ArchiveKey | None  # sealed for it, or plain when None
    seen_up_to: int  # the highest change number among the rows gathered
    last_sequence: int  # the workspace's sequence when gathered
    file_name: str
    shared: dict[str, list[tuple[str, str, str, int]]] = field(repr=False, default_factory=dict)
    archive_signing: str | None = None  # the archive the bundle is for, sealed or not

    @property
    def counts(self) -> dict[str, int]:
        return {t: len(rows) for t, rows in self.tables.items() if rows}

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return self.tables.get("attachment_files", [])


@dataclass(frozen=True)
class WrittenBundle:
    path: Path
    manifest: Manifest
    size: int


@dataclass(frozen=True)
class BundleSummary:
    """What an export wrote."""

    path: Path
    bundle_id: str
    sequence: int
    previous_sequence: int | None
    complete: bool
    counts: dict[str, int]  # rows per records member (tables, erasures, attachment_files)
    attachments: int
    size: int  # bytes on disk
    archive_fingerprint: str | None  # the archive it is sealed for; None when not encrypted
    created_at: str

    @property
    def encrypted(self) -> bool:
        return self.archive_fingerprint is not None


@dataclass(frozen=True)
class LastBundle:
    sequence: int
    made_at: str | None


def last_bundle(ws: Workspace) -> LastBundle | None:
    """The last bundle this workspace made, or None before the first."""
    sequence = int(get_meta(ws.db, META_SEQUENCE) or 0)
    return LastBundle(sequence, get_meta(ws.db, META_LAST_AT)) if sequence else None


def device_short_name(device_id: str) -> str:
    return "laptop-" + device_id.replace("-", "")[:4]


def default_file_name(device_id: str, sequence: int, day: date | None = None) -> str:
    """`2026-11-23 laptop-1a2b #4.vocbundle`"""
    return f"{(day or date.today()).isoformat()} {device_short_name(device_id)} #{sequence}{SUFFIX}"


def export_bundle(ws: Workspace, path: Path | str, *, everything: bool = False,
                  encrypt: bool | None = None, replace: bool = False,
                  progress: Progress | None = None) -> BundleSummary:
    """Write the next bundle to `path` (a folder gets the default file name) and record it.
    `encrypt`: True or None seal it for the archive and refuse when its key is unknown;
    False writes it unencrypted, as the person chose. Raises NothingNew when there is
    nothing to send, and refuses to overwrite a file unless `replace`."""
    source = gather_bundle(ws, everything=everything, encrypt=encrypt)
    written = write_bundle(source, path, replace=replace, read_attachment=ws.attachments.data,
                           progress=progress)
    return record_bundle(ws, source, written)


def gather_bundle(ws: Workspace, *, everything: bool = False,
                  encrypt: bool | None = None) -> BundleSource:
    """Read what the next bundle carries (all rows with `everything`). Runs on the thread
    that owns the workspace."""
    known = archive_key(ws)
    archive = None if encrypt is False else known
    if encrypt is not False and archive is None:
        raise ArchiveKeyMissing()
    last = int(get_meta(ws.db, META_SEQUENCE) or 0)
    watermark = int(get_meta(ws.db, META_WATERMARK) or 0)
    after = None if everything else watermark
    sync = SyncRows(ws.accounts.records)
    tables: dict[str, list[dict[str, Any]]] = {}
    shared: dict[str, list[tuple[str, str, str, int]]] = {}
    seen = watermark
    for table in SYNCED:
        rows = sync.changed(table, after)
        for row in rows:
            seen = max(seen, row.pop("change_seq") or 0)
        tables[table] = rows
        shared[table] = [(r["id"], f"{r['device_id']}:{int(r['revision'])}", r["device_id"],
                          int(r["revision"])) for r in rows]
    erasures = sync.erasures(after)
    seen = max([seen, *(e["change_seq"] or 0 for e in erasures)])
    tables["erasures"] = [{k: e[k] for k in ("contact_id", "account_id", "erased_at",
                                             "device_id")} for e in erasures]
    if not any(tables.values()):
        raise NothingNew(last, get_meta(ws.db, META_LAST_AT))
    # Photos go with the notes that show them; a deleted note's photo stays behind.
    shas = {r["attachment_sha"] for r in tables["entries"]
            if r["attachment_sha"] and r["deleted_at"] is None}
    tables["attachment_files"] = sync.attachment_files(shas)
    sequence = last + 1
    return BundleSource(
        workspace_file=ws.path, device_id=ws.device_id, signing_key=ws.device_key,
        sequence=sequence, previous_sequence=None if everything or not last else last,
        complete=everything, tables=tables, archive=archive, seen_up_to=seen,
        last_sequence=last, file_name=default_file_name(ws.device_id, sequence),
        shared=shared, archive_signing=known.signing_public_text if known else None)


def target_path(source: BundleSource, path: Path | str) -> Path:
    path = Path(path).expanduser()
    return path / source.file_name if path.is_dir() else path


def write_bundle(source: BundleSource, path: Path | str, *, replace: bool = False,
                 read_attachment: Callable[[str], bytes | None] | None = None,
                 progress: Progress | None = None,
                 cancelled: Callable[[], bool] = lambda: False) -> WrittenBundle:
    """Write the bundle file. Touches no workspace connection, so it may run on a worker
    thread: attachments come from `read_attachment`, else through a connection of its own."""
    started = time.perf_counter()
    target = target_path(source, path)
    if target.exists() and not replace:
        raise ServiceError(f"{target} already exists; choose another name. (An older bundle "
                           "may not have reached the archive yet.)")
    check = cancellable(progress, cancelled, BundleCancelled)
    try:
        reader = None if read_attachment else AttachmentReader(source.workspace_file)
    except StoreError as exc:
        raise ServiceError(str(exc)) from exc
    read = read_attachment or reader.data  # type: ignore[union-attr]
    try:
        manifest = _write_file(source, target, read, check)
    except OSError as exc:
        raise ServiceError(_why_not_written(target, exc)) from exc
    finally:
        if reader:
            reader.close()
    if progress:
        progress(100, "Done")
    size = target.stat().st_size
    _log.info("Bundle written: sequence %d, %d records, %d attachments, %d bytes, sealed %s, "
              "%.0f ms", manifest.sequence, sum(manifest.counts.values()),
              len(manifest.attachments), size, source.archive is not None,
              (time.perf_counter() - started) * 1000)
    return WrittenBundle(target, manifest, size)


def _write_file(source: BundleSource, target: Path, read: Callable[[str], bytes | None],
                check: Progress) -> Manifest:
    from voc_desktop.safe_files import write_atomically
    from voc_desktop.sync import seal

    done: list[Manifest] = []
    if source.archive is None:
        write_atomically(target, lambda fh: done.append(_fill(source, fh, read, check, 98)))
        return done[0]
    # The unencrypted zip waits in the workspace's own folder, which holds the same data
    # already; never beside the target, which may be a removable stick.
    with tempfile.TemporaryFile(dir=source.workspace_file.parent) as plain:
        manifest = _fill(source, plain, read, check, 85)
        plain.seek(0)
        check(88, "Encrypting for the archive")
        write_atomically(target, lambda fh: seal.seal(plain, fh, source.archive.encryption))
    return manifest


def _fill(source: BundleSource, fh: Any, read: Callable[[str], bytes | None],
          check: Progress, until: int) -> Manifest:
    from voc_desktop.sync.bundle_file import BundleError, BundleWriter

    rows = sum(len(r) for r in source.tables.values())
    total = max(1, rows + sum(a["size"] for a in source.attachments))
    done = 0
    try:
        with BundleWriter(fh) as writer:
            for table, table_rows in source.tables.items():
                if table_rows:
                    check(done * until // total, f"Writing {table.replace('_', ' ')}")
                    writer.add_records(table, table_rows)
                    done += len(table_rows)
            for info in source.attachments:
                check(done * until // total, f"Adding {info['name']}")
                data = read(info["sha256"])
                if data is None:
                    raise ServiceError(f"The attachment {info['name']} is missing from the "
                                       "workspace; the bundle was not written.")
                writer.add_attachment(info["sha256"], data)
                done += info["size"]
            check(until, "Signing")
            return writer.finish(
                source.signing_key, device_id=source.device_id, sequence=source.sequence,
                previous_sequence=source.previous_sequence, complete=source.complete,
                app_version=__version__,
                extra={"kind": "bundle", "workspace_id": source.device_id},
                archive=source.archive_signing)
    except BundleError as exc:
        raise ServiceError(str(exc)) from exc


def record_bundle(ws: Workspace, source: BundleSource, written: WrittenBundle) -> BundleSummary:
    """Note in one transaction that the bundle's rows were shared and move the counters on.
    If that fails, the file is removed: the next export then carries the same rows."""
    try:
        with ws.batch():
            if int(get_meta(ws.db, META_SEQUENCE) or 0) != source.last_sequence:
                raise ServiceError("Another bundle was exported meanwhile; this one was "
                                   "removed. Export again.")
            sync = SyncRows(ws.accounts.records)
            for table, shared in source.shared.items():
                sync.mark_shared(table, shared, source.seen_up_to)
            watermark = int(get_meta(ws.db, META_WATERMARK) or 0)
            set_meta(ws.db, META_WATERMARK, str(max(watermark, source.seen_up_to)))
            set_meta(ws.db, META_SEQUENCE, str(source.sequence))
            set_meta(ws.db, META_LAST_AT, written.manifest.created_at)
    except BaseException:
        with contextlib.suppress(OSError):
            written.path.unlink()
        raise
    m = written.manifest
    return BundleSummary(
        path=written.path, bundle_id=m.bundle_id, sequence=m.sequence,
        previous_sequence=m.previous_sequence, complete=m.complete, counts=dict(m.counts),
        attachments=len(m.attachments), size=written.size,
        archive_fingerprint=source.archive.fingerprint if source.archive else None,
        created_at=m.created_at)


def _local_day(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().date().isoformat()
    except ValueError:
        return stamp


def _why_not_written(path: Path, exc: OSError) -> str:
    return (f"Could not write the bundle to {path}: {why_not_written(exc)}. Nothing was "
            "recorded as sent.")
