"""The merge rule: new, duplicate, late, fast-forward and conflicting copies of a record."""

from __future__ import annotations

from voc_desktop.sync.merge import Outcome, decide, version


def row(device: str, revision: int, base: str | None = None) -> dict:
    return {"id": "r1", "device_id": device, "revision": revision, "base_version": base}


def test_first_copy_is_new():
    """A record never seen before is new."""
    assert decide(None, row("a", 1)) is Outcome.NEW


def test_same_version_twice_is_a_duplicate():
    """The same version arriving again changes nothing."""
    assert decide(row("a", 3), row("a", 3, base="a:1")) is Outcome.DUPLICATE


def test_one_devices_copies_order_by_revision():
    """From one device the higher revision wins, whatever order the bundles come in."""
    assert decide(row("a", 2), row("a", 5)) is Outcome.UPDATED
    assert decide(row("a", 5), row("a", 2)) is Outcome.STALE


def test_edit_based_on_what_is_held_fast_forwards():
    """A change made on top of the held version replaces it."""
    assert decide(row("a", 2), row("b", 3, base="a:2")) is Outcome.UPDATED


def test_edits_in_two_places_conflict():
    """A change based on an older version, or on nothing shared, is a conflict."""
    assert decide(row("a", 3), row("b", 3, base="a:2")) is Outcome.CONFLICT
    assert decide(row("a", 1), row("b", 1)) is Outcome.CONFLICT


def test_version_text():
    """A version names the device and the revision."""
    assert version(row("dev-1", 7)) == "dev-1:7"


def test_the_same_change_made_twice_is_no_conflict():
    """Two devices that wrote the same content do not conflict."""
    here = {**row("a", 2), "name": "Acme", "created_at": "x"}
    there = {**row("b", 2), "name": "Acme", "created_at": "y"}
    assert decide(here, there) is Outcome.DUPLICATE
    assert decide(here, {**there, "name": "Acme Ltd"}) is Outcome.CONFLICT


def test_guide_versions_with_one_id_are_one_guide():
    """A guide version stored on two laptops is the same version, never a conflict."""
    assert decide(row("a", 1), row("b", 1), "guide_versions") is Outcome.DUPLICATE
    assert decide(row("a", 1), row("b", 1), "accounts") is Outcome.CONFLICT
