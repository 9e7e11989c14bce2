"""A trusted laptop writes only as itself, and a bundle is taken in only by the archive it
names. Each case is crafted with a second trusted laptop's real key."""

from __future__ import annotations

import pytest
from support.archive_rows import account, contact, entry, erasure, uid, visit

from voc_desktop.services.archive.keeper import Archive, BundleStatus
from voc_desktop.sync import keys


@pytest.fixture
def laptop_b_records(archive, make_bundle, laptop_b_key):
    """Laptop B's account, contact, visit and 105 entries, in the archive."""
    entries = [entry(f"e{n}", "v1", device="dev-b", position=n) for n in range(105)]
    path = make_bundle({"accounts": [account("a1", name="Nord", device="dev-b")],
                        "contacts": [contact("c1", "a1", device="dev-b")],
                        "visits": [visit("v1", "a1", device="dev-b")], "entries": entries},
                       key=laptop_b_key, device_id="dev-b")
    assert archive.import_bundles([path]).ok
    return archive


def refused(archive: Archive, path) -> str:
    before = archive.index.dump()
    [result] = archive.import_bundles([path]).bundles
    assert result.status is BundleStatus.REJECTED
    after = archive.index.dump()
    assert {k: v for k, v in after.items() if k != "meta"} == {
        k: v for k, v in before.items() if k != "meta"}
    assert "\n" not in result.reason
    return result.reason


def test_a_row_claiming_another_laptop_is_refused(laptop_b_records, make_bundle):
    """Laptop A sends laptop B's account one revision higher: refused, B's copy stays, and
    B's genuine next edit still arrives."""
    archive = laptop_b_records
    forged = make_bundle({"accounts": [account("a1", name="Taken", device="dev-b",
                                               revision=2)]})
    reason = refused(archive, forged)
    assert "says device dev-b wrote it" in reason and "writes only as itself" in reason
    assert archive.index.row("accounts", uid("a1"))["name"] == "Nord"


def test_a_mass_tombstone_of_another_laptops_entries_is_refused(laptop_b_records,
                                                                make_bundle):
    """Tombstones of laptop B's 105 entries, written as B by laptop A: refused whole."""
    archive = laptop_b_records
    gone = [entry(f"e{n}", "v1", device="dev-b", revision=2, position=n,
                  deleted_at="2026-06-01T00:00:00Z") for n in range(105)]
    refused(archive, make_bundle({"entries": gone}))
    assert archive.index.table_counts()["entries"] == 105
    assert all(r["deleted_at"] is None
               for r in archive.index.rows_where("entries", "visit_id", [uid("v1")]))


def test_an_erasure_made_in_another_laptops_name_is_refused(laptop_b_records, make_bundle):
    """An erasure row that says laptop B made it, sent by laptop A: refused."""
    archive = laptop_b_records
    reason = refused(archive, make_bundle({"erasures": [erasure("c1", "a1", device="dev-b")]}))
    assert "the erasure says device dev-b made it" in reason
    assert archive.index.row("contacts", uid("c1"))["name"] == "Ruth Okoro"


def test_a_manifest_naming_another_laptop_is_refused(laptop_b_records, make_bundle):
    """Laptop A signs a bundle whose manifest says it comes from laptop B: refused."""
    archive = laptop_b_records
    reason = refused(archive, make_bundle({"accounts": [account("a7", device="dev-b")]},
                                          device_id="dev-b", sequence=2))
    assert reason == ("the bundle says it comes from device dev-b, but another laptop's key "
                      "signs for that device.")
    assert archive.folder.device_key("dev-b") is not None


def test_a_rebuild_refuses_a_forged_file_in_the_folder_alike(laptop_b_records, make_bundle,
                                                             tmp_path, laptop_key):
    """A forged bundle dropped straight into bundles/ is refused by every index's replay."""
    archive = laptop_b_records
    forged = make_bundle({"accounts": [account("a1", name="Taken", device="dev-b",
                                               revision=2)]}, sequence=5)
    with archive.folder.path.joinpath("bundles", "20300101T000000000000Z 000000005 "
                                      "11111111-2222-4333-8444-555555555555.vocbundle"
                                      ).open("wb") as out:
        out.write(forged.read_bytes())
    with Archive.open(archive.folder.path, index=tmp_path / "fresh.sqlite3") as fresh:
        fresh.refresh()
        assert fresh.index.row("accounts", uid("a1"))["name"] == "Nord"
        [row] = fresh.index.refused_files()
        assert "writes only as itself" in row["reason"]


def test_an_edit_of_a_shared_record_is_the_laptops_own_revision(laptop_b_records,
                                                                make_bundle):
    """Laptop A edits laptop B's account as its own revision based on B's: it moves on."""
    archive = laptop_b_records
    path = make_bundle({"accounts": [account("a1", name="Nord KG", revision=2,
                                             base="dev-b:1")]})
    [result] = archive.import_bundles([path]).bundles
    assert (result.status, result.updated) == (BundleStatus.IMPORTED, 1)
    assert archive.index.row("accounts", uid("a1"))["device_id"] == "dev-a"


