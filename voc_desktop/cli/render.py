"""How the `voc` command line shows visits and guides: as readable text, or as JSON.

Both forms carry the same content. Whenever a person is named, the name goes through
`Contact.display_name()`, and free text through `NameGuard` (`masked`), so someone who
did not agree to be quoted by name appears by their role everywhere in the output, never
only in the quotes.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from voc_desktop.domain.accounts import Contact, roles_label
from voc_desktop.domain.guide import Guide
from voc_desktop.domain.names import NameGuard
from voc_desktop.domain.visit import (
    ROOM,
    ActionItem,
    Entry,
    EntryKind,
    KeyLearning,
    Team,
    format_offset,
)

if TYPE_CHECKING:
    from voc_desktop.services.visits import VisitRecord
    from voc_desktop.store.guides import StoredGuide

INDENT = "  "


# --- JSON --------------------------------------------------------------------------------

def masked(r: VisitRecord) -> VisitRecord:
    """The visit with the names of attendees who are shown by role only replaced in its free
    text too (notes, tags, points, actions, objective), as reports do."""
    g = NameGuard.for_people([av.contact for av in r.attendees],
                             named_freely=r.visit.interviewers)
    return replace(
        r, visit=replace(r.visit, objective=g(r.visit.objective), place=g(r.visit.place)),
        entries=tuple(replace(e, text=g(e.text), tags=tuple(g(t) for t in e.tags))
                      for e in r.entries),
        learnings=tuple(replace(k, text=g(k.text), correction=g(k.correction))
                        for k in r.learnings),
        actions=tuple(replace(x, text=g(x.text)) for x in r.actions))


def visit_to_dict(r: VisitRecord) -> dict[str, Any]:
    """The whole visit as nested data; keys are documented in `voc visit show --help`."""
    r = masked(r)
    v, a, learned = r.visit, r.account, _learning_by_entry(r)
    skipped = set(v.skipped_questions)
    return {
        "id": v.id,
        "objective": v.objective,
        "visit_date": v.visit_date,
        "place": v.place,
        "interviewers": list(v.interviewers),
        "lifecycle_stage": v.lifecycle_stage.value,
        "status": v.status.value,
        "started_at": v.started_at,
        "ended_at": v.ended_at,
        "account": {"id": a.id, "name": a.name, "vertical": a.vertical, "segment": a.segment,
                    "lifecycle_stage": a.lifecycle_stage.value, "in_icp": a.in_icp},
        "guide": {"version_id": r.guide_version_id, "guide_id": r.guide.guide_id,
                  "name": r.guide.name, "version": r.guide.version},
        "attendees": [{
            "contact_id": av.contact.id,
            "display_name": av.contact.display_name(),
            "title": _title(av.contact),
            "roles": [role.value for role in av.attendee.roles],
            "consent": {"given": av.contact.consent.given,
                        "quote_by_name": av.contact.consent.quote_by_name,
                        "method": av.contact.consent.method,
                        "scope": av.contact.consent.scope},
        } for av in r.attendees],
        "sections": [{
            "key": s.key, "title": s.title, "bucket": s.bucket.value,
            "bucket_label": s.bucket.label,
            "questions": [{
                "key": q.key, "text": q.text, "skipped": q.key in skipped,
                "answer": _entry_dict(r, answer, learned) if (answer := r.answer(q.key)) else None,
                "notes": [_entry_dict(r, e, learned) for e in _notes(r, q.key)],
            } for q in s.questions],
        } for s in r.guide.sections],
        "other_notes": [_entry_dict(r, e, learned) for e in _notes(r, None)],
        "key_learnings": [{
            "id": kl.id, "text": kl.text, "status": kl.status.value,
            "correction": kl.correction, "final_text": kl.final_text,
            "source_entry_id": kl.source_entry_id,
        } for kl in r.learnings],
        "summary_skip_reason": v.summary_skip_reason,
        "action_items": [{
            "team": team.value, "team_label": team.label,
            "items": [{"id": x.id, "text": x.text, "status": x.status.value,
                       "due_date": x.due_date, "owner": x.owner} for x in items],
        } for team, items in _actions_by_team(r)],
        "next_contact_date": v.next_contact_date,
    }


def _entry_dict(r: VisitRecord, e: Entry, learned: dict[str, KeyLearning]) -> dict[str, Any]:
    speaker = r.contact(e.speaker_id) if e.kind is EntryKind.QUOTE else None
    said_by = [c for c in (r.contact(i) for i in e.speakers) if c is not None]
    return {
        "id": e.id,
        "kind": e.kind.value,
        "text": e.text,
        "offset_seconds": e.offset_seconds,
        "offset": format_offset(e.offset_seconds),
        "speaker": ({"contact_id": speaker.id, "display_name": speaker.display_name()}
                    if speaker else None),
        # who said it, in the order named; [] is the room
        "said_by": [{"contact_id": c.id, "display_name": c.display_name()} for c in said_by],
        "attachment": ({"name": e.attachment_name, "sha256": e.attachment_sha}
                       if e.kind is EntryKind.ATTACHMENT else None),
        "tags": list(e.tags),
        "flags": list(e.flags),
        "key_learning_id": learned[e.id].id if e.id in learned else None,
        "probes": [_entry_dict(r, c, learned) for c in r.children(e.id)],
    }


def guide_to_view(stored: StoredGuide) -> dict[str, Any]:
    g = stored.guide
    return {
        "version_id": stored.version_id, "guide_id": g.guide_id, "name": g.name,
        "version": g.version, "description": g.description,
        "sections": [{
            "key": s.key, "title": s.title, "bucket": s.bucket.value,
            "bucket_label": s.bucket.label, "intro": s.intro,
            "questions": [{"key": q.key, "text": q.text, "hint": q.hint,
                           "probes": list(q.probes)} for q in s.questions],
        } for s in g.sections],
    }


# --- text --------------------------------------------------------------------------------

def render_visit(r: VisitRecord, width: int) -> list[str]:
    r = masked(r)
    v, a = r.visit, r.account
    out = [f"Visit {v.id}"]
    profile = f"{'inside' if a.in_icp else 'outside'} the ideal customer profile"
    kind = ", ".join(x for x in (a.vertical, a.segment) if x)
    when = v.visit_date
    if v.started_at and v.ended_at:
        when += f", {v.started_at[11:16]} to {v.ended_at[11:16]} UTC"
    for label, value in [
        ("Account", f"{a.name} ({kind + '; ' if kind else ''}{profile})"),
        ("Date", when), ("Place", v.place or "-"),
        ("Interviewers", ", ".join(v.interviewers) or "-"), ("Objective", v.objective),
        ("Stage", v.lifecycle_stage.label), ("Status", v.status.label),
        ("Guide", f"{r.guide.name}, version {r.guide.version}"),
    ]:
        out += _wrap(f"{label + ':':<14}{value}", INDENT, width, hang=14)
    out += ["", "Attendees"]
    if not r.attendees:
        out.append(f"{INDENT}(none recorded)")
    for av in r.attendees:
        title = _title(av.contact)
        out += _wrap(f"- {av.contact.display_name()}{f' ({title})' if title else ''}", INDENT,
                     width, hang=4)
        out += _wrap(f"roles on the day: {roles_label(av.attendee.roles)}; "
                     f"{av.contact.consent.label.lower()}", INDENT * 2, width, hang=2)
    out += _render_questions(r, width)
    loose = _notes(r, None)
    if loose:
        out += ["", "Notes not tied to a question"]
        learned = _learning_by_entry(r)
        for e in loose:
            out += _render_entry(r, e, learned, INDENT, width)
    out += _render_closing(r, width)
    return out


def _render_questions(r: VisitRecord, width: int) -> list[str]:
    out: list[str] = []
    learned, skipped = _learning_by_entry(r), set(r.visit.skipped_questions)
    for si, section in enumerate(r.guide.sections, 1):
        out += ["", f"{si}. {section.title} [{section.bucket.label}]"]
        for qi, q in enumerate(section.questions, 1):
            out += _wrap(f"{si}.{qi} {q.text}", INDENT, width, hang=len(f"{si}.{qi} "))
            answer, notes = r.answer(q.key), _notes(r, q.key)
            deeper = INDENT * 3
            if answer:
                out += _render_entry(r, answer, learned, deeper, width)
            elif q.key in skipped:
                out.append(f"{deeper}(skipped)")
            elif not notes:
                out.append(f"{deeper}(not asked)")
            for e in notes:
                out += _render_entry(r, e, learned, deeper, width)
    return out


def _render_entry(r: VisitRecord, e: Entry, learned: dict[str, KeyLearning], indent: str,
                  width: int) -> list[str]:
    stamp = f" [{format_offset(e.offset_seconds)}]" if e.offset_seconds is not None else ""
    by = "" if e.kind is EntryKind.QUOTE else _said_by(r, e)
    stamp += f" ({by})" if by else ""
    if e.kind is EntryKind.PROBE:
        head = f"why?{stamp} {e.text}"
    elif e.kind is EntryKind.QUOTE:
        head = f"Quote{stamp}, the customer's words ({_speaker(r, e)}): \"{e.text}\""
    elif e.kind is EntryKind.ATTACHMENT:
        head = f"Attachment{stamp}: {e.attachment_name}" + (f" - {e.text}" if e.text else "")
    else:
        head = f"{e.kind.label}{stamp}: {e.text}"
    out = _wrap(head, indent, width, hang=2)
    marks = []
    if e.tags:
        marks.append("tags: " + ", ".join(e.tags))
    if e.flags:
        marks.append("coaching: " + "; ".join(e.flags))
    if e.id in learned:
        marks.append("marked as a key learning")
    for mark in marks:
        out += _wrap(mark, indent + INDENT, width, hang=2)
    for child in r.children(e.id):
        out += _render_entry(r, child, learned, indent + INDENT, width)
    return out


def _render_closing(r: VisitRecord, width: int) -> list[str]:
    v = r.visit
    out = ["", "Key learnings and summarize-back"]
    if v.summary_skip_reason:
        out += _wrap(f"Summarize-back skipped: {v.summary_skip_reason}", INDENT, width, hang=2)
    if not r.learnings:
        out.append(f"{INDENT}(none)")
    for n, kl in enumerate(r.learnings, 1):
        out += _wrap(f"{n}. [{kl.status.label}] {kl.text}", INDENT, width, hang=len(f"{n}. "))
        if kl.correction:
            out += _wrap(f"customer's correction: {kl.correction}", INDENT * 3, width, hang=2)
    out += ["", "Action items"]
    groups = _actions_by_team(r)
    if not groups:
        out.append(f"{INDENT}(none)")
    for team, items in groups:
        out.append(f"{INDENT}{team.label}")
        for x in items:
            due = f", due {x.due_date}" if x.due_date else ""
            owner = f", owner {x.owner}" if x.owner else ""
            out += _wrap(f"- [{x.status.value}{owner}{due}] {x.text}", INDENT * 2, width,
                         hang=2)
    out += ["", f"Next contact: {v.next_contact_date or 'not set'}"]
    return out


def render_guide(stored: StoredGuide, width: int) -> list[str]:
    g: Guide = stored.guide
    out = [f"{g.name}, version {g.version}",
           f"{INDENT}guide id:    {g.guide_id}", f"{INDENT}version id:  {stored.version_id}"]
    if g.description:
        out += _wrap(g.description, INDENT, width)
    for si, s in enumerate(g.sections, 1):
        out += ["", f"{si}. {s.title} [{s.bucket.label}]  (key: {s.key})"]
        if s.intro:
            out += _wrap(s.intro, INDENT, width)
        for qi, q in enumerate(s.questions, 1):
            out += _wrap(f"{si}.{qi} {q.text}  (key: {q.key})", INDENT, width,
                         hang=len(f"{si}.{qi} "))
            if q.hint:
                out += _wrap(f"hint: {q.hint}", INDENT * 3, width, hang=2)
            for p in q.probes:
                out += _wrap(f"probe: {p}", INDENT * 3, width, hang=2)
    return out


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell; the last column is left ragged."""
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        padded = [c.ljust(w) for c, w in zip(cells[:-1], widths[:-1], strict=True)]
        return "  ".join([*padded, cells[-1]]).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


