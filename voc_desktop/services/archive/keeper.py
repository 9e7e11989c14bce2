"""The shared archive: a folder of accepted bundles (the truth) and a local index of them.

    with Archive.open(folder) as archive:
        report = archive.import_bundles([path, ...])

Every command first lets the index catch up with the folder (bundles accepted or conflicts
resolved elsewhere, or an import that was cut off after its file was accepted), so an index
never lags behind the folder it was built from. All methods raise ServiceError for problems
a person can act on; a bundle that cannot be taken in is reported, not raised.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from voc_desktop.services.archive.findings import refresh_findings
from voc_desktop.services.archive.intake import (
    WORK_FOLDER,
    check_bundle_file,
    clear_work_files,
    index_trouble,
    one_line,
    private_folder,
)
from voc_desktop.services.archive.pack import rebuild_index, write_pack
from voc_desktop.services.archive.redaction import redact_folder
from voc_desktop.services.archive.replay import (
    META_LAST_BUNDLE,
    META_LAST_EVENT,
    Replay,
    bundle_event,
    file_sha256,
    refuse_for_archive,
)
from voc_desktop.services.archive.results import (
    ArchiveInfo,
    BundleResult,
    BundleStatus,
    CatchUp,
    ConflictView,
    ImportReport,
    PackSummary,
    RebuildSummary,
    ResolutionResult,
)
from voc_desktop.services.archive.staging import (
    META_REVISION,
    BundleRejected,
    Stager,
    differing_fields,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.place import check_workspace_place
from voc_desktop.services.workspace.workspace import default_data_dir
from voc_desktop.store.archive_index import (
    ArchiveIndex,
    ArchiveIndexError,
    IndexChanges,
    UnstorableValue,
)
from voc_desktop.store.database import now_utc
from voc_desktop.sync.archive_folder import (
    AcceptedFile,
    ArchiveFolder,
    ArchiveFolderError,
    HeldEntry,
    TrustedDevice,
    copy_atomic,
)
from voc_desktop.sync.archive_key import parse_archive_key
from voc_desktop.sync.bundle_file import BundleError, VerifiedBundle, open_bundle
from voc_desktop.sync.shared_names import AlreadyThere

__all__ = ["Archive", "ArchiveInfo", "BundleResult", "BundleStatus", "CatchUp",
           "ConflictView", "HeldEntry", "ImportReport", "PackSummary", "RebuildSummary",
           "ResolutionResult", "TrustedDevice", "default_index_path", "read_archive"]

Progress = Callable[[int, int, str], None]  # files done, files in all, the file's name
_log = logging.getLogger(__name__)


def default_index_path(archive_id: str, data_dir: Path | None = None) -> Path:
    """`<data dir>/archives/<archive id>.sqlite3`: local, never inside the shared folder."""
    return Path(data_dir or default_data_dir()).expanduser() / "archives" / \
        f"{archive_id}.sqlite3"


def _folder(folder: Path) -> ArchiveFolder:
    try:
        return ArchiveFolder.open(Path(folder))
    except ArchiveFolderError as exc:
        raise ServiceError(str(exc)) from exc


def _info(folder: ArchiveFolder, index_path: Path) -> ArchiveInfo:
    key = parse_archive_key(folder.key_text)
    return ArchiveInfo(folder.path, folder.archive_id, folder.created_at, key.text,
                       key.fingerprint, index_path)


def read_archive(folder: Path, *, index: Path | None = None,
                 data_dir: Path | None = None) -> ArchiveInfo:
    """The archive's identity and key, without opening its index."""
    found = _folder(folder)
    return _info(found, Path(index) if index else default_index_path(found.archive_id,
                                                                     data_dir))


