"""Capturing the interview: answers, why-probes, quotes, observations, files, tags,
key learnings and where the interviewer is in the guide. Each call is one transaction."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import UTC, datetime
from pathlib import Path

from voc_desktop.domain.photos import stored_copy
from voc_desktop.domain.visit import (
    Entry,
    EntryKind,
    KeyLearning,
    ResumePoint,
    SummaryStatus,
    Visit,
    VisitStatus,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import get_visit
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import new_id

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


class AttachmentTooLarge(ServiceError):
    """A file over the size a visit can carry; nothing was attached."""


def _learning_text(note_text: str) -> str:
    return note_text.strip() or "(empty note)"


def _offset(visit: Visit) -> int | None:
    if not visit.started_at:
        return None
    started = datetime.fromisoformat(visit.started_at.replace("Z", "+00:00"))
    return max(0, int((datetime.now(UTC) - started).total_seconds()))


def _open_visit(ws: Workspace, visit_id: str) -> Visit:
    visit = get_visit(ws, visit_id)
    if visit.status is VisitStatus.COMPLETED:
        raise ServiceError("This visit is completed and can no longer be changed.")
    return visit


def _entry(ws: Workspace, entry_id: str) -> Entry:
    entry = ws.visits.entry(entry_id)
    if entry is None:
        raise ServiceError("That note no longer exists.")
    _open_visit(ws, entry.visit_id)
    return entry


def _add(ws: Workspace, visit: Visit, kind: EntryKind, text: str = "", **fields: object) -> Entry:
    entry = Entry(id=new_id(), visit_id=visit.id, kind=kind, text=text,
                  offset_seconds=_offset(visit), **fields)  # type: ignore[arg-type]
    with ws.write(["entries"], visit_id=visit.id, ids=[entry.id]):
        ws.visits.add_entry(entry)
    stored = ws.visits.entry(entry.id)
    assert stored is not None
    return stored


def record_answer(ws: Workspace, visit_id: str, question_key: str, text: str, *,
                  cursor: int | None = None) -> Entry:
    """The answer to a guide question: created on first words, then updated in place; with
    `cursor`, the interviewer's place (this answer, the cursor in it) is saved with it."""
    visit = _open_visit(ws, visit_id)
    stored = ws.guides.version(visit.guide_version_id)
    if stored is None or question_key not in {q.key for _, q in stored.guide.questions()}:
        raise ServiceError(f"'{question_key}' is not a question of this visit's guide.")
    existing = next((e for e in ws.visits.entries(visit_id)
                     if e.kind is EntryKind.ANSWER and e.question_key == question_key), None)
    if existing:
        return update_text(ws, existing.id, text, cursor=cursor)
    with ws.batch():
        entry = _add(ws, visit, EntryKind.ANSWER, text, question_key=question_key)
        if cursor is not None:
            _keep_place(ws, ResumePoint(visit_id, question_key, entry.id, cursor))
    return entry


def update_text(ws: Workspace, entry_id: str, text: str, *, cursor: int | None = None) -> Entry:
    """Autosave of an entry's text (coaching flags follow from the text itself); with
    `cursor`, the interviewer's place in this note is saved in the same transaction."""
    entry = _entry(ws, entry_id)
    with ws.batch():
        if cursor is not None and entry.question_key:
            _keep_place(ws, ResumePoint(entry.visit_id, entry.question_key, entry_id, cursor))
        _write_text(ws, entry, text)
    stored = ws.visits.entry(entry_id)
    assert stored is not None
    return stored


def _write_text(ws: Workspace, entry: Entry, text: str) -> None:
    entry_id = entry.id
    if entry.text != text:
        with ws.write(["entries"], visit_id=entry.visit_id, ids=[entry_id]):
            ws.visits.update_entry(entry_id, text=text)
            learning = ws.visits.learning_for_entry(entry_id)
            if (learning and learning.status is SummaryStatus.PENDING
                    and learning.text.strip() == _learning_text(entry.text)):
                # a learning that still mirrors its source follows the edit, until the
                # customer has given their verdict on the words read back to them
                ws.visits.update_learning(learning.id, text=_learning_text(text))


