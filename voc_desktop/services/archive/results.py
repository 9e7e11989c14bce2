"""What the archive's services return: plain values a window or the command line shows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


class BundleStatus(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"  # this file or this bundle was accepted before
    HELD = "held"  # signed by a device the archive does not trust (yet)
    REJECTED = "rejected"


@dataclass(frozen=True)
class ArchiveInfo:
    folder: Path
    archive_id: str
    created_at: str
    key_text: str  # `voc-archive-1:...`, for laptops
    key_fingerprint: str
    index_path: Path


@dataclass(frozen=True)
class BundleResult:
    """What became of one bundle file."""
    file: str
    status: BundleStatus
    reason: str = ""  # why rejected or held, or which accepted bundle it duplicates
    bundle_id: str | None = None
    device_id: str | None = None
    sequence: int | None = None
    signer_fingerprint: str | None = None
    stored_as: str | None = None  # its name in bundles/ once accepted
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    conflicts: int = 0
    erased: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, StrEnum) else v) for k, v in vars(self).items()}


@dataclass(frozen=True)
class CatchUp:
    """What the index took in from the folder that it did not know yet."""
    bundles: tuple[BundleResult, ...] = ()
    resolutions: int = 0


@dataclass(frozen=True)
class ImportReport:
    bundles: tuple[BundleResult, ...]
    caught_up: CatchUp
    # accepted files replaced by redacted copies, because they held an erased person
    redacted: tuple[str, ...] = ()

    def _sum(self, name: str) -> int:
        return sum(getattr(b, name) for b in (*self.caught_up.bundles, *self.bundles))

    def count(self, status: BundleStatus) -> int:
        return sum(b.status is status for b in (*self.caught_up.bundles, *self.bundles))

    @property
    def totals(self) -> dict[str, int]:
        return {"imported": self.count(BundleStatus.IMPORTED),
                "duplicate_bundles": self.count(BundleStatus.DUPLICATE),
                "held": self.count(BundleStatus.HELD),
                "rejected": self.count(BundleStatus.REJECTED),
                **{n: self._sum(n) for n in ("new", "updated", "duplicates", "conflicts",
                                             "erased")}}

    @property
    def ok(self) -> bool:
        return self.count(BundleStatus.REJECTED) == 0


@dataclass(frozen=True)
class ConflictView:
    id: int
    table: str
    record_id: str
    status: str  # open, resolved, superseded (a later copy from the same device) or erased
    bundle_id: str
    current_version: str  # as it was when the conflict arose
    incoming_version: str
    current: dict[str, Any] | None  # the row held now
    incoming: dict[str, Any] | None  # None once erased
    fields: tuple[str, ...]  # data fields where the two differ
    kept: str | None
    resolved_at: str | None
    # leads' choices on it: {"file_name", "outcome", "detail"} (applied, agrees, overruled…)
    choices: tuple[dict[str, Any], ...] = ()

    @property
    def is_deletion(self) -> bool:
        """The incoming copy deletes a live record another laptop made: it waits for a
        lead to accept (keep incoming) or refuse (keep current)."""
        return bool(self.incoming and self.incoming.get("deleted_at") and self.current
                    and not self.current.get("deleted_at"))


@dataclass(frozen=True)
class ResolutionResult:
    conflict_id: int
    keep: str  # what the conflict keeps now (another lead's choice, when theirs came first)
    version: str  # the new current version, the archive's own
    file_name: str
    outcome: str = "applied"  # or overruled: a choice placed before it settled it otherwise
    detail: str = ""


@dataclass(frozen=True)
class PackSummary:
    path: Path
    bundle_id: str
    counts: dict[str, int]
    accounts: tuple[str, ...]  # names of the accounts carried
    size: int


@dataclass(frozen=True)
class RebuildSummary:
    index_path: Path
    bundles: int
    resolutions: int
    refused: tuple[str, ...] = ()  # one line per accepted file the index could not take in
