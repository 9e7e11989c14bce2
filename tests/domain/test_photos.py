"""Big photos are scaled down before they are stored; small ones are kept as they are."""

from __future__ import annotations

import io

from PIL import Image

from voc_desktop.services import interview
from voc_desktop.services.accounts import create_account
from voc_desktop.services.photo_size import STORED_EDGE, fit_photo
from voc_desktop.services.visits import plan_visit, start_visit


def _photo(width: int, height: int, fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.radial_gradient("L").resize((width, height)).convert("RGB").save(out, fmt)
    return out.getvalue()


def test_a_big_photo_is_stored_scaled_to_the_stored_edge(ws, tmp_path):
    """A 6000×4000 photo is stored 2560 pixels wide as a JPEG, and its card says so."""
    account = create_account(ws, "Nordic Cans")
    planned_visit = plan_visit(ws, account.id, "See the packing line").id
    start_visit(ws, planned_visit)
    path = tmp_path / "floor.png"
    path.write_bytes(_photo(6000, 4000, "PNG"))
    entry = interview.attach_file(ws, planned_visit, path)
    stored = ws.attachments.data(entry.attachment_sha)
    with Image.open(io.BytesIO(stored)) as img:
        assert img.size == (STORED_EDGE, round(4000 * STORED_EDGE / 6000))
        assert img.format == "JPEG"
    assert entry.attachment_name == "floor.jpg"
    assert len(stored) < path.stat().st_size


def test_a_small_photo_and_other_files_are_kept_byte_for_byte():
    """A picture within the edge and size, and a file that is no picture, pass unchanged."""
    small = _photo(800, 600)
    assert fit_photo(small, "line.jpg") == (small, "line.jpg")
    assert fit_photo(b"%PDF-1.4", "layout.pdf") == (b"%PDF-1.4", "layout.pdf")
