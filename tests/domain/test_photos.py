"""Photos are cleaned when they enter the workspace: upright, scaled, without metadata, and
stored under a neutral name."""

from __future__ import annotations

import io

from PIL import Image, PngImagePlugin

from voc_desktop.domain.photos import (
    STORED_EDGE,
    clean_photo,
    label,
    named_as_picture,
    stored_copy,
)
from voc_desktop.services import interview
from voc_desktop.services.accounts import create_account
from voc_desktop.services.visits import plan_visit, start_visit

SECRET = "Maria Kovač"


def _photo(width: int, height: int, fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.radial_gradient("L").resize((width, height)).convert("RGB").save(out, fmt)
    return out.getvalue()


def camera_jpeg(width: int = 60, height: int = 40) -> bytes:
    """A small JPEG as a phone writes it: turned by EXIF, with author, serial, GPS, XMP."""
    img = Image.new("RGB", (width, height), (200, 30, 30))
    img.paste((30, 30, 200), (0, 0, width // 2, height))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: shown turned 90° clockwise
    exif[0x013B] = SECRET  # Artist
    exif[0xA431] = "SN-4711-CAM"  # BodySerialNumber
    exif[0x8825] = {1: "N", 2: (59.0, 20.0, 1.5), 3: "E", 4: (18.0, 4.0, 2.2)}  # GPS
    out = io.BytesIO()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{SECRET}</dc:creator></x:xmpmeta>'
    img.save(out, "JPEG", exif=exif, xmp=xmp.encode())
    return out.getvalue()


def texted_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Maria Kovac")
    info.add_itxt("Description", SECRET)
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 128, 0)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_a_big_photo_is_stored_scaled_to_the_stored_edge(ws, tmp_path):
    """A 6000×4000 photo is stored 2560 pixels wide as a JPEG under a neutral name."""
    account = create_account(ws, "Nordic Cans")
    planned_visit = plan_visit(ws, account.id, "See the packing line").id
    start_visit(ws, planned_visit)
    path = tmp_path / "Maria_Kovač_floor.png"
    path.write_bytes(_photo(6000, 4000, "PNG"))
    entry = interview.attach_file(ws, planned_visit, path)
    stored = ws.attachments.data(entry.attachment_sha)
    with Image.open(io.BytesIO(stored)) as img:
        assert img.size == (STORED_EDGE, round(4000 * STORED_EDGE / 6000))
        assert img.format == "JPEG"
    assert entry.attachment_name == "photo.jpg"
    assert len(stored) < path.stat().st_size


def test_camera_metadata_is_gone_and_the_photo_stays_upright():
    """EXIF author, serial and GPS and the XMP packet are dropped; the turn is applied."""
    data, suffix = clean_photo(camera_jpeg())
    assert suffix == ".jpg"
    for secret in (b"Maria", b"Kova", b"SN-4711", b"xmpmeta", b"Exif"):
        assert secret not in data
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (40, 60)  # turned upright: now taller than wide
        assert not img.getexif()
        top = img.convert("RGB").getpixel((20, 5))
        assert top[2] > 150 and top[0] < 100  # the blue half is now on top


def test_png_text_chunks_are_gone_and_the_pixels_kept():
    """A PNG stays a lossless PNG with the same pixels but no text chunks."""
    data, suffix = clean_photo(texted_png())
    assert suffix == ".png"
    assert b"Maria" not in data and b"tEXt" not in data and b"iTXt" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert img.convert("RGB").getpixel((5, 5)) == (0, 128, 0)


def test_other_files_are_kept_as_they_are_under_a_neutral_name():
    """A file that is no picture keeps its bytes; only a plain suffix of its name is kept."""
    assert stored_copy(b"%PDF-1.4", "Maria Kovač layout.PDF") == (b"%PDF-1.4", "file.pdf")
    assert stored_copy(b"x", "notes.Maria Kovač") == (b"x", "file")
    assert clean_photo(b"not a picture") is None


def test_an_attachment_without_a_caption_is_labelled_by_number():
    """The label is "Photo 2" or "File 1", never the file's own name."""
    assert label(True, 2) == "Photo 2"
    assert label(False, 1) == "File 1"
    assert named_as_picture("photo.jpg") and not named_as_picture("file.pdf")


def test_a_workspace_from_before_is_cleaned_by_its_migration(tmp_path):
    """Photos stored with metadata and their own names are rewritten on the next open; the
    notes point at the clean copy and are marked changed, so the next bundle carries it."""
    import hashlib
    import sqlite3

    from voc_desktop.services.workspace.workspace import Workspace

    ws = Workspace.open(tmp_path / "ws")
    account = create_account(ws, "Nordic Cans")
    visit = plan_visit(ws, account.id, "See the packing line").id
    start_visit(ws, visit)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    photo = interview.attach_file(ws, visit, tmp_path / "a.pdf", caption="Line 3")
    ws.close()
    # what an older version stored: the camera's bytes under the file's own name
    dirty = camera_jpeg()
    old_sha = hashlib.sha256(dirty).hexdigest()
    conn = sqlite3.connect(tmp_path / "ws" / "workspace.sqlite3")
    before = conn.execute("SELECT revision, change_seq FROM entries WHERE id = ?",
                          [photo.id]).fetchone()
    conn.execute("UPDATE attachments SET sha256 = ?, name = ?, data = ?",
                 [old_sha, "Maria_Kovač_line.jpg", dirty])
    conn.execute("UPDATE entries SET attachment_sha = ?, attachment_name = ?",
                 [old_sha, "Maria_Kovač_line.jpg"])
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm0004_clean_photos'")
    conn.commit()
    conn.close()

    ws = Workspace.open(tmp_path / "ws")
    try:
        entry = ws.visits.entry(photo.id)
        assert entry.attachment_name == "photo.jpg" and entry.text == "Line 3"
        assert entry.attachment_sha != old_sha
        data = ws.attachments.data(entry.attachment_sha)
        assert hashlib.sha256(data).hexdigest() == entry.attachment_sha
        assert b"Maria" not in data and b"SN-4711" not in data
        assert ws.attachments.data(old_sha) is None
        after = ws.db.execute("SELECT revision, change_seq FROM entries WHERE id = ?",
                              [photo.id]).fetchone()
        assert after[0] == before[0] + 1 and after[1] > before[1]
    finally:
        ws.close()
