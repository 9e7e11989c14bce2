"""Merged accounts as files of the archive folder: one file per merge a lead made, in
`merges/`, named by what it merges so the same merge written twice is one file.

What the merges mean is a function of the set of files, never of the order they arrived
in: an account merged into two others goes where the earliest merge (then the smallest
file name) says, chains are followed to their end, and a loop ends at its smallest id.
Every lead's index and every pack reads the same mapping from the same files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from voc_desktop.sync import shared_names
from voc_desktop.sync.shared_names import AlreadyThere

MERGES = "merges"
FORMAT_NAME = "voc-account-merge"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class AccountMerge:
    name: str  # the file's name
    account_id: str  # the duplicate
    into_id: str  # the account it becomes part of
    merged_at: str
    by: str  # the lead who merged them, as they name themselves


def merge_name(account_id: str, into_id: str) -> str:
    digest = hashlib.sha256(f"{account_id}>{into_id}".encode()).hexdigest()[:40]
    return f"m-{digest}.json"


def write_merge(folder: Path, account_id: str, into_id: str, merged_at: str, by: str) -> str:
    """Write one merge exclusively; the same merge written again is the file already there."""
    (folder / MERGES).mkdir(exist_ok=True)
    name = merge_name(account_id, into_id)
    data = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "account_id": account_id,
            "into_id": into_id, "merged_at": merged_at, "by": by}
    body = (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    with contextlib.suppress(AlreadyThere):
        shared_names.create_exclusively(folder / MERGES / name, lambda out: out.write(body))
    return name


def read_merges(folder: Path) -> list[AccountMerge]:
    """Every readable merge file; a damaged or foreign one is left out (and left alone)."""
    where = folder / MERGES
    if not where.is_dir():
        return []
    found = []
    for entry in sorted(where.iterdir()):
        if entry.name.startswith(".") or not entry.name.endswith(".json"):
            continue
        try:
            data = json.loads(entry.read_bytes()[:1 << 16].decode("utf-8"))
            if data.get("format") != FORMAT_NAME or data.get("format_version") != 1:
                continue
            fields = [data[k] for k in ("account_id", "into_id", "merged_at", "by")]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if not all(isinstance(v, str) for v in fields) or fields[0] == fields[1] \
                or entry.name != merge_name(fields[0], fields[1]):
            continue
        found.append(AccountMerge(entry.name, *fields))
    return found


def mapping(merges: Iterable[AccountMerge]) -> dict[str, str]:
    """account id -> the account it is part of now, for every merged account."""
    chosen: dict[str, AccountMerge] = {}
    for m in sorted(merges, key=lambda m: (m.merged_at, m.name)):
        chosen.setdefault(m.account_id, m)  # the earliest merge of an account stands
    into = {a: m.into_id for a, m in chosen.items()}
    resolved: dict[str, str] = {}
    for start in into:
        path, at = [start], into[start]
        while at in into and at not in path:
            path.append(at)
            at = into[at]
        end = min(path[path.index(at):]) if at in path else at  # a loop ends at its least
        for a in path:
            if a != end:
                resolved[a] = end
    return resolved