def add_why_probe(ws: Workspace, parent_id: str, text: str = "") -> Entry:
    """A "why?" follow-up nested under an answer, quote, observation or another probe."""
    parent = _entry(ws, parent_id)
    visit = get_visit(ws, parent.visit_id)
    return _add(ws, visit, EntryKind.PROBE, text, question_key=parent.question_key,
                parent_id=parent.id)


def add_quote(ws: Workspace, visit_id: str, text: str, *, speaker_id: str | None = None,
              question_key: str | None = None) -> Entry:
    visit = _open_visit(ws, visit_id)
    if speaker_id and speaker_id not in {a.contact_id for a in ws.visits.attendees(visit_id)}:
        raise ServiceError("The speaker of a quote must be one of the visit's attendees.")
    return _add(ws, visit, EntryKind.QUOTE, text, speaker_id=speaker_id,
                question_key=question_key)


def set_speaker(ws: Workspace, entry_id: str, speaker_id: str | None) -> Entry:
    entry = _entry(ws, entry_id)
    if speaker_id and speaker_id not in {a.contact_id
                                         for a in ws.visits.attendees(entry.visit_id)}:
        raise ServiceError("The speaker of a quote must be one of the visit's attendees.")
    with ws.write(["entries"], visit_id=entry.visit_id, ids=[entry_id]):
        ws.visits.update_entry(entry_id, speaker_id=speaker_id)
    return ws.visits.entry(entry_id) or entry


def add_observation(ws: Workspace, visit_id: str, text: str, *,
                    question_key: str | None = None) -> Entry:
    return _add(ws, _open_visit(ws, visit_id), EntryKind.OBSERVATION, text,
                question_key=question_key)


def attach_file(ws: Workspace, visit_id: str, path: Path, *, caption: str = "",
                question_key: str | None = None) -> Entry:
    """A photo or file from disk, copied into the workspace so the visit stays whole; a
    photo is cleaned of its metadata and scaled down first (domain.photos), the file's own
    name is not kept, and a file over 50 MB is refused (AttachmentTooLarge)."""
    visit = _open_visit(ws, visit_id)
    path = Path(path)
    try:
        if path.stat().st_size > MAX_ATTACHMENT_BYTES:
            raise AttachmentTooLarge(f"{path.name} is larger than 50 MB, so it was not "
                                     "attached. Attach a smaller copy.")
        data = path.read_bytes()
    except OSError as exc:
        raise ServiceError(f"Cannot read {path}: {exc.strerror}") from exc
    data, name = stored_copy(data, path.name)
    sha = hashlib.sha256(data).hexdigest()
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    entry = Entry(id=new_id(), visit_id=visit.id, kind=EntryKind.ATTACHMENT, text=caption,
                  attachment_sha=sha, attachment_name=name, offset_seconds=_offset(visit),
                  question_key=question_key)
    with ws.write(["entries", "attachments"], visit_id=visit.id, ids=[entry.id]):
        ws.attachments.put(sha, name, mime, data)
        ws.visits.add_entry(entry)
    return ws.visits.entry(entry.id) or entry


def normalise_tags(tags: list[str] | tuple[str, ...] | str) -> tuple[str, ...]:
    """Lower-case, trimmed, without '#', in first-seen order."""
    if isinstance(tags, str):
        tags = tags.replace(";", ",").split(",")
    seen: dict[str, None] = {}
    for t in tags:
        t = " ".join(t.strip().lstrip("#").lower().split())
        if t:
            seen.setdefault(t, None)
    return tuple(seen)


def set_tags(ws: Workspace, entry_id: str, tags: list[str] | tuple[str, ...] | str) -> Entry:
    entry = _entry(ws, entry_id)
    with ws.write(["entries"], visit_id=entry.visit_id, ids=[entry_id]):
        ws.visits.update_entry(entry_id, tags=normalise_tags(tags))
    return ws.visits.entry(entry_id) or entry


