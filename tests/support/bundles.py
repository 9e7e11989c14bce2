"""A hand-made zip writer and signed manifests, for building hostile bundle files.

The same builders as the bundle file layer's tests use (tests/sync/conftest.py), kept here
so any test module can import them: every header field can be set by hand, so a test gets
exactly the odd name, link, lying size or duplicate it needs.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from voc_desktop.sync.bundle_manifest import sign_manifest

FILE_MODE = 0o100644 << 16
LINK_MODE = 0o120777 << 16


@dataclass
class Entry:
    """One member as written: `data` unpacked; every header field may be overridden."""
    name: str | bytes
    data: bytes = b""
    method: int = zipfile.ZIP_DEFLATED
    external_attr: int = FILE_MODE
    flags: int = 0x800
    raw: bytes | None = None          # the packed bytes, when not derived from data
    size: int | None = None           # declared unpacked size
    crc: int | None = None
    offset: int | None = None         # local header offset the directory claims
    central_only: bool = False        # listed in the directory, no local copy written


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def write_zip(path: Path, entries: list[Entry], *, zip64_end: bool = False) -> Path:
    """Write `entries` as a zip; `zip64_end` adds the large-file end records."""
    local, central = bytearray(), bytearray()
    for e in entries:
        name = e.name.encode("utf-8") if isinstance(e.name, str) else e.name
        raw = e.raw if e.raw is not None else (
            _deflate(e.data) if e.method == zipfile.ZIP_DEFLATED else e.data)
        size = len(e.data) if e.size is None else e.size
        crc = zlib.crc32(e.data) if e.crc is None else e.crc
        offset = len(local) if e.offset is None else e.offset
        if not e.central_only:
            local += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, e.flags, e.method, 0, 0x21,
                                 crc, len(raw), size, len(name), 0) + name + raw
        central += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, e.flags,
                               e.method, 0, 0x21, crc, len(raw), size, len(name), 0, 0, 0, 0,
                               e.external_attr, offset) + name
    count, size, offset = len(entries), len(central), len(local)
    end = b""
    if zip64_end:
        end = (struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size,
                           offset)
               + struct.pack("<4sLQL", b"PK\x06\x07", 0, offset + size, 1))
        count, size, offset = 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF
    end += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, offset, 0)
    path.write_bytes(bytes(local + central + end))
    return path


def manifest_for(contents: dict[str, bytes], **changes) -> dict:
    """A manifest that truly describes `contents`, with `changes` applied on top."""
    counts = {m.group(1): data.count(b"\n") for name, data in contents.items()
              if (m := re.fullmatch(r"records/(\w+)\.jsonl", name))}
    manifest = {
        "format": "voc-bundle", "format_version": 1, "bundle_id": str(uuid.uuid4()),
        "device_id": "dev-a", "sequence": 1, "previous_sequence": None, "complete": True,
        "created_at": "2026-05-09T07:35:25+00:00", "app_version": "0.1.0",
        "members": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                    for name, data in contents.items()},
        "counts": counts, "extra": {"kind": "bundle"},
    }
    manifest.update(changes)
    return manifest


def signed_entries(key: Ed25519PrivateKey, contents: dict[str, bytes], *,
                   manifest: dict | bytes | None = None) -> list[Entry]:
    """Entries for a properly signed bundle holding `contents` (or the given manifest)."""
    if manifest is None:
        manifest = manifest_for(contents)
    raw = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    return ([Entry("manifest.json", raw), Entry("manifest.sig", sign_manifest(raw, key))]
            + [Entry(name, data) for name, data in contents.items()])


def jsonl(*rows) -> bytes:
    return b"".join(json.dumps(row).encode() + b"\n" for row in rows)


def zero_bomb() -> tuple[bytes, int, int]:
    """(raw deflate, CRC-32, size) of 1 GiB of zeros, made without deflating 1 GiB."""
    zeros = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    raw = block * 1024 + packer.flush()
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(zeros, crc)
    return raw, crc, 1 << 30
