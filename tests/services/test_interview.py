"""Planning, starting and capturing an interview through the services."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from voc_desktop.domain import flow
from voc_desktop.domain.accounts import Contact, LifecycleStage, Role
from voc_desktop.domain.visit import EntryKind, SummaryStatus, Visit, VisitStatus, ladder_depth
from voc_desktop.services import interview
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.closing import complete_visit, set_point_status, skip_summary
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import add_attendee, load_visit, plan_visit, start_visit
from voc_desktop.services.workspace.workspace import Change, Workspace
from voc_desktop.store import records as records_module
from voc_desktop.store import visits as store_visits_module

PITCH_TEXT = "Then I will show you our demo of the new dashboard."
PLAIN_TEXT = "How do you plan the week for the bakery floor?"


@dataclass
class Setup:
    ws: Workspace
    account_id: str
    ann: Contact  # attends
    bob: Contact  # same account, not attending
    stranger: Contact  # another account
    visit: Visit

    @property
    def first_key(self) -> str:
        return self.guide.sections[0].questions[0].key

    @property
    def guide(self):
        return self.ws.guides.version(self.visit.guide_version_id).guide


@pytest.fixture
def s(ws: Workspace) -> Setup:
    account = create_account(ws, "Acme Bakery", stage=LifecycleStage.RENEWAL)
    ann = add_contact(ws, account.id, "Ann", roles=(Role.DECISION_MAKER,))
    bob = add_contact(ws, account.id, "Bob", roles=(Role.USER,))
    other = create_account(ws, "Globex")
    stranger = add_contact(ws, other.id, "Sam")
    visit = plan_visit(ws, account.id, "Why renewals slip", visit_date="2030-03-04",
                       attendees=((ann.id, ()),))
    return Setup(ws, account.id, ann, bob, stranger, visit)


@pytest.fixture
def started(s: Setup) -> Setup:
    s.visit = start_visit(s.ws, s.visit.id)
    return s


def count_rows(ws: Workspace, table: str) -> int:
    """Rows including tombstones: what was ever written."""
    return ws.db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def revision(ws: Workspace, table: str, record_id: str) -> int:
    return ws.db.execute(f'SELECT revision FROM "{table}" WHERE id = ?',
                         [record_id]).fetchone()[0]


# planning ---------------------------------------------------------------------------------


def test_plan_visit_stores_a_planned_visit(s: Setup) -> None:
    """A planned visit keeps its objective, date, account stage and default guide."""
    v = s.ws.visits.get(s.visit.id)
    assert (v.objective, v.visit_date, v.status, v.lifecycle_stage) == (
        "Why renewals slip", "2030-03-04", VisitStatus.PLANNED, LifecycleStage.RENEWAL)
    assert v.started_at is None
    assert s.ws.guides.version(v.guide_version_id) is not None


def test_plan_visit_attendee_roles_default_to_contact_roles(s: Setup) -> None:
    """An attendee added without roles plays the roles the contact has."""
    [attendee] = s.ws.visits.attendees(s.visit.id)
    assert attendee.contact_id == s.ann.id
    assert attendee.roles == (Role.DECISION_MAKER,)


def test_plan_visit_defaults_to_today_and_trims(ws: Workspace) -> None:
    """Without a date the visit is today; objective, place and interviewers are trimmed."""
    account = create_account(ws, "Acme")
    v = plan_visit(ws, account.id, "  Gauge satisfaction ", place=" Plant 2 ",
                   interviewers=(" Kim ", "", "  ", "Lee"))
    assert v.visit_date == date.today().isoformat()
    assert (v.objective, v.place, v.interviewers) == (
        "Gauge satisfaction", "Plant 2", ("Kim", "Lee"))


@pytest.mark.parametrize("objective", ["", "   "])
def test_plan_visit_requires_objective(ws: Workspace, objective: str) -> None:
    """A visit without its one objective is refused and nothing is written."""
    account = create_account(ws, "Acme")
    with pytest.raises(ServiceError, match="objective"):
        plan_visit(ws, account.id, objective)
    assert count_rows(ws, "visits") == 0


@pytest.mark.parametrize("bad_date", ["2030-02-30", "next week", "04/03/2030", "2030-13-01"])
def test_plan_visit_rejects_invalid_date(ws: Workspace, bad_date: str) -> None:
    """A date that is not a real YYYY-MM-DD date is refused with the value quoted."""
    account = create_account(ws, "Acme")
    with pytest.raises(ServiceError, match="is not a date"):
        plan_visit(ws, account.id, "Objective", visit_date=bad_date)
    assert count_rows(ws, "visits") == 0


def test_plan_visit_stores_dates_as_yyyy_mm_dd(ws: Workspace) -> None:
    """Other ISO spellings of a date are stored in the one sortable YYYY-MM-DD form."""
    account = create_account(ws, "Acme")
    v = plan_visit(ws, account.id, "Objective", visit_date="20300304")
    assert v.visit_date == "2030-03-04"


def test_plan_visit_rejects_attendee_of_another_account(s: Setup) -> None:
    """An attendee from another account aborts the whole plan: no visit, no attendee."""
    visits_before = count_rows(s.ws, "visits")
    attendees_before = count_rows(s.ws, "attendees")
    heard: list[Change] = []
    s.ws.subscribe(heard.append)
    with pytest.raises(ServiceError, match="not a contact of this account"):
        plan_visit(s.ws, s.account_id, "Second visit",
                   attendees=((s.ann.id, ()), (s.stranger.id, ())))
    assert count_rows(s.ws, "visits") == visits_before
    assert count_rows(s.ws, "attendees") == attendees_before
    assert heard == []


def test_plan_visit_rejects_unknown_account_and_guide(s: Setup) -> None:
    """Unknown accounts and guide versions are refused."""
    with pytest.raises(ServiceError, match="account"):
        plan_visit(s.ws, "nope", "Objective")
    with pytest.raises(ServiceError, match="guide"):
        plan_visit(s.ws, s.account_id, "Objective", guide_version_id="nope")


def test_add_attendee_checks_account(s: Setup) -> None:
    """Only contacts of the visit's account can be added as attendees."""
    add_attendee(s.ws, s.visit.id, s.bob.id, (Role.INFLUENCER,))
    roles = {a.contact_id: a.roles for a in s.ws.visits.attendees(s.visit.id)}
    assert roles[s.bob.id] == (Role.INFLUENCER,)
    with pytest.raises(ServiceError):
        add_attendee(s.ws, s.visit.id, s.stranger.id)


