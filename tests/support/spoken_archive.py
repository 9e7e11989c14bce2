"""A small archive whose speakers are known: which role said what, at which visit, so the
triangulation, the patterns and the act-on list can be checked against the truth.

Three accounts, four visits (2026-02 to 2026-06). At each, a buyer and a user attend; who
said each note is recorded, except at the oldest visit, which comes from before speakers
were kept and reads as said by the room.
"""

from __future__ import annotations

import json

from support.archive_rows import (
    account,
    action_item,
    attendee,
    contact,
    entry,
    guide_version,
    key_learning,
    uid,
    visit,
)

from voc_desktop.domain.guide_file import guide_to_json, load_default_guide

QUESTION = "ops-day"  # the question every visit answers


def _ids(*keys: str) -> str:
    return json.dumps([uid(k) for k in keys])


def _tags(*names: str) -> str:
    return json.dumps(list(names))


def old_entry(key: str, visit_key: str, text: str, **over) -> dict:
    """An entry as a bundle from before speakers were kept carries it: no speaker_ids."""
    row = entry(key, visit_key, text, **over)
    del row["speaker_ids"]
    return row


def spoken_world() -> dict[str, list[dict]]:
    guide = guide_to_json(load_default_guide())
    accounts = [account("north", "Northwind Foods", vertical="Food"),
                account("kest", "Kestrel Labs", vertical="Pharma"),
                account("bay", "Baywater Cans", vertical="Packaging")]
    contacts, attendees = [], []
    for acc in ("north", "kest", "bay"):
        contacts += [contact(f"{acc}-buyer", acc, f"Buyer of {acc}", roles='["economic_buyer"]'),
                     contact(f"{acc}-user", acc, f"User at {acc}", roles='["user"]')]
    visits = [visit("v-old", "north", visit_date="2026-02-01"),
              visit("v-north", "north", visit_date="2026-04-10", lifecycle_stage="at_risk"),
              visit("v-kest", "kest", visit_date="2026-05-15"),
              visit("v-bay", "bay", visit_date="2026-06-20")]
    for v, acc in (("v-old", "north"), ("v-north", "north"), ("v-kest", "kest"),
                   ("v-bay", "bay")):
        attendees += [attendee(f"{v}-b", v, f"{acc}-buyer", roles='["economic_buyer"]'),
                      attendee(f"{v}-u", v, f"{acc}-user", roles='["user"]')]
    q = {"question_key": QUESTION}
    entries = [
        # before speakers were kept: the room
        old_entry("old-1", "v-old", "Stock is counted by hand.", tags=_tags("stock counts"),
                  **q),
        # Northwind: the buyer on cost, the user on the counting itself
        entry("n-1", "v-north", "Counting costs us a day a week.", position=1,
              speaker_ids=_ids("north-buyer"), tags=_tags("stock counts", "cost"), **q),
        entry("n-2", "v-north", "I count the cold room twice.", kind="probe", position=2,
              parent_id=uid("n-1"), speaker_ids=_ids("north-user"),
              tags=_tags("stock counts"), **q),
        # Kestrel: both said the same, and the user alone on the scanner
        entry("k-1", "v-kest", "Counting eats the weekend.", position=1,
              speaker_ids=_ids("kest-buyer", "kest-user"), tags=_tags("stock counts"), **q),
        entry("k-2", "v-kest", "The scanner drops out in the freezer.", kind="quote",
              position=2, speaker_id=uid("kest-user"), speaker_ids=_ids("kest-user"),
              tags=_tags("scanner"), **q),
        # Baywater: only the user spoke to the question
        entry("b-1", "v-bay", "The scanner needs gloves off.", position=1,
              speaker_ids=_ids("bay-user"), tags=_tags("scanner"), **q),
        entry("b-2", "v-bay", "Pallets stacked three high by the door.", kind="observation",
              position=2, tags=_tags("scanner"), **q),
    ]
    learnings = [
        key_learning("kl-n", "v-north", "Counting costs a day a week.",
                     source_entry_id=uid("n-1"), status="confirmed"),
        key_learning("kl-k", "v-kest", "Scanners fail in the cold.",
                     source_entry_id=uid("k-2"), status="corrected",
                     correction="Only the old scanners fail in the cold."),
        key_learning("kl-b", "v-bay", "Gloves stop the scanner.",
                     source_entry_id=uid("b-1"), status="confirmed"),
        key_learning("kl-o", "v-old", "Counting is manual.", source_entry_id=uid("old-1"),
                     status="rejected"),
    ]
    actions = [
        action_item("ax-1", "v-north", text="Send the counting study", team="product",
                    due_date="2026-05-01"),
        action_item("ax-2", "v-kest", text="Try a cold-proof scanner", team="product",
                    due_date="2099-01-01"),
        action_item("ax-3", "v-bay", text="Quote gloves-on scanners", team="sales",
                    status="done"),
    ]
    return {"guide_versions": [guide_version(body=guide)], "accounts": accounts,
            "contacts": contacts, "visits": visits, "attendees": attendees,
            "entries": entries, "key_learnings": learnings, "action_items": actions}
