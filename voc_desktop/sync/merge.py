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
# A guide version never changes once made, and its id follows from the guide and version
# number: two copies with one id are the same guide, whoever stored them.
IMMUTABLE_TABLES = frozenset({"guide_versions"})
# Bookkeeping that differs between copies of the same content.
_NOT_CONTENT = frozenset({"created_at", "updated_at", "device_id", "revision", "base_version",
                          "change_seq"})


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    DUPLICATE = "duplicate"  # the same version again
    STALE = "stale"  # an older copy from the same device, arriving late
    CONFLICT = "conflict"  # changed in two places: both kept until a person decides


def version(row: Mapping[str, Any]) -> str:
    return f"{row['device_id']}:{int(row['revision'])}"


def decide(current: Mapping[str, Any] | None, incoming: Mapping[str, Any],
           table: str | None = None) -> Outcome:
    """What to do with `incoming` given the `current` row with the same id (or None)."""
    if current is None:
        return Outcome.NEW
    if version(current) == version(incoming) or table in IMMUTABLE_TABLES \
            or same_content(current, incoming):
        return Outcome.DUPLICATE
    if current["device_id"] == incoming["device_id"]:
        # one device's own history is a straight line: the higher revision is the later one
        newer = int(incoming["revision"]) > int(current["revision"])
        return Outcome.UPDATED if newer else Outcome.STALE
    if incoming.get("base_version") == version(current):
        return Outcome.UPDATED
    return Outcome.CONFLICT


def same_content(current: Mapping[str, Any], incoming: Mapping[str, Any]) -> bool:
    """Two copies saying the same thing (the same change made in two places). Only rows that
    carry every field of the other can be compared; otherwise they count as different."""
    fields = [k for k in incoming if k not in _NOT_CONTENT and k != "id"]
    return bool(fields) and all(k in current and current[k] == incoming[k] for k in fields)
