"""Keys, sample bundles and a hand-made zip writer for the bundle tests.

`write_zip` writes every header field itself, so a test can build exactly the hostile file it
needs (odd names, links, lying sizes, duplicates) instead of what `zipfile` would produce.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from support import bundles
from support.bundles import FILE_MODE, LINK_MODE, Entry, jsonl, write_zip

from voc_desktop.sync import seal
from voc_desktop.sync.bundle_file import BundleError, BundleWriter, open_bundle

VISITS = [{"id": str(uuid.UUID(int=i)), "account": "Bäckerei Nord", "n": i, "done": i % 2 == 0,
           "note": "sagte: \"zu spät\"\nzweite Zeile 🥐", "score": None} for i in range(40)]
PHOTO = bytes(range(256)) * 64
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()


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


# --- hand-made zips (the builders live in tests/support/bundles.py) ---------------------------

def manifest_for(contents: dict[str, bytes], **changes) -> dict:
    """A manifest that truly describes `contents`: a later bundle of laptop-7 by default."""
    return bundles.manifest_for(contents, **{
        "device_id": "laptop-7", "sequence": 2, "previous_sequence": 1, "complete": False,
        "app_version": "0.9.0", "extra": {}, **changes})


def signed_entries(key: Ed25519PrivateKey, contents: dict[str, bytes], *,
                   manifest: dict | bytes | None = None) -> list[Entry]:
    """Entries for a properly signed bundle holding `contents` (or the given manifest)."""
    return bundles.signed_entries(key, contents, manifest=manifest
                                  if manifest is not None else manifest_for(contents))


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
    """(raw deflate, CRC-32, size) of 1 GiB of zeros, made without deflating 1 GiB."""
    return bundles.zero_bomb()
