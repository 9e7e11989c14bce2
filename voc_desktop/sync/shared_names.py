"""Names of the files leads add to a shared archive folder, and how they are created.

Several leads may write to one folder on storage without working locks. So a file's name
follows from what it holds (the same whoever writes it), it is created exclusively (a
second writer of the same file finds it there and stops), and every file has a place in
one canonical order that every index replays alike:

    bundles/20261207T013706000000Z 000000012 <bundle id>.vocbundle
                                                          a bundle, by its signed time and
                                                          its device's sequence number
    bundles/000042 <bundle id>.vocbundle                  older folders: by arrival
    resolutions/c-<conflict>-<content>.json                a lead's choice, by content
    resolutions/000042 conflict-7.json                     older folders

A choice sorts right after the last bundle its lead's index had taken in when it was made.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voc_desktop.safe_files import fsync_folder

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
OLD_BUNDLE_NAME = re.compile(rf"(\d{{6,}}) ({_UUID})\.vocbundle")
BUNDLE_NAME = re.compile(rf"(\d{{8}}T\d{{12}}Z \d{{9}}) ({_UUID})\.vocbundle")
OLD_CHOICE_NAME = re.compile(r"(\d{6,}) conflict-(\d+)\.json")
CHOICE_NAME = re.compile(r"c-([0-9a-f]{32})-([0-9a-f]{16})\.json")
TEMP_SUFFIX = ".tmp"
# A temporary file older than this was left by a process that was killed: no copy into the
# folder takes this long, so no live import still owns it.
LEFTOVER_AGE_SECONDS = 3600


class AlreadyThere(Exception):
    """The file already exists under its final name (another lead wrote it first)."""


# A place in the canonical order: (bundle key, 0, name) for a bundle, (the key of the bundle
# it follows, 1, made at, name) for a choice. Keys of old names sort before every new one.
EventKey = tuple[str, int, str, str]


def old_bundle_key(order: int, bundle_id: str) -> str:
    return f"0 {order:012d} {bundle_id}"


def bundle_key(place: str, bundle_id: str) -> str:
    return f"1 {place} {bundle_id}"


def stamp(created_at: str) -> str:
    """`created_at` (ISO-8601 UTC) as a fixed-width text that sorts as time does."""
    moment = datetime.fromisoformat(created_at).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%S") + f"{moment.microsecond:06d}Z"


def bundle_place(created_at: str, sequence: int) -> str:
    """The signed time, then the device's sequence (bundles made within one second)."""
    return f"{stamp(created_at)} {sequence:09d}"


def bundle_name(created_at: str, sequence: int, bundle_id: str) -> str:
    return f"{bundle_place(created_at, sequence)} {bundle_id}.vocbundle"


def parse_bundle_name(name: str) -> tuple[str, str] | None:
    """(canonical key, bundle id) of an accepted file's name, or None for another file."""
    if match := BUNDLE_NAME.fullmatch(name):
        return bundle_key(match.group(1), match.group(2)), match.group(2)
    if match := OLD_BUNDLE_NAME.fullmatch(name):
        return old_bundle_key(int(match.group(1)), match.group(2)), match.group(2)
    return None


def conflict_digest(table: str, record_id: str, current_version: str,
                    incoming_version: str) -> str:
    """Names one conflict the same way in every index (its number is local to an index)."""
    text = json.dumps([table, record_id, current_version, incoming_version])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def choice_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def choice_name(data: dict[str, Any]) -> str:
    digest = conflict_digest(data["record_table"], data["record_id"], data["current_version"],
                             data["incoming_version"])
    return f"c-{digest}-{hashlib.sha256(choice_bytes(data)).hexdigest()[:16]}.json"


def choice_key(name: str, data: dict[str, Any]) -> EventKey | None:
    """Where a choice file sorts, or None when its name is not a choice's."""
    if match := OLD_CHOICE_NAME.fullmatch(name):
        # after every bundle of that arrival number ("~" sorts after any bundle id)
        return f"0 {int(match.group(1)):012d} ~", 1, str(data.get("resolved_at", "")), name
    if CHOICE_NAME.fullmatch(name):
        return str(data["after"]), 1, str(data["resolved_at"]), name
    return None


def temp_name(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}")


def create_exclusively(dest: Path, write: Any, *, mode: int = 0o444,
                       mtime_ms: int | None = None) -> None:
    """Write a file by way of a temporary one in the same folder, then link it to `dest`:
    the link fails when `dest` exists, so two writers of one name end with one file, and
    a reader never sees half of it. `write(fh)` fills the file. Raises AlreadyThere."""
    tmp = temp_name(dest)
    try:
        with open(tmp, "xb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            tmp.chmod(mode)
            if mtime_ms is not None:
                os.utime(tmp, ns=(mtime_ms * 1_000_000, mtime_ms * 1_000_000))
        try:
            os.link(tmp, dest)
        except FileExistsError:
            raise AlreadyThere(dest.name) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                 errno.EMLINK):
                raise
            _create_without_links(tmp, dest)  # storage without hard links
    finally:
        tmp.unlink(missing_ok=True)
    fsync_folder(dest.parent)


def _create_without_links(tmp: Path, dest: Path) -> None:
    """O_EXCL creation where the storage has no hard links: still one file per name."""
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise AlreadyThere(dest.name) from None
    with os.fdopen(fd, "wb") as out, open(tmp, "rb") as src:
        while chunk := src.read(1 << 20):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


def clear_old_temps(folder: Path, now: float | None = None) -> int:
    """Remove temporary files a killed writer left in a shared folder, once they are old
    enough that no live writer can still own them; how many went."""
    cleared = 0
    now = time.time() if now is None else now
    with contextlib.suppress(OSError):
        for path in folder.glob(f".*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > LEFTOVER_AGE_SECONDS:
                    path.unlink()
                    cleared += 1
    return cleared


@dataclass(frozen=True)
class ChoiceFile:
    """A lead's choice read from resolutions/: its place in the order, or why it is not
    usable (a damaged or unknown file is reported, and skipped alike by every index)."""
    name: str
    key: EventKey | None
    data: dict[str, Any]
    problem: str = ""
