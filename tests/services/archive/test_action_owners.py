"""Who will do each action item, in the archive: the owner travels from the laptop through
the archive and its packs to another laptop, and bundles made before owners were kept
still load, their actions owned by no one."""

from __future__ import annotations

from support import bundles as z
from support.archive_rows import account, action_item, guide_version, uid, visit

from voc_desktop.domain.findings import FindingFilter, FindingOrder
from voc_desktop.domain.visit import Team, VisitStatus
from voc_desktop.services import closing
from voc_desktop.services.archive.keeper import BundleStatus
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.bundles.export import export_bundle
from voc_desktop.services.bundles.pack_import import import_pack
from voc_desktop.services.bundles.settings import set_archive_key
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.sync.bundle_reader import open_bundle


def _actions(lens: ArchiveWorkspace) -> dict:
    return {f.item_id: f for f in lens.find(FindingFilter(kinds=("action",)),
                                            FindingOrder.OLDEST, 0, 500)}


def test_an_owner_travels_from_laptop_to_archive_to_pack_to_laptop(tmp_path, archive):
    """An owner typed on laptop A is in its bundle (format 4), in the archive's index and
    findings, in the archive's pack, and on laptop B once it takes the pack."""
    a = Workspace.open(tmp_path / "laptop-a")
    b = Workspace.open(tmp_path / "laptop-b")
    try:
        fill_demo(a)
        set_archive_key(a, archive.info.key_text)
        set_archive_key(b, archive.info.key_text)
        archive.trust(a.public_key, "Laptop A")
        done = next(v for v in a.visits.list() if v.status is VisitStatus.COMPLETED)
        item = closing.add_action_item(a, done.id, "Send the changeover study", Team.PRODUCT,
                                       due_date="2030-06-01", owner="Maria (product)")

        sent = export_bundle(a, tmp_path / "out.vocbundle")
        with open_bundle(sent.path, archive_key=archive.folder.encryption_key()) as bundle:
            assert bundle.manifest.format_version == 4
            rows = {r["id"]: r for r in bundle.records("action_items")}
        assert rows[item.id]["owner"] == "Maria (product)"
        [result] = archive.import_bundles([sent.path]).bundles
        assert result.status is BundleStatus.IMPORTED, result.reason
        assert archive.index.row("action_items", item.id)["owner"] == "Maria (product)"
        lens = ArchiveWorkspace(archive)
        lens.refresh()
        found = _actions(lens)
        assert found[item.id].owner == "Maria (product)"
        assert {i: f.owner for i, f in found.items()} == {
            x.id: x.owner for v in a.visits.list() for x in a.visits.actions(v.id)}

        pack = archive.write_pack(tmp_path / "pack.vocbundle")
        with open_bundle(pack.path, archive_key=None) as bundle:  # packs go out signed, not sealed
            assert {r["id"]: r["owner"] for r in bundle.records("action_items")}[item.id] == (
                "Maria (product)")
        import_pack(b, pack.path)
        [there] = [x for x in b.visits.actions(done.id) if x.id == item.id]
        assert (there.owner, there.team, there.due_date) == (
            "Maria (product)", Team.PRODUCT, "2030-06-01")
    finally:
        a.close()
        b.close()


def test_a_bundle_of_format_3_without_owners_loads(archive, tmp_path, laptop_key):
    """A version 3 bundle whose action items carry no owner imports, and its actions are
    owned by no one."""
    rows = {"guide_versions": [guide_version()], "accounts": [account("a")],
            "visits": [visit("v", "a")], "action_items": [action_item("x", "v")]}
    for row in rows["action_items"]:
        del row["owner"]
    contents = {f"records/{t}.jsonl": z.jsonl(*r) for t, r in rows.items()}
    manifest = z.manifest_for(contents, format_version=3, archive=None)
    path = z.write_zip(tmp_path / "v3.vocbundle",
                       z.signed_entries(laptop_key, contents, manifest=manifest))
    [result] = archive.import_bundles([path]).bundles
    assert result.status is BundleStatus.IMPORTED and result.new == 4, result.reason
    assert archive.index.row("action_items", uid("x"))["owner"] == ""
    lens = ArchiveWorkspace(archive)
    lens.refresh()
    assert _actions(lens)[uid("x")].owner == ""
