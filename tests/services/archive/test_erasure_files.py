"""Erasure reaches the archive folder's files: accepted bundles that held the person are
replaced by redacted copies the archive signs, the same for every lead, and kept whole."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from support.archive_rows import (
    account,
    attendee,
    contact,
    entry,
    erasure,
    key_learning,
    tree_hashes,
    uid,
    visit,
)

from voc_desktop.services.archive import redaction
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.sync import keys, seal
from voc_desktop.sync.bundle_file import open_bundle

NAME = "Ksenia Wołodźko"
TITLE = "Night bakery supervisor"
QUOTE = "The night shift restarts the oven twice before dawn."
LEARNING = "Oven restarts cost the night shift an hour."
SECRETS = [NAME, *NAME.split(), TITLE, QUOTE, LEARNING]


def _first(laptop_key_text: str) -> dict:
    return {
        "accounts": [account("a1", "Kestrel Mills")],
        "contacts": [contact("ks", "a1", NAME, title=TITLE, consent_quote_by_name=0),
                     contact("ruth", "a1", "Ruth Okoro")],
        "visits": [visit("v1", "a1")],
        "attendees": [attendee("at1", "v1", "ks"), attendee("at2", "v1", "ruth")],
        "entries": [entry("q1", "v1", QUOTE, kind="quote", speaker_id=uid("ks")),
                    entry("e1", "v1", "They bake rye on Mondays.", position=1)],
        "key_learnings": [key_learning("k1", "v1", LEARNING, source_entry_id=uid("q1")),
                          key_learning("k2", "v1", "Rye sells best.")],
    }


def readable(path: Path, archive_key) -> bytes:
    """Everything a person with the folder could read out of a file: its bytes, the zip
    inside a sealed file, and each zip member unpacked."""
    data = path.read_bytes()
    parts = [data]
    if data.startswith(b"VOCSEALED1\n"):
        out = io.BytesIO()
        seal.unseal(io.BytesIO(data), out, archive_key)
        data = out.getvalue()
        parts.append(data)
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts += [z.read(n) for n in z.namelist()]
    return b"\n".join(parts)


def leaks(folder: Path, archive_key) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = readable(path, archive_key)
        hits = [s for s in SECRETS if s.encode() in text or s.casefold().encode() in text]
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


@pytest.fixture
def held_person(archive, make_bundle, laptop_key):
    archive.import_bundles([make_bundle(_first(keys.public_key_text(laptop_key)))])
    return archive


def _erasure_bundle(make_bundle):
    emptied = contact("ks", "a1", name="", title="", consent_given=0,
                      consent_quote_by_name=0, consent_method="", consent_at=None,
                      consent_scope="", revision=2,
                      deleted_at="2026-05-10T09:00:00.000Z")
    return make_bundle({"erasures": [erasure("ks", "a1")], "contacts": [emptied]},
                       sequence=2, previous=1)


def test_no_file_of_the_folder_holds_the_person_after_an_erasure(held_person, make_bundle,
                                                                 dump):
    """Before: the accepted bundle holds name, title, quote and learning. After: no file
    does, the copy is signed by the archive and records the original; a rebuild from the
    folder accepts it and equals the index that saw the original."""
    archive = held_person
    key = archive.folder.encryption_key()
    [first] = archive.folder.accepted()
    original_sha = redaction.hashlib.sha256(first.path.read_bytes()).hexdigest()
    mtime = first.path.stat().st_mtime_ns
    assert set(leaks(archive.folder.path, key)) == {f"bundles/{first.path.name}"}
    report = archive.import_bundles([_erasure_bundle(make_bundle)])
    assert report.redacted == (first.path.name,)
    assert leaks(archive.folder.path, key) == {}
    assert first.path.stat().st_mtime_ns == mtime
    with open_bundle(first.path, archive_key=key) as copy:
        assert copy.signer_key == archive.folder.signing_public
        record = copy.manifest.extra["redaction"]
        assert record["original"]["file_sha256"] == original_sha
        assert record["original"]["signer_key"] != archive.folder.signing_public
        assert record["erased"] == [uid("ks")]
        kept = {r["id"]: r["text"] for r in copy.records("entries")}
        assert kept == {uid("q1"): "", uid("e1"): "They bake rye on Mondays."}
    assert archive.index.bundle_by_id(copy.manifest.bundle_id)["file_sha256"] == original_sha
    before = dump(archive)
    summary = archive.rebuild()
    assert summary.bundles == 2
    assert dump(archive) == before
    assert archive.index.refused_files() == []
    index = archive.index_path
    for path in [index, *index.parent.glob(index.name + "-*")]:
        text = path.read_bytes()
        assert not any(s.encode() in text for s in SECRETS), path


def test_the_original_sent_again_changes_nothing(held_person, make_bundle, tmp_path):
    """A laptop sending the original bundle again after the erasure finds it a duplicate."""
    archive = held_person
    [first] = archive.folder.accepted()
    again = tmp_path / "again.vocbundle"
    shutil.copy(first.path, again)
    archive.import_bundles([_erasure_bundle(make_bundle)])
    [result] = archive.import_bundles([again]).bundles
    assert result.status.value == "duplicate"
    assert leaks(archive.folder.path, archive.folder.encryption_key()) == {}


def _lead(folder: Path, tmp_path: Path, name: str) -> Archive:
    return Archive.open(folder, index=tmp_path / name / "index.sqlite3")


def test_two_leads_end_with_the_same_folder_in_either_order(held_person, make_bundle,
                                                            tmp_path):
    """Two copies of one folder each accept the same erasure, in turn or alone, and end
    byte for byte the same; a lead catching up with a redacted folder agrees."""
    archive = held_person
    path = _erasure_bundle(make_bundle)
    archive.close()
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(archive.folder.path, one)
    shutil.copytree(archive.folder.path, two)
    with _lead(one, tmp_path, "a") as a:
        a.import_bundles([path])
    with _lead(two, tmp_path, "b") as b:
        b.refresh()  # b knew the original first, then takes the erasure itself
        b.import_bundles([path])
    assert tree_hashes(one) == tree_hashes(two)
    with _lead(archive.folder.path, tmp_path, "c") as c:
        c.refresh()  # this lead's index knows the original; another lead redacts
        with _lead(archive.folder.path, tmp_path, "d") as d:
            d.import_bundles([path])
        c.refresh()
        assert tree_hashes(archive.folder.path) == tree_hashes(one)
        assert c.index.erased_contacts() == {uid("ks")}


def test_a_redaction_stopped_half_way_leaves_the_original_and_is_done_next_time(
        held_person, make_bundle, monkeypatch):
    """A failure between writing the copy and putting it in place leaves the original file
    whole and no copy; the next refresh redacts it."""
    archive = held_person
    [first] = archive.folder.accepted()
    before = first.path.read_bytes()
    real = os.replace

    def killed(src, dst, *args, **kwargs):
        if Path(dst) == first.path:
            raise OSError(5, "Input/output error")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", killed)
    [result] = archive.import_bundles([_erasure_bundle(make_bundle)]).bundles
    assert result.status.value == "imported"
    assert first.path.read_bytes() == before
    assert sorted(p.name for p in first.path.parent.iterdir()) == sorted(
        f.path.name for f in archive.folder.accepted())  # no temporary file left
    monkeypatch.setattr(os, "replace", real)
    archive.refresh()
    assert first.path.read_bytes() != before
    assert leaks(archive.folder.path, archive.folder.encryption_key()) == {}


def test_a_bundle_arriving_after_the_erasure_is_redacted_too(held_person, make_bundle,
                                                             laptop_b_key):
    """A laptop that had not heard of the erasure sends the person again: the rows are
    dropped and its file in the folder is redacted as well."""
    archive = held_person
    archive.import_bundles([_erasure_bundle(make_bundle)])
    late = make_bundle({"contacts": [contact("ks", "a1", NAME, title=TITLE, device="dev-b",
                                             revision=3)],
                        "entries": [entry("q9", "v1", QUOTE, kind="quote",
                                          speaker_id=uid("ks"), device="dev-b")]},
                       key=laptop_b_key, device_id="dev-b")
    [result] = archive.import_bundles([late]).bundles
    assert result.erased == 2
    assert leaks(archive.folder.path, archive.folder.encryption_key()) == {}


def test_later_imports_read_only_the_new_files(held_person, make_bundle, monkeypatch):
    """Once the folder is redacted, a later import checks only the files it brought."""
    archive = held_person
    archive.import_bundles([_erasure_bundle(make_bundle)])
    looked_at = []
    real = redaction.Eraser.rows

    def counted(self, bundle):
        looked_at.append(bundle.manifest.bundle_id)
        return real(self, bundle)

    monkeypatch.setattr(redaction.Eraser, "rows", counted)
    path = make_bundle({"entries": [entry("e7", "v1", "A new mixer arrived.", position=7)]},
                       sequence=3, previous=2)
    [result] = archive.import_bundles([path]).bundles
    assert looked_at == [result.bundle_id]


def test_an_erasure_a_lead_accepts_redacts_the_folder_too(held_person, make_bundle,
                                                          laptop_b_key):
    """Another laptop's erasure of the person waits for a lead; keeping it redacts the
    accepted bundle that held them."""
    archive = held_person
    path = make_bundle({"erasures": [erasure("ks", "a1", device="dev-b")]},
                       key=laptop_b_key, device_id="dev-b")
    archive.import_bundles([path])
    [waiting] = archive.conflicts()
    assert leaks(archive.folder.path, archive.folder.encryption_key())
    archive.resolve(waiting.id, "incoming")
    assert leaks(archive.folder.path, archive.folder.encryption_key()) == {}
