"""The archive index's own schema: every change to it, in order, as the sqlite-utils
migration set "voc_archive". Released migrations are never edited; a change is a new
function appended to MIGRATIONS.

The index holds a copy of every synced table (the workspace's columns, the record columns and
`base_version`), the attachments, the accepted bundles, the conflicts waiting for a person,
and the erasures. It has no foreign keys: bundles may arrive in any order, so a visit may be
accepted before the account it belongs to.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "voc_archive"


@dataclass(frozen=True)
class Column:
    """One column of a synced table as bundles carry it."""
    name: str
    type: type  # str or int
    not_null: bool = False
    default: Any = None


def _cols(spec: str, types: dict[str, type] | None = None, not_null: str = "",
          defaults: dict[str, Any] | None = None) -> tuple[Column, ...]:
    types, defaults = types or {}, defaults or {}
    required = set(not_null.split())
    return tuple(Column(name, types.get(name, str), name in required, defaults.get(name))
                 for name in spec.split())


# The record columns every synced row carries (see store/records.py), then base_version.
_RECORD = (Column("created_at", str, True), Column("updated_at", str, True),
           Column("device_id", str, True), Column("revision", int, True, 1),
           Column("deleted_at", str), Column("base_version", str))

# The synced tables as the first index created them; later columns are added by migrations.
_FIRST_COLUMNS: dict[str, tuple[Column, ...]] = {
    "accounts": _cols("id name vertical segment lifecycle_stage in_icp icp_note",
                      {"in_icp": int}, "id name lifecycle_stage",
                      {"vertical": "", "segment": "", "in_icp": 1, "icp_note": ""}),
    "contacts": _cols("id account_id name title roles consent_given consent_quote_by_name "
                      "consent_method consent_at consent_scope",
                      {"consent_given": int, "consent_quote_by_name": int},
                      "id account_id name",
                      {"title": "", "roles": "[]", "consent_given": 0,
                       "consent_quote_by_name": 0, "consent_method": "",
                       "consent_scope": ""}),
    "guide_versions": _cols("id guide_id version name body", {"version": int},
                            "id guide_id version name body"),
    "visits": _cols("id account_id guide_version_id objective visit_date place interviewers "
                    "lifecycle_stage status started_at ended_at current_question "
                    "skipped_questions summary_skip_reason next_contact_date", {},
                    "id account_id guide_version_id objective visit_date status",
                    {"place": "", "interviewers": "[]", "skipped_questions": "[]",
                     "summary_skip_reason": ""}),
    "attendees": _cols("id visit_id contact_id roles", {}, "id visit_id contact_id",
                       {"roles": "[]"}),
    "entries": _cols("id visit_id kind text question_key parent_id speaker_id attachment_sha "
                     "attachment_name offset_seconds tags position",
                     {"offset_seconds": int, "position": int}, "id visit_id kind text position",
                     {"text": "", "attachment_name": "", "tags": "[]"}),
    "key_learnings": _cols("id visit_id text source_entry_id status correction position",
                           {"position": int}, "id visit_id text status position",
                           {"correction": ""}),
    "action_items": _cols("id visit_id text team status due_date position", {"position": int},
                          "id visit_id text team status position"),
}
_FIRST_COLUMNS = {table: (*cols, *_RECORD) for table, cols in _FIRST_COLUMNS.items()}

# Columns added since, by the migration named beside them.
_ADDED_COLUMNS: dict[str, tuple[Column, ...]] = {
    "entries": (Column("speaker_ids", str, False, "[]"),),  # m0004_speakers
    "action_items": (Column("owner", str, False, ""),),  # m0007_action_owners
}

# Every synced table's columns now: what bundles may carry and the index holds.
SYNCED_COLUMNS: dict[str, tuple[Column, ...]] = {
    table: (*cols, *_ADDED_COLUMNS.get(table, ())) for table, cols in _FIRST_COLUMNS.items()}

# Indexes the archive's own queries need (packs by account and visit, erasure by person).
_INDEXES = [("contacts", ["account_id"]), ("visits", ["account_id"]),
            ("attendees", ["visit_id"]), ("attendees", ["contact_id"]),
            ("key_learnings", ["visit_id"]), ("entries", ["visit_id"]),
            ("entries", ["speaker_id"])]


def m0001_initial(db: Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    for table, columns in _FIRST_COLUMNS.items():
        db[table].create({c.name: c.type for c in columns}, pk="id",
                         not_null={c.name for c in columns if c.not_null},
                         defaults={c.name: c.default for c in columns if c.default is not None})
    for table, cols in _INDEXES:
        db[table].create_index(cols)
    db["attachments"].create({
        "sha256": str, "name": str, "mime": str, "size": int, "data": bytes, "bundle_id": str,
    }, pk="sha256", not_null={"sha256", "name", "mime", "size", "data"})
    db["bundles"].create({
        "bundle_id": str, "device_id": str, "sequence": int, "previous_sequence": int,
        "file_sha256": str, "file_name": str, "import_order": int, "imported_at": str,
        "created_at": str, "app_version": str, "sealed": int, "counts": str,
        "signer_key": str, "signer_fingerprint": str, "new": int, "updated": int,
        "duplicates": int, "conflicts": int, "erased": int,
    }, pk="bundle_id", not_null={"bundle_id", "device_id", "sequence", "file_sha256",
                                 "file_name", "import_order", "imported_at", "counts",
                                 "signer_key", "signer_fingerprint"})
    db["bundles"].create_index(["file_sha256"], unique=True)
    db["bundles"].create_index(["import_order"])
    db["conflicts"].create({
        "id": int, "record_table": str, "record_id": str, "current_version": str,
        "incoming_version": str, "incoming_row": str, "bundle_id": str, "status": str,
        "kept": str, "kept_version": str, "resolved_at": str, "resolved_version": str,
    }, pk="id", not_null={"record_table", "record_id", "current_version", "incoming_version",
                          "bundle_id", "status"})
    db["conflicts"].create_index(["record_table", "record_id"])
    db["erasures"].create({
        "contact_id": str, "account_id": str, "erased_at": str, "device_id": str,
        "bundle_id": str,
    }, pk="contact_id", not_null={"contact_id", "erased_at", "bundle_id"})
    # Which resolution files of the folder this index has applied, so it can catch up.
    db["resolutions"].create({"file_name": str, "conflict_id": int}, pk="file_name")


# Multi-valued columns of findings ("roles", "tags", "interviewers") hold values between
# bars, "|user|influencer|", so one LIKE '%|user|%' asks for a value.
FINDING_COLUMNS = {
    "id": int, "item_id": str, "kind": str, "visit_id": str, "account_id": str,
    "account": str, "vertical": str, "segment": str, "stage": str, "in_icp": int,
    "visit_date": str, "interviewers": str, "roles": str, "speaker": str, "bucket": str,
    "question_key": str, "question": str, "tags": str, "status": str, "team": str,
    "due_date": str, "position": int, "text": str, "detail": str,
    "said_by": str,  # m0004_speakers: the roles of who said it, '' for the room
    "owner": str,  # m0007_action_owners: who will do an action, '' when no one is named
}
_FIRST_FINDING_COLUMNS = {c: t for c, t in FINDING_COLUMNS.items()
                          if c not in {"said_by", "owner"}}


def m0002_findings(db: Database) -> None:
    """What the archive workspace searches and counts, derived from the synced tables.

    `findings` holds every answer, probe, quote, observation, learning and action with what
    it is filtered by, and `findings_fts` indexes its text (sqlite-utils FTS5 conventions,
    kept in step by triggers). `visit_themes` has one row per visit and theme, and
    `visit_theme_roles` the roles that raised it, so pattern counts never scan the findings.
    Visits whose rows changed wait in `stale_visits` until their findings are derived again.
    """
    db["findings"].create(_FIRST_FINDING_COLUMNS, pk="id", not_null={"item_id", "kind", "visit_id"},
                          defaults={c: "" for c, t in _FIRST_FINDING_COLUMNS.items()
                                    if t is str and c not in {"item_id", "kind", "visit_id"}})
    db["findings"].create_index(["item_id"], unique=True)
    db["findings"].create_index(["visit_id"])
    db["findings"].create_index(["visit_date"])
    db["findings"].create_index(["account_id", "visit_date"])
    db["findings"].create_index(["question_key", "kind", "visit_id"])
    db["findings"].create_index(["kind", "team", "status"])
    db["findings"].enable_fts(["text", "detail"], fts_version="FTS5", create_triggers=True,
                              tokenize="unicode61 remove_diacritics 2")
    db["finding_tags"].create({"tag": str, "item_id": str}, pk=("tag", "item_id"))
    db["finding_tags"].create_index(["item_id"])
    db["visit_themes"].create({
        "tag": str, "visit_id": str, "account_id": str, "vertical": str, "segment": str,
        "stage": str, "in_icp": int, "visit_date": str, "interviewers": str, "mentions": int,
    }, pk=("tag", "visit_id"), not_null={"tag", "visit_id"})
    db["visit_themes"].create_index(["visit_id"])
    # Covering: pattern counts read a theme's visits in tag order without the table's rows.
    db["visit_themes"].create_index(["tag", "in_icp", "account_id", "vertical", "segment",
                                     "stage", "visit_date", "visit_id"])
    # one row per visit, theme and role, with the visit's columns, so counts per role
    # never join back to visit_themes
    db["visit_theme_roles"].create({
        "tag": str, "role": str, "visit_id": str, "account_id": str, "vertical": str,
        "segment": str, "stage": str, "in_icp": int, "visit_date": str, "interviewers": str,
    }, pk=("tag", "role", "visit_id"), not_null={"tag", "role", "visit_id"})
    db["visit_theme_roles"].create_index(["visit_id"])
    db["visit_theme_roles"].create_index(["tag", "in_icp", "role", "account_id", "vertical",
                                          "segment", "stage", "visit_date", "visit_id"])
    db["guide_questions"].create({
        "guide_version_id": str, "question_key": str, "guide_id": str, "guide": str,
        "section": str, "bucket": str, "text": str, "position": int,
    }, pk=("guide_version_id", "question_key"))
    db["stale_visits"].create({"visit_id": str}, pk="visit_id")
    # every visit already in the index waits for its findings
    db.execute("INSERT INTO stale_visits (visit_id) SELECT id FROM visits")


def m0003_shared_folder(db: Database) -> None:
    """What replaying the folder in its canonical order needs: the accepted files the
    replay refused (and why), and what became of each lead's choice."""
    db["refused_files"].create({"file_name": str, "event_key": str, "reason": str},
                               pk="file_name", not_null={"event_key", "reason"})
    # applied | overruled (a choice placed earlier settled it otherwise) | agrees | moot
    # (the conflict was closed another way) | waiting (its conflict is not here yet) |
    # unusable (a damaged or unknown file)
    db["resolutions"].add_column("outcome", str)
    db["resolutions"].add_column("detail", str)
    db["resolutions"].add_column("event_key", str)
    db.execute("UPDATE resolutions SET outcome = 'applied'")


