"""The keys a laptop needs to share with the archive: its own device key, which signs its
bundles, and the archive's key, which seals them and vouches for the archive's packs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import get_meta, set_meta
from voc_desktop.store.sync_rows import delete_meta

if TYPE_CHECKING:
    from voc_desktop.sync.archive_key import ArchiveKey

META_ARCHIVE_KEY = "archive_key"
HOW_TO_ADD = "voc settings archive-key KEY"


class ArchiveKeyMissing(ServiceError):
    """A bundle should be sealed for the archive, but this laptop does not know its key."""

    def __init__(self) -> None:
        super().__init__(
            "This laptop does not know the archive's key, so the bundle cannot be encrypted. "
            f"Ask whoever keeps the archive for its key and add it with `{HOW_TO_ADD}`, or "
            "export unencrypted with --no-encrypt.")


@dataclass(frozen=True)
class DeviceKey:
    """This laptop's public signing key, to be registered with the archive."""

    device_id: str
    public_key: str  # "ed25519:<base64>"
    fingerprint: str


def device_key(ws: Workspace) -> DeviceKey:
    from voc_desktop.sync.keys import fingerprint

    public = ws.public_key
    return DeviceKey(ws.device_id, public, fingerprint(public))


def archive_key(ws: Workspace) -> ArchiveKey | None:
    """The archive key this laptop seals for and trusts packs from, if one is set."""
    text = get_meta(ws.db, META_ARCHIVE_KEY)
    if not text:
        return None
    from voc_desktop.sync.archive_key import ArchiveKeyError, parse_archive_key

    try:
        return parse_archive_key(text)
    except ArchiveKeyError as exc:
        raise ServiceError(f"The stored archive key cannot be used: {exc} Set it again with "
                           f"`{HOW_TO_ADD}`.") from exc


def set_archive_key(ws: Workspace, text: str) -> ArchiveKey:
    """Check and store the archive key; it replaces any key set before."""
    from voc_desktop.sync.archive_key import ArchiveKeyError, parse_archive_key

    try:
        key = parse_archive_key(text)
    except ArchiveKeyError as exc:
        raise ServiceError(str(exc)) from exc
    with ws.batch():
        set_meta(ws.db, META_ARCHIVE_KEY, key.text)
    return key


def clear_archive_key(ws: Workspace) -> ArchiveKey | None:
    """Forget the archive key; returns the one forgotten (None when none was set)."""
    try:
        old = archive_key(ws)
    except ServiceError:
        old = None  # a damaged key is cleared all the same
    with ws.batch():
        delete_meta(ws.db, META_ARCHIVE_KEY)
    return old
