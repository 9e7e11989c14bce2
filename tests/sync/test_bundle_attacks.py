"""Damaged, cut, altered and hostile bundles are refused with a one-line message."""

from __future__ import annotations

import base64
import json
import re
import time
import tracemalloc
import zipfile
from types import SimpleNamespace

import pytest

from voc_desktop.sync import keys, seal
from voc_desktop.sync.bundle_file import Limits, open_bundle
from voc_desktop.sync.bundle_manifest import sign_manifest

CUT_SHORT = ("The bundle is incomplete: it ends before its table of contents. Was the copy "
             "interrupted?")
SIGNATURE_MISMATCH = "The signature does not match: the bundle was changed after it was made."
MiB = 1 << 20


def damaged(name: str) -> str:
    """Any of the ways a changed packed member can show itself, naming the member."""
    member = re.escape(f"'{name}'")
    return (rf"^(The bundle is damaged: member {member} (fails its checksum|cannot be unpacked "
            rf"\(.*\)|is shorter than declared|has data after its end)|The bundle's member "
            rf"{member} (does not match its manifest: it was changed after the bundle was made"
            rf"|unpacks to more than its declared [\d,]+ bytes; it is refused))\.$")


@pytest.fixture
def good(device_key, kit):
    """A small valid bundle's contents, its signing key, and `pack` writing it (signed)."""
    contents = {"records/visits.jsonl": kit.jsonl({"id": "v1"}, {"id": "v2"}),
                f"attachments/{kit.PHOTO_SHA}": kit.PHOTO}

    def pack(path, contents=contents, extra=(), manifest=None, key=device_key):
        entries = kit.signed_entries(key, contents, manifest=manifest) + list(extra)
        return kit.write_zip(path, entries)
    return SimpleNamespace(contents=contents, pack=pack, key=device_key)


@pytest.fixture
def workdir(tmp_path):
    """An empty folder for unsealed temporary files."""
    path = tmp_path / "w"
    path.mkdir()
    return path


# --- not a bundle at all ---------------------------------------------------------------------

@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty: it is not a VOC bundle."),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
     "This file is not a VOC bundle (it does not start like one)."),
    (b"visit notes, plain text\n", "This file is not a VOC bundle (it does not start like one)."),
    (b"VOCSEALED7\n" + bytes(100), "This bundle was sealed by a newer VOC Desktop; update the "
                                   "app to import it."),
])
def test_files_that_are_not_bundles_are_refused(tmp_path, kit, content, message):
    """An empty file, a PDF, text or a newer envelope each get a plain explanation."""
    path = tmp_path / "x.vocbundle"
    path.write_bytes(content)
    assert kit.refusal(path) == message


def test_an_ordinary_zip_is_not_a_bundle(tmp_path, kit):
    """A zip of other files is refused by its first unexpected member."""
    path = kit.write_zip(tmp_path / "x.zip", [kit.Entry("report.pdf", b"%PDF")])
    assert kit.refusal(path) == ("The bundle's member 'report.pdf' is not part of the bundle "
                                 "format.")


def test_a_zip_without_manifest_is_refused(tmp_path, kit):
    """Records alone, without manifest.json, do not make a bundle."""
    path = kit.write_zip(tmp_path / "x.zip", [kit.Entry("records/visits.jsonl", b"{}\n")])
    assert kit.refusal(path) == ("The bundle has no manifest.json: it is not a complete VOC "
                                 "bundle.")


def test_zip64_end_records_are_understood(tmp_path, good, kit):
    """A bundle whose directory is found through the zip64 end records opens normally."""
    entries = kit.signed_entries(good.key, good.contents)
    path = kit.write_zip(tmp_path / "b", entries, zip64_end=True)
    with open_bundle(path) as bundle:
        assert list(bundle.records("visits")) == [{"id": "v1"}, {"id": "v2"}]
    data = path.read_bytes()
    locator = data.rfind(b"PK\x06\x07")
    path.write_bytes(data[:locator] + b"XX" + data[locator + 2:])
    assert kit.refusal(path) == ("The bundle is damaged: its large-file table of contents is "
                                 "missing.")


