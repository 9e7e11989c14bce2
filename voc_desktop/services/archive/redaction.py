"""Erasure reaches the archive folder: accepted bundles that hold an erased person are
replaced by redacted copies that the archive signs.

A redacted copy has the original's bundle id, device, sequence, time and name (so it keeps
its place in the folder's order), the same rows and attachments, and the erased person's
words emptied the way the index empties them: the contact's name, title and consent, the
text of their quotes, and the key learnings drawn from those quotes. Its manifest's `extra`
keeps a record of the original (`redaction.original`: the file's SHA-256, the manifest's
SHA-256, its signature and signer, whether it was sealed), and the index records that
original in the copy's place, so an index rebuilt from the folder equals one that saw the
original and the erasure.

The copy is not sealed: sealing draws fresh random keys, and two leads redacting the same
bundle must write the same bytes. The zip has fixed times and Ed25519 signatures are
deterministic, so they do. (The folder holds the key that unseals bundles beside them, so
a sealed copy would not keep its contents from anyone who can read the folder anyway.)
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voc_desktop.store.archive_index import ArchiveIndex, IndexChanges
from voc_desktop.sync.archive_folder import AcceptedFile, ArchiveFolder
from voc_desktop.sync.bundle_file import BundleWriter, VerifiedBundle

META_REDACTED = "last_redaction"  # the erasures and bundles the folder was last redacted for
EMPTIED_CONTACT = {"name": "", "title": "", "consent_given": 0, "consent_quote_by_name": 0,
                   "consent_method": "", "consent_at": None, "consent_scope": ""}
REDACTION = "redaction"

Opener = Callable[[Path], AbstractContextManager[VerifiedBundle]]


@dataclass(frozen=True)
class RedactionSummary:
    redacted: tuple[str, ...]  # file names replaced by redacted copies
    checked: int


def is_redacted_copy(bundle: VerifiedBundle, archive_signing_key: str) -> bool:
    """A copy the archive signed in place of a laptop's bundle after an erasure."""
    return (bundle.signer_key == archive_signing_key
            and isinstance(bundle.manifest.extra.get(REDACTION), dict))


def original_of(bundle: VerifiedBundle) -> dict[str, Any]:
    """What the index records for a bundle: the original's, for a redacted copy."""
    record = bundle.manifest.extra.get(REDACTION)
    original = record.get("original") if isinstance(record, dict) else None
    if isinstance(original, dict):
        return original
    return {"file_sha256": None, "signer_key": bundle.signer_key,
            "signer_fingerprint": bundle.signer_fingerprint, "sealed": bundle.sealed}


class Eraser:
    """Which rows of a bundle hold an erased person's words, and those rows emptied."""

    def __init__(self, index: ArchiveIndex) -> None:
        self.people = index.erased_contacts()
        self.quotes = {r["id"] for r in index.rows_where("entries", "speaker_id",
                                                          self.people)}

    def rows(self, bundle: VerifiedBundle) -> dict[str, list[dict[str, Any]]] | None:
        """Every table of the bundle with the erased people's words emptied, or None when
        there is nothing of them to empty."""
        tables = {t: list(bundle.records(t)) for t in bundle.manifest.tables}
        quotes = self.quotes | {e.get("id") for e in tables.get("entries", [])
                                if e.get("speaker_id") in self.people}
        changed = False

        def empty(row: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
            nonlocal changed
            new = {**row, **{k: v for k, v in fields.items() if k in row}}
            changed = changed or new != row
            return new

        for table, rows in tables.items():
            if table == "contacts":
                tables[table] = [empty(r, EMPTIED_CONTACT) if r.get("id") in self.people
                                 else r for r in rows]
            elif table == "entries":
                tables[table] = [empty(r, {"text": ""}) if r.get("speaker_id") in self.people
                                 else r for r in rows]
            elif table == "key_learnings":
                tables[table] = [empty(r, {"text": "", "correction": ""})
                                 if r.get("source_entry_id") in quotes else r for r in rows]
        return tables if changed else None


def redact_folder(index: ArchiveIndex, folder: ArchiveFolder, opener: Opener) -> \
        RedactionSummary:
    """Replace every accepted bundle that holds an erased person with a redacted copy.
    Only the files accepted since the last pass are read, unless a new erasure came."""
    if not index.has_erasures():
        return RedactionSummary((), 0)
    accepted = folder.accepted()
    erased = sorted(index.erased_contacts())
    try:
        last = json.loads(index.meta(META_REDACTED) or "{}")
    except ValueError:
        last = {}
    seen = set(last.get("files", [])) if isinstance(last, dict) and \
        last.get("erased") == erased else set()
    todo = [f for f in accepted if f.path.name not in seen]
    if not todo:
        return RedactionSummary((), 0)
    eraser = Eraser(index)
    signing_key = folder.signing_key()
    redacted = []
    for file in todo:
        with opener(file.path) as bundle:
            tables = eraser.rows(bundle)
            if tables is None:
                continue
            original = original_of(bundle) if is_redacted_copy(
                bundle, folder.signing_public) else _record(bundle, file)
            folder.replace_accepted(file, lambda out, b=bundle, t=tables, o=original: _write(
                out, b, t, o, signing_key, erased))
            redacted.append(file.path.name)
    # recorded only once every copy is in place: a lead killed on the way does it again
    state = {"erased": erased, "files": sorted(f.path.name for f in accepted)}
    index.apply(IndexChanges(meta={META_REDACTED: json.dumps(state)}))
    return RedactionSummary(tuple(redacted), len(todo))


def _record(bundle: VerifiedBundle, file: AcceptedFile) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(file.path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return {"file_sha256": digest.hexdigest(), "manifest_sha256": bundle.manifest_sha256,
            "signature": base64.b64encode(bundle.signature).decode("ascii"),
            "signer_key": bundle.signer_key, "signer_fingerprint": bundle.signer_fingerprint,
            "sealed": bundle.sealed}


def _write(out: Any, bundle: VerifiedBundle, tables: dict[str, list[dict[str, Any]]],
           original: dict[str, Any], signing_key: Any, erased: list[str]) -> None:
    m = bundle.manifest
    writer = BundleWriter(out)
    try:
        for table, rows in tables.items():
            writer.add_records(table, rows)
        for sha in m.attachments:
            writer.add_attachment(sha, bundle.attachment(sha))
        extra = {**m.extra, REDACTION: {"original": original, "erased": erased}}
        writer.finish(signing_key, device_id=m.device_id, sequence=m.sequence,
                      previous_sequence=m.previous_sequence, complete=m.complete,
                      app_version=m.app_version, extra=extra, bundle_id=m.bundle_id,
                      created_at=m.created_at, archive=m.archive)
    except BaseException:
        writer.abandon()
        raise
