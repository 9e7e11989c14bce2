"""Shared by the report tests: an edge visit built through the real services that
stresses every part of a report, and helpers to read a finished report back.

Import from here in tests: `from support.report_visits import HIDDEN_NAME, docx_text`."""

from __future__ import annotations

import io
import random
from pathlib import Path

from voc_desktop.domain.accounts import Consent, LifecycleStage, Role
from voc_desktop.domain.visit import SummaryStatus, Team
from voc_desktop.services import accounts, closing, interview, visits
from voc_desktop.services.workspace.workspace import Workspace

# A name that must never appear in a report: its owner agreed to be quoted by role only.
HIDDEN_NAME = "Zoë Øverland-Straße"
NAMED = "Ξανθή Παπαδοπούλου"  # Greek, quoted by name
CYRILLIC = "Анастасия Кузнецова"  # Cyrillic, quoted by name
CJK_TEXT = "生産ラインの停止は月に二回、품질 검사 and 质量控制"
MARKUP = 'Tom & Jerry <b>not bold</b> "quoted" > less < more &amp; literally'
LONG_WORDS = 5000
LADDER_DEPTH = 50
PHOTOS = 20


def long_answer() -> str:
    rng = random.Random(7)
    words = ["the", "line", "stops", "when", "film", "tears", "and", "operators", "rethread",
             "by", "hand", "which", "costs", "minutes", "every", "shift", "Øresund", "façade"]
    text = " ".join(rng.choice(words) for _ in range(LONG_WORDS - 2))
    return "START " + text + " END"


def photo_bytes(i: int) -> tuple[str, bytes]:
    """Pictures of the sizes and formats phones and screenshots produce."""
    from PIL import Image

    img = Image.new("RGB", (4000, 3000) if i % 5 == 0 else (640, 480 + i * 10),
                    (30 + i * 10, 90, 160))
    out = io.BytesIO()
    if i % 3 == 0:
        exif = Image.Exif()
        exif[0x0112] = 6  # taken with the phone on its side
        img.save(out, "JPEG", quality=80, exif=exif)
        return f"photo-{i:02d}.jpg", out.getvalue()
    img.save(out, "PNG")
    return f"screen-{i:02d}.png", out.getvalue()


def build_edge_visit(ws: Workspace, tmp: Path) -> str:
    """A completed visit with empty buckets, a 50-level ladder, a 5,000-word answer,
    20 photos, Unicode everywhere, markup characters and a person named by role only."""
    account = accounts.create_account(ws, "Ångström & Søn <Ops>", vertical="Food & drink",
                                      segment="Mid-market", stage=LifecycleStage.RENEWAL)
    hidden = accounts.add_contact(ws, account.id, HIDDEN_NAME, title="Head of maintenance",
                                  roles=(Role.USER,),
                                  consent=Consent(given=True, quote_by_name=False,
                                                  method="verbal"))
    greek = accounts.add_contact(ws, account.id, NAMED, title="Διευθύντρια",
                                 roles=(Role.DECISION_MAKER,),
                                 consent=Consent(given=True, quote_by_name=True,
                                                 method="written"))
    russian = accounts.add_contact(ws, account.id, CYRILLIC, roles=(Role.INFLUENCER,),
                                   consent=Consent(given=True, quote_by_name=True))
    visit = visits.plan_visit(ws, account.id, "Learn why changeovers\nrun long & <late>",
                              visit_date="2026-11-20", place="Plant 2, Łódź",
                              interviewers=("Åsa Lindqvist",),
                              attendees=((hidden.id, (Role.USER,)),
                                         (greek.id, (Role.DECISION_MAKER,)),
                                         (russian.id, (Role.INFLUENCER,))))
    visits.start_visit(ws, visit.id)
    record = visits.load_visit(ws, visit.id)
    # only the first two sections get anything: the other buckets stay empty
    first = [q for s in record.guide.sections[:2] for q in s.questions]

    long = interview.record_answer(ws, visit.id, first[0].key, long_answer())
    ladder_root = interview.record_answer(
        ws, visit.id, first[1].key,
        f"{HIDDEN_NAME} said the line stops twice a month.\n{MARKUP}")
    parent = ladder_root.id
    for depth in range(1, LADDER_DEPTH + 1):
        parent = interview.add_why_probe(ws, parent, f"Because of reason level {depth}").id
    interview.record_answer(ws, visit.id, first[2].key,
                            f"{NAMED} and {CYRILLIC}: {CJK_TEXT}. Let me show you our new "
                            "feature, wouldn't you agree it is faster?")
    interview.add_quote(ws, visit.id, f"We lose an hour & more <every> shift.\n— said "
                        f"{HIDDEN_NAME.split()[0]}", speaker_id=hidden.id,
                        question_key=first[1].key)
    interview.add_quote(ws, visit.id, "Η γραμμή σταματά συχνά.", speaker_id=greek.id,
                        question_key=first[1].key)
    interview.add_observation(ws, visit.id, "Whiteboard lists 14 open work orders.",
                              question_key=first[0].key)
    for i in range(PHOTOS):
        name, data = photo_bytes(i)
        path = tmp / name
        path.write_bytes(data)
        interview.attach_file(ws, visit.id, path, caption=f"Photo caption {i} — Ωμέγα",
                              question_key=first[i % 3].key)
    interview.add_observation(ws, visit.id, "A note tied to no question.")
    third = record.guide.sections[2].questions
    interview.set_position(ws, visit.id, None, skipped=(third[0].key, third[1].key))

    closing.end_interview(ws, visit.id)
    kl1 = interview.toggle_key_learning(ws, ladder_root.id)
    kl2 = interview.add_key_learning(ws, visit.id, "Changeovers take 40 minutes")
    kl3 = interview.add_key_learning(ws, visit.id, f"{HIDDEN_NAME} owns the budget")
    assert kl1 and kl2 and kl3
    closing.set_point_status(ws, kl1.id, SummaryStatus.CONFIRMED)
    closing.set_point_status(ws, kl2.id, SummaryStatus.CORRECTED, "Closer to 55 minutes")
    closing.set_point_status(ws, kl3.id, SummaryStatus.REJECTED)
    closing.complete_visit(ws, visit.id)
    closing.add_action_item(ws, visit.id, "Send the changeover study & <data>", Team.PRODUCT,
                            due_date="2026-12-01", owner="Maria (product)")
    closing.add_action_item(ws, visit.id, "Call back about renewal", Team.SALES)
    closing.set_next_contact(ws, visit.id, "2027-02-15")
    assert long
    return visit.id


def docx_text(data: bytes) -> str:
    """Every paragraph of a DOCX (body, tables, headers and footers) as one text."""
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer):
            parts += [p.text for p in part.paragraphs]
            parts += [cell.text for t in part.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def squeeze(text: str) -> str:
    """Text without any white space, to compare content across different line wrapping."""
    return "".join(text.split())
