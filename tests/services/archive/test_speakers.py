"""Who said it, in the archive: each finding carries the roles of who said it, a note from
before speakers were kept is the room's (never copied into every role), and a bundle of
the older format still loads."""

from __future__ import annotations

from support import bundles as z
from support.archive_rows import uid
from support.spoken_archive import old_entry, spoken_world

from voc_desktop.domain.findings import FindingFilter, FindingOrder
from voc_desktop.services.archive.keeper import BundleStatus
from voc_desktop.services.archive.workspace import ArchiveWorkspace


def _lens(archive, make_bundle) -> ArchiveWorkspace:
    archive.import_bundles([make_bundle(spoken_world())])
    lens = ArchiveWorkspace(archive)
    lens.refresh()
    return lens


def _by_id(lens: ArchiveWorkspace) -> dict:
    return {f.item_id: f for f in lens.find(FindingFilter(), FindingOrder.OLDEST, 0, 500)}


def test_findings_carry_the_roles_of_who_said_them(archive, make_bundle):
    """A buyer's answer is the buyer's, a user's probe the user's, a note both said names
    both, and an observation no one was named for is the room's."""
    found = _by_id(_lens(archive, make_bundle))
    assert found[uid("n-1")].said_by == ("economic_buyer",)
    assert found[uid("n-1")].speaker == "Buyer of north"
    assert found[uid("n-2")].said_by == ("user",)
    assert found[uid("k-1")].said_by == ("economic_buyer", "user")
    assert found[uid("k-1")].speaker == "Buyer of kest; User at kest"
    assert found[uid("b-2")].said_by == () and found[uid("b-2")].who == "The room"
    # what was in the room is kept apart from who said it
    assert found[uid("n-2")].roles == ("economic_buyer", "user")


def test_a_note_from_before_speakers_is_the_rooms(archive, make_bundle):
    """An entry without speakers reads as the room: no role said it."""
    old = _by_id(_lens(archive, make_bundle))[uid("old-1")]
    assert (old.said_by, old.speaker, old.who) == ((), "", "The room")
    assert old.roles == ("economic_buyer", "user")  # who was there, as before


def test_a_bundle_of_the_first_format_with_old_entries_loads(archive, tmp_path, laptop_key):
    """A version 1 bundle whose entries have no speaker_ids imports, and its notes are the
    room's."""
    world = spoken_world()
    rows = {t: world[t] for t in ("guide_versions", "accounts", "contacts", "visits",
                                  "attendees")}
    rows["entries"] = [old_entry("x-1", "v-north", "Counting by torchlight.",
                                 question_key="ops-day")]
    contents = {f"records/{t}.jsonl": z.jsonl(*r) for t, r in rows.items()}
    path = z.write_zip(tmp_path / "old.vocbundle", z.signed_entries(laptop_key, contents))
    [result] = archive.import_bundles([path]).bundles
    assert result.status is BundleStatus.IMPORTED, result.message
    assert archive.index.row("entries", uid("x-1"))["speaker_ids"] == "[]"
    lens = ArchiveWorkspace(archive)
    lens.refresh()
    assert _by_id(lens)[uid("x-1")].said_by == ()


def test_the_findings_csv_says_who_said_each_note(archive, make_bundle, tmp_path):
    """The CSV names the speaker and the roles of who said it, and the room where no one
    was named."""
    import csv

    from voc_desktop.services.archive.exports import export_findings_csv

    lens = _lens(archive, make_bundle)
    path = tmp_path / "found.csv"
    export_findings_csv(lens, FindingFilter(), FindingOrder.OLDEST, path)
    rows = {r["finding_id"]: r for r in csv.DictReader(path.open(encoding="utf-8-sig"))}
    assert (rows[uid("n-1")]["who"], rows[uid("n-1")]["said_by_roles"]) == (
        "Buyer of north", "Economic buyer")
    assert rows[uid("k-1")]["said_by_roles"] == "Economic buyer; User"
    assert (rows[uid("old-1")]["who"], rows[uid("old-1")]["said_by_roles"]) == (
        "The room", "The room")
    assert rows[uid("kl-n")]["said_by_roles"] == ""  # the interviewer's own words


def test_the_findings_csv_shows_labels_not_codes(archive, make_bundle, tmp_path):
    """Kind, stage, team and status read as the app shows them."""
    import csv

    from voc_desktop.services.archive.exports import export_findings_csv

    lens = _lens(archive, make_bundle)
    path = tmp_path / "found.csv"
    export_findings_csv(lens, FindingFilter(), FindingOrder.OLDEST, path)
    rows = {r["finding_id"]: r for r in csv.DictReader(path.open(encoding="utf-8-sig"))}
    learning = rows[uid("kl-o")]
    assert (learning["kind"], learning["status"], learning["team"]) == (
        "Key learning", "Rejected", "Product")
    assert rows[uid("n-2")]["kind"] == "Why?"
    assert rows[uid("ax-1")]["status"] == "Open"
    assert rows[uid("n-1")]["lifecycle_stage"] == "At risk"
    assert "_" not in "".join(r["roles_present"] for r in rows.values())
