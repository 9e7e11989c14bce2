"""Deriving the archive's findings from the visits it holds.

Imports only queue the visits they touch; `refresh_findings` derives those visits' findings,
tags and themes again, a batch of visits per transaction, applying the naming rule on the
way: anyone who did not agree to be named appears by role in every finding's text, in
speaker labels and in themes, so search, patterns, reports and exports all show the same.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from voc_desktop.domain.accounts import Consent, Contact, Role
from voc_desktop.domain.findings import CONFIRMED_STATUSES, ROOM_ROLE, team_for_bucket, theme_key
from voc_desktop.domain.guide_file import guide_from_json
from voc_desktop.domain.names import NameGuard
from voc_desktop.domain.photos import label, named_as_picture
from voc_desktop.store.archive_findings import DerivedRows, FindingStore, bars
from voc_desktop.store.archive_index import ArchiveIndex

BATCH = 500
_ROLE_ORDER = {r.value: n for n, r in enumerate(Role)}


def refresh_findings(index: ArchiveIndex,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Derive the findings of every visit waiting for it; returns how many visits."""
    store = FindingStore(index)
    _list_guide_questions(store)
    total, done = store.stale_count(), 0
    while ids := store.stale_visits(BATCH):
        store.replace_findings(derive(store, ids))
        done += len(ids)
        if progress:
            progress(done, total)
    return done


def _list_guide_questions(store: FindingStore) -> None:
    rows = []
    for g in store.unparsed_guides():
        try:
            guide = guide_from_json(g["body"])
        except Exception:  # noqa: BLE001 - a guide this copy cannot read still has answers
            continue
        position = 0
        for section in guide.sections:
            for q in section.questions:
                position += 1
                rows.append((g["id"], q.key, g["guide_id"], g["name"], section.title,
                             section.bucket.value, q.text, position))
    if rows:
        store.add_guide_questions(rows)


def _loads(text: Any) -> list[Any]:
    try:
        value = json.loads(text or "[]")
    except (TypeError, ValueError):
        return []
    return value if isinstance(value, list) else []


def _roles(values: Iterable[Any]) -> tuple[str, ...]:
    known = {str(v) for v in values if str(v) in _ROLE_ORDER}
    return tuple(sorted(known, key=_ROLE_ORDER.__getitem__))


def _contact(row: dict[str, Any]) -> Contact:
    # tolerant: a contact from a newer app with roles this copy does not know still counts
    return Contact(id=row["id"], account_id=row["account_id"], name=row["name"] or "",
                   roles=tuple(Role(r) for r in _roles(_loads(row["roles"]))),
                   consent=Consent(given=bool(row["consent_given"]),
                                   quote_by_name=bool(row["consent_quote_by_name"])))


