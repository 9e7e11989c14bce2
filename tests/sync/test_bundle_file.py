"""Writing bundles and reading them back, plain and sealed."""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile

import pytest

from voc_desktop.sync import keys, seal
from voc_desktop.sync.bundle_file import (
    BundleError,
    BundleWriter,
    Limits,
    Manifest,
    MemberInfo,
    open_bundle,
)


def test_plain_round_trip_keeps_rows_photos_and_manifest(tmp_path, device_key, kit):
    """A plain bundle gives back the same rows, photo bytes and manifest fields."""
    path = tmp_path / "b.vocbundle"
    made = kit.write_bundle(path, device_key, attachments=[kit.PHOTO], sequence=3, previous=2,
                            tables={"visits": kit.VISITS, "quotes": [{"id": "q1"}]})
    with open_bundle(path) as bundle:
        assert bundle.manifest == made
        assert list(bundle.records("visits")) == kit.VISITS
        assert list(bundle.records("quotes")) == [{"id": "q1"}]
        assert bundle.attachment(kit.PHOTO_SHA) == kit.PHOTO
        assert not bundle.sealed and bundle.recipient_fingerprint is None
    m = made
    assert (m.device_id, m.sequence, m.previous_sequence, m.complete) == ("laptop-7", 3, 2, False)
    assert m.counts == {"visits": len(kit.VISITS), "quotes": 1}
    assert m.tables == ["quotes", "visits"] and m.attachments == [kit.PHOTO_SHA]
    assert m.members[f"attachments/{kit.PHOTO_SHA}"] == MemberInfo(kit.PHOTO_SHA, len(kit.PHOTO))
    assert m.extra == {"note": "test"} and m.created_at.endswith("+00:00")


def test_signer_is_reported_as_the_device_key_text_and_fingerprint(plain_bundle, device_key):
    """The verified bundle names its signer exactly as sync/keys.py shows the device key."""
    with open_bundle(plain_bundle) as bundle:
        assert bundle.signer_key == keys.public_key_text(device_key)
        assert bundle.signer_fingerprint == keys.fingerprint(keys.public_key_text(device_key))


def test_zip_layout_follows_the_format(plain_bundle, kit):
    """Records are deflated, attachments stored, members are plain 0644 files, no folders."""
    with zipfile.ZipFile(plain_bundle) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        assert set(infos) == {"manifest.json", "manifest.sig", "records/visits.jsonl",
                              f"attachments/{kit.PHOTO_SHA}"}
        assert infos["records/visits.jsonl"].compress_type == zipfile.ZIP_DEFLATED
        assert infos[f"attachments/{kit.PHOTO_SHA}"].compress_type == zipfile.ZIP_STORED
        assert {i.external_attr >> 16 for i in infos.values()} == {0o100644}
        lines = zf.read("records/visits.jsonl").split(b"\n")
        assert lines[-1] == b"" and json.loads(lines[0]) == kit.VISITS[0]
        sig = json.loads(zf.read("manifest.sig"))
        assert set(sig) == {"key", "signature"} and sig["key"].startswith("ed25519:")


def test_sealed_round_trip_uses_and_removes_a_temporary_file(tmp_path, sealed_bundle,
                                                             archive_key, kit):
    """A sealed bundle opens with the archive key; its plaintext lives in workdir until close."""
    work = tmp_path / "work"
    work.mkdir()
    with open_bundle(sealed_bundle, archive_key=archive_key, workdir=work) as bundle:
        assert len(list(work.iterdir())) == 1
        assert bundle.sealed and bundle.recipient_fingerprint == seal.fingerprint(archive_key)
        assert list(bundle.records("visits")) == kit.VISITS
        assert bundle.attachment(kit.PHOTO_SHA) == kit.PHOTO
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("sealed", [False, True])
def test_empty_bundle_round_trips(tmp_path, device_key, archive_key, sealed):
    """A bundle with no records and no attachments is still valid, plain or sealed."""
    path = tmp_path / "empty.vocbundle"
    made = write_empty(path, device_key)
    if sealed:
        seal.seal(path, tmp_path / "sealed", archive_key.public_key())
        path = tmp_path / "sealed"
    with open_bundle(path, archive_key=archive_key, workdir=tmp_path) as bundle:
        assert bundle.manifest == made
        assert made.members == {} and made.counts == {}
        assert list(bundle.records("visits")) == []


def write_empty(path, key):
    with BundleWriter(path) as writer:
        return writer.finish(key, device_id="d", sequence=1, previous_sequence=None,
                             complete=True, app_version="1")


def test_records_spanning_many_read_chunks_come_back_whole(tmp_path, device_key, kit):
    """Rows are rebuilt correctly when a line straddles the reader's 1 MiB chunk boundary."""
    rows = [{"i": i, "text": "x" * (i % 997)} for i in range(7000)]
    path = tmp_path / "big.vocbundle"
    made = kit.write_bundle(path, device_key, tables={"answers": rows})
    assert made.members["records/answers.jsonl"].size > 3 * (1 << 20)
    with open_bundle(path) as bundle:
        assert list(bundle.records("answers")) == rows


def test_attachment_from_a_file_is_streamed_in(tmp_path, device_key):
    """An attachment given as a path is hashed, checked and copied without loading it whole."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(3 * (1 << 20) + 5))
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    path = tmp_path / "b.vocbundle"
    with BundleWriter(path) as writer:
        writer.add_attachment(sha, photo)
        writer.add_attachment(sha, photo)  # the same photo twice is kept once
        writer.finish(device_key, device_id="d", sequence=1, previous_sequence=None,
                      complete=True, app_version="1")
    with open_bundle(path) as bundle:
        out = io.BytesIO()
        assert bundle.copy_attachment(sha, out) == photo.stat().st_size
        assert out.getvalue() == photo.read_bytes()
        assert bundle.manifest.attachments == [sha]


class _OneWayStream(io.RawIOBase):
    """A pipe-like sink: it can be written but not sought."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.buffer += data
        return len(data)