def test_passing_on_what_a_pack_brought_is_no_forgery(laptop_b_records, make_bundle):
    """A laptop's bundle that carries laptop B's rows unchanged (taken in from a pack) is
    accepted: those rows count as known copies."""
    archive = laptop_b_records
    path = make_bundle({"accounts": [account("a1", name="Nord", device="dev-b"),
                                     account("a2", name="Own")]})
    [result] = archive.import_bundles([path]).bundles
    assert (result.status, result.new, result.duplicates) == (BundleStatus.IMPORTED, 1, 1)


# --- one archive per bundle --------------------------------------------------------------

@pytest.fixture
def archive_b(tmp_path, laptop_key):
    other = Archive.create(tmp_path / "archive-b", index=tmp_path / "b.sqlite3")
    other.trust(keys.public_key_text(laptop_key), "Laptop A")
    yield other
    other.close()


@pytest.mark.parametrize("sealed", [True, False])
def test_a_bundle_for_another_archive_is_refused(archive, archive_b, make_bundle, tmp_path,
                                                 laptop_key, sealed):
    """A bundle naming archive A, sent plain or sealed anew for archive B: B refuses it."""
    from support.archive_rows import write_bundle

    path = tmp_path / "for-a.vocbundle"
    write_bundle(path, laptop_key, {"accounts": [account("a1")]},
                 archive=archive.folder.signing_public,
                 seal_for=archive_b.folder.encryption_key().public_key() if sealed else None)
    [result] = archive_b.import_bundles([path]).bundles
    assert result.status is BundleStatus.REJECTED
    assert result.reason == ("this bundle was made for another archive; only that archive "
                             "takes it in.")
    assert list((archive_b.folder.path / "bundles").iterdir()) == []
    assert archive.import_bundles([path]).bundles[0].status is (
        BundleStatus.REJECTED if sealed else BundleStatus.IMPORTED)


def test_a_bundle_of_the_old_format_still_loads(archive, tmp_path, laptop_key):
    """A format 1 bundle (it names no archive) is taken in by the old rules."""
    from support import bundles as zipkit

    contents = {"records/accounts.jsonl": zipkit.jsonl(account("a1"))}
    manifest = zipkit.manifest_for(contents)
    assert manifest["format_version"] == 1 and "archive" not in manifest
    path = zipkit.write_zip(tmp_path / "old.vocbundle",
                            zipkit.signed_entries(laptop_key, contents, manifest=manifest))
    [result] = archive.import_bundles([path]).bundles
    assert result.status is BundleStatus.IMPORTED and result.new == 1


def test_deleting_another_laptops_records_waits_for_a_lead(laptop_b_records, make_bundle):
    """Laptop A, as itself, deletes laptop B's account: it waits as a conflict; the entry
    stays until a lead keeps the deletion."""
    archive = laptop_b_records
    gone = account("a1", name="Nord", revision=2, base="dev-b:1",
                   deleted_at="2026-06-01T00:00:00Z")
    [result] = archive.import_bundles([make_bundle({"accounts": [gone]})]).bundles
    assert (result.status, result.conflicts, result.updated) == (BundleStatus.IMPORTED, 1, 0)
    assert archive.index.row("accounts", uid("a1"))["deleted_at"] is None
    [held] = archive.conflicts()
    assert held.fields == ("deleted_at",) and held.incoming["deleted_at"]
    archive.resolve(held.id, "incoming")
    assert archive.index.row("accounts", uid("a1"))["deleted_at"] == "2026-06-01T00:00:00Z"


def test_a_laptop_deletes_its_own_records_at_once(archive, make_bundle):
    """A laptop's tombstone of its own record is applied as before."""
    archive.import_bundles([make_bundle({"accounts": [account("a1")]})])
    gone = account("a1", revision=2, deleted_at="2026-06-01T00:00:00Z")
    [result] = archive.import_bundles([make_bundle({"accounts": [gone]}, sequence=2)]).bundles
    assert (result.updated, result.conflicts) == (1, 0)


def test_erasing_a_person_another_laptop_recorded_waits_for_a_lead(laptop_b_records,
                                                                   make_bundle):
    """Laptop A erases laptop B's contact: the person stays until a lead accepts, and then
    the erasure is carried out in full."""
    archive = laptop_b_records
    [result] = archive.import_bundles([make_bundle({"erasures": [erasure("c1", "a1")]})]
                                      ).bundles
    assert (result.status, result.conflicts) == (BundleStatus.IMPORTED, 1)
    assert archive.index.row("contacts", uid("c1"))["name"] == "Ruth Okoro"
    assert archive.index.erasures() == []
    [held] = archive.conflicts()
    assert held.is_deletion and held.incoming["name"] == ""
    archive.resolve(held.id, "incoming")
    assert archive.index.row("contacts", uid("c1"))["name"] == ""
    assert [e["contact_id"] for e in archive.index.erasures()] == [uid("c1")]


def test_a_refused_erasure_keeps_the_person(laptop_b_records, make_bundle):
    """Refusing the held erasure keeps the contact as laptop B recorded it."""
    archive = laptop_b_records
    archive.import_bundles([make_bundle({"erasures": [erasure("c1", "a1")]})])
    [held] = archive.conflicts()
    archive.resolve(held.id, "current")
    assert archive.index.row("contacts", uid("c1"))["name"] == "Ruth Okoro"
    assert archive.index.erasures() == [] and archive.conflicts() == []
