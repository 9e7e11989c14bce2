"""The same customer from two laptops: likely duplicate accounts, and merging them.

Suggestions come from names that read the same once case, punctuation and legal forms are
set aside, and from contacts the accounts share by name. A merge is a file in the archive
folder (sync/account_merges.py), so every lead's index reads the same merges; the index
keeps the mapping and derives the findings of the visits concerned again.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from voc_desktop.services.errors import ServiceError
from voc_desktop.store.archive_findings import FindingStore
from voc_desktop.sync.account_merges import mapping, read_merges, write_merge
from voc_desktop.sync.archive_folder import ArchiveFolder

# legal forms and filler words that do not tell two companies apart
_NOISE = {"ltd", "limited", "inc", "llc", "gmbh", "ag", "as", "asa", "ab", "oy", "bv", "nv",
          "sa", "sas", "srl", "spa", "plc", "co", "company", "corp", "corporation", "the",
          "and", "og", "und"}


def normalised_name(name: str) -> str:
    """A company name as duplicates compare it: 'Nordic Cans A/S' and 'nordic cans' agree."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = [w for w in re.split(r"[^a-z0-9]+", text.replace("/", "")) if w]
    return " ".join(w for w in words if w not in _NOISE)


@dataclass(frozen=True)
class DuplicateSuggestion:
    account_id: str
    name: str
    visits: int
    other_id: str
    other_name: str
    other_visits: int
    reasons: tuple[str, ...]  # "same name", "shares contact Ann Berg", ...


def suggest(store: FindingStore) -> list[DuplicateSuggestion]:
    """Pairs of accounts (not merged yet) that are likely one customer, most reasons first."""
    accounts, contacts = store.duplicate_candidates()
    by_id = {a["id"]: a for a in accounts}
    reasons: dict[tuple[str, str], list[str]] = defaultdict(list)
    named: dict[str, list[str]] = defaultdict(list)
    for a in accounts:
        if key := normalised_name(a["name"] or ""):
            named[key].append(a["id"])
    for ids in named.values():
        for i, a in enumerate(sorted(ids)):
            for b in sorted(ids)[i + 1:]:
                reasons[(a, b)].append("the same name")
    people: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for c in contacts:
        key = " ".join(normalised_name(c["name"]).split())
        if key and c["account_id"] in by_id:
            people[key].add(c["account_id"])
            shown.setdefault(key, c["name"])
    for key, ids in sorted(people.items()):
        ordered = sorted(ids)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                reasons[(a, b)].append(f"both know {shown[key]}")
    found = []
    for (a, b), why in reasons.items():
        x, y = by_id[a], by_id[b]
        found.append(DuplicateSuggestion(a, x["name"], x["visits"], b, y["name"], y["visits"],
                                         tuple(why)))
    return sorted(found, key=lambda s: (-len(s.reasons), s.name.casefold(), s.other_id))


def keep_merges(store: FindingStore, folder: ArchiveFolder) -> int:
    """Bring the index's merges in step with the folder's merge files; how many accounts
    moved (their visits wait to be derived again)."""
    return store.replace_account_merges(mapping(read_merges(folder.path)))


def merge(store: FindingStore, folder: ArchiveFolder, account_id: str, into_id: str,
          by: str) -> str:
    """Merge one account into another, as a file of the folder; returns its name."""
    known = {a["id"] for a in store.account_rows([account_id, into_id])
             if a["deleted_at"] is None}
    if account_id == into_id:
        raise ServiceError("An account cannot be merged into itself.")
    if {account_id, into_id} - known:
        raise ServiceError("Both accounts must be in the archive to merge them.")
    if store.account_merges().get(into_id) == account_id:
        raise ServiceError("That account was already merged the other way round.")
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    name = write_merge(folder.path, account_id, into_id, stamp, by or "a lead")
    keep_merges(store, folder)
    return name
