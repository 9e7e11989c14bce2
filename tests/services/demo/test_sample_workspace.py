"""The demo workspace: what it creates, and that it never touches a workspace in use."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pytest

from voc_desktop.domain.visit import EntryKind, SummaryStatus, Team, VisitStatus, ladder_depth
from voc_desktop.services.accounts import create_account
from voc_desktop.services.demo import sample_workspace as demo
from voc_desktop.services.demo.sample_photo import SCENES, read_png_size
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import load_visit

TODAY = date(2025, 6, 16)


def snapshot(ws):
    """Everything a demo could write, as comparable domain objects."""
    visits = ws.visits.list()
    return (
        ws.accounts.list(),
        [c for a in ws.accounts.list() for c in ws.accounts.contacts(a.id)],
        visits,
        [ws.visits.entries(v.id) for v in visits],
        [ws.visits.learnings(v.id) for v in visits],
        [ws.visits.actions(v.id) for v in visits],
        ws.guides.list_latest(),
    )


@pytest.fixture
def filled(ws):
    return ws, fill_demo(ws, today=TODAY)


def records(ws, summary):
    return [load_visit(ws, v) for v in summary.completed_visit_ids]


def test_demo_creates_two_accounts_three_completed_visits_and_one_planned(filled):
    """A fresh workspace gets two accounts, three completed visits and one planned visit."""
    ws, summary = filled
    assert len(ws.accounts.list()) == len(summary.account_ids) == 2
    assert len(ws.visits.list()) == 4
    statuses = [ws.visits.get(v).status for v in summary.completed_visit_ids]
    assert statuses == [VisitStatus.COMPLETED] * 3
    planned = ws.visits.get(summary.planned_visit_id)
    assert planned.status is VisitStatus.PLANNED and planned.started_at is None
    assert ws.visits.entries(planned.id) == [] and date.fromisoformat(planned.visit_date) > TODAY
    assert summary.visit_ids == (*summary.completed_visit_ids, summary.planned_visit_id)


def test_accounts_differ_and_one_is_inside_the_profile(filled):
    """The two accounts differ in vertical, segment and stage, and one is inside the profile."""
    ws, _ = filled
    first, second = ws.accounts.list()
    assert first.vertical != second.vertical and first.segment != second.segment
    assert first.lifecycle_stage != second.lifecycle_stage
    assert any(a.in_icp for a in (first, second))
    for account in (first, second):
        contacts = ws.accounts.contacts(account.id)
        assert 3 <= len(contacts) <= 4
        assert len({r for c in contacts for r in c.roles}) >= 3


def test_visits_are_in_the_recent_past_with_one_objective_each(filled):
    """Completed visits lie in the recent past, each with place, interviewers and objective."""
    ws, summary = filled
    for r in records(ws, summary):
        v = r.visit
        assert TODAY - timedelta(days=90) < date.fromisoformat(v.visit_date) < TODAY
        assert v.objective and v.place and v.interviewers and r.attendees
        assert v.started_at.startswith(v.visit_date)
        assert all(a.attendee.roles for a in r.attendees)


def test_most_questions_answered_and_skipped_ones_left_open(filled):
    """Each visit answers most guide questions; skipped questions are recorded and unanswered."""
    ws, summary = filled
    skipped_any = False
    for r in records(ws, summary):
        answered = {e.question_key for e in r.entries if e.kind is EntryKind.ANSWER}
        assert len(answered) > r.guide.question_count / 2
        assert all(r.answer(k).text.strip() for k in answered)
        assert not answered & set(r.visit.skipped_questions)
        skipped_any = skipped_any or bool(r.visit.skipped_questions)
    assert skipped_any


def test_ladders_go_at_least_three_deep(filled):
    """Why-ladders nest probe under probe, at least three deep and up to five."""
    ws, summary = filled
    depths = []
    for r in records(ws, summary):
        for e in r.entries:
            if e.parent_id is None:
                depths.append(ladder_depth(e.id, r.entries))
        for probe in (e for e in r.entries if e.kind is EntryKind.PROBE):
            parent = next(p for p in r.entries if p.id == probe.parent_id)
            assert parent.visit_id == probe.visit_id and probe.text
    assert max(depths) >= 4 and sum(d >= 3 for d in depths) >= 3


def test_quotes_have_speakers_and_one_speaker_is_quoted_by_role_only(filled):
    """Every quote names a speaker who attended, and one speaker may only be quoted by role."""
    ws, summary = filled
    by_role_only = []
    for r in records(ws, summary):
        quotes = [e for e in r.entries if e.kind is EntryKind.QUOTE]
        assert quotes
        for q in quotes:
            speaker = r.contact(q.speaker_id)
            assert speaker is not None
            if speaker.consent.given and not speaker.consent.quote_by_name:
                by_role_only.append(speaker)
                assert speaker.name not in speaker.display_name()
    assert by_role_only


def test_observations_photos_and_tags_are_captured(filled):
    """Observations, tags and at least two photo attachments whose bytes are real PNGs exist."""
    ws, summary = filled
    entries = [e for r in records(ws, summary) for e in r.entries]
    assert sum(e.kind is EntryKind.OBSERVATION for e in entries) >= 3
    assert sum(bool(e.tags) for e in entries) >= 10
    photos = [e for e in entries if e.kind is EntryKind.ATTACHMENT]
    assert len(photos) >= 2
    for p in photos:
        data = ws.attachments.data(p.attachment_sha)
        assert hashlib.sha256(data).hexdigest() == p.attachment_sha
        assert read_png_size(data) == (320, 200)
        assert ws.attachments.mime(p.attachment_sha) == "image/png"
        assert p.attachment_name.endswith(".png") and p.text


def test_time_stamps_grow_over_an_hour_or_more(filled):
    """Entry time stamps rise in capture order and spread over 60 to 90 minutes."""
    ws, summary = filled
    for r in records(ws, summary):
        offsets = [e.offset_seconds for e in r.entries]
        assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
        started = datetime.fromisoformat(r.visit.started_at.replace("Z", "+00:00"))
        ended = datetime.fromisoformat(r.visit.ended_at.replace("Z", "+00:00"))
        assert 60 * 60 <= (ended - started).total_seconds() <= 90 * 60
        assert 45 * 60 <= offsets[-1] <= (ended - started).total_seconds()


def test_summarize_back_has_every_verdict_and_a_correction(filled):
    """Key learnings come from notes and direct writing, with all three verdicts given."""
    ws, summary = filled
    learnings = [kl for r in records(ws, summary) for kl in r.learnings]
    assert {kl.status for kl in learnings} == {
        SummaryStatus.CONFIRMED, SummaryStatus.CORRECTED, SummaryStatus.REJECTED}
    assert all(kl.correction for kl in learnings if kl.status is SummaryStatus.CORRECTED)
    sources = [ws.visits.entry(kl.source_entry_id) for kl in learnings if kl.source_entry_id]
    assert {e.kind for e in sources} >= {EntryKind.ANSWER, EntryKind.PROBE, EntryKind.QUOTE}
    assert any(kl.source_entry_id is None for kl in learnings)


def test_action_items_route_to_teams_and_next_contact_is_set(filled):
    """Action items with due dates go to at least four teams, and each visit has a next contact."""
    ws, summary = filled
    actions = [a for r in records(ws, summary) for a in r.actions]
    assert len({a.team for a in actions}) >= 4 and Team.EXECUTIVE in {a.team for a in actions}
    assert all(a.due_date for a in actions)
    for r in records(ws, summary):
        assert r.visit.next_contact_date and r.visit.next_contact_date > r.visit.visit_date


def test_one_note_raises_a_coaching_flag(filled):
    """Exactly the interviewer's leading question is flagged for coaching; quotes never are."""
    ws, summary = filled
    flagged = [e for r in records(ws, summary) for e in r.entries if e.flags]
    assert len(flagged) == 1
    assert flagged[0].kind is EntryKind.OBSERVATION
    assert "wouldn't you agree" in flagged[0].flags[0]


