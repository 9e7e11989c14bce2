"""Catching an index up with its folder: the folder's files replayed in one canonical order.

The index is a function of the folder's set of files. Accepted bundles and leads' choices
each have a place in one order (sync/shared_names.py) that does not depend on when they
arrived, and the index remembers the last place it applied. New files that all sort after
it are applied on top; a file that sorts before it (a lead elsewhere accepted a bundle made
earlier) or a file that went away makes the index replay the whole folder from the start,
inside one transaction. Either way every index of one folder ends equal to a fresh rebuild.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path

from voc_desktop.services.archive.redaction import is_redacted_copy, original_of
from voc_desktop.services.archive.results import BundleResult, BundleStatus, CatchUp
from voc_desktop.services.archive.staging import (
    BundleRejected,
    Stager,
    Tally,
    resolution_changes,
)
from voc_desktop.store.archive_index import (
    ArchiveIndex,
    IndexChanges,
    UnstorableValue,
)
from voc_desktop.sync.archive_folder import AcceptedFile, ArchiveFolder, ArchiveFolderError
from voc_desktop.sync.bundle_file import BundleError, VerifiedBundle
from voc_desktop.sync.bundle_reader import NoRoomToUnpack
from voc_desktop.sync.shared_names import ChoiceFile, EventKey

META_LAST_EVENT = "last_event"  # the place of the last file applied, as JSON
META_LAST_BUNDLE = "last_bundle"  # the key of the last bundle applied: a new choice follows it

Opener = Callable[[Path], AbstractContextManager[VerifiedBundle]]


class FolderUnreadable(Exception):
    """A file of the folder cannot be read now (not: it is bad); the replay stops before it."""


def bundle_event(accepted: AcceptedFile) -> EventKey:
    return accepted.key, 0, "", accepted.path.name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def arrival_time(path: Path) -> int:
    """When the file reached the folder, in milliseconds (now, for a file about to be put
    there with this time)."""
    try:
        return path.stat().st_mtime_ns // 1_000_000
    except FileNotFoundError:
        return time.time_ns() // 1_000_000


def _time_text(ms: int) -> str:
    moment = datetime.fromtimestamp(ms // 1000, UTC).replace(microsecond=ms % 1000 * 1000)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def refuse_for_archive(bundle: VerifiedBundle, archive_id: str, signing_public: str) -> None:
    """Refusals that follow from the bundle alone: a pack, or a bundle for another archive."""
    m = bundle.manifest
    if m.extra.get("kind") == "pack" or m.device_id == archive_id:
        raise BundleRejected("this is an archive pack, made for laptops; an archive takes in "
                             "bundles from laptops only.")
    meant_for = m.archive
    if meant_for is not None and meant_for != signing_public:
        raise BundleRejected("this bundle was made for another archive; only that archive "
                             "takes it in.")


class Replay:
    """Applies the folder's files to one index."""

    def __init__(self, index: ArchiveIndex, folder: ArchiveFolder, opener: Opener) -> None:
        self.index, self.folder, self.opener = index, folder, opener
        self.archive_id = folder.archive_id
        self.erased = False  # an erasure was applied: its text must leave the disk too

    def last_event(self) -> EventKey | None:
        text = self.index.meta(META_LAST_EVENT)
        return tuple(json.loads(text)) if text else None  # type: ignore[return-value]

    # --- the whole catch-up ---------------------------------------------------------------

    def catch_up(self) -> CatchUp:
        """Take in what the folder has and the index lacks; replay from the start when
        the folder's order calls for it. Stops (and keeps what it applied) at a file that
        cannot be read now; a file that is bad is refused alike by every index."""
        self.folder.clear_leftovers()
        try:
            accepted = self.folder.accepted()
            choice_names = {p.name for p in (self.folder.path / "resolutions").iterdir()
                            if not p.name.startswith(".")}
        except OSError as exc:
            raise ArchiveFolderError(f"The archive folder cannot be read: "
                                     f"{exc.strerror or exc}.") from exc
        index = self.index
        results: list[BundleResult] = []
        count = 0
        with index.batch():
            known = index.bundle_file_names() | {r["file_name"] for r in index.refused_files()}
            seen_choices = index.applied_resolutions()
            fresh = [f for f in accepted if f.path.name not in known]
            choices = self.folder.choices(skip=seen_choices)
            last = self.last_event()
            placed = [c for c in choices if c.key is not None]
            earliest = min([*(bundle_event(f) for f in fresh), *(c.key for c in placed)],
                           default=None)
            gone = (known - {f.path.name for f in accepted}) or (seen_choices - choice_names)
            if gone or (last is not None and earliest is not None and earliest <= last):
                self.erased = self.erased or index.has_erasures()  # scrub what goes now
                index.reset()
                fresh, choices = accepted, self.folder.choices()
                placed = [c for c in choices if c.key is not None]
            for choice in choices:
                if choice.key is None:
                    self._unusable(choice)
            events: list[tuple[EventKey, AcceptedFile | ChoiceFile]] = [
                *((bundle_event(f), f) for f in fresh), *((c.key, c) for c in placed)]
            for key, item in sorted(events, key=lambda e: e[0]):
                if isinstance(item, AcceptedFile):
                    try:
                        results.append(self.take_in(item))
                    except FolderUnreadable as exc:
                        results.append(BundleResult(item.path.name, BundleStatus.REJECTED,
                                                    str(exc)))
                        break
                    self._retry_waiting()
                else:
                    self.apply_choice(item)
                    count += 1
                self._set_meta({META_LAST_EVENT: json.dumps(list(key))})
        return CatchUp(tuple(results), count)

    def _set_meta(self, meta: dict[str, str]) -> None:
        self.index.apply(IndexChanges(meta=meta))

    # --- bundles --------------------------------------------------------------------------

    def take_in(self, accepted: AcceptedFile) -> BundleResult:
        """Apply one accepted file at its place; a bad file is recorded as refused."""
        name = accepted.path.name
        try:
            sha = file_sha256(accepted.path)
            with self.opener(accepted.path) as bundle:
                self.check_writer(bundle)
                return self.commit(bundle, name, sha, accepted)
        except (OSError, NoRoomToUnpack) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise FolderUnreadable(f"the accepted file {name} cannot be taken in now "
                                   f"({why}); the index stops before it and catches up "
                                   "later.") from exc
        except (BundleError, BundleRejected, UnstorableValue, ArchiveFolderError) as exc:
            reason = f"the accepted file {name} in the archive folder is refused: {exc}"
            self.index.apply(IndexChanges(refused=(name, json.dumps(
                list(bundle_event(accepted))), reason)))
            return BundleResult(name, BundleStatus.REJECTED, reason)

    def check_writer(self, bundle: VerifiedBundle) -> None:
        """A bundle is for this archive and speaks for the device whose key signed it."""
        refuse_for_archive(bundle, self.archive_id, self.folder.signing_public)
        if is_redacted_copy(bundle, self.folder.signing_public):
            return  # the archive's own copy of a bundle it accepted, after an erasure
        m = bundle.manifest
        bound = self.folder.device_key(m.device_id) or self.index.device_signer(m.device_id)
        if bound is not None and bound != bundle.signer_key:
            raise BundleRejected(f"the bundle says it comes from device {m.device_id}, but "
                                 "another laptop's key signs for that device.")

    def commit(self, bundle: VerifiedBundle, file: str, sha: str, accepted: AcceptedFile,
               staged: tuple[IndexChanges, Tally] | None = None,
               arrival: int | None = None) -> BundleResult:
        with self.index.atomic():  # a refused bundle leaves none of its rows behind
            return self._commit(bundle, file, sha, accepted, staged, arrival)

    def _commit(self, bundle: VerifiedBundle, file: str, sha: str, accepted: AcceptedFile,
                staged: tuple[IndexChanges, Tally] | None, arrival: int | None
                ) -> BundleResult:
        m = bundle.manifest
        arrival = arrival if arrival is not None else arrival_time(accepted.path)
        changes, tally = staged or Stager(self.index, self.archive_id, m.bundle_id,
                                          m.device_id).stage(bundle)
        # a redacted copy stands for the original: the index records what that was
        original = original_of(bundle) if is_redacted_copy(
            bundle, self.folder.signing_public) else {}
        sha = original.get("file_sha256") or sha
        changes.bundle = {
            "bundle_id": m.bundle_id, "device_id": m.device_id, "sequence": m.sequence,
            "previous_sequence": m.previous_sequence, "file_sha256": sha,
            "file_name": accepted.path.name, "import_order": len(self.index.bundle_file_names())
            + 1, "imported_at": _time_text(arrival), "created_at": m.created_at,
            "app_version": m.app_version,
            "sealed": int(original.get("sealed", bundle.sealed)),
            "counts": json.dumps(m.counts, sort_keys=True),
            "signer_key": original.get("signer_key", bundle.signer_key),
            "signer_fingerprint": original.get("signer_fingerprint",
                                               bundle.signer_fingerprint), **vars(tally)}
        changes.meta[META_LAST_BUNDLE] = accepted.key
        self.index.apply(changes)
        self.erased = self.erased or bool(changes.erasures)
        return BundleResult(file, BundleStatus.IMPORTED, "", m.bundle_id, m.device_id,
                            m.sequence, bundle.signer_fingerprint, accepted.path.name,
                            **vars(tally))

    # --- choices --------------------------------------------------------------------------

    def _unusable(self, choice: ChoiceFile) -> None:
        self.index.apply(IndexChanges(resolution=(
            choice.name, None, "unusable", f"resolutions/{choice.name} is skipped: "
            f"{choice.problem}.", "")))

    def apply_choice(self, choice: ChoiceFile) -> None:
        """Settle a conflict as a choice says, at the choice's place. A conflict settled
        already by a choice placed earlier keeps that outcome: this one is overruled (and
        shown), never silently dropped; one whose conflict is not here yet waits for it."""
        data, index = choice.data, self.index
        key = json.dumps(list(choice.key or ()))
        found = index.conflicts_of(data["record_table"], data["record_id"],
                                   data["incoming_version"])
        exact = [c for c in found if c["current_version"] == data["current_version"]]
        conflict = (exact or found or [None])[-1]
        if conflict is None:
            index.apply(IndexChanges(resolution=(choice.name, None, "waiting",
                                                 "its conflict is not in this archive yet",
                                                 key)))
            return
        if conflict["status"] == "open":
            try:
                changes = resolution_changes(index, self.archive_id, choice.name, data,
                                             conflict)
            except (KeyError, TypeError, ValueError):
                self._unusable(ChoiceFile(choice.name, None, {}, "it is damaged"))
                return
            changes.resolution = (choice.name, conflict["id"], "applied", "", key)
            index.apply(changes)
            return
        if conflict["status"] == "resolved":
            same = conflict["kept"] == data["keep"]
            outcome = "agrees" if same else "overruled"
            detail = "" if same else (f"another lead settled it first, keeping "
                                      f"{conflict['kept']}")
        else:
            outcome, detail = "moot", f"the conflict was {conflict['status']} meanwhile"
        index.apply(IndexChanges(resolution=(choice.name, conflict["id"], outcome, detail,
                                             key)))

    def _retry_waiting(self) -> None:
        waiting = self.index.resolutions("waiting")
        if not waiting:
            return
        by_name = {c.name: c for c in self.folder.choices() if c.key is not None}
        for row in waiting:
            choice = by_name.get(row["file_name"])
            if choice is not None and self.index.conflicts_of(
                    choice.data["record_table"], choice.data["record_id"],
                    choice.data["incoming_version"]):
                self.apply_choice(choice)
