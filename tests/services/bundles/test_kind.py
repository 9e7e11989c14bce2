"""Telling a laptop's bundle from the archive's pack without the archive's key."""

from __future__ import annotations

import zipfile

import pytest

from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.bundles import export as bundles
from voc_desktop.services.bundles import settings as bundle_settings
from voc_desktop.services.bundles.kind import BundleKind, bundle_kind
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.errors import ServiceError


@pytest.fixture
def archive(tmp_path):
    made = Archive.create(tmp_path / "archive", index=tmp_path / "index.sqlite3")
    yield made
    made.close()


def test_a_sealed_bundle_is_a_laptops_bundle(ws, archive, tmp_path):
    """Sealed for the archive's key: only a laptop's bundle is ever sealed."""
    fill_demo(ws)
    bundle_settings.set_archive_key(ws, archive.info.key_text)
    sealed = bundles.export_bundle(ws, tmp_path / "sealed.vocbundle")
    assert sealed.encrypted
    assert bundle_kind(sealed.path) is BundleKind.BUNDLE


def test_plain_files_say_what_they_are_in_their_manifest(ws, archive, tmp_path):
    """An unencrypted laptop bundle and a pack are told apart by the manifest's kind."""
    fill_demo(ws)
    plain = bundles.export_bundle(ws, tmp_path / "plain.vocbundle", encrypt=False)
    assert bundle_kind(plain.path) is BundleKind.BUNDLE
    archive.trust(ws.public_key, "Sam's laptop")
    assert archive.import_bundles([plain.path]).ok
    pack = archive.write_pack(tmp_path / "pack.vocbundle")
    assert bundle_kind(pack.path) is BundleKind.PACK


@pytest.mark.parametrize("content", [b"", b"hello, not a bundle", b"PK\x03\x04 broken zip"])
def test_anything_else_is_other(tmp_path, content):
    """Empty, text and broken files are not bundles."""
    path = tmp_path / "x.vocbundle"
    path.write_bytes(content)
    assert bundle_kind(path) is BundleKind.OTHER


def test_a_zip_without_a_manifest_is_other(tmp_path):
    """An ordinary zip renamed to .vocbundle is not a bundle."""
    path = tmp_path / "photos.vocbundle"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("photo.jpg", b"jpeg")
    assert bundle_kind(path) is BundleKind.OTHER


def test_a_missing_file_is_a_plain_error(tmp_path):
    """A file that is gone names itself and why."""
    with pytest.raises(ServiceError, match="gone.vocbundle cannot be read: No such file"):
        bundle_kind(tmp_path / "gone.vocbundle")
