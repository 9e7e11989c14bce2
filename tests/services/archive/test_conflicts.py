"""Records changed in two places: kept aside, listed with both values, settled by a person."""

from __future__ import annotations

import json

import pytest
from support.archive_rows import account, uid

from voc_desktop.services.errors import ServiceError
from voc_desktop.sync.merge import Outcome, decide, version
from voc_desktop.sync.shared_names import choice_name


@pytest.fixture
def conflicted(archive, make_bundle, laptop_b_key):
    """Account a1 made on laptop A, then renamed on A and on B, each unaware of the other."""
    archive.import_bundles([make_bundle({"accounts": [account("a1", name="Nord")]})])
    a_edit = account("a1", name="Nord GmbH", revision=2, base="dev-a:1", segment="Mid")
    b_edit = account("a1", name="Bäckerei Nord AG", device="dev-b", revision=2,
                     base=None)
    archive.import_bundles([make_bundle({"accounts": [a_edit]}, sequence=2, previous=1)])
    b_path = make_bundle({"accounts": [b_edit]}, key=laptop_b_key, device_id="dev-b")
    report = archive.import_bundles([b_path])
    return archive, report, b_path, b_edit


def test_edits_on_two_devices_are_a_conflict_listed_with_both_values(conflicted):
    """The archive's copy stays, the other is kept aside, and the differing fields show."""
    archive, report, _, _ = conflicted
    assert report.bundles[0].conflicts == 1 and report.bundles[0].updated == 0
    assert archive.index.row("accounts", uid("a1"))["name"] == "Nord GmbH"
    [c] = archive.conflicts()
    assert (c.table, c.record_id, c.status) == ("accounts", uid("a1"), "open")
    assert (c.current_version, c.incoming_version) == ("dev-a:2", "dev-b:2")
    assert c.fields == ("name", "segment")
    assert (c.current["name"], c.incoming["name"]) == ("Nord GmbH", "Bäckerei Nord AG")


def test_keeping_the_incoming_value_makes_an_archive_version(conflicted):
    """The kept row becomes current as an archive version, based on the one that lost."""
    archive, _, _, _ = conflicted
    [c] = archive.conflicts()
    result = archive.resolve(c.id, "incoming")
    held = archive.index.row("accounts", uid("a1"))
    assert held["name"] == "Bäckerei Nord AG" and held["segment"] == "SMB"
    assert version(held) == result.version == f"{archive.archive_id}:3"
    assert held["base_version"] == "dev-a:2"
    assert archive.conflicts() == []
    [closed] = archive.conflicts(include_closed=True)
    assert (closed.status, closed.kept) == ("resolved", "incoming")
    data = json.loads((archive.folder.path / "resolutions" / result.file_name).read_text())
    # the file names the conflict by what it is, the same in every lead's index
    assert (data["record_table"], data["record_id"], data["current_version"],
            data["incoming_version"], data["keep"], data["resolved_version"]) == (
        "accounts", uid("a1"), c.current_version, c.incoming_version, "incoming",
        result.version)
    assert result.file_name == choice_name(data) and result.outcome == "applied"


@pytest.mark.parametrize("keep", ["current", "incoming"])
def test_laptops_move_on_from_a_resolution(conflicted, make_bundle, laptop_b_key, keep):
    """Both laptops take a resolution without conflict; the winner's next edit updates."""
    archive, _, _, b_edit = conflicted
    a_copy = account("a1", name="Nord GmbH", revision=2, base="dev-a:2", segment="Mid")
    b_copy = {**b_edit, "base_version": "dev-b:2"}
    archive.resolve(archive.conflicts()[0].id, keep)
    resolved = archive.index.row("accounts", uid("a1"))
    assert resolved["device_id"] == archive.archive_id
    for laptop_copy in (a_copy, b_copy):
        assert decide(laptop_copy, resolved, "accounts") is not Outcome.CONFLICT
    winner = a_copy if keep == "current" else b_copy
    edit = {**winner, "name": "Nord & Söhne", "revision": 3}
    key, device = (None, "dev-a") if keep == "current" else (laptop_b_key, "dev-b")
    [result] = archive.import_bundles([make_bundle({"accounts": [edit]}, key=key,
                                                   device_id=device, sequence=5)]).bundles
    assert (result.updated, result.conflicts) == (1, 0)
    assert archive.index.row("accounts", uid("a1"))["name"] == "Nord & Söhne"