class Archive:
    """An open archive: its folder and its index (opened when first needed)."""

    def __init__(self, folder: ArchiveFolder, index_path: Path) -> None:
        self.folder = folder
        self.index_path = index_path
        self._index: ArchiveIndex | None = None
        self.archive_id = folder.archive_id
        self.redacted: list[str] = []  # files this object replaced by redacted copies

    @classmethod
    def create(cls, folder: Path, *, index: Path | None = None,
               data_dir: Path | None = None) -> Archive:
        """Make a new archive in an empty (or missing) folder, and its empty index."""
        try:
            made = ArchiveFolder.create(Path(folder))
        except ArchiveFolderError as exc:
            raise ServiceError(str(exc)) from exc
        archive = cls(made, Path(index) if index else default_index_path(made.archive_id,
                                                                          data_dir))
        _ = archive.index
        return archive

    @classmethod
    def open(cls, folder: Path, *, index: Path | None = None,
             data_dir: Path | None = None) -> Archive:
        found = _folder(folder)
        return cls(found, Path(index) if index else default_index_path(found.archive_id,
                                                                       data_dir))

    @property
    def index(self) -> ArchiveIndex:
        if self._index is None:
            # the index is a live database like the workspace; the shared folder holds only
            # finished bundles and may be anywhere
            check_workspace_place(self.index_path.parent, what="archive index")
            self.index_path.parent.mkdir(parents=True, exist_ok=True)
            for folder in (self.index_path.parent, self.work_folder):
                clear_work_files(folder)  # beside the index: left by older versions
            try:
                self._index = ArchiveIndex.open(self.index_path, self.archive_id)
            except ArchiveIndexError as exc:
                raise ServiceError(index_trouble(exc, self.index_path)) from exc
        return self._index

    def for_reading(self) -> Archive:
        """The same archive with its index opened again for reading only, on a connection
        of its own (see `ArchiveIndex.open_for_reading`). The index must exist already."""
        reading = Archive(self.folder, self.index_path)
        try:
            reading._index = ArchiveIndex.open_for_reading(self.index_path)
        except ArchiveIndexError as exc:
            raise ServiceError(index_trouble(exc, self.index_path)) from exc
        return reading

    @property
    def info(self) -> ArchiveInfo:
        return _info(self.folder, self.index_path)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _workfile(self, suffix: str) -> Path:
        """A private temporary file beside the index (local disk), never in the folder;
        its name carries this process's id, so the next start knows when it is orphaned."""
        private_folder(self.work_folder)
        fd, name = tempfile.mkstemp(prefix=f".incoming-{os.getpid()}-", suffix=suffix,
                                    dir=self.work_folder)
        os.close(fd)
        return Path(name)

    def _open(self, path: Path) -> VerifiedBundle:
        private_folder(self.work_folder)
        return open_bundle(path, archive_key=self.folder.encryption_key(),
                           workdir=self.work_folder)

    @property
    def work_folder(self) -> Path:
        """Where imports decrypt and copy bundles: beside the index (local disk), owner-only,
        never in the shared folder."""
        return self.index_path.parent / WORK_FOLDER

    # --- catching up with the folder -----------------------------------------------------

    @property
    def replay(self) -> Replay:
        return Replay(self.index, self.folder, self._open)

    def refresh(self) -> CatchUp:
        """Take in the accepted bundles and leads' choices the folder has and the index
        lacks, in the folder's canonical order (replaying it all when that calls for it)."""
        replay = self.replay
        try:
            caught = replay.catch_up()
            self._scrub_if_erased(replay)
            self._redact_folder()
        except ArchiveFolderError as exc:
            raise ServiceError(str(exc)) from exc
        except ArchiveIndexError as exc:
            raise ServiceError(index_trouble(exc, self.index_path)) from exc
        return caught

    def _scrub_if_erased(self, replay: Replay) -> None:
        """After an erasure: the findings are derived again at once (they quoted the
        person) and the index's files keep no copy of the emptied text."""
        if replay.erased:
            refresh_findings(self.index)
            self.index.scrub()
            replay.erased = False

    def _redact_folder(self) -> None:
        """After an erasure: the accepted bundles that hold the person are replaced by
        redacted copies. A folder that cannot be written now is tried again next time."""
        try:
            done = redact_folder(self.index, self.folder, self._open)
        except (OSError, BundleError, ArchiveFolderError) as exc:
            _log.warning("The archive folder could not be redacted after an erasure (%s); "
                         "the next refresh tries again.", one_line(exc))
            return
        self.redacted += [n for n in done.redacted if n not in self.redacted]
        if done.redacted:
            _log.info("Redacted %d accepted bundle(s) after an erasure: %s",
                      len(done.redacted), ", ".join(done.redacted))

    # --- importing -----------------------------------------------------------------------

    def import_bundles(self, paths: Iterable[Path | str], *, progress: Progress | None = None,
                       cancelled: Callable[[], bool] = lambda: False) -> ImportReport:
        """Import bundle files one after another; each is taken in whole or not at all."""
        started = time.perf_counter()
        redacted_before = len(self.redacted)
        caught_up = self.refresh()
        paths = [Path(p) for p in paths]
        results = []
        for done, path in enumerate(paths):
            if cancelled():
                break
            if progress:
                progress(done, len(paths), path.name)
            results.append(self.import_file(path))
        if progress:
            progress(len(results), len(paths), "")
        report = ImportReport(tuple(results), caught_up, tuple(self.redacted[redacted_before:]))
        _log.info("Bundles imported into the archive: %s, %.0f ms",
                  ", ".join(f"{n} {k}" for k, n in report.totals.items()),
                  (time.perf_counter() - started) * 1000)
        return report

    def import_file(self, path: Path, *, _from_held: bool = False) -> BundleResult:
        """Import one bundle file (call refresh() first when using this alone). Anything
        that goes wrong is this bundle's one line, never an exception."""
        shown = str(path)
        try:
            problem = check_bundle_file(path)
            if problem:
                return BundleResult(shown, BundleStatus.REJECTED, problem)
            sha = file_sha256(path)
        except OSError as exc:
            return BundleResult(shown, BundleStatus.REJECTED,
                                f"the file cannot be read: {exc.strerror or exc}")
        try:
            known = self.index.bundle_by_sha(sha)
            if known:
                return self._duplicate(shown, known)
            work = self._workfile(".vocbundle")
        except (OSError, ServiceError) as exc:
            return BundleResult(shown, BundleStatus.REJECTED, one_line(exc))
        try:
            copy_atomic(path, work, sha)
            with self._open(work) as bundle:
                return self._import_verified(shown, bundle, work, sha, _from_held)
        except (OSError, BundleError, BundleRejected, ArchiveFolderError, ArchiveIndexError,
                ServiceError) as exc:
            _log.debug("Bundle %s not taken in", shown, exc_info=True)
            reason = index_trouble(exc, self.index_path) if isinstance(
                exc, ArchiveIndexError) else one_line(exc)
            return BundleResult(shown, BundleStatus.REJECTED, reason)
        finally:
            work.unlink(missing_ok=True)

    def _duplicate(self, shown: str, known: dict[str, Any]) -> BundleResult:
        return BundleResult(shown, BundleStatus.DUPLICATE,
                            f"already accepted as {known['file_name']}", known["bundle_id"],
                            known["device_id"], known["sequence"], known["signer_fingerprint"],
                            known["file_name"])

    def _import_verified(self, shown: str, bundle: VerifiedBundle, work: Path, sha: str,
                         from_held: bool) -> BundleResult:
        m = bundle.manifest
        known = self.index.bundle_by_id(m.bundle_id)
        if known:
            return self._duplicate(shown, known)
        refuse_for_archive(bundle, self.archive_id, self.folder.signing_public)
        if self.folder.trusted_key(bundle.signer_key) is None:
            return self._hold(shown, bundle, work, sha, from_held)
        if self.folder.bind_device(m.device_id, bundle.signer_key) != bundle.signer_key:
            raise BundleRejected(f"the bundle says it comes from device {m.device_id}, but "
                                 "another laptop's key signs for that device.")
        replay = self.replay
        replay.check_writer(bundle)
        accepted = self.folder.accepted_file(m.created_at, m.sequence, m.bundle_id)
        result = self._accept_on_top(replay, bundle, shown, work, sha, accepted)
        self._scrub_if_erased(replay)
        self._redact_folder()
        if result is None:
            # it sorts before what this index holds: checked whole (its writes undone), put
            # in the folder, then the folder replayed
            with self.index.trial():
                Stager(self.index, self.archive_id, m.bundle_id, m.device_id).stage(bundle)
            with contextlib.suppress(AlreadyThere):
                self.folder.accept(work, accepted, sha)
            caught = self.refresh()
            result = next((r for r in caught.bundles if r.stored_as == accepted.path.name
                           or r.file == accepted.path.name), None)
            if result is None:
                found = self.index.bundle_by_id(m.bundle_id)
                return self._duplicate(shown, found) if found else BundleResult(
                    shown, BundleStatus.REJECTED, "the archive folder did not keep it")
            result = dataclasses.replace(result, file=shown)
        if not from_held and self.folder.held_entry(m.bundle_id):
            self.folder.release(m.bundle_id)  # held before its device was trusted
        return result

    def _accept_on_top(self, replay: Replay, bundle: VerifiedBundle, shown: str, work: Path,
                       sha: str, accepted: AcceptedFile) -> BundleResult | None:
        """The usual case: the bundle sorts after all this index holds, so it is staged,
        put in the folder and recorded in one index transaction. None when it sorts
        earlier. A lead who put the same bundle in the folder first makes it a duplicate."""
        m = bundle.manifest
        event = bundle_event(accepted)
        try:
            with self.index.batch():
                known = self.index.bundle_by_id(m.bundle_id)
                if known:  # another process on this index took it in meanwhile
                    return self._duplicate(shown, known)
                last = replay.last_event()
                if last is not None and event <= last:
                    return None
                arrival = time.time_ns() // 1_000_000
                try:
                    staged = Stager(self.index, self.archive_id, m.bundle_id,
                                    m.device_id).stage(bundle)
                    result = replay.commit(bundle, shown, sha, accepted, staged, arrival)
                except UnstorableValue as exc:
                    raise BundleRejected(f"the bundle holds a value the archive cannot store "
                                         f"({exc}).") from exc
                self.folder.accept(work, accepted, sha, arrival)
                self.index.apply(IndexChanges(meta={META_LAST_EVENT: json.dumps(list(event))}))
        except AlreadyThere:
            self.refresh()
            found = self.index.bundle_by_id(m.bundle_id)
            return self._duplicate(shown, found) if found else BundleResult(
                shown, BundleStatus.REJECTED, "the same bundle in the archive folder is "
                "refused there")
        except ArchiveIndexError as exc:
            if accepted.path.exists():
                return BundleResult(shown, BundleStatus.IMPORTED,
                                    f"accepted into the archive folder; this index could "
                                    f"not record it ({index_trouble(exc, self.index_path)}) "
                                    "and catches up next time", m.bundle_id, m.device_id,
                                    m.sequence, bundle.signer_fingerprint, accepted.path.name)
            raise
        return result

    def _hold(self, shown: str, bundle: VerifiedBundle, work: Path, sha: str,
              from_held: bool) -> BundleResult:
        m = bundle.manifest
        reason = f"held: unknown device {bundle.signer_fingerprint}"
        if not from_held and self.folder.held_entry(m.bundle_id) is None:
            self.folder.hold(work, sha, {
                "bundle_id": m.bundle_id, "signer_key": bundle.signer_key,
                "signer_fingerprint": bundle.signer_fingerprint, "device_id": m.device_id,
                "sequence": m.sequence, "created_at": m.created_at,
                "original_name": Path(shown).name, "counts": m.counts})
        return BundleResult(shown, BundleStatus.HELD, reason, m.bundle_id, m.device_id,
                            m.sequence, bundle.signer_fingerprint)

    # --- trust and held bundles ----------------------------------------------------------

    def trust(self, key_text: str, name: str = "") -> tuple[TrustedDevice, bool]:
        """Enrol a device key (`ed25519:...`); False with the device if it was known."""
        try:
            return self.folder.trust(key_text, name)
        except (ArchiveFolderError, OSError) as exc:
            raise ServiceError(str(exc)) from exc

    def distrust(self, ref: str) -> TrustedDevice:
        """Take a device off the trusted list by its key or fingerprint (a lost laptop)."""
        try:
            gone = self.folder.distrust(ref)
        except (ArchiveFolderError, OSError) as exc:
            raise ServiceError(str(exc)) from exc
        _log.info("A device was taken off the trusted list")
        return gone

    def devices(self) -> list[TrustedDevice]:
        return self._folder_call(self.folder.trusted)

    def held(self) -> list[HeldEntry]:
        return self._folder_call(self.folder.held)

    def _folder_call(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except (ArchiveFolderError, OSError) as exc:
            raise ServiceError(str(exc)) from exc

    def find_held(self, ref: str) -> HeldEntry:
        ref = ref.strip()
        held = self.held()
        matches = [h for h in held if h.bundle_id == ref] or [
            h for h in held if len(ref) >= 4 and h.bundle_id.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ServiceError(f"'{ref}' matches several held bundles; give more of the id.")
        raise ServiceError(f"No held bundle {ref}. `voc archive held DIR` lists them.")

    def accept(self, bundle_ref: str, name: str = "") -> tuple[TrustedDevice, BundleResult]:
        """Trust the signer of a held bundle and import it; it leaves held/ unless rejected."""
        entry = self.find_held(bundle_ref)
        device, _ = self.trust(entry.signer_key, name or f"device {entry.device_id[:8]}")
        self.refresh()
        result = self.import_file(entry.path, _from_held=True)
        if result.status is not BundleStatus.REJECTED:
            self.folder.release(entry.bundle_id)
        return device, result

    def refuse(self, bundle_ref: str) -> HeldEntry:
        """Remove a held bundle. Nothing is remembered: imported again, it is held again."""
        entry = self.find_held(bundle_ref)
        self._folder_call(lambda: self.folder.release(entry.bundle_id))
        return entry

    # --- conflicts -----------------------------------------------------------------------

    def conflicts(self, *, include_closed: bool = False) -> list[ConflictView]:
        self.refresh()
        rows = self.index.conflicts(None if include_closed else "open")
        return [self._view(c) for c in rows]

    def conflict(self, conflict_id: int) -> ConflictView:
        row = self.index.conflict(conflict_id)
        if row is None:
            raise ServiceError(f"No conflict {conflict_id}. `voc archive conflicts DIR` lists "
                               "them.")
        return self._view(row)

    def _view(self, c: dict[str, Any]) -> ConflictView:
        current = self.index.row(c["record_table"], c["record_id"])
        incoming = json.loads(c["incoming_row"]) if c["incoming_row"] else None
        fields = differing_fields(current, incoming) if current and incoming else []
        return ConflictView(c["id"], c["record_table"], c["record_id"], c["status"],
                            c["bundle_id"], c["current_version"], c["incoming_version"],
                            current, incoming, tuple(fields), c["kept"], c["resolved_at"],
                            tuple({k: r[k] for k in ("file_name", "outcome", "detail")}
                                  for r in self.index.resolutions_of(c["id"])))

    def resolve(self, conflict_id: int, keep: str) -> ResolutionResult:
        """Settle a conflict: keep the `current` or the `incoming` row. The kept row becomes
        current as a new version of the archive's own; a choice file records it. When a
        lead elsewhere settled it first, their choice stands and this one says so."""
        if keep not in ("current", "incoming"):
            raise ServiceError("Say which row to keep: current or incoming.")
        self.refresh()
        view = self.conflict(conflict_id)
        if view.status != "open":
            raise ServiceError(f"Conflict {conflict_id} is {view.status}; only an open "
                               "conflict can be resolved.")
        assert view.current is not None and view.incoming is not None
        revision = max(int(self.index.meta(META_REVISION) or 0), view.current["revision"],
                       view.incoming["revision"]) + 1
        data = {"format": "voc-resolution", "format_version": 2, "record_table": view.table,
                "record_id": view.record_id, "current_version": view.current_version,
                "incoming_version": view.incoming_version, "keep": keep,
                "resolved_at": now_utc(), "resolved_version": f"{self.archive_id}:{revision}",
                "after": self.index.meta(META_LAST_BUNDLE) or ""}
        try:
            name = self.folder.write_choice(data)
        except (ArchiveFolderError, OSError) as exc:
            raise ServiceError(one_line(exc)) from exc
        self.refresh()
        mine = next((r for r in self.index.resolutions() if r["file_name"] == name), None)
        settled = self.index.conflict(mine["conflict_id"]) if mine and mine["conflict_id"] \
            else None
        return ResolutionResult(
            conflict_id, settled["kept"] if settled and settled["kept"] else keep,
            settled["resolved_version"] if settled else data["resolved_version"], name,
            mine["outcome"] if mine else "waiting", mine["detail"] if mine else "")

    def overruled(self) -> list[dict[str, Any]]:
        """Choices that settled nothing, and why (another lead settled it first, a damaged
        file): shown, never silently dropped."""
        return [r for r in self.index.resolutions()
                if r["outcome"] in ("overruled", "unusable", "waiting")]

    # --- packs and rebuilding ------------------------------------------------------------

    def write_pack(self, output: Path, accounts: Sequence[str] = ()) -> PackSummary:
        self.refresh()
        return write_pack(self.index, self.folder, Path(output), accounts)

    def rebuild(self) -> RebuildSummary:
        """Build the index anew from the folder (accepted bundles in order, resolutions
        among them where they were made) and put it in place of this one."""
        self.close()

        def fill(scratch: Path) -> CatchUp:
            fresh = Archive(self.folder, scratch)
            try:
                return fresh.refresh()
            finally:
                fresh.close()

        return rebuild_index(self.index_path, fill)
