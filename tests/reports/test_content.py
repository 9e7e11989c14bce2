"""The report content model: one set of facts that both formats lay out."""

from __future__ import annotations

import dataclasses
from datetime import date

from support.report_visits import HIDDEN_NAME, LADDER_DEPTH, LONG_WORDS, PHOTOS, photo_bytes

from voc_desktop.domain.accounts import Consent, Role
from voc_desktop.domain.guide import Bucket
from voc_desktop.domain.visit import EntryKind, SummaryStatus
from voc_desktop.reports.photos import MAX_EDGE, prepare
from voc_desktop.services import accounts, interview, visits
from voc_desktop.services.reports import visit_report


def _strings(value: object):
    """Every piece of text anywhere in the model."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)


def test_hidden_name_appears_nowhere_in_the_model(edge_report):
    """A person quoted by role only is replaced in every text, including free notes."""
    texts = list(_strings(edge_report))
    parts = HIDDEN_NAME.replace("-", " ").split()
    assert not [t for t in texts if any(p in t for p in parts)]
    assert any("[User] said the line stops" in t for t in texts)


def test_title_block_has_every_field(edge_report):
    """Account, date, place, interviewers, objective, stage and guide are in the title."""
    fields = {f.label: f.value for f in edge_report.fields}
    assert list(fields) == ["Account", "Date", "Place", "Interviewers", "Objective",
                            "Lifecycle stage", "Guide"]
    assert fields["Account"] == "Ångström & Søn <Ops> (Food & drink, Mid-market)"
    assert fields["Date"].startswith("20 November 2026")
    assert fields["Place"] == "Plant 2, Łódź"
    assert fields["Objective"] == "Learn why changeovers\nrun long & <late>"
    assert fields["Lifecycle stage"] == "Renewal"
    assert fields["Guide"].endswith("version 2")
    assert edge_report.draft_note == ""


def test_attendees_show_roles_and_consent(edge_report):
    """Each attendee has roles and consent; a hidden person has neither name nor title."""
    hidden, greek, russian = edge_report.attendees
    assert (hidden.name, hidden.title, hidden.roles) == ("User", "", "User")
    assert "quoted by role only" in hidden.consent
    assert greek.title == "Διευθύντρια" and "may be quoted by name" in greek.consent
    assert russian.name == "Анастасия Кузнецова"


def test_summary_points_keep_status_and_correction(edge_report):
    """The read-back points come in order with the customer's verdict."""
    points = edge_report.summary
    assert [p.status for p in points] == [SummaryStatus.CONFIRMED, SummaryStatus.CORRECTED,
                                         SummaryStatus.REJECTED]
    assert points[1].correction == "Closer to 55 minutes"
    assert points[2].status_label == "Rejected"


def test_findings_follow_the_buckets_and_tiers(edge_report):
    """Findings come bucket by bucket in the method's order; empty ones say so."""
    assert [b.bucket for b in edge_report.buckets] == list(Bucket)
    first, buying, *rest = edge_report.buckets
    assert len(first.answered) == 3
    assert not buying.answered and buying.empty_note.startswith("Nothing was captured")
    states = [q.state for s in buying.sections for q in s.questions]
    assert states[:2] == ["skipped", "skipped"] and set(states[2:]) == {"not asked"}
    assert all(not b.answered for b in rest)


def test_ladder_keeps_every_step_in_order(edge_report):
    """A 50-level why-ladder comes out whole, one step per level, in order."""
    question = edge_report.buckets[0].answered[1]
    assert [s.depth for s in question.ladder] == list(range(1, LADDER_DEPTH + 1))
    assert question.ladder[-1].text == f"Because of reason level {LADDER_DEPTH}"
    assert question.key_point == 1


def test_long_answer_is_complete(edge_report):
    """A 5,000-word answer is carried whole."""
    answer = edge_report.buckets[0].answered[0].answer
    assert len(answer.split()) == LONG_WORDS
    assert answer.startswith("START ") and answer.endswith(" END")


def test_quotes_name_the_speaker_by_consent(edge_report):
    """A quote names its speaker when allowed and gives the role otherwise."""
    notes = edge_report.buckets[0].answered[1].notes
    quotes = [n for n in notes if n.kind is EntryKind.QUOTE]
    assert [q.speaker for q in quotes] == ["User", "Ξανθή Παπαδοπούλου"]
    assert quotes[0].text.endswith("— said [User]")


def test_photos_are_numbered_upright_and_reduced(edge_report):
    """Every photo is embedded once, numbered in reading order, turned and scaled."""
    photos = list(edge_report.pictures())
    assert [p.figure for p in photos] == list(range(1, PHOTOS + 1))
    assert all(max(p.picture.width, p.picture.height) <= MAX_EDGE for p in photos)
    turned = prepare(photo_bytes(0)[1])  # 4000x3000 taken with the phone on its side
    assert turned is not None and turned.height > turned.width
    assert photos[0].heading == "Photo 1" and photos[0].text.startswith("Photo caption")


