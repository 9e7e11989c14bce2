"""Shared pieces for the laptop sync tests: an archive's keys, a filled workspace, packs
made as the archive makes them, and ways to look at rows and bundles.

Import from here in tests: `from support.laptop_sync import Archive, fill, make_pack, ...`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from voc_desktop.domain.accounts import Consent
from voc_desktop.services import interview
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.visits import plan_visit, start_visit
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.sync import keys, seal
from voc_desktop.sync.archive_key import archive_key_text
from voc_desktop.sync.bundle_file import BundleWriter, open_bundle

PHOTO = bytes(range(256)) * 40
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()
SYNCED = bundles.SYNCED


@dataclass
class Archive:
    box: X25519PrivateKey
    signer: Ed25519PrivateKey

    @classmethod
    def new(cls) -> Archive:
        return cls(seal.new_archive_key(), Ed25519PrivateKey.generate())

    @property
    def text(self) -> str:
        return archive_key_text(self.box, keys.public_key_text(self.signer))


@dataclass
class Filled:
    ws: Workspace
    account_id: str
    anna: str
    bob: str
    visit_id: str
    quote_id: str
    learning_id: str
    photo_entry_id: str
    out: Path


def fill(ws: Workspace, archive: Archive, tmp_path: Path) -> Filled:
    """An account, two people, a visit with a quote by Anna, a key learning drawn from it and
    a photo, and the archive key set; `out` is an empty folder for bundles."""
    acme = create_account(ws, "Acme Bakery")
    anna = add_contact(ws, acme.id, "Anna Berg", title="Head baker",
                       consent=Consent(given=True, quote_by_name=True, method="verbal"))
    bob = add_contact(ws, acme.id, "Bob Stone")
    visit = plan_visit(ws, acme.id, "Why renewals slip", visit_date="2030-03-04",
                       attendees=((anna.id, ()), (bob.id, ())))
    start_visit(ws, visit.id)
    quote = interview.add_quote(ws, visit.id, "We lose a day each week", speaker_id=anna.id)
    learning = interview.toggle_key_learning(ws, quote.id)
    photo = tmp_path / "oven.jpg"
    photo.write_bytes(PHOTO)
    entry = interview.attach_file(ws, visit.id, photo, caption="The oven")
    bundles.set_archive_key(ws, archive.text)
    out = tmp_path / "out"
    out.mkdir()
    assert learning is not None
    return Filled(ws, acme.id, anna.id, bob.id, visit.id, quote.id, learning.id, entry.id, out)


def raw(ws: Workspace, table: str, record_id: str) -> dict[str, Any]:
    cur = ws.db.execute(f'SELECT * FROM "{table}" WHERE id = ?', [record_id])
    return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))


def snapshot(ws: Workspace) -> dict[str, list[tuple]]:
    """Every row of every table that sync touches, to prove nothing changed."""
    return {t: ws.db.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
            for t in (*SYNCED, "erasures", "meta", "attachments")}


def read_bundle(path: Path, archive: Archive | None) -> tuple[Any, dict[str, list[dict]]]:
    """The verified bundle and its rows by table; "_files" maps attachment hashes to bytes."""
    with open_bundle(path, archive_key=archive.box if archive else None) as b:
        tables = {t: list(b.records(t)) for t in b.manifest.tables}
        files = {sha: b.attachment(sha) for sha in b.manifest.attachments}
        return b, {**tables, "_files": files}  # type: ignore[dict-item]


def ids(rows: list[dict]) -> set[str]:
    return {r["id"] for r in rows}


def stamp(row: dict[str, Any], device: str, revision: int, base: str | None) -> dict:
    """A copy of `row` as another device saved it, based on version `base`."""
    return {**row, "device_id": device, "revision": revision, "base_version": base,
            "updated_at": "2030-05-05T00:00:00.000Z"}


def make_pack(path: Path, signer: Ed25519PrivateKey, tables: dict[str, list[dict]], *,
              attachments: tuple[bytes, ...] = (), kind: str = "pack") -> Path:
    """A pack (sequence 3) as the archive writes one, signed by `signer`."""
    with BundleWriter(path) as writer:
        for table, rows in tables.items():
            writer.add_records(table, rows)
        for data in attachments:
            writer.add_attachment(hashlib.sha256(data).hexdigest(), data)
        writer.finish(signer, device_id="archive-1", sequence=3, previous_sequence=None,
                      complete=False, app_version="test",
                      extra={"kind": kind, "workspace_id": "archive-1", "archive_id": "arch"})
    return path