def m0004_speakers(db: Database) -> None:
    """Who said each note. Entries keep the speakers bundles carry; findings keep the roles
    of who said them ('' when no one was named: the room), and `visit_theme_speakers` one
    row per visit, theme and role that said it (or 'room'), so patterns can count what a
    role said apart from what was said while that role was present. Every visit's findings
    are derived again."""
    db["entries"].add_column("speaker_ids", str, not_null_default="[]")
    db["findings"].add_column("said_by", str, not_null_default="")
    db["visit_theme_speakers"].create({
        "tag": str, "role": str, "visit_id": str, "account_id": str, "vertical": str,
        "segment": str, "stage": str, "in_icp": int, "visit_date": str, "interviewers": str,
    }, pk=("tag", "role", "visit_id"), not_null={"tag", "role", "visit_id"})
    db["visit_theme_speakers"].create_index(["visit_id"])
    db["visit_theme_speakers"].create_index(["tag", "in_icp", "role", "account_id",
                                             "vertical", "segment", "stage", "visit_date",
                                             "visit_id"])
    db.execute("INSERT OR IGNORE INTO stale_visits (visit_id) SELECT id FROM visits")


def m0005_account_merges(db: Database) -> None:
    """Accounts a lead merged into another (from the folder's merge files): derived, so
    findings, counts and lists see one account where two laptops made two."""
    db["account_merges"].create({"account_id": str, "into_id": str}, pk="account_id",
                                not_null={"into_id"})
    db["account_merges"].create_index(["into_id"])


