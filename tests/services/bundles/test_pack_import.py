"""Packs into a laptop: the archive's rows merged by the one rule, conflicts reported and
not applied, erasures honoured, and anything not from this laptop's archive refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from support.laptop_sync import (
    Archive,
    Filled,
    fill,
    ids,
    make_pack,
    raw,
    read_bundle,
    snapshot,
    stamp,
)

from voc_desktop.domain.accounts import Consent
from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.sync import keys, seal
from voc_desktop.sync.archive_key import archive_key_text


@pytest.fixture(scope="module")
def archive() -> Archive:
    return Archive.new()


@pytest.fixture(scope="module")
def other_archive() -> Archive:
    return Archive.new()


@pytest.fixture
def filled(ws: Workspace, archive: Archive, tmp_path: Path) -> Filled:
    return fill(ws, archive, tmp_path)


@pytest.fixture
def shared(filled: Filled) -> Filled:
    """The filled workspace after its first bundle went out, with Bob's consent then
    changed here (so Bob's row is ahead of what the archive saw)."""
    from voc_desktop.services.accounts import record_consent

    bundles.export_bundle(filled.ws, filled.out)
    record_consent(filled.ws, filled.bob, Consent(given=True, method="written"))
    return filled


def round_trip_pack(s: Filled, archive: Archive, path: Path) -> Path:
    """A pack with a new account and contact, the laptop's account changed at the archive,
    Anna unchanged, and Bob changed at the archive as well."""
    ws = s.ws
    acme = raw(ws, "accounts", s.account_id)
    anna, bob = raw(ws, "contacts", s.anna), raw(ws, "contacts", s.bob)
    globex = {**acme, "id": "globex", "name": "Globex", "change_seq": 77,
              "device_id": "laptop-2", "revision": 1, "base_version": None}
    sam = {**anna, "id": "sam", "account_id": "globex", "name": "Sam", "device_id": "laptop-2",
           "revision": 1, "base_version": None}
    return make_pack(path, archive.signer, {
        "accounts": [globex, stamp(acme, "archive-1", 1, acme["base_version"]) | {
            "vertical": "Food"}],
        "contacts": [anna, sam, stamp(bob, "laptop-2", 5, f"{ws.device_id}:1") | {
            "title": "Owner"}],
    })


def test_pack_round_trip(shared: Filled, archive: Archive, tmp_path: Path) -> None:
    """A pack adds new rows, fast-forwards shared ones, leaves equal ones alone, and
    reports a row changed on both sides while keeping this laptop's copy."""
    ws = shared.ws
    bob_before = raw(ws, "contacts", shared.bob)
    pack = round_trip_pack(shared, archive, tmp_path / "p.vocbundle")
    summary = bundles.import_pack(ws, pack)
    assert (summary.new, summary.updated, summary.duplicates) == (2, 1, 1)
    assert summary.tables["accounts"].new == 1 and summary.tables["contacts"].conflicts == 1
    assert [(c.table, c.id, c.laptop_version, c.archive_version)
            for c in summary.conflicts] == [
        ("contacts", shared.bob, f"{ws.device_id}:2", "laptop-2:5")]
    assert (summary.sequence, summary.archive_id) == (3, "arch")
    assert ws.accounts.get("globex").name == "Globex"
    assert ws.accounts.contact("sam").account_id == "globex"
    acme = raw(ws, "accounts", shared.account_id)
    assert acme["vertical"] == "Food" and acme["base_version"] == "archive-1:1"
    assert raw(ws, "accounts", "globex")["base_version"] == "laptop-2:1"
    assert raw(ws, "accounts", "globex")["change_seq"] is None
    assert raw(ws, "contacts", shared.bob) == bob_before
    # what came from the archive is not sent back; Bob's own change still is
    source = bundles.gather_bundle(ws)
    assert {t: ids(rows) for t, rows in source.tables.items() if rows} == {
        "contacts": {shared.bob}}


def test_the_same_pack_twice_changes_nothing(shared: Filled, archive: Archive,
                                             tmp_path: Path) -> None:
    """Importing a pack again finds every row here already (the conflict stays reported)."""
    ws = shared.ws
    pack = round_trip_pack(shared, archive, tmp_path / "p.vocbundle")
    bundles.import_pack(ws, pack)
    before = snapshot(ws)
    again = bundles.import_pack(ws, pack)
    assert (again.new, again.updated, again.duplicates, len(again.conflicts)) == (0, 0, 4, 1)
    assert snapshot(ws) == before


def test_a_pack_from_another_archive_is_refused(shared: Filled, archive: Archive,
                                                other_archive: Archive,
                                                tmp_path: Path) -> None:
    """A pack signed by any key but the stored archive's is refused, nothing changed."""
    pack = round_trip_pack(shared, other_archive, tmp_path / "p.vocbundle")
    before = snapshot(shared.ws)
    with pytest.raises(ServiceError, match="This pack was not made by your archive"):
        bundles.import_pack(shared.ws, pack)
    assert snapshot(shared.ws) == before


def test_a_laptop_bundle_is_not_a_pack(shared: Filled, tmp_path: Path) -> None:
    """A bundle made by a laptop is refused as a pack, even when its signer is trusted."""
    ws = shared.ws
    signer = Ed25519PrivateKey.generate()
    bundles.set_archive_key(ws, archive_key_text(seal.new_archive_key(),
                                                 keys.public_key_text(signer)))
    pack = make_pack(tmp_path / "b.vocbundle", signer, {"accounts": []}, kind="bundle")
    with pytest.raises(ServiceError, match="is a laptop's bundle"):
        bundles.import_pack(ws, pack)


def test_a_pack_needs_the_archive_key(ws: Workspace, archive: Archive, tmp_path: Path) -> None:
    """Without a stored archive key a pack cannot be checked, so it is refused."""
    pack = make_pack(tmp_path / "p.vocbundle", archive.signer, {"accounts": []})
    with pytest.raises(ServiceError, match="Add the key with `voc settings archive-key KEY`"):
        bundles.import_pack(ws, pack)


def test_a_broken_file_is_refused_with_its_name(filled: Filled, tmp_path: Path) -> None:
    """A file that is not a bundle gives one line naming it."""
    bad = tmp_path / "junk.vocbundle"
    bad.write_bytes(b"not a bundle at all")
    with pytest.raises(ServiceError, match="junk.vocbundle: This file is not a VOC bundle"):
        bundles.import_pack(filled.ws, bad)


@pytest.mark.parametrize(("row", "says"), [
    ({"revision": None}, "valid 'revision'"),
    ({"device_id": ""}, "lacks 'device_id'"),
    ({"name": ["a", "list"]}, "holds a list or object in 'name'"),
    ({"account_id": "no-such-account"}, "contacts row late cannot be stored"),
])
def test_a_bad_row_refuses_the_whole_pack(shared: Filled, archive: Archive, tmp_path: Path,
                                          row: dict, says: str) -> None:
    """One row that cannot be stored refuses the pack; rows before it are not kept."""
    ws = shared.ws
    anna = raw(ws, "contacts", shared.anna)
    good = {**anna, "id": "early", "name": "Early", "device_id": "laptop-2", "revision": 1}
    late = {**good, "id": "late", **row}
    pack = make_pack(tmp_path / "p.vocbundle", archive.signer,
                     {"contacts": [good, late]})
    before = snapshot(ws)
    with pytest.raises(ServiceError, match=says):
        bundles.import_pack(ws, pack)
    assert snapshot(ws) == before


def many_people(ws: Workspace, anna: str, count: int) -> list[dict]:
    row = raw(ws, "contacts", anna)
    return [{**row, "id": f"person-{i}", "name": f"Person {i}", "device_id": "laptop-2",
             "revision": 1, "base_version": None} for i in range(count)]


def test_a_pack_is_merged_a_batch_at_a_time(shared: Filled, archive: Archive,
                                            tmp_path: Path, monkeypatch) -> None:
    """With batches of 4, the first rows are written while most of the pack is unread,
    and every row arrives."""
    from voc_desktop.services.bundles import pack_import
    from voc_desktop.sync.bundle_reader import VerifiedBundle

    ws = shared.ws
    read = [0]
    real_records = VerifiedBundle.records

    def counted(self, table):
        for row in real_records(self, table):
            read[0] += table == "contacts"
            yield row

    monkeypatch.setattr(VerifiedBundle, "records", counted)
    monkeypatch.setattr(pack_import, "BATCH_ROWS", 4)
    pack = make_pack(tmp_path / "p.vocbundle", archive.signer,
                     {"contacts": many_people(ws, shared.anna, 30)})
    read_at_insert: list[int] = []
    ws.db.conn.set_trace_callback(
        lambda sql: read_at_insert.append(read[0])
        if sql.startswith('INSERT INTO "contacts"') else None)
    try:
        summary = bundles.import_pack(ws, pack)
    finally:
        ws.db.conn.set_trace_callback(None)
    assert summary.tables["contacts"].new == 30
    assert read_at_insert and read_at_insert[0] <= 4
    assert raw(ws, "contacts", "person-29")["name"] == "Person 29"


def test_a_bad_row_late_in_a_pack_leaves_the_workspace_as_it_was(
        shared: Filled, archive: Archive, tmp_path: Path, monkeypatch) -> None:
    """Row 28 of 30 is bad after six batches were merged: nothing of the pack stays."""
    from voc_desktop.services.bundles import pack_import

    monkeypatch.setattr(pack_import, "BATCH_ROWS", 4)
    ws = shared.ws
    people = many_people(ws, shared.anna, 30)
    people[27]["revision"] = 0
    pack = make_pack(tmp_path / "p.vocbundle", archive.signer, {"contacts": people})
    before = snapshot(ws)
    with pytest.raises(ServiceError, match="contacts row 28 has no valid 'revision'"):
        bundles.import_pack(ws, pack)
    assert snapshot(ws) == before


def test_an_erasure_from_the_archive_is_applied_and_holds(shared: Filled, archive: Archive,
                                                          tmp_path: Path) -> None:
    """A pack's erasure empties the person here; their rows in the same pack are dropped,
    and the erasure is not sent back to the archive."""
    ws = shared.ws
    anna = raw(ws, "contacts", shared.anna)
    quote = raw(ws, "entries", shared.quote_id)
    pack = make_pack(tmp_path / "p.vocbundle", archive.signer, {
        "contacts": [stamp(anna, "archive-1", 1, f"{ws.device_id}:1")],
        "entries": [stamp(quote, "archive-1", 1, f"{ws.device_id}:1")],
        "erasures": [{"contact_id": shared.anna, "account_id": shared.account_id,
                      "erased_at": "2030-06-01T00:00:00.000Z", "device_id": "archive-1"}],
    })
    summary = bundles.import_pack(ws, pack)
    assert summary.erasures == 1 and summary.totals.dropped == 2
    assert raw(ws, "contacts", shared.anna)["name"] == ""
    assert raw(ws, "entries", shared.quote_id)["text"] == ""
    assert ws.visits.learning(shared.learning_id) is None
    source = bundles.gather_bundle(ws)
    assert source.tables["erasures"] == []
    assert shared.anna in ids(source.tables["contacts"])
    again = bundles.import_pack(ws, pack)
    assert again.erasures == 0 and again.totals.dropped == 2
    with pytest.raises(ServiceError, match="already erased"):
        bundles.erase_contact(ws, shared.anna)


def test_a_pack_brings_its_attachments(shared: Filled, archive: Archive,
                                       tmp_path: Path) -> None:
    """Attachments a pack carries are stored under their hash, with their names."""
    data = b"a floor plan" * 100
    sha = hashlib.sha256(data).hexdigest()
    pack = make_pack(tmp_path / "p.vocbundle", archive.signer, {"attachment_files": [
        {"sha256": sha, "name": "plan.pdf", "mime": "application/pdf", "size": len(data)}]},
        attachments=(data,))
    assert bundles.import_pack(shared.ws, pack).attachments == 1
    assert shared.ws.attachments.data(sha) == data
    assert shared.ws.attachments.mime(sha) == "application/pdf"
    assert bundles.import_pack(shared.ws, pack).attachments == 0


def test_a_sealed_pack_is_explained(shared: Filled, archive: Archive, tmp_path: Path) -> None:
    """A pack sealed for an archive cannot be read here; the message says so."""
    plain = make_pack(tmp_path / "p.vocbundle", archive.signer, {"accounts": []})
    sealed = tmp_path / "sealed.vocbundle"
    seal.seal(plain, sealed, archive.box.public_key())
    before = snapshot(shared.ws)
    with pytest.raises(ServiceError, match="sealed.vocbundle: This bundle is encrypted"):
        bundles.import_pack(shared.ws, sealed)
    assert snapshot(shared.ws) == before


def test_a_pack_of_format_3_brings_actions_owned_by_no_one(
        filled: Filled, archive: Archive, tmp_path: Path, monkeypatch) -> None:
    """A pack made before owners were kept (format 3, no "owner" on its action items)
    imports, and its actions name no owner; a format 4 pack brings the owner."""
    from voc_desktop.sync import bundle_file

    def action(key: str, **over: object) -> dict:
        return {"id": key, "visit_id": filled.visit_id, "text": "Call back", "team": "sales",
                "status": "open", "due_date": None, "position": 5,
                "created_at": "2030-05-05T00:00:00.000Z",
                "updated_at": "2030-05-05T00:00:00.000Z", "device_id": "laptop-2",
                "revision": 1, "deleted_at": None, "base_version": None, **over}

    monkeypatch.setattr(bundle_file, "FORMAT_VERSION", 3)
    old = make_pack(tmp_path / "old.vocbundle", archive.signer,
                    {"action_items": [action("ai-old")]})
    monkeypatch.undo()
    assert read_bundle(old, None)[0].manifest.format_version == 3
    summary = bundles.import_pack(filled.ws, old)
    assert summary.tables["action_items"].new == 1
    new = make_pack(tmp_path / "new.vocbundle", archive.signer,
                    {"action_items": [action("ai-new", owner="Maria (product)")]})
    bundles.import_pack(filled.ws, new)
    owners = {a.id: a.owner for a in filled.ws.visits.actions(filled.visit_id)}
    assert owners == {"ai-old": "", "ai-new": "Maria (product)"}