# --- helpers -----------------------------------------------------------------------------

def _wrap(text: str, indent: str, width: int, hang: int = 0) -> list[str]:
    """Wrap one paragraph (or several, split at line breaks) with a hanging indent."""
    out: list[str] = []
    rest = indent + " " * hang
    for i, para in enumerate(text.splitlines() or [""]):
        first = indent if i == 0 else rest
        out += textwrap.wrap(para, width, initial_indent=first, subsequent_indent=rest,
                             break_long_words=False, break_on_hyphens=False) or [first.rstrip()]
    return out


def _title(contact: Contact) -> str:
    # A job title can point at one person as surely as a name, so it is shown only for
    # people who agreed to be named.
    return contact.title if contact.display_name() == contact.name else ""


def _said_by(r: VisitRecord, e: Entry) -> str:
    """Who said an entry, by name or role; '' for the room."""
    return "; ".join(c.display_name() for c in (r.contact(i) for i in e.speakers) if c)


def _speaker(r: VisitRecord, e: Entry) -> str:
    return _said_by(r, e) or ROOM.lower()


def _notes(r: VisitRecord, question_key: str | None) -> list[Entry]:
    """Top-level entries of one question apart from its answer; with None, the entries tied
    to no question of the guide."""
    if question_key is None:
        known = {q.key for _, q in r.guide.questions()}
        return [e for e in r.entries if e.parent_id is None and e.question_key not in known]
    return [e for e in r.entries if e.parent_id is None and e.question_key == question_key
            and e.kind is not EntryKind.ANSWER]


def _learning_by_entry(r: VisitRecord) -> dict[str, KeyLearning]:
    return {kl.source_entry_id: kl for kl in r.learnings if kl.source_entry_id}


def _actions_by_team(r: VisitRecord) -> list[tuple[Team, list[ActionItem]]]:
    return [(team, items) for team in Team
            if (items := [x for x in r.actions if x.team is team])]
