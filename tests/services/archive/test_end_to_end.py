"""Laptop to archive to laptop, with the laptop's own export and pack import."""

from __future__ import annotations

from voc_desktop.services.archive.keeper import BundleStatus
from voc_desktop.services.bundles.export import export_bundle
from voc_desktop.services.bundles.pack_import import import_pack
from voc_desktop.services.bundles.settings import set_archive_key
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.erasure import erase_contact
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.archive_migrations import SYNCED_COLUMNS
from voc_desktop.sync.merge import SYNCED_TABLES

DATA = {"created_at", "updated_at", "device_id", "revision", "deleted_at"}


def laptop_rows(ws: Workspace, table: str) -> dict[str, dict]:
    names = [c.name for c in SYNCED_COLUMNS[table] if c.name != "base_version"]
    cur = ws.db.execute(f'SELECT {", ".join(names)} FROM "{table}"')  # noqa: S608
    return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def test_laptop_to_archive_to_laptop(tmp_path, archive):
    """A laptop's bundles reach the archive whole, and its packs reach a second laptop."""
    key_text = archive.info.key_text
    a = Workspace.open(tmp_path / "laptop-a")
    b = Workspace.open(tmp_path / "laptop-b")
    try:
        fill_demo(a)
        set_archive_key(a, key_text)
        set_archive_key(b, key_text)
        archive.trust(a.public_key, "Laptop A")
        first = export_bundle(a, tmp_path / "out-1.vocbundle")
        [result] = archive.import_bundles([first.path]).bundles
        assert result.status is BundleStatus.IMPORTED and result.conflicts == 0
        synced_rows = sum(n for t, n in first.counts.items() if t in SYNCED_TABLES)
        assert result.new == synced_rows
        for table in SYNCED_TABLES:
            held = {r["id"]: {k: v for k, v in r.items() if k != "base_version"}
                    for r in archive.index.rows_where(table, "id", list(laptop_rows(a, table)))}
            assert held == laptop_rows(a, table), table
        assert archive.index.table_counts()["attachments"] == first.attachments > 0

        pack = archive.write_pack(tmp_path / "pack.vocbundle")
        taken = import_pack(b, pack.path)
        # laptop B already holds the default guide, made when its workspace was
        assert taken.conflicts == () and taken.totals.duplicates <= 1
        assert taken.new + taken.totals.duplicates == sum(pack.counts.values())
        assert laptop_rows(b, "accounts") == laptop_rows(a, "accounts")
        completed = {k for k, v in laptop_rows(a, "visits").items() if v["status"] == "completed"}
        assert set(laptop_rows(b, "visits")) == completed

        account = a.accounts.list()[0]
        a.accounts.update(account.id, name="Renamed on laptop A")
        person = next(c for c in a.accounts.contacts(account.id))
        erase_contact(a, person.id)
        second = export_bundle(a, tmp_path / "out-2.vocbundle")
        [result] = archive.import_bundles([second.path]).bundles
        assert result.conflicts == 0 and result.updated >= 1
        assert archive.index.row("accounts", account.id)["name"] == "Renamed on laptop A"
        assert archive.index.row("contacts", person.id)["name"] == ""

        again = import_pack(b, archive.write_pack(tmp_path / "pack-2.vocbundle").path)
        assert again.conflicts == ()
        assert laptop_rows(b, "accounts")[account.id]["name"] == "Renamed on laptop A"
        assert laptop_rows(b, "contacts")[person.id]["name"] == ""
    finally:
        a.close()
        b.close()