# starting ---------------------------------------------------------------------------------


def test_start_visit_stamps_started_at_once(s: Setup) -> None:
    """The first start fixes the clock; starting again keeps it."""
    first = start_visit(s.ws, s.visit.id)
    assert first.status is VisitStatus.IN_PROGRESS
    assert first.started_at is not None
    s.ws.visits.update(s.visit.id, started_at="2030-03-04T08:00:00.000Z")
    again = start_visit(s.ws, s.visit.id)
    assert again.started_at == "2030-03-04T08:00:00.000Z"
    assert again.status is VisitStatus.IN_PROGRESS


def test_completed_visit_cannot_be_started(started: Setup) -> None:
    """A completed visit is read-only and cannot be run again."""
    skip_summary(started.ws, started.visit.id, "The customer had to leave")
    with pytest.raises(ServiceError, match="completed"):
        start_visit(started.ws, started.visit.id)


# answers and coaching flags ----------------------------------------------------------------


def test_record_answer_creates_then_updates_one_entry(started: Setup) -> None:
    """The first words create the answer; later words update that same entry."""
    ws, key = started.ws, started.first_key
    first = interview.record_answer(ws, started.visit.id, key, "We bake at night.")
    second = interview.record_answer(ws, started.visit.id, key, "We bake at night and ship at 5.")
    assert second.id == first.id
    answers = [e for e in ws.visits.entries(started.visit.id) if e.kind is EntryKind.ANSWER]
    assert [(e.question_key, e.text) for e in answers] == [(key, "We bake at night and ship at 5.")]
    assert revision(ws, "entries", first.id) == 2


