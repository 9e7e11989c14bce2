"""Making and opening an archive: the folder layout, its keys, and where the index lives."""

from __future__ import annotations

import json
import os
import stat

import pytest

from voc_desktop.services.archive.keeper import Archive, default_index_path, read_archive
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import DATA_DIR_ENV
from voc_desktop.sync import seal
from voc_desktop.sync.archive_key import parse_archive_key


def test_init_makes_the_layout_with_private_keys(tmp_path):
    """archive.json, both key files (owner only), the trust list and the three folders."""
    with Archive.create(tmp_path / "arch", index=tmp_path / "i.sqlite3") as archive:
        info = archive.info
    folder = tmp_path / "arch"
    assert sorted(p.name for p in folder.iterdir()) == [
        "archive-key.pem", "archive.json", "bundles", "held", "resolutions",
        "signing-key.pem", "trusted-devices.json"]
    data = json.loads((folder / "archive.json").read_text())
    assert data["archive_id"] == info.archive_id and data["format_version"] == 1
    assert data["created_at"] == info.created_at
    if os.name == "posix":
        for name in ("archive-key.pem", "signing-key.pem"):
            assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    key = parse_archive_key(info.key_text)
    assert key.fingerprint == info.key_fingerprint
    encryption = seal.load_archive_key(folder / "archive-key.pem")
    assert seal.public_key_text(key.encryption) == seal.public_key_text(encryption)
    assert key.signing_public_text == data["public_keys"]["ed25519"]
    assert json.loads((folder / "trusted-devices.json").read_text())["devices"] == []
    assert not any(p.suffix == ".sqlite3" for p in folder.rglob("*"))


def test_the_index_defaults_to_the_data_folder(tmp_path, monkeypatch):
    """Without --index, the index is archives/<archive id>.sqlite3 in the data folder."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    with Archive.create(tmp_path / "arch") as archive:
        expected = tmp_path / "data" / "archives" / f"{archive.archive_id}.sqlite3"
        assert archive.index_path == expected == default_index_path(archive.archive_id)
    assert expected.is_file()
    assert read_archive(tmp_path / "arch").index_path == expected
    assert read_archive(tmp_path / "arch", data_dir=tmp_path / "d2").index_path == \
        tmp_path / "d2" / "archives" / expected.name


def test_init_needs_an_empty_folder(tmp_path):
    """A folder with anything in it is not turned into an archive."""
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("x")
    with pytest.raises(ServiceError, match="not an empty folder"):
        Archive.create(tmp_path / "busy", index=tmp_path / "i.sqlite3")
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(("content", "message"), [
    (None, r"is not an archive \(it has no archive.json\)"),
    (b"{", "cannot be read"),
    (b'{"format": "other"}', "does not describe a VOC archive"),
    (b'{"format": "voc-archive", "format_version": 9}', "made by a newer VOC Desktop"),
    (b'{"format": "voc-archive", "format_version": 1, "archive_id": "x"}', "is damaged"),
])
def test_a_folder_that_is_not_an_archive_is_named(tmp_path, content, message):
    """Opening a folder without a sound archive.json says what is wrong."""
    (tmp_path / "a").mkdir()
    if content is not None:
        (tmp_path / "a" / "archive.json").write_bytes(content)
    with pytest.raises(ServiceError, match=message):
        Archive.open(tmp_path / "a", index=tmp_path / "i.sqlite3")


def test_an_index_serves_one_archive_only(tmp_path):
    """The index of one archive is refused for another."""
    shared = tmp_path / "i.sqlite3"
    Archive.create(tmp_path / "one", index=shared).close()
    with pytest.raises(ServiceError, match="is the index of another archive"):
        Archive.create(tmp_path / "two", index=shared)


def test_a_readable_signing_key_is_refused(tmp_path):
    """A signing key others can read is not used to sign packs."""
    if os.name != "posix":
        pytest.skip("file modes are a POSIX matter")
    with Archive.create(tmp_path / "arch", index=tmp_path / "i.sqlite3") as archive:
        (tmp_path / "arch" / "signing-key.pem").chmod(0o644)
        with pytest.raises(ServiceError, match="can be read by other users"):
            archive.write_pack(tmp_path / "p.vocbundle")
