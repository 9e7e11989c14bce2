"""Packs for the archive's laptops, and rebuilding the index from the folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from voc_desktop import __version__
from voc_desktop.safe_files import write_atomically
from voc_desktop.services.archive.results import (
    BundleStatus,
    CatchUp,
    PackSummary,
    RebuildSummary,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.store.archive_index import ArchiveIndex
from voc_desktop.sync.account_merges import mapping, read_merges
from voc_desktop.sync.archive_folder import ArchiveFolder, ArchiveFolderError
from voc_desktop.sync.bundle_file import BundleError, BundleWriter, Manifest

PACK_ORDER = ("guide_versions", "accounts", "contacts", "visits", "attendees", "key_learnings",
              "action_items")


def find_accounts(index: ArchiveIndex, refs: Sequence[str]) -> list[dict[str, Any]]:
    """Accounts by id, name (any case) or a unique beginning (4+ characters) of the id."""
    accounts = index.accounts()
    found: dict[str, dict[str, Any]] = {}
    for ref in refs:
        text = ref.strip()
        matches = ([a for a in accounts if a["id"] == text]
                   or [a for a in accounts if a["name"].casefold() == text.casefold()]
                   or [a for a in accounts if len(text) >= 4 and a["id"].startswith(text)])
        if len(matches) != 1:
            what = "several accounts" if matches else "no account"
            raise ServiceError(f"'{text}' matches {what} in the archive; give the full id "
                               "(`voc archive pack` takes names or ids).")
        found[matches[0]["id"]] = matches[0]
    return list(found.values())


def default_pack_name(archive_id: str) -> str:
    return f"{date.today().isoformat()} archive-{archive_id[:8]} pack.vocbundle"


def write_pack(index: ArchiveIndex, folder: ArchiveFolder, output: Path,
               refs: Sequence[str]) -> PackSummary:
    """Write a pack signed with the archive's key: guide versions, the accounts (all, or
    the chosen ones), their contacts, completed visits with their key learnings, action
    items (with who owns each) and attendees, and every erasure. Unencrypted: it goes to
    the archive's own laptops."""
    chosen = find_accounts(index, refs) if refs else None
    ids = None
    if chosen is not None:
        # an account's merged duplicates go with it, as the folder's merge files say
        merged = mapping(read_merges(folder.path))
        picked = {a["id"] for a in chosen}
        ids = sorted(picked | {a for a, into in merged.items() if into in picked})
    rows = index.pack_rows(ids)
    rows["erasures"] = index.erasures()
    output = output.expanduser()
    if output.is_dir():
        output = output / default_pack_name(folder.archive_id)
    try:
        signing_key = folder.signing_key()
    except ArchiveFolderError as exc:
        raise ServiceError(str(exc)) from exc
    made: list[Manifest] = []

    def fill(fh: BinaryIO) -> None:
        with BundleWriter(fh) as writer:
            for table in (*PACK_ORDER, "erasures"):
                if rows[table]:
                    writer.add_records(table, rows[table])
            made.append(writer.finish(
                signing_key, device_id=folder.archive_id,
                sequence=max(1, index.max_order()), previous_sequence=None,
                complete=chosen is None, app_version=__version__,
                extra={"kind": "pack", "archive_id": folder.archive_id},
                archive=folder.signing_public))

    try:
        write_atomically(output, fill)
    except BundleError as exc:
        raise ServiceError(f"The pack cannot be written: {exc}") from exc
    except OSError as exc:
        raise ServiceError(f"Could not write the pack to {output}: "
                           f"{exc.strerror or exc}.") from exc
    names = tuple(a["name"] for a in (chosen if chosen is not None else index.accounts()))
    return PackSummary(output, made[0].bundle_id, dict(made[0].counts), names,
                       output.stat().st_size)


def rebuild_index(target: Path, fill: Callable[[Path], CatchUp]) -> RebuildSummary:
    """Build the index anew at a scratch path beside `target` (`fill` takes the folder's
    accepted bundles and resolutions into a fresh index there and closes it), then put it
    in place of the old one in one rename. The old index must be closed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.rebuild-{os.getpid()}")
    _remove_database(scratch)
    try:
        caught = fill(scratch)
        refused = tuple(b.reason for b in caught.bundles if b.status is BundleStatus.REJECTED)
        # The old index's journal must not be applied to the new file.
        _remove_database(target, keep_main=True)
        os.replace(scratch, target)
    except BaseException:
        _remove_database(scratch)
        raise
    return RebuildSummary(target, len(caught.bundles) - len(refused), caught.resolutions,
                          refused)


def _remove_database(path: Path, *, keep_main: bool = False) -> None:
    for suffix in ("-wal", "-shm", "-journal", *(() if keep_main else ("",))):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