def test_record_same_text_writes_nothing(started: Setup) -> None:
    """Saving unchanged text does not bump the revision or notify anyone."""
    ws, key = started.ws, started.first_key
    first = interview.record_answer(ws, started.visit.id, key, "Same")
    heard: list[Change] = []
    ws.subscribe(heard.append)
    interview.record_answer(ws, started.visit.id, key, "Same")
    assert revision(ws, "entries", first.id) == 1
    assert heard == []


def test_record_answer_rejects_unknown_question(started: Setup) -> None:
    """A question key not in the visit's guide is refused."""
    with pytest.raises(ServiceError, match="not a question"):
        interview.record_answer(started.ws, started.visit.id, "no-such-question", "x")
    assert started.ws.visits.entries(started.visit.id) == []


def test_answers_to_different_questions_are_separate(started: Setup) -> None:
    """Each question has its own answer entry."""
    keys = [q.key for _, q in started.guide.questions()][:3]
    for k in keys:
        interview.record_answer(started.ws, started.visit.id, k, f"about {k}")
    record = load_visit(started.ws, started.visit.id)
    assert [record.answer(k).text for k in keys] == [f"about {k}" for k in keys]


def test_answer_notifies_with_visit_and_entry(started: Setup) -> None:
    """Recording an answer tells listeners the entries of this visit changed."""
    heard: list[Change] = []
    started.ws.subscribe(heard.append)
    entry = interview.record_answer(started.ws, started.visit.id, started.first_key, "Hi")
    assert heard == [Change(frozenset({"entries"}), started.visit.id, frozenset({entry.id}))]


def test_pitch_phrase_raises_a_flag_and_clears_on_edit(started: Setup) -> None:
    """The interviewer's pitch is flagged; rewording it as a question clears the flag."""
    entry = interview.record_answer(started.ws, started.visit.id, started.first_key, PITCH_TEXT)
    assert entry.flags, "a pitch phrase should raise a coaching flag"
    assert any(f.startswith("pitch:") and "demo" in f.lower() for f in entry.flags)
    assert interview.update_text(started.ws, entry.id, PLAIN_TEXT).flags == ()


def test_plain_note_has_no_flags_until_edited_into_a_pitch(started: Setup) -> None:
    """Flags are worked out again on every text change."""
    entry = interview.add_observation(started.ws, started.visit.id, PLAIN_TEXT)
    assert entry.flags == ()
    assert interview.update_text(started.ws, entry.id, PITCH_TEXT).flags != ()


def test_leading_question_is_flagged(started: Setup) -> None:
    """A leading question counts as pitching too."""
    entry = interview.add_observation(started.ws, started.visit.id,
                                      "Wouldn't you agree the price is fair?")
    assert any(f.startswith("leading:") for f in entry.flags)


def test_quote_is_never_flagged(started: Setup) -> None:
    """A quote is the customer's own words, so a pitch phrase in it raises nothing."""
    quote = interview.add_quote(started.ws, started.visit.id, PITCH_TEXT,
                                speaker_id=started.ann.id)
    assert quote.flags == ()
    assert interview.update_text(started.ws, quote.id, PITCH_TEXT + " Really.").flags == ()


# why-ladders ---------------------------------------------------------------------------


def test_why_probes_nest_into_a_ladder(started: Setup) -> None:
    """Probes under probes form a ladder several levels deep, all on the same question."""
    ws = started.ws
    answer = interview.record_answer(ws, started.visit.id, started.first_key, "We buy from you.")
    parent, chain = answer, []
    for level in range(4):
        parent = interview.add_why_probe(ws, parent.id, f"why #{level + 1}")
        chain.append(parent)
    entries = ws.visits.entries(started.visit.id)
    assert ladder_depth(answer.id, entries) == 4
    assert [p.parent_id for p in chain] == [answer.id, *[p.id for p in chain[:-1]]]
    assert {p.question_key for p in chain} == {started.first_key}
    assert all(p.kind is EntryKind.PROBE for p in chain)


