"""One folder, several leads, each with an index: names that cannot collide, one order for
everyone, choices that cross each other, and folders made by older versions."""

from __future__ import annotations

import json
import shutil

import pytest
from support.archive_rows import account, write_bundle

from voc_desktop.services.archive.keeper import Archive, BundleStatus
from voc_desktop.services.archive.replay import META_LAST_EVENT
from voc_desktop.services.errors import ServiceError
from voc_desktop.sync.shared_names import AlreadyThere, create_exclusively

VOLATILE = {"_sqlite_migrations", "stale_visits"}


def logical(archive: Archive) -> dict:
    dumped = archive.index.dump()
    return {t: rows for t, rows in dumped.items() if t not in VOLATILE}


@pytest.fixture
def lead2(archive, tmp_path):
    """A second lead's index of the same folder."""
    other = Archive.open(archive.folder.path, index=tmp_path / "lead2" / "index.sqlite3")
    yield other
    other.close()


@pytest.fixture
def crossing(make_bundle, laptop_b_key):
    """Laptop A's account, then an edit of it on A and one on B, unaware of each other."""
    first = make_bundle({"accounts": [account("a1", name="Nord")]})
    a_edit = make_bundle({"accounts": [account("a1", name="Nord GmbH", revision=2)]},
                         sequence=2, previous=1)
    b_edit = make_bundle({"accounts": [account("a1", name="Nord AG", device="dev-b",
                                               revision=2)]},
                         key=laptop_b_key, device_id="dev-b")
    return first, a_edit, b_edit


def bundle_files(archive: Archive) -> list[str]:
    return sorted(p.name for p in (archive.folder.path / "bundles").iterdir())


def test_a_name_is_created_once_whoever_writes_it(tmp_path):
    """Two writers of one name: the second finds it there and leaves the first intact."""
    target = tmp_path / "f.vocbundle"
    create_exclusively(target, lambda out: out.write(b"first"))
    with pytest.raises(AlreadyThere):
        create_exclusively(target, lambda out: out.write(b"second"))
    assert target.read_bytes() == b"first" and [p.name for p in tmp_path.iterdir()] == [
        "f.vocbundle"]


def test_two_leads_importing_one_bundle_end_with_one_file(archive, lead2, make_bundle):
    """Lead 2 imports a bundle lead 1 put in the folder a moment ago: a duplicate, one
    file, and both indexes hold the same."""
    path = make_bundle({"accounts": [account("a1")]})
    lead2.refresh()  # lead 2 looked at the folder before lead 1's import
    [first] = archive.import_bundles([path]).bundles
    [second] = lead2.import_bundles([path]).bundles
    assert (first.status, second.status) == (BundleStatus.IMPORTED, BundleStatus.DUPLICATE)
    assert bundle_files(archive) == [first.stored_as]
    assert logical(archive) == logical(lead2)


def test_the_index_is_the_same_whatever_order_bundles_arrive_in(archive, lead2, crossing,
                                                                tmp_path):
    """Two folders given the same bundles in opposite orders hold the same files, and their
    indexes agree on which value is current and which is the conflict."""
    first, a_edit, b_edit = crossing
    shutil.copytree(archive.folder.path, tmp_path / "twin")
    with Archive.open(tmp_path / "twin", index=tmp_path / "twin.sqlite3") as twin:
        archive.import_bundles([first, a_edit, b_edit])
        twin.import_bundles([b_edit, first])
        twin.import_bundles([a_edit])
        assert bundle_files(twin) == bundle_files(archive)
        [one], [other] = archive.conflicts(), twin.conflicts()
        assert (one.current_version, one.incoming_version) == (
            other.current_version, other.incoming_version)
        assert logical(twin)["accounts"] == logical(archive)["accounts"]
        assert logical(twin)["conflicts"] == logical(archive)["conflicts"]


def test_a_bundle_made_earlier_arriving_later_replays_the_folder(archive, lead2, crossing):
    """Lead 2 takes in a bundle that sorts before what its index holds: it replays the
    folder and ends equal to lead 1, who took them in the other way round."""
    first, a_edit, b_edit = crossing
    archive.import_bundles([first, b_edit])
    lead2.import_bundles([a_edit])
    archive.refresh()
    assert logical(lead2) == logical(archive)
    assert json.loads(lead2.index.meta(META_LAST_EVENT))[3] == sorted(
        bundle_files(archive))[-1]


def test_a_choice_by_one_lead_reaches_the_other(archive, lead2, crossing):
    """Lead 1 settles a conflict; lead 2's next look shows it settled the same way."""
    archive.import_bundles(list(crossing))
    [c] = lead2.conflicts()
    archive.resolve(archive.conflicts()[0].id, "incoming")
    assert lead2.conflicts() == []
    assert logical(lead2) == logical(archive)
    assert lead2.conflict(c.id).kept == "incoming"


