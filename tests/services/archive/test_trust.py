"""Trusted devices, and bundles held until a person accepts or refuses them."""

from __future__ import annotations

import json

import pytest
from support.archive_rows import account, file_hash, uid

from voc_desktop.services.archive.keeper import BundleStatus
from voc_desktop.services.errors import ServiceError
from voc_desktop.sync import keys


@pytest.fixture
def held(archive, make_bundle, stranger_key, dump):
    """A bundle from a laptop the archive does not know, imported once."""
    before = dump(archive)
    path = make_bundle({"accounts": [account("a9", name="Stranger GmbH", device="dev-x")]},
                       key=stranger_key,
                       device_id="dev-x")
    report = archive.import_bundles([path])
    return archive, report.bundles[0], path, before


def test_a_bundle_from_an_unknown_device_is_held_not_merged(held, dump, stranger_key):
    """It waits in held/ with its description; the index does not change."""
    archive, result, path, before = held
    fingerprint = keys.fingerprint(keys.public_key_text(stranger_key))
    assert result.status is BundleStatus.HELD
    assert result.reason == f"held: unknown device {fingerprint}"
    assert dump(archive) == before
    [entry] = archive.held()
    assert (entry.bundle_id, entry.signer_fingerprint, entry.device_id) == (
        result.bundle_id, fingerprint, "dev-x")
    assert entry.original_name == path.name and entry.counts == {"accounts": 1}
    assert file_hash(entry.path) == file_hash(path)
    assert sorted(p.name for p in (archive.folder.path / "held").iterdir()) == [
        f"{result.bundle_id}.json", f"{result.bundle_id}.vocbundle"]


def test_a_held_bundle_imported_again_is_held_once(held):
    """Importing the same bundle again reports it held, without a second copy."""
    archive, _, path, _ = held
    [again] = archive.import_bundles([path]).bundles
    assert again.status is BundleStatus.HELD
    assert len(archive.held()) == 1 and len(list((archive.folder.path / "held").iterdir())) == 2


def test_accepting_trusts_the_device_and_imports(held, stranger_key, make_bundle):
    """Accept enrols the signer, imports the bundle and empties held/ for good."""
    archive, result, _, _ = held
    device, imported = archive.accept(result.bundle_id[:8], "Ana's laptop")
    assert device.name == "Ana's laptop" and device.key == keys.public_key_text(stranger_key)
    assert imported.status is BundleStatus.IMPORTED and imported.new == 1
    assert archive.index.row("accounts", uid("a9"))["name"] == "Stranger GmbH"
    assert archive.held() == [] and list((archive.folder.path / "held").iterdir()) == []
    later = make_bundle({"accounts": [account("a8", device="dev-x")]}, key=stranger_key,
                        device_id="dev-x",
                        sequence=2)
    assert archive.import_bundles([later]).bundles[0].status is BundleStatus.IMPORTED


def test_refusing_removes_the_bundle_and_is_not_remembered(held, dump):
    """Refuse deletes it from held/; the same file imported again is held again."""
    archive, result, path, before = held
    entry = archive.refuse(result.bundle_id)
    assert entry.bundle_id == result.bundle_id and archive.held() == []
    assert dump(archive) == before
    assert archive.import_bundles([path]).bundles[0].status is BundleStatus.HELD


def test_unknown_held_bundle_is_an_error(archive):
    """Accept and refuse name the bundle that is not there."""
    with pytest.raises(ServiceError, match="No held bundle nope"):
        archive.accept("nope")
    with pytest.raises(ServiceError, match="No held bundle"):
        archive.refuse("1234")


def test_trust_list_is_kept_in_the_folder(archive, stranger_key):
    """Enrolling writes trusted-devices.json with name and time; enrolling twice is a no-op."""
    text = " " + keys.public_key_text(stranger_key) + "\n"
    device, added = archive.trust(text, "Tablet")
    assert added and device.fingerprint == keys.fingerprint(text.strip())
    again, added = archive.trust(text, "Other name")
    assert not added and again.name == "Tablet"
    data = json.loads((archive.folder.path / "trusted-devices.json").read_text())
    assert [d["name"] for d in data["devices"]] == ["Laptop A", "Laptop B", "Tablet"]
    assert all(d["enrolled_at"] for d in data["devices"])
    assert [d.name for d in archive.devices()] == ["Laptop A", "Laptop B", "Tablet"]


@pytest.mark.parametrize("text", ["", "ed25519:AAAA", "x25519:" + "A" * 43 + "=",
                                  "voc-archive-1:abc:def"])
def test_a_key_that_is_not_a_device_key_is_refused(archive, text):
    """Only an `ed25519:` key of the right length can be enrolled."""
    with pytest.raises(ServiceError, match="'ed25519:' followed by 44 characters"):
        archive.trust(text, "x")


def test_trusting_first_then_importing_empties_held(held, stranger_key):
    """A held bundle imported again after its device was trusted leaves held/."""
    archive, _, path, _ = held
    archive.trust(keys.public_key_text(stranger_key), "Ana")
    [result] = archive.import_bundles([path]).bundles
    assert result.status is BundleStatus.IMPORTED and archive.held() == []


def test_a_lost_laptop_is_distrusted_and_its_next_bundles_are_held(archive, make_bundle,
                                                                    laptop_key, dump):
    """Distrusting by fingerprint holds the laptop's later bundles; what it sent before stays,
    also when the index is rebuilt from the folder."""
    first = make_bundle({"accounts": [account("a1", name="Before GmbH")]})
    assert archive.import_bundles([first]).bundles[0].status is BundleStatus.IMPORTED
    fingerprint = keys.fingerprint(keys.public_key_text(laptop_key))
    gone = archive.distrust(fingerprint)
    assert gone.name == "Laptop A"
    assert [d.name for d in archive.devices()] == ["Laptop B"]
    later = make_bundle({"accounts": [account("a2", name="After GmbH")]}, sequence=2)
    before = dump(archive)
    assert "Before GmbH" in str(before)
    [result] = archive.import_bundles([later]).bundles
    assert result.status is BundleStatus.HELD and fingerprint in result.reason
    assert dump(archive) == before
    archive.rebuild()
    assert dump(archive) == before  # still Before GmbH, and no After GmbH
    with pytest.raises(ServiceError, match="No trusted device has the key or fingerprint"):
        archive.distrust(fingerprint)