def _by(rows: Iterable[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["deleted_at"] is None:
            grouped[r[key]].append(r)
    return grouped


def derive(store: FindingStore, visit_ids: list[str]) -> DerivedRows:
    """The findings, tags and themes of these visits, from their synced rows."""
    src = store.sources(visit_ids)
    merged = store.account_merges()
    accounts = {a["id"]: a for a in src["accounts"] if a["deleted_at"] is None}
    wanted = {merged[a] for a in accounts if a in merged} - set(accounts)
    into = {a["id"]: a for a in store.account_rows(sorted(wanted)) if a["deleted_at"] is None}
    into.update(accounts)
    contacts = _by(src["contacts"], "account_id")
    attendees, entries = _by(src["attendees"], "visit_id"), _by(src["entries"], "visit_id")
    learnings = _by(src["key_learnings"], "visit_id")
    actions = _by(src["action_items"], "visit_id")
    questions = store.guide_questions(v["guide_version_id"] for v in src["visits"])
    out = DerivedRows(visit_ids)
    for visit in src["visits"]:
        own = accounts.get(visit["account_id"])
        # a merged account's visits count for the account it became part of
        account = into.get(merged.get(visit["account_id"], ""), own)
        if visit["deleted_at"] is not None or own is None or account is None:
            continue
        _VisitDeriver(visit, account, contacts.get(own["id"], []),
                      attendees.get(visit["id"], []), questions, out).add(
            entries.get(visit["id"], []), learnings.get(visit["id"], []),
            actions.get(visit["id"], []))
    return out


class _VisitDeriver:
    def __init__(self, visit: dict[str, Any], account: dict[str, Any],
                 contacts: list[dict[str, Any]], attendees: list[dict[str, Any]],
                 questions: dict[tuple[str, str], dict[str, Any]], out: DerivedRows) -> None:
        self.visit, self.out, self.questions = visit, out, questions
        people = {c["id"]: _contact(c) for c in contacts}
        interviewers = [str(n) for n in _loads(visit["interviewers"]) if n]
        self.guard = NameGuard.for_people(people.values(), named_freely=interviewers)
        self.people = people
        self.role_of: dict[str, tuple[str, ...]] = {}
        for a in attendees:
            contact = people.get(a["contact_id"])
            self.role_of[a["contact_id"]] = _roles(_loads(a["roles"])) or (
                tuple(r.value for r in contact.roles) if contact else ())
        self.room = _roles(r for roles in self.role_of.values() for r in roles)
        self.base = {
            "visit_id": visit["id"], "account_id": account["id"],
            "account": self.guard(account["name"]), "vertical": account["vertical"] or "",
            "segment": account["segment"] or "", "stage": visit["lifecycle_stage"] or "",
            "in_icp": 1 if account["in_icp"] is None else int(bool(account["in_icp"])),
            "visit_date": visit["visit_date"] or "", "interviewers": bars(interviewers),
        }
        self.themes: dict[str, int] = Counter()
        # themes a customer confirmed here: of a key learning confirmed at the read-back
        self.confirmed: set[str] = set()
        self.theme_roles: set[tuple[str, str]] = set()
        self.theme_speakers: set[tuple[str, str]] = set()

    def _question(self, key: str | None) -> dict[str, Any]:
        return self.questions.get((self.visit["guide_version_id"], key or ""), {})

    def _speaker(self, contact_id: str | None) -> tuple[str, tuple[str, ...]]:
        contact = self.people.get(contact_id or "")
        if contact is None:
            return "", self.room
        roles = self.role_of.get(contact.id) or tuple(r.value for r in contact.roles)
        if contact.name.strip() and contact.consent.given and contact.consent.quote_by_name:
            return contact.name, roles
        label = ", ".join(Role(r).label for r in roles) if roles else "A participant"
        return label, roles

    def _said_by(self, entry: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        """(speaker label, roles of who said it) of an entry; ('', ()) is the room. An
        entry from before speakers were kept names at most a quote's one speaker."""
        ids = [str(c) for c in _loads(entry.get("speaker_ids")) if c]
        if not ids and entry["kind"] == "quote" and entry["speaker_id"]:
            ids = [entry["speaker_id"]]
        ids = [c for c in dict.fromkeys(ids) if c in self.people]
        if not ids:
            return "", ()
        said = [self._speaker(c) for c in ids]
        return "; ".join(label for label, _ in said), _roles(r for _, rs in said for r in rs)

    def _add(self, item_id: str, kind: str, text: str, position: int, **over: Any) -> None:
        row = {**self.base, "item_id": item_id, "kind": kind, "text": text,
               "position": position, "roles": bars(self.room), "speaker": "", "said_by": "",
               "bucket": "",
               "question_key": "", "question": "", "tags": "", "status": "", "team": "",
               "due_date": "", "detail": "", "owner": "", **over}
        self.out.findings.append(row)

    def add(self, entries: list[dict[str, Any]], learnings: list[dict[str, Any]],
            actions: list[dict[str, Any]]) -> None:
        g = self.guard
        status_of = {k["source_entry_id"]: k["status"] for k in learnings
                     if k["source_entry_id"]}
        # what the customer said instead, when they corrected a learning drawn from a note
        corrected = {k["source_entry_id"]: k["correction"] for k in learnings
                     if k["source_entry_id"] and k["status"] == "corrected" and k["correction"]}
        entry_question = {e["id"]: e["question_key"] for e in entries}
        entry_tags: dict[str, list[str]] = {}
        attached = 0  # this visit's attachments so far, to label one without a caption
        for e in entries:
            attached += e["kind"] == "attachment"
            text = g(e["text"]) or (label(named_as_picture(e["attachment_name"]), attached)
                                    if e["kind"] == "attachment" else "")
            if not text:
                continue  # emptied by an erasure, or an answer field left empty
            q = self._question(e["question_key"])
            speaker, said_by = self._said_by(e)
            # a quote counts for its speaker's roles, every other note for the room's
            roles = said_by if e["kind"] == "quote" and said_by else self.room
            # a tag holding a hidden person's name is no theme, not even under their role:
            # a theme "[User]" would only tell which note was about them
            tags = sorted({t for t in (theme_key(g(str(x))) for x in _loads(e["tags"])
                                       if not g.hides(str(x))) if t})
            self._add(e["id"], e["kind"], text, e["position"] or 0, roles=bars(roles),
                      speaker=speaker, said_by=bars(said_by), bucket=q.get("bucket", ""),
                      question_key=e["question_key"] or "", question=g(q.get("text", "")),
                      tags=bars(tags), status=status_of.get(e["id"], ""),
                      detail=g(corrected.get(e["id"], "")))
            entry_tags[e["id"]] = tags
            for tag in tags:
                self.out.tags.append((tag, e["id"]))
                self.themes[tag] += 1
                self.theme_roles.update((tag, r) for r in roles)
                self.theme_speakers.update((tag, r) for r in said_by or (ROOM_ROLE,))
        for k in learnings:
            text = g(k["text"])
            if not text:
                continue
            key = entry_question.get(k["source_entry_id"] or "") or ""
            q = self._question(key)
            # a key learning carries the themes of the note it was drawn from
            tags = entry_tags.get(k["source_entry_id"] or "", [])
            self.out.tags.extend((tag, k["id"]) for tag in tags)
            if k["status"] in CONFIRMED_STATUSES:
                self.confirmed.update(tags)
            self._add(k["id"], "learning", text, 10_000 + (k["position"] or 0),
                      tags=bars(tags), bucket=q.get("bucket", ""), question_key=key,
                      question=g(q.get("text", "")), status=k["status"] or "",
                      team=team_for_bucket(q.get("bucket")), detail=g(k["correction"]))
        for a in actions:
            text = g(a["text"])
            if text:
                self._add(a["id"], "action", text, 20_000 + (a["position"] or 0),
                          team=a["team"] or "", status=a["status"] or "",
                          due_date=a["due_date"] or "", owner=g(a.get("owner") or ""))
        b = self.base
        for tag, mentions in sorted(self.themes.items()):
            self.out.themes.append((tag, b["visit_id"], b["account_id"], b["vertical"],
                                    b["segment"], b["stage"], b["in_icp"], b["visit_date"],
                                    b["interviewers"], mentions, int(tag in self.confirmed)))
        self.out.theme_roles.extend(
            (tag, role, b["visit_id"], b["account_id"], b["vertical"], b["segment"], b["stage"],
             b["in_icp"], b["visit_date"], b["interviewers"])
            for tag, role in sorted(self.theme_roles))
        self.out.theme_speakers.extend(
            (tag, role, b["visit_id"], b["account_id"], b["vertical"], b["segment"], b["stage"],
             b["in_icp"], b["visit_date"], b["interviewers"])
            for tag, role in sorted(self.theme_speakers))
