"""Packs: what the archive sends its laptops, signed with the archive's own key."""

from __future__ import annotations

import pytest
from support.archive_rows import (
    account,
    action_item,
    attendee,
    contact,
    entry,
    erasure,
    guide_version,
    key_learning,
    uid,
    visit,
)

from voc_desktop.services.errors import ServiceError
from voc_desktop.sync.archive_key import parse_archive_key
from voc_desktop.sync.bundle_file import open_bundle


@pytest.fixture
def filled(archive, make_bundle):
    archive.import_bundles([make_bundle({
        "guide_versions": [guide_version()],
        "accounts": [account("a1", name="Nord"), account("a2", name="Süd")],
        "contacts": [contact("c1", "a1"), contact("c2", "a2"), contact("c3", "a1")],
        "visits": [visit("v1", "a1"), visit("v2", "a1", status="planned"),
                   visit("v3", "a2")],
        "attendees": [attendee("at1", "v1", "c1"), attendee("at2", "v2", "c1"),
                      attendee("at3", "v3", "c2")],
        "entries": [entry("e1", "v1")],
        "key_learnings": [key_learning("k1", "v1"), key_learning("k2", "v2"),
                          key_learning("k3", "v3")],
        "action_items": [action_item("ai1", "v1")],
        "erasures": [erasure("c3", "a1")]})])
    return archive


def read_pack(path):
    with open_bundle(path) as pack:
        tables = {t: list(pack.records(t)) for t in pack.manifest.tables}
        return pack, tables


def ids(rows):
    return sorted(r.get("id") or r.get("contact_id") for r in rows)


def test_a_pack_carries_what_laptops_need_signed_by_the_archive(filled, tmp_path):
    """A plain pack of guides, accounts, contacts, completed visits with their learnings and
    action items, and erasures, archive-signed."""
    summary = filled.write_pack(tmp_path / "all.vocbundle")
    assert summary.path.read_bytes()[:4] == b"PK\x03\x04"
    pack, tables = read_pack(summary.path)
    key = parse_archive_key(filled.info.key_text)
    assert pack.signer_key == key.signing_public_text and not pack.sealed
    m = pack.manifest
    assert m.device_id == filled.archive_id and m.complete
    assert m.extra == {"kind": "pack", "archive_id": filled.archive_id}
    assert sorted(tables) == ["accounts", "action_items", "attendees", "contacts", "erasures",
                              "guide_versions", "key_learnings", "visits"]
    assert ids(tables["action_items"]) == [uid("ai1")]
    assert ids(tables["visits"]) == sorted([uid("v1"), uid("v3")])
    assert ids(tables["key_learnings"]) == sorted([uid("k1"), uid("k3")])
    assert ids(tables["attendees"]) == sorted([uid("at1"), uid("at3")])
    assert ids(tables["contacts"]) == sorted([uid("c1"), uid("c2")])  # c3 was never stored
    assert ids(tables["erasures"]) == [uid("c3")]
    assert tables["accounts"][0]["base_version"] is None and "revision" in tables["accounts"][0]
    assert summary.accounts == ("Nord", "Süd") and summary.counts["visits"] == 2


def test_a_pack_for_chosen_accounts(filled, tmp_path):
    """--account by name or id beginning: only those accounts and what hangs off them."""
    summary = filled.write_pack(tmp_path, ["süd"])
    assert summary.path.parent == tmp_path and summary.path.name.endswith(" pack.vocbundle")
    pack, tables = read_pack(summary.path)
    assert ids(tables["accounts"]) == [uid("a2")] and not pack.manifest.complete
    assert ids(tables["visits"]) == [uid("v3")] and ids(tables["contacts"]) == [uid("c2")]
    assert len(tables["guide_versions"]) == 1 and ids(tables["erasures"]) == [uid("c3")]
    by_id = filled.write_pack(tmp_path / "one.vocbundle", [uid("a1")[:6]])
    assert by_id.accounts == ("Nord",)


def test_an_unknown_account_is_named(filled, tmp_path):
    """A name that matches nothing stops the pack before any file is written."""
    with pytest.raises(ServiceError, match="'Ost' matches no account"):
        filled.write_pack(tmp_path / "x.vocbundle", ["Ost"])
    assert not (tmp_path / "x.vocbundle").exists()