def test_two_leads_settling_one_conflict_at_once_agree_and_show_the_overruled(
        archive, lead2, crossing):
    """Both leads settle the same conflict at once, opposite ways, each before seeing the
    other's choice: both indexes keep the same one (the earlier made), and the other is
    listed as overruled, not lost."""
    archive.import_bundles(list(crossing))
    [c] = lead2.conflicts()
    mine = archive.resolve(c.id, "incoming")
    # lead 2 had settled it a moment earlier, looking at the same folder
    theirs = {"format": "voc-resolution", "format_version": 2, "record_table": c.table,
              "record_id": c.record_id, "current_version": c.current_version,
              "incoming_version": c.incoming_version, "keep": "current",
              "resolved_at": "2000-01-01T00:00:00.000Z",
              "resolved_version": f"{archive.archive_id}:9",
              "after": lead2.index.meta("last_bundle")}
    lead2.folder.write_choice(theirs)
    lead2.refresh()
    archive.refresh()
    assert mine.outcome == "applied"
    assert logical(lead2) == logical(archive)
    [loser] = archive.overruled()
    assert (loser["file_name"], loser["outcome"]) == (mine.file_name, "overruled")
    assert lead2.conflict(c.id).kept == archive.conflict(c.id).kept == "current"
    assert sorted(x["outcome"] for x in archive.conflict(c.id).choices) == [
        "applied", "overruled"]
    with pytest.raises(ServiceError, match="is resolved"):
        archive.resolve(c.id, "incoming")


def test_a_damaged_or_unknown_file_in_resolutions_blocks_nothing(archive, crossing):
    """A damaged resolution and a stranger file are listed with one line each; imports and
    conflicts go on."""
    first, a_edit, b_edit = crossing
    folder = archive.folder.path / "resolutions"
    (folder / ("c-" + "0" * 32 + "-" + "0" * 16 + ".json")).write_text("{not json")
    (folder / "notes.txt").write_text("hello")
    report = archive.import_bundles([first, a_edit, b_edit])
    assert report.ok and len(archive.conflicts()) == 1
    problems = {r["file_name"]: r["detail"] for r in archive.overruled()}
    assert problems["notes.txt"].startswith("resolutions/notes.txt is skipped: it is not")
    assert all("\n" not in line for line in problems.values()) and len(problems) == 2


def test_a_folder_from_an_older_version_loads_with_its_names(archive, tmp_path, laptop_key,
                                                             laptop_b_key):
    """Accepted files named by arrival, the same bundle twice (an older version's race),
    and an old resolution file: a fresh index takes them in without an error, and applies
    the resolution where it was made."""
    bundles = archive.folder.path / "bundles"
    seal_for = archive.folder.encryption_key().public_key()
    one = write_bundle(tmp_path / "one", laptop_key, {"accounts": [account("a1",
                       name="Nord")]}, seal_for=seal_for)
    two = write_bundle(tmp_path / "two", laptop_key, {"accounts": [account("a1",
                       name="Nord GmbH", revision=2)]}, sequence=2, previous=1,
                       seal_for=seal_for)
    other = write_bundle(tmp_path / "other", laptop_b_key, {"accounts": [account(
        "a1", name="Nord AG", device="dev-b", revision=2)]}, device_id="dev-b",
        seal_for=seal_for)
    shutil.copy(tmp_path / "one", bundles / f"000001 {one.bundle_id}.vocbundle")
    shutil.copy(tmp_path / "two", bundles / f"000002 {two.bundle_id}.vocbundle")
    shutil.copy(tmp_path / "two", bundles / f"000003 {two.bundle_id}.vocbundle")
    shutil.copy(tmp_path / "other", bundles / f"000004 {other.bundle_id}.vocbundle")
    (archive.folder.path / "resolutions" / "000004 conflict-1.json").write_text(json.dumps({
        "format": "voc-resolution", "format_version": 1, "conflict_id": 1,
        "record_table": "accounts", "record_id": account("a1")["id"],
        "current_version": "dev-a:2", "incoming_version": "dev-b:2", "keep": "incoming",
        "resolved_at": "2026-06-01T10:00:00.000Z",
        "resolved_version": f"{archive.archive_id}:3"}))
    with Archive.open(archive.folder.path, index=tmp_path / "fresh.sqlite3") as fresh:
        caught = fresh.refresh()
        assert [b.status for b in caught.bundles] == [BundleStatus.IMPORTED] * 3
        assert caught.resolutions == 1
        assert fresh.index.row("accounts", account("a1")["id"])["name"] == "Nord AG"
        assert fresh.conflict(1).kept == "incoming"
        assert fresh.rebuild().refused == ()