def test_data_before_the_zip_is_refused(tmp_path, good, kit):
    """Bytes prepended to a bundle move its directory away from where it says it is."""
    path = good.pack(tmp_path / "b")
    path.write_bytes(b"PK\x03\x04" + bytes(60) + path.read_bytes())
    assert kit.refusal(path) == ("The bundle is damaged: its table of contents is not where it "
                                 "says it is.")


# --- cut short -------------------------------------------------------------------------------

@pytest.mark.parametrize("keep", [4, 100, 0.5, -22, -1])
def test_cut_plain_bundle_is_incomplete(plain_bundle, kit, keep):
    """A plain bundle cut anywhere says it is incomplete and asks about the copy."""
    data = plain_bundle.read_bytes()
    end = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    plain_bundle.write_bytes(data[:end])
    assert kit.refusal(plain_bundle) == CUT_SHORT


@pytest.mark.parametrize("keep", [20, seal.HEADER_SIZE + 1040, seal.HEADER_SIZE + 1040 * 3,
                                  0.5, -1])
def test_cut_sealed_bundle_is_incomplete(sealed_bundle, archive_key, workdir, kit, keep):
    """A sealed bundle cut in its header, between parts or inside one says it is incomplete."""
    data = sealed_bundle.read_bytes()
    end = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    sealed_bundle.write_bytes(data[:end])
    message = kit.refusal(sealed_bundle, archive_key=archive_key, workdir=workdir)
    assert re.fullmatch(r"The bundle is incomplete: it ends (inside its header|before its last "
                        r"encrypted part \(\d+ of \d+\))\. Was the copy interrupted\?", message)
    assert ("header" in message) == (end < seal.HEADER_SIZE)


# --- flipped bytes ---------------------------------------------------------------------------

@pytest.mark.parametrize("member", ["manifest.json", "records/visits.jsonl"])
@pytest.mark.parametrize("where", [0, 0.5, -1])
def test_flipped_byte_in_a_packed_member_is_caught(plain_bundle, kit, member, where):
    """One changed bit in the manifest or a records member is refused, naming the member."""
    start, end = kit.data_span(plain_bundle, member)
    kit.flip(plain_bundle, start + int((end - start) * where) if where >= 0 else end - 1)
    assert re.fullmatch(damaged(member), kit.refusal(plain_bundle))


def test_flipped_byte_in_an_attachment_is_caught(plain_bundle, kit):
    """A changed photo no longer matches the hash the signed manifest holds."""
    start, _ = kit.data_span(plain_bundle, f"attachments/{kit.PHOTO_SHA}")
    kit.flip(plain_bundle, start + 1234)
    assert kit.refusal(plain_bundle) == (
        f"The bundle's member 'attachments/{kit.PHOTO_SHA}' does not match its manifest: it "
        "was changed after the bundle was made.")