def test_contact_without_consent_exists_and_is_not_quoted(filled):
    """A contact with no consent recorded exists and is never quoted."""
    ws, summary = filled
    contacts = [c for a in ws.accounts.list() for c in ws.accounts.contacts(a.id)]
    silent = [c for c in contacts if not c.consent.given]
    assert silent
    speakers = {e.speaker_id for r in records(ws, summary) for e in r.entries}
    assert not {c.id for c in silent} & speakers


def test_second_fill_is_refused_and_changes_nothing(filled):
    """A second demo on the same workspace raises ServiceError and leaves the data as it was."""
    ws, _ = filled
    before = snapshot(ws)
    with pytest.raises(ServiceError, match="already holds"):
        fill_demo(ws, today=TODAY)
    assert snapshot(ws) == before


def test_workspace_with_one_account_is_refused(ws):
    """The demo refuses a workspace that already holds an account, even with no visits."""
    create_account(ws, "Someone Real Ltd")
    before = snapshot(ws)
    with pytest.raises(ServiceError):
        fill_demo(ws)
    assert snapshot(ws) == before


def test_failure_part_way_leaves_nothing_behind(ws, monkeypatch):
    """If a step fails late in the fill, no account, visit or photo remains."""
    empty = snapshot(ws)
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise ServiceError("disk full")
        return real(*args, **kwargs)

    real = demo.set_next_contact
    monkeypatch.setattr(demo, "set_next_contact", failing)
    with pytest.raises(ServiceError, match="disk full"):
        fill_demo(ws, today=TODAY)
    assert snapshot(ws) == empty
    for make in SCENES.values():
        assert ws.attachments.data(hashlib.sha256(make()).hexdigest()) is None
