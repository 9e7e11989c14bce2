"""Rows as a laptop's bundle carries them, and bundle files made from them directly.

Built with BundleWriter alone, so the archive's tests do not depend on a laptop workspace.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from voc_desktop.sync import seal
from voc_desktop.sync.bundle_file import BundleWriter, Manifest

STAMP = "2026-05-09T07:35:25.000Z"


def uid(n: int | str) -> str:
    """A stable UUID text for a small number or word, so tests can name rows."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"voc-test/{n}"))


def record(device: str, revision: int = 1, base: str | None = None,
           deleted_at: str | None = None, **columns: Any) -> dict[str, Any]:
    return {**columns, "created_at": STAMP, "updated_at": STAMP, "device_id": device,
            "revision": revision, "deleted_at": deleted_at, "base_version": base}


def account(key: str, name: str = "Bäckerei Nord", device: str = "dev-a", revision: int = 1,
            base: str | None = None, **over: Any) -> dict[str, Any]:
    return record(device, revision, base, **{
        "id": uid(key), "name": name, "vertical": "Food", "segment": "SMB",
        "lifecycle_stage": "customer", "in_icp": 1, "icp_note": "", **over})


def contact(key: str, account_key: str, name: str = "Ruth Okoro", device: str = "dev-a",
            revision: int = 1, base: str | None = None, **over: Any) -> dict[str, Any]:
    return record(device, revision, base, **{
        "id": uid(key), "account_id": uid(account_key), "name": name, "title": "Head of ops",
        "roles": '["user"]', "consent_given": 1, "consent_quote_by_name": 1,
        "consent_method": "verbal", "consent_at": STAMP, "consent_scope": "internal", **over})


def guide_version(key: str = "guide", device: str = "dev-a", **over: Any) -> dict[str, Any]:
    return record(device, 1, None, **{"id": uid(key), "guide_id": "default", "version": 1,
                                      "name": "Default guide", "body": "{}", **over})


def visit(key: str, account_key: str, device: str = "dev-a", revision: int = 1,
          base: str | None = None, status: str = "completed", **over: Any) -> dict[str, Any]:
    return record(device, revision, base, **{
        "id": uid(key), "account_id": uid(account_key), "guide_version_id": uid("guide"),
        "objective": "Understand their week", "visit_date": "2026-05-08", "place": "Hamburg",
        "interviewers": '["Ana"]', "lifecycle_stage": "customer", "status": status,
        "started_at": STAMP, "ended_at": STAMP, "current_question": None,
        "skipped_questions": "[]", "summary_skip_reason": "", "next_contact_date": None,
        **over})


def attendee(key: str, visit_key: str, contact_key: str, device: str = "dev-a",
             **over: Any) -> dict[str, Any]:
    return record(device, 1, None, **{"id": uid(key), "visit_id": uid(visit_key),
                                      "contact_id": uid(contact_key), "roles": "[]", **over})


def entry(key: str, visit_key: str, text: str = "They count stock by hand.",
          kind: str = "answer", device: str = "dev-a", revision: int = 1,
          base: str | None = None, position: int = 0, **over: Any) -> dict[str, Any]:
    return record(device, revision, base, **{
        "id": uid(key), "visit_id": uid(visit_key), "kind": kind, "text": text,
        "question_key": "q1", "parent_id": None, "speaker_id": None, "speaker_ids": "[]",
        "attachment_sha": None, "attachment_name": "", "offset_seconds": 60, "tags": "[]",
        "position": position, **over})


def key_learning(key: str, visit_key: str, text: str = "Stock counts cost a day a week.",
                 device: str = "dev-a", **over: Any) -> dict[str, Any]:
    return record(device, 1, None, **{"id": uid(key), "visit_id": uid(visit_key),
                                      "text": text, "source_entry_id": None,
                                      "status": "confirmed", "correction": "", "position": 0,
                                      **over})


def action_item(key: str, visit_key: str, device: str = "dev-a", **over: Any
                ) -> dict[str, Any]:
    return record(device, 1, None, **{"id": uid(key), "visit_id": uid(visit_key),
                                      "text": "Send the pricing sheet", "team": "sales",
                                      "status": "open", "due_date": None, "position": 0,
                                      "owner": "", **over})


def erasure(contact_key: str, account_key: str, device: str = "dev-a",
            at: str = "2026-05-10T09:00:00.000Z") -> dict[str, Any]:
    return {"contact_id": uid(contact_key), "account_id": uid(account_key), "erased_at": at,
            "device_id": device}


def attachment_file(data: bytes, name: str = "shelf.jpg",
                    mime: str = "image/jpeg") -> dict[str, Any]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "name": name, "mime": mime,
            "size": len(data)}


def write_bundle(path: Path, key: Ed25519PrivateKey, tables: dict[str, list[dict[str, Any]]],
                 *, device_id: str = "dev-a", sequence: int = 1, previous: int | None = None,
                 seal_for: X25519PublicKey | None = None, attachments: tuple[bytes, ...] = (),
                 extra: dict[str, Any] | None = None, bundle_id: str | None = None,
                 archive: str | None = None, created_at: str | None = None) -> Manifest:
    """A laptop-style bundle at `path`, sealed for `seal_for` when given."""
    path = Path(path)
    target = path if seal_for is None else Path(tempfile.mkstemp(dir=path.parent)[1])
    with BundleWriter(target) as writer:
        for table, rows in tables.items():
            writer.add_records(table, rows)
        for data in attachments:
            writer.add_attachment(hashlib.sha256(data).hexdigest(), data)
        manifest = writer.finish(key, device_id=device_id, sequence=sequence,
                                 previous_sequence=previous, complete=previous is None,
                                 app_version="0.1.0", bundle_id=bundle_id,
                                 archive=archive, created_at=created_at,
                                 extra=extra if extra is not None else
                                 {"kind": "bundle", "workspace_id": device_id})
    if seal_for is not None:
        seal.seal(target, path, seal_for)
        target.unlink()
    return manifest


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