def test_flipped_byte_in_the_signature_file_is_caught(plain_bundle, kit):
    """A changed manifest.sig fails its own checksum before it is even read as JSON."""
    start, end = kit.data_span(plain_bundle, "manifest.sig")
    kit.flip(plain_bundle, (start + end) // 2)
    assert re.fullmatch(damaged("manifest.sig"), kit.refusal(plain_bundle))


@pytest.mark.parametrize("where", [0, 0.5, -1])
def test_flipped_byte_in_sealed_ciphertext_is_caught(sealed_bundle, archive_key, workdir, kit,
                                                     where):
    """A changed bit anywhere in the encrypted parts stops decryption, leaving no files."""
    size = sealed_bundle.stat().st_size
    kit.flip(sealed_bundle, seal.HEADER_SIZE + int((size - seal.HEADER_SIZE - 1) * where)
             if where >= 0 else size - 1)
    message = kit.refusal(sealed_bundle, archive_key=archive_key, workdir=workdir)
    assert re.fullmatch(r"The sealed bundle is damaged or was changed: encrypted part \d+ of "
                        r"\d+ does not decrypt\.", message)


@pytest.mark.parametrize(("offset", "message"), [
    (11 + 32 + 5, "The sealed bundle is damaged or was changed: encrypted part 1 of {n} does "
                  "not decrypt."),
    (11 + 32 + 32 + 4 + 7, "The sealed bundle is damaged or was changed: encrypted part 1 of "
                           "{n} does not decrypt."),
    (11 + 32 + 32, "The sealed bundle's header is damaged (impossible chunk size)."),
    (11 + 3, "This bundle is encrypted for another archive, so this one cannot read it. "
             "Check which archive key the laptop was given."),
])
def test_flipped_byte_in_sealed_header_is_caught(sealed_bundle, archive_key, workdir, kit,
                                                 offset, message):
    """A changed ephemeral key, length, chunk size or recipient never decrypts quietly."""
    parts = -(-(sealed_bundle.stat().st_size - seal.HEADER_SIZE) // 1040)
    kit.flip(sealed_bundle, offset)
    expected = message.format(n=parts)
    assert kit.refusal(sealed_bundle, archive_key=archive_key, workdir=workdir) == expected


def test_reordered_sealed_parts_are_caught(sealed_bundle, archive_key, workdir, kit):
    """Swapping two encrypted parts fails at the first one out of place."""
    data = bytearray(sealed_bundle.read_bytes())
    a, b = seal.HEADER_SIZE + 1040, seal.HEADER_SIZE + 2 * 1040
    data[a:b], data[b:b + 1040] = data[b:b + 1040], data[a:b]
    sealed_bundle.write_bytes(bytes(data))
    assert kit.refusal(sealed_bundle, archive_key=archive_key, workdir=workdir) == (
        f"The sealed bundle is damaged or was changed: encrypted part 2 of "
        f"{-(-(len(data) - seal.HEADER_SIZE) // 1040)} does not decrypt.")


def test_data_appended_to_a_sealed_bundle_is_caught(sealed_bundle, archive_key, workdir, kit):
    """Bytes after the last encrypted part are refused, not ignored."""
    sealed_bundle.write_bytes(sealed_bundle.read_bytes() + b"\0")
    assert kit.refusal(sealed_bundle, archive_key=archive_key, workdir=workdir) == (
        "The sealed bundle has unexpected data after its end.")


# --- sealed for someone else -----------------------------------------------------------------

def test_bundle_sealed_for_another_archive_is_refused(sealed_bundle, other_archive_key,
                                                      workdir, kit):
    """The wrong archive says the bundle is for another archive, and what to check."""
    assert kit.refusal(sealed_bundle, archive_key=other_archive_key, workdir=workdir) == (
        "This bundle is encrypted for another archive, so this one cannot read it. Check "
        "which archive key the laptop was given.")


def test_sealed_bundle_without_archive_key_is_refused(sealed_bundle, workdir, kit):
    """Opening a sealed bundle without a key explains that the archive's key is needed."""
    assert kit.refusal(sealed_bundle, workdir=workdir) == (
        "This bundle is encrypted for an archive; it opens only with that archive's private "
        "key.")


# --- members added, removed, renamed or replaced (checksums fixed up) ---------------------------

def test_added_member_is_caught(tmp_path, good, kit):
    """A member the signed manifest does not list is refused."""
    path = good.pack(tmp_path / "b", extra=[kit.Entry("records/notes.jsonl", b"{}\n")])
    assert kit.refusal(path) == ("The bundle holds 'records/notes.jsonl', which its manifest "
                                 "does not list: it was changed after it was made.")


def test_removed_member_is_caught(tmp_path, good, kit):
    """A member the signed manifest lists but the zip lacks is refused."""
    contents, pack = good.contents, good.pack
    fewer = {"records/visits.jsonl": contents["records/visits.jsonl"]}
    path = pack(tmp_path / "b", contents=fewer, manifest=kit.manifest_for(contents))
    assert kit.refusal(path) == (f"The bundle lacks 'attachments/{kit.PHOTO_SHA}', which its "
                                 "manifest lists: it was changed after it was made.")


def test_renamed_member_is_caught(tmp_path, good, kit):
    """Renaming a records member leaves a member the manifest does not know."""
    contents, pack = good.contents, good.pack
    renamed = {("records/quotes.jsonl" if n.startswith("records/") else n): d
               for n, d in contents.items()}
    path = pack(tmp_path / "b", contents=renamed, manifest=kit.manifest_for(contents))
    assert kit.refusal(path) == ("The bundle holds 'records/quotes.jsonl', which its manifest "
                                 "does not list: it was changed after it was made.")


def test_replaced_records_are_caught(tmp_path, good, kit):
    """Other rows of the same length, with a fresh zip checksum, fail the manifest's hash."""
    contents, pack = good.contents, good.pack
    forged = dict(contents, **{"records/visits.jsonl": kit.jsonl({"id": "v9"}, {"id": "v2"})})
    path = pack(tmp_path / "b", contents=forged, manifest=kit.manifest_for(contents))
    assert kit.refusal(path) == ("The bundle's member 'records/visits.jsonl' does not match its "
                                 "manifest: it was changed after the bundle was made.")


def test_records_of_another_length_are_caught_before_reading(tmp_path, good, kit):
    """A member whose size differs from the manifest's is refused from the directory alone."""
    contents, pack = good.contents, good.pack
    forged = dict(contents, **{"records/visits.jsonl": kit.jsonl({"id": "v1"})})
    path = pack(tmp_path / "b", contents=forged, manifest=kit.manifest_for(contents))
    assert kit.refusal(path) == ("The bundle's member 'records/visits.jsonl' has another size "
                                 "than its manifest says: it was changed after it was made.")


def test_edited_manifest_fails_the_signature(tmp_path, good, device_key, kit):
    """A manifest changed after signing (the old signature kept) is refused."""
    contents = good.contents
    raw = json.dumps(kit.manifest_for(contents)).encode()
    sig = sign_manifest(raw, device_key)
    edited = raw.replace(b'"sequence": 2', b'"sequence": 3')
    path = kit.write_zip(tmp_path / "b", [kit.Entry("manifest.json", edited),
                                          kit.Entry("manifest.sig", sig)]
                         + [kit.Entry(n, d) for n, d in contents.items()])
    assert kit.refusal(path) == SIGNATURE_MISMATCH


# --- unsafe names and odd members --------------------------------------------------------------

@pytest.mark.parametrize("name", ["records/../x", "../manifest.json", "/etc/passwd",
                                  "C:/x", "C:\\x", "records\\visits.jsonl",
                                  "attachments/..", "records/visits.jsonl\0.exe"])
def test_unsafe_member_paths_are_refused(tmp_path, good, kit, name):
    """Parent steps, absolute and drive paths, backslashes and NULs are refused by name."""
    path = good.pack(tmp_path / "b", extra=[kit.Entry(name, b"x")])
    shown = name.replace("\\", "\\\\").replace("\0", "\\x00")
    assert kit.refusal(path) == f"The bundle's member '{shown}' has an unsafe path."


@pytest.mark.parametrize(("name", "message"), [
    ("records/", "The bundle's member 'records/' is a folder; bundles hold files only."),
    ("records/Visits.jsonl", "The bundle's member 'records/Visits.jsonl' is not part of the "
                             "bundle format."),
    ("attachments/ABC", "The bundle's member 'attachments/ABC' is not part of the bundle "
                        "format."),
])
def test_folders_and_unknown_names_are_refused(tmp_path, good, kit, name, message):
    """Only the allowlisted member names are accepted."""
    assert kit.refusal(good.pack(tmp_path / "b", extra=[kit.Entry(name, b"")])) == message


def test_symlink_member_is_refused(tmp_path, device_key, kit):
    """A member marked as a symbolic link is refused even with an allowed name."""
    entries = kit.signed_entries(device_key, {"records/visits.jsonl": b"{}\n"})
    entries[2].external_attr = kit.LINK_MODE
    path = kit.write_zip(tmp_path / "b", entries)
    assert kit.refusal(path) == ("The bundle's member 'records/visits.jsonl' is a symbolic "
                                 "link; bundles hold plain files only.")


def test_duplicate_member_names_are_refused(tmp_path, good, kit):
    """Two members of the same name are refused: readers could disagree on which is real."""
    path = good.pack(tmp_path / "b", extra=[kit.Entry("records/visits.jsonl", b"{}\n")])
    assert kit.refusal(path) == ("The bundle holds the member 'records/visits.jsonl' twice.")


@pytest.mark.parametrize(("change", "message"), [
    ({"flags": 0x801}, "is protected by a zip password, which bundles never use."),
    ({"method": 14}, "uses a compression method (14) that bundles never use."),
])
def test_zip_features_bundles_never_use_are_refused(tmp_path, device_key, kit, change, message):
    """Encrypted zip members and exotic compression methods are refused."""
    entries = kit.signed_entries(device_key, {"records/visits.jsonl": b"{}\n"})
    for field, value in change.items():
        setattr(entries[2], field, value)
    path = kit.write_zip(tmp_path / "b", entries)
    assert kit.refusal(path) == f"The bundle's member 'records/visits.jsonl' {message}"


def test_overlapping_members_are_refused(tmp_path, device_key, kit):
    """Two directory entries sharing one stretch of data are refused."""
    entries = kit.signed_entries(device_key, {"records/visits.jsonl": b"{}\n"})
    entries.append(kit.Entry("records/quotes.jsonl", b"{}\n", offset=0, central_only=True))
    path = kit.write_zip(tmp_path / "b", entries)
    assert kit.refusal(path) == ("The bundle is damaged: member 'manifest.json' overlaps the "
                                 "next one.")


# --- size limits and zip bombs -----------------------------------------------------------------

def _refused_quickly(kit, path):
    """(message, seconds, peak traced bytes) of refusing `path`."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = kit.refusal(path)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return message, elapsed, peak


def test_zip_bomb_with_true_sizes_is_refused_from_the_directory(tmp_path, good, kit, zero_bomb):
    """1 GiB of zeros packed into 1 MB is refused for its ratio, fast and in little memory."""
    raw, crc, size = zero_bomb
    bomb = kit.Entry("records/visits.jsonl", raw=raw, size=size, crc=crc)
    path = kit.write_zip(tmp_path / "b", kit.signed_entries(good.key, {}) + [bomb])
    message, elapsed, peak = _refused_quickly(kit, path)
    assert message == (f"The bundle's member 'records/visits.jsonl' would unpack to "
                       f"{size // len(raw):,} times its packed size (the limit is 200); it "
                       f"looks like a zip bomb.")
    assert size // len(raw) > 1000
    assert elapsed < 1.0 and peak < 64 * MiB


def test_zip_bomb_declaring_a_tiny_size_is_refused_from_the_directory(tmp_path, good, kit,
                                                                      zero_bomb):
    """A bomb whose directory claims 1,000 bytes cannot be that small packed in 1 MB."""
    raw, crc, _ = zero_bomb
    bomb = kit.Entry("records/visits.jsonl", raw=raw, size=1000, crc=crc)
    path = kit.write_zip(tmp_path / "b", kit.signed_entries(good.key, {}) + [bomb])
    message, elapsed, peak = _refused_quickly(kit, path)
    assert message == (f"The bundle's member 'records/visits.jsonl' declares sizes that cannot "
                       f"be right ({len(raw):,} bytes packed, 1,000 unpacked).")
    assert elapsed < 1.0 and peak < 64 * MiB


def test_signed_zip_bomb_with_a_plausible_lie_stops_at_its_declared_size(tmp_path, good, kit,
                                                                         zero_bomb):
    """A bomb claiming 10 MiB (signed, listed) is stopped while unpacking, just past 10 MiB."""
    raw, crc, _ = zero_bomb
    manifest = kit.manifest_for({}, counts={"visits": 0}, members={
        "records/visits.jsonl": {"sha256": "0" * 64, "size": 10 * MiB}})
    bomb = kit.Entry("records/visits.jsonl", raw=raw, size=10 * MiB, crc=crc)
    path = kit.write_zip(tmp_path / "b",
                         kit.signed_entries(good.key, {}, manifest=manifest) + [bomb])
    message, elapsed, peak = _refused_quickly(kit, path)
    assert message == ("The bundle's member 'records/visits.jsonl' unpacks to more than its "
                       "declared 10,485,760 bytes; it is refused.")
    assert elapsed < 1.0 and peak < 64 * MiB


@pytest.mark.parametrize(("limits", "message"), [
    (Limits(max_members=3), "The bundle has too many members (4; the limit is 3)."),
    (Limits(max_member_size=10_000), f"The bundle's member 'attachments/{'{sha}'}' is too large "
                                     "(16,384 bytes; the limit is 10,000)."),
    (Limits(max_total_size=16_000), "The bundle is too large when unpacked (over 16,000 bytes)."),
    (Limits(max_manifest_size=100), "The bundle's manifest.json is too large ({size} bytes; the "
                                    "limit is 100)."),
    (Limits(max_ratio=2, ratio_floor=100), "The bundle's member 'records/visits.jsonl' would "
                                           "unpack to {ratio} times its packed size (the limit "
                                           "is 2); it looks like a zip bomb."),
])
def test_lowered_limits_are_enforced(tmp_path, good, kit, limits, message):
    """Every limit refuses a bundle just over it, with the numbers in the message."""
    contents, pack = good.contents, good.pack
    contents = dict(contents, **{"records/visits.jsonl": kit.jsonl(*[{"id": "v"}] * 100)})
    path = pack(tmp_path / "b", contents=contents)
    with zipfile.ZipFile(path) as zf:
        manifest_size = zf.getinfo("manifest.json").file_size
        records = zf.getinfo("records/visits.jsonl")
    expected = message.format(sha=kit.PHOTO_SHA, size=f"{manifest_size:,}",
                              ratio=f"{records.file_size // records.compress_size:,}")
    assert kit.refusal(path, limits=limits) == expected


# --- signatures ------------------------------------------------------------------------------

def _with_sig(tmp_path, kit, good, sig: bytes):
    contents = good.contents
    entries = kit.signed_entries(good.key, contents)
    entries[1].data = sig
    return kit.write_zip(tmp_path / "b", entries)


def test_missing_signature_is_refused(tmp_path, good, kit):
    """A bundle without manifest.sig is not signed and is refused."""
    contents = good.contents
    entries = [e for e in kit.signed_entries(good.key, contents)
               if e.name != "manifest.sig"]
    path = kit.write_zip(tmp_path / "b", entries)
    assert kit.refusal(path) == "The bundle is not signed (manifest.sig is missing)."


@pytest.mark.parametrize(("sig", "message"), [
    (b"garbage", "The bundle's signature file manifest.sig is damaged (it is not the expected "
                 "JSON)."),
    (b'{"key": "ed25519:AAAA", "signature": ""}', "The bundle's signature names a key that is "
                                                 "not an Ed25519 public key."),
    (b'{"key": "x25519:AAAA", "signature": ""}', "The bundle's signature names a key that is "
                                                "not an Ed25519 public key."),
    (b'{"key": "{key}", "signature": "AAAA"}', "The bundle's signature file manifest.sig is "
                                               "damaged (the signature is not 64 bytes of "
                                               "base64)."),
])
def test_garbage_in_the_signature_file_is_refused(tmp_path, good, kit, sig, message):
    """A signature file that is not JSON, names no usable key or holds no signature is refused."""
    sig = sig.replace(b"{key}", keys.public_key_text(good.key).encode())
    assert kit.refusal(_with_sig(tmp_path, kit, good, sig)) == message


def test_signature_made_by_another_key_does_not_match(tmp_path, good, other_device_key, kit):
    """A signature by one key presented under another device's key is refused."""
    contents = good.contents
    raw = json.dumps(kit.manifest_for(contents)).encode()
    forged = json.dumps({"key": keys.public_key_text(good.key), "signature":
                         base64.b64encode(other_device_key.sign(raw)).decode()}).encode()
    path = kit.write_zip(tmp_path / "b", [kit.Entry("manifest.json", raw),
                                          kit.Entry("manifest.sig", forged)]
                         + [kit.Entry(n, d) for n, d in contents.items()])
    assert kit.refusal(path) == SIGNATURE_MISMATCH


def test_bundle_signed_by_another_device_opens_and_names_that_signer(tmp_path, good,
                                                                     other_device_key):
    """Trust is the caller's: a valid signature by any key opens, naming that key."""
    path = good.pack(tmp_path / "b", key=other_device_key)
    with open_bundle(path) as bundle:
        assert bundle.signer_key == keys.public_key_text(other_device_key)


# --- manifest content (properly signed) -------------------------------------------------------

def test_newer_format_version_asks_to_update(tmp_path, good, kit):
    """A properly signed manifest of format 5 asks for a newer app, whatever else it holds."""
    contents, pack = good.contents, good.pack
    manifest = kit.manifest_for(contents, format_version=5, members="new layout")
    assert kit.refusal(pack(tmp_path / "b", manifest=manifest)) == (
        "This bundle was made by a newer VOC Desktop (format 5); update the app to import it.")


@pytest.mark.parametrize(("change", "message"), [
    ({"format": "zip"}, "The file's manifest does not describe a VOC bundle."),
    ({"format_version": "1"}, "'format_version' must be a whole number >= 1"),
    ({"sequence": "1"}, "'sequence' must be a whole number >= 1"),
    ({"sequence": 0}, "'sequence' must be a whole number >= 1"),
    ({"sequence": True}, "'sequence' must be a whole number >= 1"),
    ({"previous_sequence": 2}, "'previous_sequence' must be null or a whole number from 1 to "
                               "'sequence' - 1"),
    ({"complete": "yes"}, "'complete' must be true or false"),
    ({"bundle_id": "bundle-1"}, "'bundle_id' must be a UUID in lowercase canonical form"),
    ({"bundle_id": "0F2C0A6E-2B0C-4B8E-9B3A-6C1E5F7D8A90"}, "'bundle_id' must be a UUID in "
                                                           "lowercase canonical form"),
    ({"created_at": "yesterday"}, "'created_at' must be a UTC time in ISO-8601 form"),
    ({"created_at": "2026-05-09T09:35:25+02:00"}, "'created_at' must be a UTC time in "
                                                  "ISO-8601 form"),
    ({"created_at": "2026-05-09T07:35:25"}, "'created_at' must be a UTC time in ISO-8601 form"),
    ({"device_id": 7}, "'device_id' must be text of 1 to 200 characters"),
    ({"app_version": ""}, "'app_version' must be text of 1 to 200 characters"),
    ({"members": []}, "'members' must be an object"),
    ({"counts": {"visits": "2"}}, "'counts' must map table names to whole numbers >= 0"),
    ({"counts": {}}, "'counts' must name exactly the tables that have a records member"),
    ({"extra": []}, "'extra' must be an object"),
    ({"colour": "red"}, "The bundle's manifest has an unknown field 'colour'."),
])
def test_manifest_with_wrong_fields_is_refused(tmp_path, good, kit, change, message):
    """Each wrong type or value is refused with a message naming the field."""
    contents, pack = good.contents, good.pack
    path = pack(tmp_path / "b", manifest=kit.manifest_for(contents, **change))
    expected = message if message.startswith("The ") else \
        f"The bundle's manifest is invalid: {message}."
    assert kit.refusal(path) == expected


def test_manifest_member_entries_are_checked(tmp_path, good, kit):
    """Member hashes must be lowercase hex, and attachments are named by their own hash."""
    contents, pack = good.contents, good.pack
    manifest = kit.manifest_for(contents)
    manifest["members"]["records/visits.jsonl"]["sha256"] = "A" * 64
    assert kit.refusal(pack(tmp_path / "a", manifest=manifest)) == (
        "The bundle's manifest is invalid: 'members' entry 'records/visits.jsonl' must be "
        '{"sha256": 64 lowercase hex digits, "size": a whole number >= 0}.')
    manifest = kit.manifest_for(contents)
    manifest["members"][f"attachments/{kit.PHOTO_SHA}"]["sha256"] = "0" * 64
    assert kit.refusal(pack(tmp_path / "b", manifest=manifest)) == (
        f"The bundle's manifest is invalid: attachment 'attachments/{kit.PHOTO_SHA}' is not "
        "named by its own SHA-256.")


def test_manifest_missing_a_field_is_refused(tmp_path, good, kit):
    """A manifest without a required field names it."""
    contents, pack = good.contents, good.pack
    manifest = kit.manifest_for(contents)
    del manifest["device_id"]
    assert kit.refusal(pack(tmp_path / "b", manifest=manifest)) == (
        "The bundle's manifest lacks the field 'device_id'.")


@pytest.mark.parametrize(("raw", "message"), [
    (b"{not json", "The bundle's manifest.json is not valid JSON (Expecting property name "
                   "enclosed in double quotes: line 1 column 2 (char 1))."),
    (b'{"a": 1, "a": 2}', "The bundle's manifest.json is not valid JSON (a key appears twice)."),
    (b"[1, 2]", "The bundle's manifest is not a JSON object."),
    (b"\xff\xfe{}", "The bundle's manifest.json is not valid JSON ('utf-8' codec can't decode "
                    "byte 0xff in position 0: invalid start byte)."),
])
def test_signed_manifest_that_is_not_json_is_refused(tmp_path, good, kit, raw, message):
    """Manifest bytes that are signed but not a proper JSON object are refused."""
    assert kit.refusal(good.pack(tmp_path / "b", manifest=raw)) == message


# --- records that are signed and hashed but not proper JSON Lines ------------------------------

@pytest.mark.parametrize(("records", "message"), [
    (b'{"id": 1}\n{"id": \n', "records/visits.jsonl line 2 is not valid JSON."),
    (b'{"id": 1}\n\n', "records/visits.jsonl line 2 is not valid JSON."),
    (b'{"id": 1}\n[1, 2]\n', "records/visits.jsonl line 2 is not a JSON object."),
    (b'{"id": NaN}\n', "records/visits.jsonl line 1 is not valid JSON."),
    (b'{"id": 1}\n{"id": 2}', "records/visits.jsonl line 2 does not end with a line break."),
    (b'{"id": 1}\n{"id": "\xff"}\n', "records/visits.jsonl line 2 is not valid UTF-8."),
    (b'{"id": 1}{"id": 2}\n', "records/visits.jsonl line 1 is not valid JSON."),
    (b'{"id": 1}\n{"id": 2}, {"id": 3}\n', "records/visits.jsonl line 2 is not valid JSON."),
    (b'{"id": [1,\n2]}\n', "records/visits.jsonl line 1 is not valid JSON."),
])
def test_malformed_record_lines_are_refused_when_read(tmp_path, device_key, kit, records,
                                                      message):
    """Lines that are not JSON objects are refused with the member and the line number."""
    contents = {"records/visits.jsonl": records}
    manifest = kit.manifest_for(contents, counts={"visits": 2})
    path = kit.write_zip(tmp_path / "b", kit.signed_entries(device_key, contents,
                                                            manifest=manifest))
    assert kit.refusal(path) == message


def test_record_lines_read_as_json_each_on_its_own(tmp_path, device_key, kit):
    """Spaces around an object, text in any script and escaped line breaks read back as
    each line alone says."""
    lines = ['{"id": 1, "text": "Grüße, 東京 ✓"}', '  {"id": 2}\t', '{"id": 3, "text": "a\\nb"}',
             '{"id":4,"n":[1,{"x":null}]}']
    contents = {"records/visits.jsonl": "".join(f"{line}\n" for line in lines).encode()}
    manifest = kit.manifest_for(contents, counts={"visits": len(lines)})
    path = kit.write_zip(tmp_path / "b", kit.signed_entries(device_key, contents,
                                                            manifest=manifest))
    with open_bundle(path) as bundle:
        assert list(bundle.records("visits")) == [json.loads(line) for line in lines]


def test_record_count_must_match_the_manifest(tmp_path, device_key, kit):
    """A records member with fewer rows than the manifest counts is refused at its end."""
    contents = {"records/visits.jsonl": kit.jsonl({"id": 1}, {"id": 2})}
    manifest = kit.manifest_for(contents, counts={"visits": 3})
    path = kit.write_zip(tmp_path / "b", kit.signed_entries(device_key, contents,
                                                            manifest=manifest))
    assert kit.refusal(path) == "records/visits.jsonl has 2 rows but its manifest counts 3."


def test_overlong_record_line_is_refused(tmp_path, device_key, kit):
    """A single line longer than the row limit is refused without reading it whole."""
    contents = {"records/visits.jsonl": kit.jsonl({"text": "x" * 5000})}
    path = kit.write_zip(tmp_path / "b", kit.signed_entries(device_key, contents))
    assert kit.refusal(path, limits=Limits(max_row_size=1000)) == (
        "records/visits.jsonl line 1 is longer than 1,000 bytes.")
