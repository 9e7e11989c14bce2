"""How an incoming copy of a record meets the copy already held: the one rule used by the
archive when it imports bundles and by a laptop when it takes in an archive pack.

A version is "<device_id>:<revision>". Each row also says which version it was based on
when it was last shared (`base_version`), which is what tells a fast-forward from two
people changing the same thing apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

SYNCED_TABLES = ("accounts", "contacts", "guide_versions", "visits", "attendees", "entries",
                 "key_learnings", "action_items")


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    DUPLICATE = "duplicate"  # the same version again
    STALE = "stale"  # an older copy from the same device, arriving late
    CONFLICT = "conflict"  # changed in two places: both kept until a person decides


def version(row: Mapping[str, Any]) -> str:
    return f"{row['device_id']}:{int(row['revision'])}"


def decide(current: Mapping[str, Any] | None, incoming: Mapping[str, Any]) -> Outcome:
    """What to do with `incoming` given the `current` row with the same id (or None)."""
    if current is None:
        return Outcome.NEW
    if version(current) == version(incoming):
        return Outcome.DUPLICATE
    if current["device_id"] == incoming["device_id"]:
        # one device's own history is a straight line: the higher revision is the later one
        newer = int(incoming["revision"]) > int(current["revision"])
        return Outcome.UPDATED if newer else Outcome.STALE
    if incoming.get("base_version") == version(current):
        return Outcome.UPDATED
    return Outcome.CONFLICT