def m0006_confirmed_themes(db: Database) -> None:
    """Whether a customer confirmed a theme at the visit: `visit_themes.confirmed` is 1 when
    a key learning drawn from a note of the theme was confirmed at the read-back (as read
    back, or corrected in the customer's words). The covering index of pattern counts takes
    it along, so counting confirmed accounts beside raw ones reads no table rows. Every
    visit's findings are derived again."""
    db["visit_themes"].add_column("confirmed", int, not_null_default=0)
    db.execute("DROP INDEX IF EXISTS "
               "idx_visit_themes_tag_in_icp_account_id_vertical_segment_stage_visit_date_visit_id")
    db["visit_themes"].create_index(["tag", "in_icp", "account_id", "vertical", "segment",
                                     "stage", "visit_date", "visit_id", "confirmed"])
    db.execute("INSERT OR IGNORE INTO stale_visits (visit_id) SELECT id FROM visits")


def m0007_action_owners(db: Database) -> None:
    """Who will do each action item. Action items keep the owner bundles carry ('' from
    bundles made before owners were kept), and so do the findings of actions, so routing
    lists and digests name the person beside the team. Every visit's findings are derived
    again."""
    db["action_items"].add_column("owner", str, not_null_default="")
    db["findings"].add_column("owner", str, not_null_default="")
    db.execute("INSERT OR IGNORE INTO stale_visits (visit_id) SELECT id FROM visits")


MIGRATIONS = (m0001_initial, m0002_findings, m0003_shared_folder, m0004_speakers,
              m0005_account_merges, m0006_confirmed_themes, m0007_action_owners)


def archive_migrations() -> Migrations:
    """The migrations as a sqlite-utils migration set."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for migration in MIGRATIONS:
        migrations()(migration)
    return migrations


def pending(conn: sqlite3.Connection) -> list[str]:
    """Names of migrations not yet applied to the index behind `conn`."""
    try:
        rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                            [MIGRATION_SET]).fetchall()
    except sqlite3.OperationalError:
        return [m.__name__ for m in MIGRATIONS]
    applied = {name for (name,) in rows}
    return [m.__name__ for m in MIGRATIONS if m.__name__ not in applied]
