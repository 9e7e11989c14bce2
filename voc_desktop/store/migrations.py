"""Every schema change of the workspace, in order. Released migrations are never edited:
a change to the schema is a new function appended here."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "voc_workspace"

# Columns every synchronised record carries, so bundles can tell new, same and conflicting.
RECORD_COLUMNS: dict[str, type] = {
    "created_at": str,
    "updated_at": str,
    "device_id": str,
    "revision": int,
    "deleted_at": str,
}


def _create(db: Database, name: str, columns: dict[str, type], *, pk: str = "id",
            not_null: set[str] | frozenset[str] = frozenset(),
            defaults: dict[str, object] | None = None,
            foreign_keys: list[tuple[str, str, str]] | None = None) -> None:
    db[name].create(
        {**columns, **RECORD_COLUMNS},
        pk=pk,
        not_null={pk, "created_at", "updated_at", "device_id", "revision", *not_null},
        defaults={"revision": 1, **(defaults or {})},
        foreign_keys=foreign_keys or [],
    )


def m0001_initial(db: Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    _create(db, "accounts", {
        "id": str, "name": str, "vertical": str, "segment": str,
        "lifecycle_stage": str, "in_icp": int, "icp_note": str,
    }, not_null={"name", "lifecycle_stage"},
        defaults={"vertical": "", "segment": "", "in_icp": 1, "icp_note": ""})
    _create(db, "contacts", {
        "id": str, "account_id": str, "name": str, "title": str, "roles": str,
        "consent_given": int, "consent_quote_by_name": int, "consent_method": str,
        "consent_at": str, "consent_scope": str,
    }, not_null={"account_id", "name"},
        defaults={"title": "", "roles": "[]", "consent_given": 0, "consent_quote_by_name": 0,
                  "consent_method": "", "consent_scope": ""},
        foreign_keys=[("account_id", "accounts", "id")])
    _create(db, "guide_versions", {
        "id": str, "guide_id": str, "version": int, "name": str, "body": str,
    }, not_null={"guide_id", "version", "name", "body"})
    db["guide_versions"].create_index(["guide_id", "version"], unique=True)
    _create(db, "visits", {
        "id": str, "account_id": str, "guide_version_id": str, "objective": str,
        "visit_date": str, "place": str, "interviewers": str, "lifecycle_stage": str,
        "status": str, "started_at": str, "ended_at": str, "current_question": str,
        "skipped_questions": str, "summary_skip_reason": str, "next_contact_date": str,
    }, not_null={"account_id", "guide_version_id", "objective", "visit_date", "status"},
        defaults={"place": "", "interviewers": "[]", "skipped_questions": "[]",
                  "summary_skip_reason": ""},
        foreign_keys=[("account_id", "accounts", "id"),
                      ("guide_version_id", "guide_versions", "id")])
    _create(db, "attendees", {
        "id": str, "visit_id": str, "contact_id": str, "roles": str,
    }, not_null={"visit_id", "contact_id"}, defaults={"roles": "[]"},
        foreign_keys=[("visit_id", "visits", "id"), ("contact_id", "contacts", "id")])
    _create(db, "entries", {
        "id": str, "visit_id": str, "kind": str, "text": str, "question_key": str,
        "parent_id": str, "speaker_id": str, "attachment_sha": str, "attachment_name": str,
        "offset_seconds": int, "tags": str, "position": int,
    }, not_null={"visit_id", "kind", "text", "position"},
        defaults={"text": "", "attachment_name": "", "tags": "[]"},
        foreign_keys=[("visit_id", "visits", "id")])
    _create(db, "key_learnings", {
        "id": str, "visit_id": str, "text": str, "source_entry_id": str, "status": str,
        "correction": str, "position": int,
    }, not_null={"visit_id", "text", "status", "position"}, defaults={"correction": ""},
        foreign_keys=[("visit_id", "visits", "id")])
    _create(db, "action_items", {
        "id": str, "visit_id": str, "text": str, "team": str, "status": str,
        "due_date": str, "position": int,
    }, not_null={"visit_id", "text", "team", "status", "position"},
        foreign_keys=[("visit_id", "visits", "id")])
    db["attachments"].create({
        "sha256": str, "name": str, "mime": str, "size": int, "data": bytes,
        "created_at": str, "device_id": str,
    }, pk="sha256", not_null={"sha256", "name", "size", "data"})
    for table, cols in [
        ("contacts", ["account_id"]), ("visits", ["account_id"]), ("visits", ["status"]),
        ("attendees", ["visit_id"]), ("entries", ["visit_id", "position"]),
        ("entries", ["parent_id"]), ("key_learnings", ["visit_id"]),
        ("action_items", ["visit_id"]),
    ]:
        db[table].create_index(cols)


def m0002_sync(db: Database) -> None:
    # The tables as they were when bundles arrived; a later synced table adds its own columns.
    synced = ("accounts", "contacts", "guide_versions", "visits", "attendees", "entries",
              "key_learnings", "action_items")
    for table in synced:
        db[table].add_column("base_version", str)
        db[table].add_column("change_seq", int)
    # Rows written before this migration are numbered, table after table, so a workspace's
    # first bundle carries them; the numbers only have to grow, not to follow the clock.
    offset = 0
    for table in synced:
        db.execute(f'UPDATE "{table}" SET change_seq = rowid + ?', [offset])
        top = db.execute(f'SELECT MAX(change_seq) FROM "{table}"').fetchone()[0]
        offset = max(offset, top or 0)
        db[table].create_index(["change_seq"])
    db["erasures"].create({
        "contact_id": str, "account_id": str, "erased_at": str, "device_id": str,
        "change_seq": int,
    }, pk="contact_id", not_null={"contact_id", "erased_at", "device_id"})
    db["erasures"].create_index(["change_seq"])
    # Laptops that each seeded the shipped guide hold one version of it under different ids;
    # packs bring the other laptops' copies, which visits point at, so both must fit.
    for index in db["guide_versions"].indexes:
        if index.unique and index.columns == ["guide_id", "version"]:
            db.execute(f'DROP INDEX "{index.name}"')
            db["guide_versions"].create_index(["guide_id", "version"])


def m0003_resume_points(db: Database) -> None:
    # Where the interviewer was in each running visit. This laptop's own, like a cursor in
    # an editor: it never travels in a bundle, so it carries no record columns.
    db["resume_points"].create({
        "visit_id": str, "question_key": str, "entry_id": str, "cursor": int,
        "updated_at": str,
    }, pk="visit_id", not_null={"visit_id", "question_key", "updated_at"},
        defaults={"cursor": 0})


def m0004_clean_photos(db: Database) -> None:
    # Photos attached before they were cleaned at attach time: each is written afresh
    # without its metadata and stored under a neutral name, and the notes that show it
    # point at the clean copy, marked as changed so the next bundle carries it. The old
    # copy goes; secure_delete overwrites its bytes in the file.
    import hashlib
    import mimetypes

    from voc_desktop.domain.photos import stored_copy

    row = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    device = row[0] if row else None
    numbered = ("accounts", "contacts", "guide_versions", "visits", "attendees", "entries",
                "key_learnings", "action_items", "erasures")
    seq = max(db.execute(f'SELECT COALESCE(MAX(change_seq), 0) FROM "{t}"').fetchone()[0]
              for t in numbered if db[t].exists())
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    for sha, name, data in db.execute("SELECT sha256, name, data FROM attachments").fetchall():
        clean, clean_name = stored_copy(bytes(data), name)
        if clean == bytes(data) and clean_name == name:
            continue
        new_sha = hashlib.sha256(clean).hexdigest()
        mime = mimetypes.guess_type(clean_name)[0] or "application/octet-stream"
        db.execute("INSERT OR IGNORE INTO attachments(sha256, name, mime, size, data, "
                   "created_at, device_id) SELECT ?, ?, ?, ?, ?, created_at, device_id "
                   "FROM attachments WHERE sha256 = ?",
                   [new_sha, clean_name, mime, len(clean), clean, sha])
        for (entry_id,) in db.execute("SELECT id FROM entries WHERE attachment_sha = ?",
                                      [sha]).fetchall():
            seq += 1
            db.execute("UPDATE entries SET attachment_sha = ?, attachment_name = ?, "
                       "updated_at = ?, device_id = COALESCE(?, device_id), "
                       "revision = revision + 1, change_seq = ? WHERE id = ?",
                       [new_sha, clean_name, now, device, seq, entry_id])
        if new_sha != sha:
            db.execute("DELETE FROM attachments WHERE sha256 = ?", [sha])


def m0005_speakers(db: Database) -> None:
    # Who said each note: contact ids as a JSON list. Notes written before hold none and
    # read as said by the room; a quote's one speaker stays in speaker_id as before.
    db["entries"].add_column("speaker_ids", str, not_null_default="[]")


def m0006_action_owners(db: Database) -> None:
    # Who will do each action item, in free words beside its team. Items written before
    # name no one.
    db["action_items"].add_column("owner", str, not_null_default="")


# Every migration, in order. Append new ones; never edit or reorder a released one.
MIGRATIONS = (m0001_initial, m0002_sync, m0003_resume_points, m0004_clean_photos,
              m0005_speakers, m0006_action_owners)


def workspace_migrations() -> Migrations:
    """The migrations as a sqlite-utils migration set (imported only when one must run)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for migration in MIGRATIONS:
        migrations()(migration)
    return migrations


def pending(conn: sqlite3.Connection) -> list[str]:
    """Names of migrations not yet applied, read straight from sqlite-utils' own record
    of applied migrations, so an up-to-date workspace opens without loading the library."""
    try:
        rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                            [MIGRATION_SET]).fetchall()
    except sqlite3.OperationalError:  # a new file: no migration has run yet
        return [m.__name__ for m in MIGRATIONS]
    applied = {name for (name,) in rows}
    return [m.__name__ for m in MIGRATIONS if m.__name__ not in applied]
