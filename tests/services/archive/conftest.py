"""An archive in a temporary folder with two trusted laptops, and bundles made to order."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from support.archive_rows import write_bundle

from voc_desktop.services.archive.keeper import Archive
from voc_desktop.sync import keys


@pytest.fixture(scope="session")
def laptop_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def laptop_b_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def stranger_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def archive(tmp_path, laptop_key, laptop_b_key):
    """A new archive (index outside the folder) trusting laptops A and B."""
    made = Archive.create(tmp_path / "archive", index=tmp_path / "local" / "index.sqlite3")
    made.trust(keys.public_key_text(laptop_key), "Laptop A")
    made.trust(keys.public_key_text(laptop_b_key), "Laptop B")
    yield made
    made.close()


@pytest.fixture
def make_bundle(tmp_path, archive, laptop_key):
    """make(tables, ...) -> the path of a bundle sealed for the archive (or plain)."""
    numbers = itertools.count(1)
    inbox = tmp_path / "inbox"
    inbox.mkdir()

    def make(tables, *, key=None, device_id="dev-a", sequence=1, previous=None, sealed=True,
             attachments=(), extra=None, bundle_id=None, archive_key=None,
             created_at=None) -> Path:
        path = inbox / f"{next(numbers):03d} {device_id} #{sequence}.vocbundle"
        recipient = archive.folder.encryption_key().public_key() if sealed else None
        write_bundle(path, key or laptop_key, tables, device_id=device_id, sequence=sequence,
                     previous=previous, seal_for=recipient, attachments=attachments,
                     extra=extra, bundle_id=bundle_id, archive=archive_key,
                     created_at=created_at)
        return path
    return make


def content(archive: Archive) -> dict:
    """The index's tables, without the record of applied migrations (it holds times)."""
    dumped = archive.index.dump()
    dumped.pop("_sqlite_migrations")
    return dumped


@pytest.fixture
def dump():
    return content