def test_probe_under_a_missing_entry_is_refused(started: Setup) -> None:
    """A probe needs a parent that still exists."""
    with pytest.raises(ServiceError, match="no longer exists"):
        interview.add_why_probe(started.ws, "no-such-entry", "why?")


# quotes and speakers -------------------------------------------------------------------


def test_quote_with_attendee_speaker(started: Setup) -> None:
    """A quote is stored with the attendee who said it."""
    quote = interview.add_quote(started.ws, started.visit.id, "We never run out of flour.",
                                speaker_id=started.ann.id, question_key=started.first_key)
    assert (quote.kind, quote.speaker_id, quote.question_key) == (
        EntryKind.QUOTE, started.ann.id, started.first_key)
    assert load_visit(started.ws, started.visit.id).contact(quote.speaker_id).name == "Ann"


@pytest.mark.parametrize("who", ["bob", "stranger", "nobody"])
def test_quote_speaker_must_attend(started: Setup, who: str) -> None:
    """A quote cannot be put in the mouth of someone who was not there."""
    speaker = {"bob": started.bob.id, "stranger": started.stranger.id, "nobody": "x"}[who]
    with pytest.raises(ServiceError, match="attendees"):
        interview.add_quote(started.ws, started.visit.id, "words", speaker_id=speaker)
    assert started.ws.visits.entries(started.visit.id) == []


def test_set_speaker_must_attend(started: Setup) -> None:
    """Changing a quote's speaker is held to the same rule as adding one."""
    quote = interview.add_quote(started.ws, started.visit.id, "words", speaker_id=started.ann.id)
    with pytest.raises(ServiceError, match="attendees"):
        interview.set_speaker(started.ws, quote.id, started.stranger.id)
    assert started.ws.visits.entry(quote.id).speaker_id == started.ann.id
    add_attendee(started.ws, started.visit.id, started.bob.id)
    assert interview.set_speaker(started.ws, quote.id, started.bob.id).speaker_id == started.bob.id
    assert interview.set_speaker(started.ws, quote.id, None).speaker_id is None


# attachments -------------------------------------------------------------------------------


def test_attach_same_file_twice_stores_one_blob(started: Setup, tmp_path: Path) -> None:
    """Two attachments of the same bytes give two notes but one stored copy, neither under
    the file's own name."""
    photo = tmp_path / "floor.jpg"
    data = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    photo.write_bytes(data)
    copy = tmp_path / "copy-of-floor.jpg"
    copy.write_bytes(data)
    a = interview.attach_file(started.ws, started.visit.id, photo, caption="Ovens")
    b = interview.attach_file(started.ws, started.visit.id, copy)
    sha = hashlib.sha256(data).hexdigest()
    assert a.attachment_sha == b.attachment_sha == sha
    assert (a.attachment_name, a.text, a.kind) == ("file.jpg", "Ovens", EntryKind.ATTACHMENT)
    assert b.attachment_name == "file.jpg"
    assert count_rows(started.ws, "attachments") == 1
    assert started.ws.attachments.data(sha) == data
    assert started.ws.attachments.mime(sha) == "image/jpeg"


def test_attach_missing_file_is_a_clear_error(started: Setup, tmp_path: Path) -> None:
    """A file that is not there is refused with its path and nothing is stored."""
    missing = tmp_path / "gone.png"
    with pytest.raises(ServiceError, match=r"Cannot read .*gone\.png"):
        interview.attach_file(started.ws, started.visit.id, missing)
    assert started.ws.visits.entries(started.visit.id) == []
    assert count_rows(started.ws, "attachments") == 0