def test_loose_notes_and_coaching(edge_report):
    """Notes tied to no question are kept; the coaching notes see flags and depth."""
    assert [n.text for n in edge_report.other_notes] == ["A note tied to no question."]
    coaching = edge_report.coaching
    assert {f.kind for f in coaching.flags} == {"Pitch", "Leading question"}
    assert all(f.where == "Answer to 2.1" for f in coaching.flags)
    assert coaching.deepest == LADDER_DEPTH and coaching.laddered == 1
    assert coaching.answers == 3 and coaching.probes == LADDER_DEPTH
    assert any("pitch" in line for line in coaching.facts)
    assert coaching.advice and "presenting" in coaching.advice[0]


def test_actions_by_team_and_next_contact(edge_report):
    """Action items come grouped by team in a fixed order; dates are spelled out."""
    assert [(g.team, [i.text for i in g.items]) for g in edge_report.actions] == [
        ("Sales", ["Call back about renewal"]),
        ("Product", ["Send the changeover study & <data>"])]
    assert edge_report.actions[1].items[0].due == "1 December 2026"
    assert edge_report.next_contact == "15 February 2027"


def test_file_name_is_safe_and_sorts_by_date(edge_report):
    """The suggested name starts with the date and keeps only safe characters."""
    assert edge_report.file_stem == "2026-11-20 Ångström & Søn Ops visit report"


def test_demo_reports_cover_every_visit(demo_reports):
    """Every sample visit gives a report; completed ones are final, the planned one a draft."""
    drafts = [r for r in demo_reports.values() if r.draft_note]
    assert len(demo_reports) == 4 and len(drafts) == 1
    assert "not taken place" in drafts[0].draft_note
    finals = [r for r in demo_reports.values() if not r.draft_note]
    assert all(r.summary and any(b.answered for b in r.buckets) for r in finals)
    assert all(list(r.pictures()) for r in finals)


def test_files_that_are_not_pictures_are_listed_not_embedded(ws, tmp_path):
    """A PDF or a damaged picture is listed as an attached file under a neutral name, never
    dropped or fatal."""
    account = accounts.create_account(ws, "Acme")
    contact = accounts.add_contact(ws, account.id, "Pat", roles=(Role.USER,),
                                   consent=Consent(given=True, quote_by_name=True))
    visit = visits.plan_visit(ws, account.id, "Learn", attendees=((contact.id, ()),))
    visits.start_visit(ws, visit.id)
    (tmp_path / "spec.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "broken.png").write_bytes(photo_bytes(1)[1][:200])
    interview.attach_file(ws, visit.id, tmp_path / "spec.pdf", caption="Their spec sheet")
    interview.attach_file(ws, visit.id, tmp_path / "broken.png")
    report = visit_report(ws, visit.id)
    notes = report.other_notes
    assert [(n.heading, n.file_name, n.picture) for n in notes] == [
        ("Attached file", "file.pdf", None), ("Attached file", "file.png", None)]
    assert notes[0].text == "Their spec sheet"
    assert notes[1].text == "File 2"  # no caption: a number, not the file's own name
    assert report.draft_note.startswith("Draft: the visit is not finished")
    assert report.generated.endswith(str(date.today().year))


def test_coaching_says_which_notes_it_could_not_read(edge_report):
    """A note in another language is named in the self-check instead of passing as clean."""
    from voc_desktop.reports.coaching import Coaching

    quiet = dataclasses.replace(edge_report.coaching, unread=())
    unread = dataclasses.replace(quiet, unread=("German", "German", "French"))
    assert not any("coaching covers English" in line for line in quiet.facts)
    assert ("3 notes look French or German; coaching covers English, so they were not "
            "checked.") in unread.facts
    one = Coaching(flags=(), answers=0, laddered=0, probes=0, deepest=0, average_depth=0.0,
                   skipped=0, read_back="", advice=(), unread=("German",))
    assert "1 note looks German; coaching covers English, so they were not checked." in (
        one.facts)


def test_photos_are_numbered_down_the_pages_when_sections_are_out_of_bucket_order(ws, tmp_path):
    """A guide whose sections do not follow the buckets' order still numbers its photos
    1, 2, 3 … in the order the report prints them."""
    from voc_desktop.services.reports import gather

    account = accounts.create_account(ws, "Acme")
    visit = visits.plan_visit(ws, account.id, "Learn")
    visits.start_visit(ws, visit.id)
    source = gather(ws, visit.id)
    guide = source.record.guide
    # one photo under the first question of each section, the last section first
    sections = list(guide.sections)
    for i, section in enumerate(reversed(sections)):
        name, data = photo_bytes(i + 1)
        (tmp_path / name).write_bytes(data)
        interview.attach_file(ws, visit.id, tmp_path / name, caption=section.title,
                              question_key=section.questions[0].key)
    source = gather(ws, visit.id)
    shuffled = dataclasses.replace(source.record.guide, sections=tuple(reversed(sections)))
    report = dataclasses.replace(source, record=dataclasses.replace(
        source.record, guide=shuffled)).report()
    printed = [n for b in report.buckets for s in b.sections for q in s.questions
               for n in q.notes if n.picture is not None]
    assert len(printed) == len(sections)
    assert [n.figure for n in printed] == list(range(1, len(sections) + 1))
    order = list(Bucket)
    buckets = [order.index(b.bucket) for b in report.buckets for s in b.sections
               for q in s.questions for n in q.notes if n.picture is not None]
    assert buckets == sorted(buckets)