def test_resolving_is_checked(conflicted):
    """Only an open conflict can be resolved, once, keeping current or incoming."""
    archive, _, _, _ = conflicted
    [c] = archive.conflicts()
    with pytest.raises(ServiceError, match="current or incoming"):
        archive.resolve(c.id, "both")
    with pytest.raises(ServiceError, match="No conflict 99"):
        archive.resolve(99, "current")
    archive.resolve(c.id, "current")
    with pytest.raises(ServiceError, match="is resolved"):
        archive.resolve(c.id, "incoming")


def test_a_settled_conflict_does_not_come_back(conflicted, make_bundle, laptop_b_key):
    """The same file, or another bundle carrying the same version again, adds nothing."""
    archive, _, b_path, b_edit = conflicted
    [c] = archive.conflicts()
    archive.resolve(c.id, "current")
    again = make_bundle({"accounts": [b_edit]}, key=laptop_b_key, device_id="dev-b",
                        sequence=2, previous=1)
    report = archive.import_bundles([b_path, again])
    assert [b.status.value for b in report.bundles] == ["duplicate", "imported"]
    assert report.bundles[1].duplicates == 1 and report.bundles[1].conflicts == 0
    assert len(archive.conflicts(include_closed=True)) == 1


def test_a_later_copy_from_the_same_device_replaces_its_waiting_conflict(conflicted,
                                                                         make_bundle,
                                                                         laptop_b_key):
    """Laptop B edits again: its newer copy waits instead of the older one."""
    archive, _, _, _ = conflicted
    newer = account("a1", name="Nord AG", device="dev-b", revision=3)
    archive.import_bundles([make_bundle({"accounts": [newer]}, key=laptop_b_key,
                                        device_id="dev-b", sequence=2, previous=1)])
    [waiting] = archive.conflicts()
    assert waiting.incoming_version == "dev-b:3" and waiting.incoming["name"] == "Nord AG"
    statuses = sorted(c.status for c in archive.conflicts(include_closed=True))
    assert statuses == ["open", "superseded"]


def test_the_same_change_made_twice_is_no_conflict(archive, make_bundle, laptop_b_key):
    """Two laptops making the identical change agree; nothing waits for a person."""
    archive.import_bundles([make_bundle({"accounts": [account("a1", name="X")]})])
    same = account("a1", name="X", device="dev-b", revision=4)
    [result] = archive.import_bundles([make_bundle({"accounts": [same]}, key=laptop_b_key,
                                                   device_id="dev-b")]).bundles
    assert (result.duplicates, result.conflicts) == (1, 0)


def test_an_old_version_arriving_again_is_stale_not_a_conflict(archive, make_bundle,
                                                               laptop_b_key):
    """The version the current row was based on, arriving in a later full export, is old."""
    archive.import_bundles([make_bundle({"accounts": [account("a1")]})])
    archive.import_bundles([make_bundle(
        {"accounts": [account("a1", name="B's", device="dev-b", revision=2, base="dev-a:1")]},
        key=laptop_b_key, device_id="dev-b")])
    again = make_bundle({"accounts": [account("a1", base="dev-a:1")]}, sequence=2)
    [result] = archive.import_bundles([again]).bundles
    assert (result.duplicates, result.conflicts) == (1, 0)
    assert archive.index.row("accounts", uid("a1"))["name"] == "B's"