def delete_entry(ws: Workspace, entry_id: str) -> list[str]:
    """Delete a note and the why-probes under it; returns every id deleted (for undo)."""
    entry = _entry(ws, entry_id)
    doomed, frontier = [entry.id], [entry.id]
    while frontier:
        frontier = [c.id for f in frontier for c in ws.visits.children(f)]
        doomed += frontier
    with ws.write(["entries", "key_learnings"], visit_id=entry.visit_id, ids=doomed):
        for i in doomed:
            ws.visits.delete_entry(i)
    return doomed


def restore_entries(ws: Workspace, entry_ids: list[str]) -> None:
    """Undo of a delete: the notes and their learnings come back as they were."""
    if not entry_ids:
        return
    visit_id = ws.visits.entry_visit_id(entry_ids[0])
    if visit_id:
        _open_visit(ws, visit_id)
    with ws.write(["entries", "key_learnings"], visit_id=visit_id, ids=entry_ids):
        for i in entry_ids:
            ws.visits.restore_entry(i)


def toggle_key_learning(ws: Workspace, entry_id: str) -> KeyLearning | None:
    """Mark a note as a key learning, or unmark it; returns the learning when marked."""
    entry = _entry(ws, entry_id)
    existing = ws.visits.learning_for_entry(entry_id)
    with ws.write(["key_learnings"], visit_id=entry.visit_id, ids=[entry_id]):
        if existing:
            ws.visits.delete_learning(existing.id)
            return None
        learning = KeyLearning(new_id(), entry.visit_id, _learning_text(entry.text),
                               source_entry_id=entry_id)
        ws.visits.add_learning(learning)
    return ws.visits.learning(learning.id)


def add_key_learning(ws: Workspace, visit_id: str, text: str) -> KeyLearning:
    """A learning written directly in the interviewer's words."""
    _open_visit(ws, visit_id)
    text = text.strip()
    if not text:
        raise ServiceError("A key learning needs some text.")
    learning = KeyLearning(new_id(), visit_id, text)
    with ws.write(["key_learnings"], visit_id=visit_id, ids=[learning.id]):
        ws.visits.add_learning(learning)
    return ws.visits.learning(learning.id) or learning


def edit_key_learning(ws: Workspace, learning_id: str, text: str) -> KeyLearning:
    learning = ws.visits.learning(learning_id)
    if learning is None:
        raise ServiceError("That key learning no longer exists.")
    _open_visit(ws, learning.visit_id)
    text = text.strip()
    if not text:
        raise ServiceError("A key learning needs some text.")
    with ws.write(["key_learnings"], visit_id=learning.visit_id, ids=[learning_id]):
        ws.visits.update_learning(learning_id, text=text)
    return ws.visits.learning(learning_id) or learning


def delete_key_learning(ws: Workspace, learning_id: str) -> None:
    learning = ws.visits.learning(learning_id)
    if learning is None:
        return
    _open_visit(ws, learning.visit_id)
    with ws.write(["key_learnings"], visit_id=learning.visit_id, ids=[learning_id]):
        ws.visits.delete_learning(learning_id)


def set_position(ws: Workspace, visit_id: str, current: str | None,
                 skipped: tuple[str, ...] | None = None) -> None:
    """Remember where the interviewer is, so a restart resumes right there."""
    changes: dict[str, object] = {"current_question": current}
    if skipped is not None:
        changes["skipped_questions"] = tuple(sorted(skipped))
    with ws.write(["visits"], visit_id=visit_id, ids=[visit_id]):
        ws.visits.update(visit_id, **changes)
        if current is not None:
            _keep_place(ws, ResumePoint(visit_id, current))


def keep_place(ws: Workspace, point: ResumePoint) -> None:
    """Remember the question, the note and the cursor the interviewer is at, so a restart
    (after a quit or a crash) opens exactly there."""
    _open_visit(ws, point.visit_id)
    _keep_place(ws, point)


def _keep_place(ws: Workspace, point: ResumePoint) -> None:
    if ws.visits.resume_point(point.visit_id) == point:
        return  # nothing moved: no write, no fsync
    with ws.write(["resume_points"], visit_id=point.visit_id, ids=[point.visit_id]):
        ws.visits.set_resume_point(point)


def resume_point(ws: Workspace, visit_id: str) -> ResumePoint | None:
    """Where the interviewer was in the visit, if a place was kept."""
    return ws.visits.resume_point(visit_id)
