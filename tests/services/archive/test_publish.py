"""Publishing the archive: only derived, masked tables reach the copy, written whole."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from PIL import Image
from support.archive_rows import (
    entry,
    uid,
)
from support.publish_world import PHOTO, leak_forms, world

from voc_desktop.services.archive import publish as publishing
from voc_desktop.services.archive.publish import metadata_path_for, publish
from voc_desktop.services.errors import ServiceError


@pytest.fixture
def filled(archive, make_bundle):
    archive.import_bundles([make_bundle(world(), attachments=(PHOTO,))])
    return archive


def _tables(path) -> dict[str, list[dict]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
            "'findings_fts%'")]
        return {n: [dict(r) for r in conn.execute(f"SELECT * FROM [{n}]")] for n in names}
    finally:
        conn.close()


def test_published_copy_holds_only_masked_derived_tables(filled, tmp_path):
    """The copy has findings, themes, visits, roles and questions; no synced table, no
    name of the hidden person (not even as an action's owner), no raw note, and search over
    it finds the masked answer."""
    out = tmp_path / "pub" / "voc.db"
    out.parent.mkdir()
    summary = publish(filled, out)
    tables = _tables(out)
    assert set(tables) == {"publication", "findings", "visits", "participants",
                           "finding_tags", "visit_themes", "guide_questions", "photos"}
    assert not {"contacts", "entries", "attachments", "accounts", "attendees"} & set(tables)
    texts = {f["item_id"]: f["text"] for f in tables["findings"]}
    assert texts[uid("e1")] == "[Influencer] restarts the oven by hand every night."
    assert "[Influencer]" in texts[uid("e2")] and "Ksenia" not in texts[uid("e2")]
    assert texts[uid("e3")] == ""  # a photo without a caption: no file name as text
    owners = {f["item_id"]: f["owner"] for f in tables["findings"]}
    assert owners[uid("ai1")] == "[Influencer] (night shift)"  # who acts, masked as well
    assert sorted(p["roles"] for p in tables["participants"]) == ["Influencer", "User"]
    assert tables["photos"] == []
    assert summary.counts["findings"] == len(tables["findings"])
    data = out.read_bytes()
    for form in leak_forms():
        assert form not in data, form
    conn = sqlite3.connect(out)
    try:
        hits = conn.execute("SELECT rowid FROM findings_fts WHERE findings_fts MATCH 'oven'"
                            ).fetchall()
        assert len(hits) == 2
        assert conn.execute("SELECT count(*) FROM findings_fts WHERE findings_fts MATCH "
                            "'ksenia'").fetchone() == (0,)
    finally:
        conn.close()


def test_metadata_turns_sql_off_and_hides_the_search_tables(filled, tmp_path):
    """The metadata file denies arbitrary SQL and keeps the search index's tables closed."""
    out = tmp_path / "voc.db"
    publish(filled, out)
    meta = json.loads(metadata_path_for(out).read_text())
    assert meta["allow_sql"] is False
    db = meta["databases"]["voc"]
    assert db["allow_sql"] is False
    assert db["tables"]["findings"]["fts_table"] == "findings_fts"
    assert db["tables"]["findings_fts"] == {"hidden": True, "allow": False}
    assert db["tables"]["photos"] == {"hidden": True}


def test_photos_only_when_asked_and_encoded_afresh(filled, tmp_path):
    """With photos, each is a new JPEG without EXIF, and its caption is not its file name."""
    out = tmp_path / "voc.db"
    publish(filled, out, with_photos=True)
    photos = _tables(out)["photos"]
    assert len(photos) == 1 and photos[0]["caption"] == ""
    image = photos[0]["image"]
    assert image != PHOTO
    with Image.open(io.BytesIO(image)) as img:
        assert img.format == "JPEG" and img.size == (64, 48)
        assert dict(img.getexif()) == {}
    for form in leak_forms():
        assert form not in out.read_bytes()


def test_refuses_the_live_index_the_folder_and_foreign_files(filled, tmp_path):
    """The live index, the archive folder and a file that is not a published copy are
    refused with one clear line, and nothing there changes."""
    with pytest.raises(ServiceError, match="live index"):
        publish(filled, filled.index_path)
    with pytest.raises(ServiceError, match="inside the archive folder"):
        publish(filled, filled.folder.path / "voc.db")
    other = tmp_path / "notes.db"
    other.write_bytes(b"my own notes")
    with pytest.raises(ServiceError, match="not a published copy"):
        publish(filled, other)
    assert other.read_bytes() == b"my own notes"
    assert not (filled.folder.path / "voc.db").exists()


def test_a_failed_write_leaves_the_earlier_copy_whole(filled, tmp_path, monkeypatch,
                                                      make_bundle):
    """A failure while writing keeps the earlier copy as it was and leaves no part file."""
    out = tmp_path / "voc.db"
    publish(filled, out)
    before = out.read_bytes()
    filled.import_bundles([make_bundle({"entries": [
        entry("e9", "v1", "A second oven was bought.", position=9)]}, sequence=2,
        previous=1)])

    def broken(db, rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("voc_desktop.store.archive_publish._fill", broken)
    with pytest.raises(ServiceError, match="the disk is full"):
        publish(filled, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".voc")) == []
    monkeypatch.undo()
    publish(filled, out)
    assert any("second oven" in f["text"] for f in _tables(out)["findings"])


def test_reencoding_refuses_what_is_not_a_picture():
    """Bytes that are not a picture are left out rather than published as they are."""
    assert publishing.reencoded(b"not a picture") is None
