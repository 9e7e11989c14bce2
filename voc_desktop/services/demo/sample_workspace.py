"""A sample workspace to explore: two accounts, three completed visits and one planned.

Everything is written through the same services the window uses, so the sample shows
what real visits look like: why-ladders, quotes, photos, coaching flags, summarize-back
verdicts and action items routed to teams. The whole fill is one transaction; if any
step fails, the workspace is left exactly as it was.

The script of the sample (who was met, what was said) sits in `script`. Dates are
relative to the day the demo is made, so the visits always look recent.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from voc_desktop.domain.accounts import Consent
from voc_desktop.domain.guide_file import load_default_guide
from voc_desktop.domain.visit import ActionStatus, Entry, EntryKind
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.closing import (
    add_action_item,
    complete_visit,
    end_interview,
    set_action_status,
    set_next_contact,
    set_point_status,
)
from voc_desktop.services.demo.sample_photo import SCENES
from voc_desktop.services.demo.script import (
    ACCOUNTS,
    CONTACTS,
    PLANNED,
    VISITS,
    Note,
    Person,
    Script,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.interview import (
    add_key_learning,
    add_observation,
    add_quote,
    add_why_probe,
    attach_file,
    record_answer,
    set_position,
    set_speakers,
    set_tags,
    toggle_key_learning,
)
from voc_desktop.services.visits import plan_visit, start_visit
from voc_desktop.services.workspace.workspace import Workspace


@dataclass(frozen=True)
class DemoSummary:
    """What the demo created, for the command line to report."""

    account_ids: tuple[str, ...]
    completed_visit_ids: tuple[str, ...]
    planned_visit_id: str
    contacts: int
    entries: int
    attachments: int
    key_learnings: int
    action_items: int

    @property
    def visit_ids(self) -> tuple[str, ...]:
        return (*self.completed_visit_ids, self.planned_visit_id)


# --- filling the workspace ---------------------------------------------------------------

def fill_demo(ws: Workspace, *, today: date | None = None) -> DemoSummary:
    """Fill an empty workspace with the sample; refuses a workspace that holds any data."""
    if not is_empty(ws):
        raise ServiceError("This workspace already holds accounts or visits; the demo only "
                           "fills an empty workspace, so nothing was changed.")
    today = today or date.today()
    shipped = load_default_guide()
    stored = ws.guides.find(shipped.guide_id, shipped.version)
    if stored is None or not stored.guide.content_equal(shipped):
        raise ServiceError("The demo needs the guide that ships with VOC Desktop, and this "
                           "workspace does not have it.")
    with ws.batch(), tempfile.TemporaryDirectory(prefix="voc-demo-") as tmp:
        accounts = {handle: create_account(ws, **spec).id for handle, spec in ACCOUNTS.items()}
        people = {}
        for handle, p in CONTACTS.items():
            people[handle] = add_contact(ws, accounts[p.account], p.name, title=p.title,
                                         roles=p.roles, consent=_dated(p, handle, today)).id
        completed = [_run(ws, s, stored.version_id, accounts, people, today, Path(tmp))
                     for s in VISITS]
        planned = plan_visit(
            ws, accounts[PLANNED.account], PLANNED.objective,
            visit_date=(today + timedelta(days=PLANNED.days_ahead)).isoformat(),
            place=PLANNED.place, interviewers=PLANNED.interviewers,
            guide_version_id=stored.version_id, stage=PLANNED.stage,
            attendees=tuple((people[h], roles) for h, roles in PLANNED.attendees))
    every = [*completed, planned.id]
    entries = [e for v in every for e in ws.visits.entries(v)]
    return DemoSummary(
        account_ids=tuple(accounts.values()), completed_visit_ids=tuple(completed),
        planned_visit_id=planned.id, contacts=len(people), entries=len(entries),
        attachments=sum(e.kind is EntryKind.ATTACHMENT for e in entries),
        key_learnings=sum(len(ws.visits.learnings(v)) for v in every),
        action_items=sum(len(ws.visits.actions(v)) for v in every),
    )


def is_empty(ws: Workspace) -> bool:
    """True when the workspace holds no account and no visit (guides do not count)."""
    return not ws.accounts.list() and not ws.visits.count()


def _dated(person: Person, handle: str, today: date) -> Consent:
    """Consent stamped on the day the person was first met, as it would have been."""
    if not person.consent.given:
        return person.consent
    met = [s.days_ago for s in VISITS if any(h == handle for h, _ in s.attendees)]
    day = today - timedelta(days=max(met, default=0))
    stamp = datetime.combine(day, time(8, 0), tzinfo=UTC)
    return Consent(person.consent.given, person.consent.quote_by_name, person.consent.method,
                   _iso(stamp), person.consent.scope)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _run(ws: Workspace, s: Script, guide_version_id: str, accounts: dict[str, str],
         people: dict[str, str], today: date, tmp: Path) -> str:
    """Plan, run and close one visit the way an interviewer would, in order."""
    day = today - timedelta(days=s.days_ago)
    visit = plan_visit(ws, accounts[s.account], s.objective, visit_date=day.isoformat(),
                       place=s.place, interviewers=s.interviewers,
                       guide_version_id=guide_version_id, stage=s.stage,
                       attendees=tuple((people[h], roles) for h, roles in s.attendees))
    start_visit(ws, visit.id)
    for note in s.arrival:
        _note(ws, visit.id, None, note, people, tmp)
    for ask in s.asks:
        answer = record_answer(ws, visit.id, ask.key, ask.answer)
        set_speakers(ws, answer.id, [people[ask.by]] if ask.by else [])
        if ask.tags:
            set_tags(ws, answer.id, ask.tags)
        deepest = _ladder(ws, answer, ask.why)
        if ask.learn:
            toggle_key_learning(ws, deepest.id if ask.learn == "why" else answer.id)
        for note in ask.notes:
            _note(ws, visit.id, ask.key, note, people, tmp)
    set_position(ws, visit.id, s.asks[-1].key, skipped=s.skipped)
    for text in s.learnings:
        add_key_learning(ws, visit.id, text)
    _spread_offsets(ws, visit.id, s)
    end_interview(ws, visit.id)
    started = datetime.combine(day, s.start, tzinfo=UTC)
    # The services stamp with the clock of the moment; the sample is set in the past.
    ws.visits.update(visit.id, started_at=_iso(started),
                     ended_at=_iso(started + timedelta(minutes=s.minutes)))
    learnings = ws.visits.learnings(visit.id)
    for learning, (status, correction) in zip(learnings, s.verdicts, strict=True):
        set_point_status(ws, learning.id, status, correction)
    complete_visit(ws, visit.id)
    for team, text, due_days, done, owner in s.actions:
        item = add_action_item(ws, visit.id, text, team, owner=owner,
                               due_date=(day + timedelta(days=due_days)).isoformat())
        if done:
            set_action_status(ws, item.id, visit.id, ActionStatus.DONE)
    set_next_contact(ws, visit.id, (day + timedelta(days=s.next_contact_days)).isoformat())
    return visit.id


def _ladder(ws: Workspace, parent: Entry, whys: tuple[str, ...]) -> Entry:
    """Nest each probe under the one before; returns the deepest entry."""
    for text in whys:
        parent = add_why_probe(ws, parent.id, text)
    return parent


def _note(ws: Workspace, visit_id: str, key: str | None, note: Note,
          people: dict[str, str], tmp: Path) -> None:
    if note.kind is EntryKind.QUOTE:
        entry = add_quote(ws, visit_id, note.text, speaker_id=people[note.speaker],
                          question_key=key)
    elif note.kind is EntryKind.ATTACHMENT:
        path = tmp / f"{note.scene}.png"
        path.write_bytes(SCENES[note.scene]())
        entry = attach_file(ws, visit_id, path, caption=note.text, question_key=key)
    else:
        entry = add_observation(ws, visit_id, note.text, question_key=key)
        set_speakers(ws, entry.id, [])  # what the interviewer saw: no one said it
    if note.tags:
        set_tags(ws, entry.id, note.tags)
    deepest = _ladder(ws, entry, note.why)
    if note.learn:
        toggle_key_learning(ws, deepest.id)


def _spread_offsets(ws: Workspace, visit_id: str, s: Script) -> None:
    """Give entries the time stamps a real visit would have: in order, spread over the
    interview, with the last minutes kept for the summarize-back."""
    entries = ws.visits.entries(visit_id)
    span = (s.minutes - 8) * 60
    step = span / max(len(entries), 1)
    rng = random.Random(s.days_ago)  # the same sample every time
    for i, entry in enumerate(entries):
        offset = int(90 + i * step + rng.uniform(0, step * 0.6))
        ws.visits.update_entry(entry.id, offset_seconds=offset)
