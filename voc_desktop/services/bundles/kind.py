"""Telling what a `.vocbundle` file is before deciding where it goes.

Both directions of sync use the same file format. A laptop's bundle is on its way to an
archive and is normally sealed for the archive's key; an archive's pack is on its way to the
laptops and is signed but never sealed. So a sealed file is a laptop's bundle, and a plain
one says what it is in its manifest. Nothing here trusts the answer: the import that follows
verifies the signature and the contents as always.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

from voc_desktop.services.errors import ServiceError
from voc_desktop.sync import seal
from voc_desktop.sync.bundle_checks import Limits, read_small, scan_zip
from voc_desktop.sync.bundle_manifest import MANIFEST_NAME, BundleError

_ZIP = b"PK\x03\x04"


class BundleKind(Enum):
    BUNDLE = "bundle"  # a laptop's bundle, for an archive
    PACK = "pack"  # an archive's pack, for this laptop
    OTHER = "other"  # not a VOC bundle at all


def bundle_kind(path: Path | str) -> BundleKind:
    """What the file at `path` is; ServiceError when it cannot be read."""
    path = Path(path)
    try:
        with open(path, "rb", buffering=0) as fh:
            start = fh.read(len(seal.MAGIC))
            if start.startswith(seal.MAGIC_STEM):
                return BundleKind.BUNDLE
            if not start.startswith(_ZIP):
                return BundleKind.OTHER
            limits = Limits()
            entries = scan_zip(fh, limits)
            manifest = json.loads(read_small(fh, entries[MANIFEST_NAME],
                                             limits.max_manifest_size))
    except (BundleError, ValueError, KeyError):
        return BundleKind.OTHER
    except OSError as exc:
        raise ServiceError(f"{path.name} cannot be read: {exc.strerror or exc}.") from exc
    extra = manifest.get("extra") if isinstance(manifest, dict) else None
    kind = extra.get("kind") if isinstance(extra, dict) else None
    return {"pack": BundleKind.PACK, "bundle": BundleKind.BUNDLE}.get(kind, BundleKind.OTHER)
