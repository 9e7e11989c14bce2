"""Visits and everything captured in them: attendees, entries, key learnings, action items."""

from __future__ import annotations

import json
from typing import Any

from voc_desktop.domain.accounts import LifecycleStage, parse_roles
from voc_desktop.domain.visit import (
    ActionItem,
    ActionStatus,
    Attendee,
    Entry,
    EntryKind,
    KeyLearning,
    ResumePoint,
    SummaryStatus,
    Team,
    Visit,
    VisitLine,
    VisitStatus,
)
from voc_desktop.store.database import now_utc
from voc_desktop.store.records import Records, dumps, loads


def _visit_filter(account_id: str | None, status: VisitStatus | None,
                  search: str) -> tuple[str, list[Any]]:
    where: list[str] = ["1"]
    params: list[Any] = []
    if account_id:
        where.append("account_id = ?")
        params.append(account_id)
    if status:
        where.append("status = ?")
        params.append(status.value)
    if search.strip():
        like = f"%{search.strip()}%"
        where.append("(objective LIKE ? OR place LIKE ? OR interviewers LIKE ? OR account_id "
                     "IN (SELECT id FROM accounts WHERE name LIKE ? OR vertical LIKE ?))")
        params += [like] * 5
    return " AND ".join(where), params


def visit_from_row(r: dict[str, Any]) -> Visit:
    return Visit(
        id=r["id"], account_id=r["account_id"], guide_version_id=r["guide_version_id"],
        objective=r["objective"], visit_date=r["visit_date"], place=r["place"] or "",
        interviewers=loads(r["interviewers"]),
        lifecycle_stage=LifecycleStage(r["lifecycle_stage"]), status=VisitStatus(r["status"]),
        started_at=r["started_at"], ended_at=r["ended_at"],
        current_question=r["current_question"], skipped_questions=loads(r["skipped_questions"]),
        summary_skip_reason=r["summary_skip_reason"] or "",
        next_contact_date=r["next_contact_date"],
        created_at=r["created_at"], updated_at=r["updated_at"],
    )


def entry_from_row(r: dict[str, Any]) -> Entry:
    return Entry(
        id=r["id"], visit_id=r["visit_id"], kind=EntryKind(r["kind"]), text=r["text"],
        question_key=r["question_key"], parent_id=r["parent_id"], speaker_id=r["speaker_id"],
        speaker_ids=loads(r.get("speaker_ids")), attachment_sha=r["attachment_sha"],
        attachment_name=r["attachment_name"] or "",
        offset_seconds=r["offset_seconds"], tags=loads(r["tags"]),
        position=r["position"], created_at=r["created_at"], updated_at=r["updated_at"],
    )


def learning_from_row(r: dict[str, Any]) -> KeyLearning:
    return KeyLearning(
        id=r["id"], visit_id=r["visit_id"], text=r["text"],
        source_entry_id=r["source_entry_id"], status=SummaryStatus(r["status"]),
        correction=r["correction"] or "", position=r["position"],
    )


def action_from_row(r: dict[str, Any]) -> ActionItem:
    return ActionItem(
        id=r["id"], visit_id=r["visit_id"], text=r["text"], team=Team(r["team"]),
        status=ActionStatus(r["status"]), due_date=r["due_date"], position=r["position"],
        owner=r.get("owner") or "",
    )