def test_writer_accepts_a_stream_that_cannot_seek(tmp_path, device_key, kit):
    """A bundle streamed into a non-seekable sink reads back the same."""
    sink = _OneWayStream()
    kit.write_bundle(sink, device_key, attachments=[kit.PHOTO])
    path = tmp_path / "b.vocbundle"
    path.write_bytes(bytes(sink.buffer))
    with open_bundle(path) as bundle:
        assert list(bundle.records("visits")) == kit.VISITS
        assert bundle.attachment(kit.PHOTO_SHA) == kit.PHOTO


def test_attachment_with_the_wrong_hash_abandons_the_bundle(tmp_path, device_key):
    """A photo whose content does not match its hash stops the export and leaves no file."""
    path = tmp_path / "b.vocbundle"
    writer = BundleWriter(path)
    with pytest.raises(BundleError, match=r"^Attachment 000000000000… does not match its "
                                          r"content \(its SHA-256 is [0-9a-f]{12}…\)\.$"):
        writer.add_attachment("0" * 64, b"photo")
    assert not path.exists()
    with pytest.raises(ValueError, match="already finished or abandoned"):
        writer.finish(device_key, device_id="d", sequence=1, previous_sequence=None,
                      complete=True, app_version="1")


@pytest.mark.parametrize(("row", "message"), [
    (["not", "an", "object"], "Row 2 of table 'visits' is not a JSON object."),
    ({"score": float("nan")}, "Row 2 of table 'visits' cannot be written as JSON: Out of "
                              "range float values are not JSON compliant."),
    ({"when": object()}, "Row 2 of table 'visits' cannot be written as JSON: Object of type "
                         "object is not JSON serializable."),
])
def test_a_row_that_is_not_json_stops_the_export(tmp_path, device_key, row, message):
    """Rows must be JSON objects without NaN; anything else is refused and the file removed."""
    path = tmp_path / "b.vocbundle"
    with pytest.raises(BundleError) as caught, BundleWriter(path) as writer:
        writer.add_records("visits", [{"ok": 1}, row])
    assert str(caught.value) == message
    assert not path.exists()


def test_leaving_the_writer_without_finish_removes_the_file(tmp_path):
    """A bundle that was never finished does not stay on disk half-written."""
    path = tmp_path / "b.vocbundle"
    with BundleWriter(path) as writer:
        writer.add_records("visits", [{"a": 1}])
    assert not path.exists()


def test_writer_refuses_bad_table_names_and_repeated_tables(tmp_path):
    """Table names follow the member pattern, and each table is written once."""
    with BundleWriter(tmp_path / "b") as writer:
        for bad in ("Visits", "../x", "a" * 42, "1st", ""):
            with pytest.raises(ValueError, match="does not match"):
                writer.add_records(bad, [])
        writer.add_records("visits", [])
        with pytest.raises(ValueError, match="already added"):
            writer.add_records("visits", [])


def test_writer_refuses_a_member_larger_than_readers_accept(tmp_path):
    """The writer applies the same limits as the reader, so it never makes a refused bundle."""
    path = tmp_path / "b"
    with pytest.raises(BundleError, match="larger than a reader accepts"), \
            BundleWriter(path, limits=Limits(max_member_size=1000)) as writer:
        writer.add_records("visits", ({"i": i} for i in range(1000)))
    assert not path.exists()


def test_finish_validates_what_goes_into_the_manifest(tmp_path, device_key):
    """finish() refuses values the reader would refuse, naming the field."""
    with BundleWriter(tmp_path / "b") as writer, pytest.raises(
            BundleError, match=r"^The bundle's manifest is invalid: 'previous_sequence'"):
        writer.finish(device_key, device_id="d", sequence=2, previous_sequence=2,
                      complete=False, app_version="1")


def test_extra_that_is_not_json_is_refused_at_finish(tmp_path, device_key):
    """The free `extra` object must be JSON like the rest of the manifest."""
    with BundleWriter(tmp_path / "b") as writer, pytest.raises(
            BundleError, match=r"^The bundle's extra data cannot be written as JSON: "):
        writer.finish(device_key, device_id="d", sequence=1, previous_sequence=None,
                      complete=True, app_version="1", extra={"when": {1, 2}})


def test_manifest_json_round_trips_exactly(plain_bundle):
    """Manifest.to_json and from_json are inverse, byte for byte."""
    with zipfile.ZipFile(plain_bundle) as zf:
        raw = zf.read("manifest.json")
    manifest = Manifest.from_json(raw)
    assert manifest.to_json() == raw
    assert Manifest.from_dict(manifest.to_dict()) == manifest


def test_a_table_the_bundle_lacks_reads_as_no_rows(plain_bundle):
    """Asking for a table that is not in the bundle yields nothing rather than failing."""
    with open_bundle(plain_bundle) as bundle:
        assert list(bundle.records("photos")) == []
        with pytest.raises(BundleError, match=r"^The bundle has no attachment 0{12}…\.$"):
            bundle.attachment("0" * 64)


def test_change_on_disk_after_verification_is_still_caught(plain_bundle, kit):
    """A plain bundle altered after open_bundle is refused when the member is read."""
    start, _ = kit.data_span(plain_bundle, f"attachments/{kit.PHOTO_SHA}")
    with open_bundle(plain_bundle) as bundle:
        kit.flip(plain_bundle, start + 100)
        with pytest.raises(BundleError, match="does not match its manifest"):
            bundle.attachment(kit.PHOTO_SHA)
