"""Bad bundles are rejected with a reason, and leave the folder and the index byte for byte
as they were: cut, altered, hostile, foreign, or breaking the schema."""

from __future__ import annotations

import base64
import json
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from support import bundles as z
from support.archive_rows import account, attachment_file, tree_hashes, write_bundle

from voc_desktop.services.archive.keeper import Archive, BundleStatus
from voc_desktop.sync import keys, seal

GOOD_ROWS = [account("a1"), account("a2")]


def _good(ctx, path: Path, *, sealed: bool = True, **kw) -> Path:
    recipient = ctx.encryption.public_key() if sealed else None
    write_bundle(path, ctx.key, kw.pop("tables", {"accounts": GOOD_ROWS}), seal_for=recipient,
                 **kw)
    return path


def _zip(ctx, path: Path, contents=None, *, extra=(), manifest=None, key=None) -> Path:
    contents = contents if contents is not None else {
        "records/accounts.jsonl": z.jsonl(*GOOD_ROWS)}
    entries = z.signed_entries(key or ctx.key, contents, manifest=manifest) + list(extra)
    return z.write_zip(path, entries)


def _cut(ctx, path):
    _good(ctx, path)
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])
    return path


def _flip(ctx, path, *, sealed=True):
    _good(ctx, path, sealed=sealed)
    data = bytearray(path.read_bytes())
    if sealed:
        data[len(data) // 2] ^= 1
    else:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("records/accounts.jsonl")
        at = info.header_offset
        start = at + 30 + int.from_bytes(data[at + 26:at + 28], "little") \
            + int.from_bytes(data[at + 28:at + 30], "little")
        data[start + info.compress_size // 2] ^= 1
    path.write_bytes(bytes(data))
    return path


def _renamed(ctx, path):
    contents = {"records/accounts.jsonl": z.jsonl(*GOOD_ROWS)}
    return _zip(ctx, path, {"records/quotes.jsonl": contents["records/accounts.jsonl"]},
                manifest=z.manifest_for(contents))


def _removed(ctx, path):
    contents = {"records/accounts.jsonl": z.jsonl(*GOOD_ROWS), "records/visits.jsonl": b""}
    return _zip(ctx, path, {"records/accounts.jsonl": contents["records/accounts.jsonl"]},
                manifest=z.manifest_for(contents))


def _symlink(ctx, path):
    entries = z.signed_entries(ctx.key, {"records/accounts.jsonl": z.jsonl(*GOOD_ROWS)})
    entries[2].external_attr = z.LINK_MODE
    return z.write_zip(path, entries)


def _bomb(ctx, path):
    raw, crc, size = z.zero_bomb()
    bomb = z.Entry("records/accounts.jsonl", raw=raw, size=size, crc=crc)
    return z.write_zip(path, z.signed_entries(ctx.key, {}) + [bomb])


def _future(ctx, path):
    contents = {"records/accounts.jsonl": z.jsonl(*GOOD_ROWS)}
    return _zip(ctx, path, contents, manifest=z.manifest_for(contents, format_version=5))


def _forged(ctx, path):
    contents = {"records/accounts.jsonl": z.jsonl(*GOOD_ROWS)}
    raw = json.dumps(z.manifest_for(contents)).encode()
    sig = json.dumps({"key": keys.public_key_text(ctx.key), "signature":
                      base64.b64encode(ctx.other.sign(raw)).decode()}).encode()
    return z.write_zip(path, [z.Entry("manifest.json", raw), z.Entry("manifest.sig", sig),
                              z.Entry("records/accounts.jsonl", z.jsonl(*GOOD_ROWS))])


def _unsigned(ctx, path):
    entries = [e for e in z.signed_entries(ctx.key, {"records/accounts.jsonl":
                                                     z.jsonl(*GOOD_ROWS)})
               if e.name != "manifest.sig"]
    return z.write_zip(path, entries)


def _foreign(ctx, path):
    write_bundle(path, ctx.key, {"accounts": GOOD_ROWS},
                 seal_for=seal.new_archive_key().public_key())
    return path


def _bad_json(ctx, path):
    contents = {"records/accounts.jsonl": z.jsonl(GOOD_ROWS[0]) + b'{"id": \n'}
    return _zip(ctx, path, contents)


def _rows(table, *rows, **kw):
    return lambda ctx, path: _good(ctx, path, tables={table: list(rows)}, **kw)


def _without(name):
    row = account("a3")
    del row[name]
    return row


PHOTO = b"\x89PNG" + bytes(500)
CASES = {
    "truncated": (_cut, "The bundle is incomplete"),
    "flipped byte, sealed": (_flip, "The sealed bundle is damaged or was changed"),
    "flipped byte, plain": (lambda c, p: _flip(c, p, sealed=False),
                            "The bundle( is damaged|'s member 'records/accounts.jsonl')"),
    "added member": (lambda c, p: _zip(c, p, extra=[z.Entry("records/notes.jsonl", b"{}\n")]),
                     "which its manifest does not list"),
    "removed member": (_removed, "The bundle lacks 'records/visits.jsonl'"),
    "renamed member": (_renamed, "holds 'records/quotes.jsonl'"),
    "parent step": (lambda c, p: _zip(c, p, extra=[z.Entry("records/../x", b"x")]),
                    "unsafe path"),
    "absolute path": (lambda c, p: _zip(c, p, extra=[z.Entry("/etc/passwd", b"x")]),
                      "unsafe path"),
    "drive path": (lambda c, p: _zip(c, p, extra=[z.Entry("C:/x", b"x")]), "unsafe path"),
    "symlink member": (_symlink, "is a symbolic link"),
    "duplicate names": (lambda c, p: _zip(c, p, extra=[
        z.Entry("records/accounts.jsonl", b"{}\n")]), "holds the member .* twice"),
    "zip bomb": (_bomb, "looks like a zip bomb"),
    "newer format": (_future, "made by a newer VOC Desktop"),
    "wrong signature": (_forged, "The signature does not match"),
    "missing signature": (_unsigned, "is not signed"),
    "another archive": (_foreign, "encrypted for another archive"),
    "malformed JSON": (_bad_json, "records/accounts.jsonl line 2 is not valid JSON"),
    "unknown table": (_rows("notes", {"id": "x"}), "the archive has no table 'notes'"),
    "unknown column": (_rows("accounts", GOOD_ROWS[0], {**account("a3"), "colour": "red"}),
                       "accounts.jsonl line 2: unknown column 'colour'"),
    "missing id": (_rows("accounts", _without("id")), "line 1: the row has no 'id'"),
    "missing device": (_rows("accounts", _without("device_id")), "has no 'device_id'"),
    "missing revision": (_rows("accounts", _without("revision")), "has no 'revision'"),
    "missing required": (_rows("accounts", _without("name")), "has no 'name'"),
    "revision as text": (_rows("accounts", account("a3", revision="3")),
                         "'revision' must be a whole number, not text"),
    "flag as boolean": (_rows("accounts", account("a3", in_icp=True)),
                        "'in_icp' must be a whole number, not true/false"),
    "text as object": (_rows("accounts", account("a3", name={"x": 1})),
                       "'name' must be text, not an object"),
    "null name": (_rows("accounts", account("a3", name=None)), "'name' must not be null"),
    "revision zero": (_rows("accounts", account("a3", revision=0)), "must be 1 or more"),
    "empty id": (_rows("accounts", {**account("a3"), "id": ""}), "must not be empty"),
    "number too large": (_rows("accounts", account("a3", in_icp=1 << 70)),
                         "a value the archive cannot store"),
    "bad erasure": (_rows("erasures", {"contact_id": 5}), "erasures.jsonl line 1"),
    "bad attachment row": (_rows("attachment_files", {"sha256": "x"}),
                           "attachment_files.jsonl line 1"),
    "attachment missing": (_rows("attachment_files", attachment_file(PHOTO)),
                           "is neither in the bundle nor in the archive"),
    "attachment size": (_rows("attachment_files", {**attachment_file(PHOTO), "size": 3},
                              attachments=(PHOTO,)), "does not match the attachment"),
    "later bad row": (_rows("accounts", *[account(f"x{i}") for i in range(50)],
                            account("bad", lifecycle_stage=7)),
                      "line 51: 'lifecycle_stage' must be text"),
}


@pytest.fixture
def ctx(tmp_path, laptop_key, archive):
    return SimpleNamespace(key=laptop_key, other=Ed25519PrivateKey.generate(),
                           encryption=archive.folder.encryption_key(), archive=archive,
                           inbox=tmp_path / "bad")


@pytest.mark.parametrize("case", CASES)
def test_a_bad_bundle_changes_nothing(ctx, make_bundle, case):
    """Rejected with its reason; not one byte of the folder or the index changes."""
    archive = ctx.archive
    archive.import_bundles([make_bundle({"accounts": [account("a0")]}, sequence=9)])
    build, expected = CASES[case]
    ctx.inbox.mkdir()
    path = build(ctx, ctx.inbox / "bad.vocbundle")
    archive.close()
    folder, local = archive.folder.path, archive.index_path.parent
    before = (tree_hashes(folder), tree_hashes(local))
    with Archive.open(folder, index=archive.index_path) as again:
        report = again.import_bundles([path])
    [result] = report.bundles
    assert result.status is BundleStatus.REJECTED and not report.ok
    assert re.search(expected, result.reason), result.reason
    assert "\n" not in result.reason
    assert (tree_hashes(folder), tree_hashes(local)) == before


def test_a_good_bundle_next_to_a_bad_one_is_still_imported(ctx, make_bundle):
    """Each file stands alone: one rejected bundle does not stop the others."""
    ctx.inbox.mkdir()
    bad = _bad_json(ctx, ctx.inbox / "bad.vocbundle")
    good = make_bundle({"accounts": [account("a5")]})
    report = ctx.archive.import_bundles([bad, good])
    assert [b.status for b in report.bundles] == [BundleStatus.REJECTED,
                                                   BundleStatus.IMPORTED]
    assert report.totals["rejected"] == 1 and report.totals["new"] == 1


def test_an_unreadable_file_is_rejected(ctx, tmp_path):
    """A path that does not exist is reported, not raised."""
    [result] = ctx.archive.import_bundles([tmp_path / "nowhere.vocbundle"]).bundles
    assert result.status is BundleStatus.REJECTED and "cannot be read" in result.reason


def test_work_files_left_by_an_interrupted_import_are_removed(tmp_path):
    """Decrypted work files older than an hour beside the index go when it is next opened;
    a fresh one, perhaps another process's running import, stays."""
    import os
    import time

    from voc_desktop.services.archive.keeper import Archive

    local = tmp_path / "local"
    Archive.create(tmp_path / "archive", index=local / "index.sqlite3").close()
    old = [local / ".unsealed-abc.zip", local / ".incoming-def.vocbundle"]
    fresh = local / ".unsealed-new.zip"
    for path in (*old, fresh):
        path.write_bytes(b"customer words")
    hours_ago = time.time() - 2 * 3600
    for path in old:
        os.utime(path, (hours_ago, hours_ago))
    with Archive.open(tmp_path / "archive", index=local / "index.sqlite3") as archive:
        archive.import_bundles([])
    assert [p.exists() for p in old] == [False, False] and fresh.exists()
