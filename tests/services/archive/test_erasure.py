"""Erasures: a person who withdrew consent disappears from every copy the index holds."""

from __future__ import annotations

import pytest
from support.archive_rows import (
    account,
    attendee,
    contact,
    entry,
    erasure,
    key_learning,
    uid,
    visit,
)

ERASED_AT = "2026-05-10T09:00:00.000Z"


@pytest.fixture
def with_person(archive, make_bundle, laptop_b_key):
    """Ruth (c1) attended v1 and was quoted; a learning was drawn from her quote; laptop B
    changed her title meanwhile, which waits as a conflict."""
    archive.import_bundles([make_bundle({
        "accounts": [account("a1")], "contacts": [contact("c1", "a1"), contact("c2", "a1",
                                                                               name="Piotr")],
        "visits": [visit("v1", "a1")],
        "attendees": [attendee("at1", "v1", "c1"), attendee("at2", "v1", "c2")],
        "entries": [entry("q1", "v1", kind="quote", text="We hate Mondays.",
                          speaker_id=uid("c1")), entry("e1", "v1", position=1)],
        "key_learnings": [key_learning("k1", "v1", source_entry_id=uid("q1")),
                          key_learning("k2", "v1", text="Other")]})])
    archive.import_bundles([make_bundle({"contacts": [contact(
        "c1", "a1", title="COO", device="dev-b", revision=2)]}, key=laptop_b_key,
        device_id="dev-b")])
    assert len(archive.conflicts()) == 1
    return archive


def test_an_erasure_empties_every_copy(with_person, make_bundle):
    """Name, title, consent, quotes, learnings from quotes and attendance go; others stay."""
    archive = with_person
    [result] = archive.import_bundles([make_bundle({"erasures": [erasure("c1", "a1")]},
                                                   sequence=2)]).bundles
    assert result.status.value == "imported"
    person = archive.index.row("contacts", uid("c1"))
    assert (person["name"], person["title"], person["consent_given"],
            person["consent_at"], person["deleted_at"]) == ("", "", 0, None, ERASED_AT)
    assert person["device_id"] == archive.archive_id
    quote = archive.index.row("entries", uid("q1"))
    assert (quote["text"], quote["deleted_at"]) == ("", ERASED_AT)
    learning = archive.index.row("key_learnings", uid("k1"))
    assert (learning["text"], learning["deleted_at"]) == ("", ERASED_AT)
    assert archive.index.row("attendees", uid("at1"))["deleted_at"] == ERASED_AT
    assert archive.index.row("attendees", uid("at2"))["deleted_at"] is None
    assert archive.index.row("contacts", uid("c2"))["name"] == "Piotr"
    assert archive.index.row("entries", uid("e1"))["text"]
    assert archive.index.row("key_learnings", uid("k2"))["text"] == "Other"
    assert archive.conflicts() == []
    [dropped] = archive.conflicts(include_closed=True)
    assert (dropped.status, dropped.incoming) == ("erased", None)
    assert [e["contact_id"] for e in archive.index.erasures()] == [uid("c1")]


def test_a_late_bundle_cannot_bring_the_person_back(with_person, make_bundle,
                                                    laptop_b_key):
    """Rows about the erased person in a later bundle are dropped on arrival."""
    archive = with_person
    archive.import_bundles([make_bundle({"erasures": [erasure("c1", "a1")]}, sequence=2)])
    late = make_bundle({
        "contacts": [contact("c1", "a1", name="Ruth Okoro", device="dev-b", revision=3)],
        "attendees": [attendee("at9", "v1", "c1", device="dev-b")],
        "entries": [entry("q9", "v1", kind="quote", text="Again", speaker_id=uid("c1"),
                          device="dev-b"), entry("e9", "v1", device="dev-b", position=9)],
        "key_learnings": [key_learning("k9", "v1", source_entry_id=uid("q9"),
                                       device="dev-b")]},
        key=laptop_b_key, device_id="dev-b", sequence=2, previous=1)
    [result] = archive.import_bundles([late]).bundles
    assert (result.erased, result.new) == (4, 1)
    assert archive.index.row("contacts", uid("c1"))["name"] == ""
    for table, key in (("attendees", "at9"), ("entries", "q9"), ("key_learnings", "k9")):
        assert archive.index.row(table, uid(key)) is None


def test_an_erasure_before_the_person_arrives_keeps_them_out(archive, make_bundle):
    """An erasure known first means the person's rows are never stored."""
    archive.import_bundles([make_bundle({"erasures": [erasure("c1", "a1")]})])
    [result] = archive.import_bundles([make_bundle({
        "contacts": [contact("c1", "a1")], "entries": [
            entry("q1", "v1", kind="quote", speaker_id=uid("c1"))]}, sequence=2)]).bundles
    assert (result.erased, result.new) == (2, 0)
    assert archive.index.row("contacts", uid("c1")) is None


def test_an_erasure_with_the_persons_own_emptied_rows(with_person, make_bundle, dump):
    """The erasure with the laptop's own emptied rows applies once; again it changes nothing."""
    archive = with_person
    emptied = contact("c1", "a1", name="", title="", consent_given=0, revision=2,
                      deleted_at=ERASED_AT)
    path = make_bundle({"erasures": [erasure("c1", "a1")], "contacts": [emptied]},
                       sequence=2)
    [result] = archive.import_bundles([path]).bundles
    assert result.erased == 1
    before = dump(archive)
    again = make_bundle({"erasures": [erasure("c1", "a1")]}, sequence=3)
    [result] = archive.import_bundles([again]).bundles
    assert result.status.value == "imported"
    after = dump(archive)
    assert after.pop("bundles") != before.pop("bundles")
    # where the index stands in the folder moves on; nothing else changes
    for held in (after, before):
        held["meta"] = [m for m in held["meta"] if not m[0].startswith("last_")]
    assert after == before


def test_an_accepted_erasure_leaves_the_disk_while_the_window_holds_the_index(
        with_person, make_bundle):
    """With another connection open (the archive window), an accepted erasure leaves no
    copy of the person's name or quote in the index file or its journal."""
    import sqlite3

    from voc_desktop.services.archive.findings import refresh_findings

    archive = with_person
    refresh_findings(archive.index)  # the window searched: the findings quote her
    window = sqlite3.connect(archive.index_path)
    assert window.execute("SELECT COUNT(*) FROM findings").fetchone()[0] > 0
    archive.import_bundles([make_bundle({"erasures": [erasure("c1", "a1")]}, sequence=2)])
    files = [archive.index_path, archive.index_path.with_name(
        archive.index_path.name + "-wal")]
    held = b"".join(p.read_bytes() for p in files if p.exists())
    for text in ("Ruth Okoro", "We hate Mondays", "Mondays"):
        assert text.encode() not in held and text.lower().encode() not in held, text
    assert window.execute("SELECT name FROM contacts WHERE id = ?",
                          [uid("c1")]).fetchone() == ("",)
    window.close()