def _column(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return dumps(v.value if hasattr(v, "value") else v for v in value)
    return value.value if hasattr(value, "value") else value


class VisitRepo:
    def __init__(self, records: Records) -> None:
        self.records = records

    # visits
    def add(self, v: Visit) -> None:
        self.records.insert("visits", {
            "id": v.id, "account_id": v.account_id, "guide_version_id": v.guide_version_id,
            "objective": v.objective, "visit_date": v.visit_date, "place": v.place,
            "interviewers": dumps(v.interviewers), "lifecycle_stage": v.lifecycle_stage.value,
            "status": v.status.value, "started_at": v.started_at, "ended_at": v.ended_at,
            "current_question": v.current_question,
            "skipped_questions": dumps(v.skipped_questions),
            "summary_skip_reason": v.summary_skip_reason,
            "next_contact_date": v.next_contact_date,
        })

    def update(self, visit_id: str, **changes: Any) -> bool:
        return self.records.update("visits", visit_id,
                                   {k: _column(v) for k, v in changes.items()})

    def get(self, visit_id: str) -> Visit | None:
        row = self.records.get("visits", visit_id)
        return visit_from_row(row) if row else None

    def list(self, *, account_id: str | None = None, status: VisitStatus | None = None,
             search: str = "") -> list[Visit]:
        where, params = _visit_filter(account_id, status, search)
        rows = self.records.select("visits", where, params,
                                   order_by="visit_date DESC, created_at DESC")
        return [visit_from_row(r) for r in rows]

    def lines(self, *, search: str = "") -> list[VisitLine]:
        """What a list of visits shows of each, newest first: only the columns it needs, with
        nothing decoded, so a list of thousands is read in milliseconds."""
        where, params = _visit_filter(None, None, search)
        rows = self.records.db.execute(
            "SELECT id, account_id, status, visit_date, objective FROM visits "
            f"WHERE deleted_at IS NULL AND ({where}) "
            "ORDER BY visit_date DESC, created_at DESC", params).fetchall()
        return [VisitLine(i, a, VisitStatus(s), d, o) for i, a, s, d, o in rows]

    def in_progress(self) -> Visit | None:
        rows = self.records.select("visits", "status IN ('in_progress', 'summarizing')",
                                   order_by="updated_at DESC")
        return visit_from_row(rows[0]) if rows else None

    # attendees
    def add_attendee(self, a: Attendee) -> None:
        self.records.insert("attendees", {
            "id": a.id, "visit_id": a.visit_id, "contact_id": a.contact_id,
            "roles": dumps(r.value for r in a.roles)})

    def attendees(self, visit_id: str) -> list[Attendee]:
        return [Attendee(r["id"], r["visit_id"], r["contact_id"],
                         parse_roles(json.loads(r["roles"] or "[]")))
                for r in self.records.select("attendees", "visit_id = ?", [visit_id])]

    # entries
    def add_entry(self, e: Entry) -> None:
        self.records.insert("entries", {
            "id": e.id, "visit_id": e.visit_id, "kind": e.kind.value, "text": e.text,
            "question_key": e.question_key, "parent_id": e.parent_id,
            "speaker_id": e.speaker_id, "speaker_ids": dumps(e.speaker_ids),
            "attachment_sha": e.attachment_sha,
            "attachment_name": e.attachment_name, "offset_seconds": e.offset_seconds,
            "tags": dumps(e.tags),
            "position": self.records.next_position("entries", e.visit_id),
        })

    def cancel(self, visit_id: str) -> bool:
        """A visit taken off the plan, as a tombstone bundles carry."""
        return self.records.delete("visits", visit_id, now_utc())

    def update_entry(self, entry_id: str, **changes: Any) -> bool:
        return self.records.update("entries", entry_id,
                                   {k: _column(v) for k, v in changes.items()})

    def delete_entry(self, entry_id: str) -> None:
        """Delete one entry and the learning drawn from it, as tombstones."""
        at = now_utc()  # one stamp, so a restore brings back exactly what went together
        self.records.delete("entries", entry_id, at)
        learning = self.learning_for_entry(entry_id)
        if learning:
            self.records.delete("key_learnings", learning.id, at)

    def restore_entry(self, entry_id: str) -> None:
        """Undo a delete: the entry and any learning deleted with it come back."""
        found = self.records.db.execute(
            "SELECT deleted_at FROM entries WHERE id = ?", [entry_id]).fetchone()
        if not found or found[0] is None:
            return
        self.records.restore("entries", entry_id)
        for (learning_id,) in self.records.db.execute(
                "SELECT id FROM key_learnings WHERE source_entry_id = ? AND deleted_at = ?",
                [entry_id, found[0]]).fetchall():
            self.records.restore("key_learnings", learning_id)

    def entry_visit_id(self, entry_id: str) -> str | None:
        """The visit an entry belongs to, whether the entry is deleted or not."""
        row = self.records.db.execute(
            "SELECT visit_id FROM entries WHERE id = ?", [entry_id]).fetchone()
        return row[0] if row else None

    def entry(self, entry_id: str) -> Entry | None:
        row = self.records.get("entries", entry_id)
        return entry_from_row(row) if row else None

    def entries(self, visit_id: str) -> list[Entry]:
        return [entry_from_row(r) for r in
                self.records.select("entries", "visit_id = ?", [visit_id], order_by="position")]

    def children(self, entry_id: str) -> list[Entry]:
        return [entry_from_row(r) for r in
                self.records.select("entries", "parent_id = ?", [entry_id], order_by="position")]

    # key learnings
    def add_learning(self, kl: KeyLearning) -> None:
        self.records.insert("key_learnings", {
            "id": kl.id, "visit_id": kl.visit_id, "text": kl.text,
            "source_entry_id": kl.source_entry_id, "status": kl.status.value,
            "correction": kl.correction,
            "position": self.records.next_position("key_learnings", kl.visit_id),
        })

    def update_learning(self, learning_id: str, **changes: Any) -> bool:
        return self.records.update("key_learnings", learning_id,
                                   {k: _column(v) for k, v in changes.items()})

    def delete_learning(self, learning_id: str) -> None:
        """Unmark or delete a learning on its own. It lets go of its note, so undoing a
        later delete of that note cannot bring it back (even within the same millisecond)."""
        self.records.update("key_learnings", learning_id,
                            {"deleted_at": now_utc(), "source_entry_id": None})

    def learnings(self, visit_id: str) -> list[KeyLearning]:
        return [learning_from_row(r) for r in self.records.select(
            "key_learnings", "visit_id = ?", [visit_id], order_by="position")]

    def learning(self, learning_id: str) -> KeyLearning | None:
        row = self.records.get("key_learnings", learning_id)
        return learning_from_row(row) if row else None

    def learning_for_entry(self, entry_id: str) -> KeyLearning | None:
        rows = self.records.select("key_learnings", "source_entry_id = ?", [entry_id])
        return learning_from_row(rows[0]) if rows else None

    # action items
    def add_action(self, a: ActionItem) -> None:
        self.records.insert("action_items", {
            "id": a.id, "visit_id": a.visit_id, "text": a.text, "team": a.team.value,
            "status": a.status.value, "due_date": a.due_date, "owner": a.owner,
            "position": self.records.next_position("action_items", a.visit_id),
        })

    def update_action(self, action_id: str, **changes: Any) -> bool:
        return self.records.update("action_items", action_id,
                                   {k: _column(v) for k, v in changes.items()})

    def delete_action(self, action_id: str) -> None:
        self.records.delete("action_items", action_id)

    def actions(self, visit_id: str) -> list[ActionItem]:
        return [action_from_row(r) for r in self.records.select(
            "action_items", "visit_id = ?", [visit_id], order_by="position")]

    def count(self) -> int:
        return int(self.records.db.execute(
            "SELECT COUNT(*) FROM visits WHERE deleted_at IS NULL").fetchone()[0])

    def resume_point(self, visit_id: str) -> ResumePoint | None:
        row = self.records.db.execute(
            "SELECT question_key, entry_id, cursor FROM resume_points WHERE visit_id = ?",
            [visit_id]).fetchone()
        return ResumePoint(visit_id, row[0], row[1], int(row[2] or 0)) if row else None

    def set_resume_point(self, point: ResumePoint) -> None:
        self.records.db.execute(
            "INSERT INTO resume_points (visit_id, question_key, entry_id, cursor, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(visit_id) DO UPDATE SET "
            "question_key = excluded.question_key, entry_id = excluded.entry_id, "
            "cursor = excluded.cursor, updated_at = excluded.updated_at",
            [point.visit_id, point.question_key, point.entry_id, point.cursor, now_utc()])
