"""Keys, sample bundles and a hand-made zip writer for the bundle tests.

`write_zip` writes every header field itself, so a test can build exactly the hostile file it
needs (odd names, links, lying sizes, duplicates) instead of what `zipfile` would produce.
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
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from voc_desktop.sync import seal
from voc_desktop.sync.bundle_file import BundleError, BundleWriter, open_bundle
from voc_desktop.sync.bundle_manifest import sign_manifest

VISITS = [{"id": str(uuid.UUID(int=i)), "account": "Bäckerei Nord", "n": i, "done": i % 2 == 0,
           "note": "sagte: \"zu spät\"\nzweite Zeile 🥐", "score": None} for i in range(40)]
PHOTO = bytes(range(256)) * 64
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()
FILE_MODE = 0o100644 << 16
LINK_MODE = 0o120777 << 16


@pytest.fixture(scope="session")
def device_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def other_device_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def archive_key():
    return seal.new_archive_key()


@pytest.fixture(scope="session")
def other_archive_key():
    return seal.new_archive_key()


def write_bundle(target, key: Ed25519PrivateKey, *, tables=None, attachments=(),
                 sequence: int = 1, previous: int | None = None):
    """A real bundle from BundleWriter; returns its manifest."""
    tables = {"visits": VISITS} if tables is None else tables
    with BundleWriter(target) as writer:
        for table, rows in tables.items():
            writer.add_records(table, rows)
        for data in attachments:
            writer.add_attachment(hashlib.sha256(data).hexdigest(), data)
        return writer.finish(key, device_id="laptop-7", sequence=sequence,
                             previous_sequence=previous, complete=previous is None,
                             app_version="0.9.0", extra={"note": "test"})


@pytest.fixture
def plain_bundle(tmp_path, device_key) -> Path:
    """A plain bundle with one table and one photo."""
    path = tmp_path / "plain.vocbundle"
    write_bundle(path, device_key, attachments=[PHOTO])
    return path


@pytest.fixture
def sealed_bundle(tmp_path, plain_bundle, archive_key) -> Path:
    """The plain bundle sealed for the archive key, in 1 KiB chunks so it has many."""
    path = tmp_path / "sealed.vocbundle"
    seal.seal(plain_bundle, path, archive_key.public_key(), chunk_size=1024)
    return path


# --- hand-made zips --------------------------------------------------------------------------

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
        "device_id": "laptop-7", "sequence": 2, "previous_sequence": 1, "complete": False,
        "created_at": "2026-05-09T07:35:25+00:00", "app_version": "0.9.0",
        "members": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                    for name, data in contents.items()},
        "counts": counts, "extra": {},
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


def refusal(path: Path, **kwargs) -> str:
    """The one-line message open_bundle (and reading every member) refuses `path` with."""
    with pytest.raises(BundleError) as caught, open_bundle(path, **kwargs) as bundle:
        for table in bundle.manifest.tables:
            list(bundle.records(table))
        for sha in bundle.manifest.attachments:
            bundle.attachment(sha)
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message
    if kwargs.get("workdir") is not None:
        assert list(Path(kwargs["workdir"]).iterdir()) == [], "temporary files left behind"
    return message


def data_span(path: Path, name: str) -> tuple[int, int]:
    """Where member `name`'s packed bytes lie in the zip at `path`."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
    start = info.header_offset + 30 + struct.unpack("<H", header[26:28])[0] \
        + struct.unpack("<H", header[28:30])[0]
    return start, start + info.compress_size


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture(scope="session")
def kit() -> SimpleNamespace:
    """The helpers above, for tests (test modules cannot import conftest)."""
    return SimpleNamespace(
        Entry=Entry, write_zip=write_zip, manifest_for=manifest_for, jsonl=jsonl,
        signed_entries=signed_entries, write_bundle=write_bundle, refusal=refusal,
        data_span=data_span, flip=flip, VISITS=VISITS, PHOTO=PHOTO, PHOTO_SHA=PHOTO_SHA,
        FILE_MODE=FILE_MODE, LINK_MODE=LINK_MODE,
    )


@pytest.fixture(scope="session")
def zero_bomb() -> tuple[bytes, int, int]:
    """(raw deflate, CRC-32, size) of 1 GiB of zeros, made without deflating 1 GiB.

    After a full flush the compressor starts afresh, so the packed form of 1 MiB of zeros
    is the same every time and can simply be repeated.
    """
    zeros = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    raw = block * 1024 + packer.flush()
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(zeros, crc)
    return raw, crc, 1 << 30