def test_attach_too_large_file_is_refused(started: Setup, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Files past the size limit are refused before they are read."""
    monkeypatch.setattr(interview, "MAX_ATTACHMENT_BYTES", 10)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 11)
    with pytest.raises(ServiceError, match="larger than"):
        interview.attach_file(started.ws, started.visit.id, big)
    assert count_rows(started.ws, "attachments") == 0


# tags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "expected"), [
    (" #Price, price ;Lead  Time,, ", ("price", "lead time")),
    (["Quality", "#quality", "  "], ("quality",)),
    ("", ()),
])
def test_tags_are_normalised(started: Setup, given, expected: tuple[str, ...]) -> None:
    """Tags are lower-cased, trimmed, stripped of '#', deduplicated, in first-seen order."""
    note = interview.add_observation(started.ws, started.visit.id, "Three shifts")
    assert interview.set_tags(started.ws, note.id, given).tags == expected
    assert started.ws.visits.entry(note.id).tags == expected


# deleting and restoring ----------------------------------------------------------------


def ladder(s: Setup):
    ws = s.ws
    answer = interview.record_answer(ws, s.visit.id, s.first_key, "We buy on lead time")
    probe = interview.add_why_probe(ws, answer.id, "Because stock-outs cost us")
    deeper = interview.add_why_probe(ws, probe.id, "A stock-out stops the line")
    other = interview.add_observation(ws, s.visit.id, "Whiteboard shows weekly plan")
    return answer, probe, deeper, other


def test_delete_entry_removes_probes_under_it_and_their_learnings(started: Setup) -> None:
    """Deleting an answer deletes its whole ladder and the learnings drawn from it."""
    ws = started.ws
    answer, probe, deeper, other = ladder(started)
    interview.toggle_key_learning(ws, deeper.id)
    kept = interview.toggle_key_learning(ws, other.id)
    deleted = interview.delete_entry(ws, answer.id)
    assert set(deleted) == {answer.id, probe.id, deeper.id}
    assert [e.id for e in ws.visits.entries(started.visit.id)] == [other.id]
    assert [kl.id for kl in ws.visits.learnings(started.visit.id)] == [kept.id]


def test_restore_entries_brings_back_exactly_what_was_deleted(started: Setup) -> None:
    """Undo of a delete restores the ladder and its learning, and nothing else."""
    ws = started.ws
    answer, probe, deeper, other = ladder(started)
    learning = interview.toggle_key_learning(ws, probe.id)
    interview.delete_entry(ws, deeper.id)  # deleted separately, earlier
    deleted = interview.delete_entry(ws, answer.id)
    interview.restore_entries(ws, deleted)
    assert {e.id for e in ws.visits.entries(started.visit.id)} == {answer.id, probe.id, other.id}
    assert [kl.id for kl in ws.visits.learnings(started.visit.id)] == [learning.id]


@pytest.mark.parametrize("clock", ["ticking", "frozen"])
def test_restore_does_not_bring_back_a_learning_unmarked_earlier(
        started: Setup, monkeypatch: pytest.MonkeyPatch, clock: str) -> None:
    """A learning unmarked before the delete stays unmarked after the undo, whatever the clock."""
    if clock == "frozen":
        stamp = lambda: "2030-03-04T09:00:00.000Z"  # noqa: E731
    else:
        ticks = itertools.count()
        start = datetime(2030, 3, 4, 9, tzinfo=UTC)

        def stamp() -> str:
            moment = start + timedelta(seconds=next(ticks))
            return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    monkeypatch.setattr(records_module, "now_utc", stamp)
    monkeypatch.setattr(store_visits_module, "now_utc", stamp)
    ws = started.ws
    answer = interview.record_answer(ws, started.visit.id, started.first_key, "Lead time")
    assert interview.toggle_key_learning(ws, answer.id) is not None
    assert interview.toggle_key_learning(ws, answer.id) is None  # unmarked
    deleted = interview.delete_entry(ws, answer.id)
    interview.restore_entries(ws, deleted)
    assert [e.id for e in ws.visits.entries(started.visit.id)] == [answer.id]
    assert ws.visits.learnings(started.visit.id) == []


def test_restore_notifies_with_the_visit(started: Setup) -> None:
    """Undo of a delete tells listeners which visit's notes and learnings changed."""
    answer, *_ = ladder(started)
    deleted = interview.delete_entry(started.ws, answer.id)
    heard: list[Change] = []
    started.ws.subscribe(heard.append)
    interview.restore_entries(started.ws, deleted)
    assert len(heard) == 1
    assert heard[0].visit_id == started.visit.id
    assert {"entries", "key_learnings"} <= heard[0].tables


def test_restore_nothing_is_a_no_op(started: Setup) -> None:
    """Restoring an empty list writes nothing and notifies nobody."""
    heard: list[Change] = []
    started.ws.subscribe(heard.append)
    interview.restore_entries(started.ws, [])
    assert heard == []


# key learnings ----------------------------------------------------------------------


def test_toggle_key_learning_marks_and_unmarks(started: Setup) -> None:
    """Toggling marks a note as a key learning with its text, and toggling again unmarks."""
    ws = started.ws
    note = interview.add_observation(ws, started.visit.id, "  Night shift does the prep  ")
    learning = interview.toggle_key_learning(ws, note.id)
    assert learning is not None
    assert (learning.text, learning.source_entry_id) == ("Night shift does the prep", note.id)
    assert ws.visits.learning_for_entry(note.id).id == learning.id
    assert interview.toggle_key_learning(ws, note.id) is None
    assert ws.visits.learnings(started.visit.id) == []
    again = interview.toggle_key_learning(ws, note.id)
    assert again is not None and again.id != learning.id


def test_learning_mirroring_its_source_follows_edits(started: Setup) -> None:
    """While a learning still reads like its note, editing the note edits the learning."""
    ws = started.ws
    answer = interview.record_answer(ws, started.visit.id, started.first_key, "We buy on price")
    learning = interview.toggle_key_learning(ws, answer.id)
    interview.update_text(ws, answer.id, "We buy on lead time")
    assert ws.visits.learning(learning.id).text == "We buy on lead time"


def test_learning_follows_edits_when_the_note_had_trailing_space(started: Setup) -> None:
    """Spaces or a new line at the end of a note do not break the mirror."""
    ws = started.ws
    answer = interview.record_answer(ws, started.visit.id, started.first_key,
                                     "We buy on price \n")
    learning = interview.toggle_key_learning(ws, answer.id)
    interview.update_text(ws, answer.id, "We buy on price and speed\n")
    assert ws.visits.learning(learning.id).text.strip() == "We buy on price and speed"


def test_learning_edited_by_hand_stops_following(started: Setup) -> None:
    """Once the interviewer rewords a learning, later note edits leave it alone."""
    ws = started.ws
    answer = interview.record_answer(ws, started.visit.id, started.first_key, "We buy on price")
    learning = interview.toggle_key_learning(ws, answer.id)
    interview.edit_key_learning(ws, learning.id, "  Price decides  ")
    interview.update_text(ws, answer.id, "We buy on price, mostly")
    assert ws.visits.learning(learning.id).text == "Price decides"


def test_add_key_learning(started: Setup) -> None:
    """A learning written directly is stored trimmed, after the earlier ones."""
    ws = started.ws
    first = interview.add_key_learning(ws, started.visit.id, "  Seasonal peaks matter ")
    second = interview.add_key_learning(ws, started.visit.id, "Night shift is short-staffed")
    assert first.text == "Seasonal peaks matter" and first.source_entry_id is None
    assert [kl.id for kl in ws.visits.learnings(started.visit.id)] == [first.id, second.id]


@pytest.mark.parametrize("text", ["", "   \n"])
def test_blank_key_learning_rejected(started: Setup, text: str) -> None:
    """A learning needs words, whether added or edited."""
    ws = started.ws
    with pytest.raises(ServiceError, match="text"):
        interview.add_key_learning(ws, started.visit.id, text)
    learning = interview.add_key_learning(ws, started.visit.id, "Real words")
    with pytest.raises(ServiceError, match="text"):
        interview.edit_key_learning(ws, learning.id, text)
    assert [kl.text for kl in ws.visits.learnings(started.visit.id)] == ["Real words"]


def test_delete_key_learning(started: Setup) -> None:
    """Deleting a learning removes it; deleting it again is harmless."""
    ws = started.ws
    learning = interview.add_key_learning(ws, started.visit.id, "Real words")
    interview.delete_key_learning(ws, learning.id)
    interview.delete_key_learning(ws, learning.id)
    assert ws.visits.learnings(started.visit.id) == []


# position ----------------------------------------------------------------------------


def test_set_position_persists_and_resumes(started: Setup) -> None:
    """The current question and skipped ones are saved, so the flow resumes there."""
    ws, guide = started.ws, started.guide
    keys = [q.key for _, q in guide.questions()]
    interview.set_position(ws, started.visit.id, keys[3], (keys[2], keys[0]))
    v = ws.visits.get(started.visit.id)
    assert v.current_question == keys[3]
    assert set(v.skipped_questions) == {keys[0], keys[2]}
    state = flow.start(guide, skipped=set(v.skipped_questions), current=v.current_question)
    assert state.key == keys[3]
    interview.set_position(ws, started.visit.id, keys[4])
    assert set(ws.visits.get(started.visit.id).skipped_questions) == {keys[0], keys[2]}


# completed visits --------------------------------------------------------------------


OPERATIONS = {
    "record_answer": lambda s, e, kl: interview.record_answer(s.ws, s.visit.id, s.first_key, "x"),
    "update_text": lambda s, e, kl: interview.update_text(s.ws, e.id, "changed"),
    "add_why_probe": lambda s, e, kl: interview.add_why_probe(s.ws, e.id, "why?"),
    "add_quote": lambda s, e, kl: interview.add_quote(s.ws, s.visit.id, "q"),
    "add_observation": lambda s, e, kl: interview.add_observation(s.ws, s.visit.id, "o"),
    "set_tags": lambda s, e, kl: interview.set_tags(s.ws, e.id, "a"),
    "set_speaker": lambda s, e, kl: interview.set_speaker(s.ws, e.id, None),
    "delete_entry": lambda s, e, kl: interview.delete_entry(s.ws, e.id),
    "toggle_key_learning": lambda s, e, kl: interview.toggle_key_learning(s.ws, e.id),
    "add_key_learning": lambda s, e, kl: interview.add_key_learning(s.ws, s.visit.id, "k"),
    "edit_key_learning": lambda s, e, kl: interview.edit_key_learning(s.ws, kl.id, "k2"),
    "delete_key_learning": lambda s, e, kl: interview.delete_key_learning(s.ws, kl.id),
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_completed_visit_refuses_changes(started: Setup, operation: str) -> None:
    """Once completed, a visit's notes and learnings cannot be changed."""
    ws = started.ws
    entry = interview.record_answer(ws, started.visit.id, started.first_key, "Answer")
    learning = interview.add_key_learning(ws, started.visit.id, "Learned")
    set_point_status(ws, learning.id, SummaryStatus.CONFIRMED)
    complete_visit(ws, started.visit.id)
    before = (ws.visits.entries(started.visit.id), ws.visits.learnings(started.visit.id))
    with pytest.raises(ServiceError, match="completed"):
        OPERATIONS[operation](started, entry, learning)
    assert (ws.visits.entries(started.visit.id), ws.visits.learnings(started.visit.id)) == before


def test_completed_visit_refuses_undo_of_a_delete(started: Setup) -> None:
    """A note deleted before completion cannot be brought back into the completed visit."""
    ws = started.ws
    note = interview.add_observation(ws, started.visit.id, "Deleted before the end")
    deleted = interview.delete_entry(ws, note.id)
    skip_summary(ws, started.visit.id, "The customer had to leave")
    with pytest.raises(ServiceError, match="completed"):
        interview.restore_entries(ws, deleted)
    assert ws.visits.entries(started.visit.id) == []


def test_completed_visit_refuses_attachments(started: Setup, tmp_path: Path) -> None:
    """A file cannot be attached to a completed visit."""
    skip_summary(started.ws, started.visit.id, "The customer had to leave")
    photo = tmp_path / "p.png"
    photo.write_bytes(b"png")
    with pytest.raises(ServiceError, match="completed"):
        interview.attach_file(started.ws, started.visit.id, photo)
    assert count_rows(started.ws, "attachments") == 0


# offsets -----------------------------------------------------------------------------


def _started_ago(s: Setup, seconds: int) -> None:
    when = datetime.now(UTC) - timedelta(seconds=seconds)
    s.ws.visits.update(s.visit.id,
                       started_at=when.isoformat(timespec="milliseconds").replace("+00:00", "Z"))


def test_offsets_grow_with_time(started: Setup) -> None:
    """Entries are stamped with the seconds since the visit started."""
    _started_ago(started, 90)
    early = interview.add_observation(started.ws, started.visit.id, "early")
    _started_ago(started, 3700)
    late = interview.add_observation(started.ws, started.visit.id, "late")
    assert 90 <= early.offset_seconds < 100
    assert 3700 <= late.offset_seconds < 3710
    assert late.offset_seconds > early.offset_seconds


def test_entries_before_start_have_no_offset(s: Setup) -> None:
    """Notes taken on a planned visit carry no time offset."""
    note = interview.add_observation(s.ws, s.visit.id, "Prepared question list")
    assert note.offset_seconds is None


def test_offset_is_never_negative(started: Setup) -> None:
    """A start time in the future (a skewed clock) gives offset zero, not a negative one."""
    _started_ago(started, -120)
    assert interview.add_observation(started.ws, started.visit.id, "x").offset_seconds == 0


def test_confirmed_learning_keeps_the_words_read_back(ws):
    """Once the customer has confirmed a learning, editing its note no longer rewrites it."""
    from voc_desktop.domain.accounts import LifecycleStage
    from voc_desktop.domain.visit import SummaryStatus
    from voc_desktop.services import closing, interview
    from voc_desktop.services.accounts import create_account
    from voc_desktop.services.visits import plan_visit, start_visit

    account = create_account(ws, "Read-back Ltd", stage=LifecycleStage.ACTIVE)
    visit = start_visit(ws, plan_visit(ws, account.id, "Check the read-back").id)
    key = ws.guides.version(visit.guide_version_id).guide.questions()[0][1].key
    answer = interview.record_answer(ws, visit.id, key, "They wait for labels")
    learning = interview.toggle_key_learning(ws, answer.id)
    closing.set_point_status(ws, learning.id, SummaryStatus.CONFIRMED)
    interview.update_text(ws, answer.id, "They wait for labels every night")
    assert ws.visits.learning(learning.id).text == "They wait for labels"


def test_an_attendee_is_listed_once(ws):
    """The same person cannot be added twice to one visit."""
    import pytest

    from voc_desktop.services.accounts import add_contact, create_account
    from voc_desktop.services.errors import ServiceError
    from voc_desktop.services.visits import add_attendee, plan_visit

    account = create_account(ws, "Twice Ltd")
    person = add_contact(ws, account.id, "Ada Berg")
    with pytest.raises(ServiceError, match="twice"):
        plan_visit(ws, account.id, "Meet Ada", attendees=((person.id, ()), (person.id, ())))
    visit = plan_visit(ws, account.id, "Meet Ada", attendees=((person.id, ()),))
    with pytest.raises(ServiceError, match="already an attendee"):
        add_attendee(ws, visit.id, person.id)
    assert len(ws.visits.attendees(visit.id)) == 1


def test_new_visits_use_the_accounts_last_guide_else_the_shipped_one(ws, tmp_path):
    """A new visit starts on the guide of the account's last visit, else the default guide."""
    import json

    from voc_desktop.domain.guide_file import DEFAULT_GUIDE_ID, guide_to_json
    from voc_desktop.services.accounts import create_account
    from voc_desktop.services.guides import import_guide
    from voc_desktop.services.visits import plan_visit

    shipped = ws.guides.latest(DEFAULT_GUIDE_ID)
    data = json.loads(guide_to_json(shipped.guide))
    data.update(id="00000000-0000-4000-8000-000000000001", name="A short guide")
    path = tmp_path / "short.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    short, _ = import_guide(ws, path)
    account = create_account(ws, "Guided Ltd")
    first = plan_visit(ws, account.id, "First visit")
    assert first.guide_version_id == shipped.version_id
    plan_visit(ws, account.id, "Second visit", guide_version_id=short.version_id,
               visit_date="2030-01-01")
    third = plan_visit(ws, account.id, "Third visit")
    assert third.guide_version_id == short.version_id
