"""A small archive for publishing tests: one bakery, a person who may be named and one who
may not, whose name, title and a photo's file name and EXIF could leak."""

from __future__ import annotations

import io

from PIL import Image
from support.archive_rows import (
    account,
    action_item,
    attachment_file,
    attendee,
    contact,
    entry,
    guide_version,
    key_learning,
    uid,
    visit,
)

from voc_desktop.domain.guide_file import guide_to_json, load_default_guide

HIDDEN = "Ksenia Wołodźko"
TITLE = "Night bakery supervisor"
RAW = f"{HIDDEN} restarts the oven by hand every night."
PHOTO_NAME = "ksenia_wolodzko_oven.jpg"


def _photo() -> bytes:
    """A JPEG carrying an author and a GPS block in its EXIF."""
    img = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x013B] = HIDDEN  # Artist
    exif[0x8825] = {1: "N", 2: (53.0, 33.0, 1.0)}  # GPS
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


PHOTO = _photo()


def world() -> dict[str, list[dict]]:
    """One bakery, a person who may be named and one who may not, whose name is in notes."""
    return {
        "guide_versions": [guide_version(body=guide_to_json(load_default_guide()))],
        "accounts": [account("bake", "Kestrel Mills")],
        "contacts": [contact("ruth", "bake", "Ruth Okoro", roles='["user"]'),
                     contact("ks", "bake", HIDDEN, title=TITLE, roles='["influencer"]',
                             consent_quote_by_name=0)],
        "visits": [visit("v1", "bake")],
        "attendees": [attendee("a1", "v1", "ruth", roles='["user"]'),
                      attendee("a2", "v1", "ks", roles='["influencer"]')],
        "entries": [
            entry("e1", "v1", RAW, question_key="ops-day", tags='["oven"]', position=1),
            entry("e2", "v1", "Ksenia keeps the oven log in a drawer.", kind="quote",
                  speaker_id=uid("ks"), position=2),
            entry("e3", "v1", "", kind="attachment", attachment_sha=attachment_file(
                PHOTO)["sha256"], attachment_name=PHOTO_NAME, position=3),
        ],
        "key_learnings": [key_learning("k1", "v1", "Night restarts cost an hour.")],
        # the customer's own person owns this one, and may not be named
        "action_items": [action_item("ai1", "v1", owner=f"{HIDDEN} (night shift)")],
    }


def leak_forms() -> list[bytes]:
    words = [HIDDEN, *HIDDEN.split(), TITLE, RAW, PHOTO_NAME, "wolodzko"]
    return [w.encode() for w in words] + [w.casefold().encode() for w in words]
