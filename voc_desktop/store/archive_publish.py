"""The published copy of an archive index: derived, masked tables only, for read-only
browsing (e.g. with Datasette), written to a new file that replaces the old one whole.

What it reads from the live index is already masked by the naming rule (the findings and
their themes); the synced tables, raw note text, contact names and attachments stay behind.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voc_desktop.safe_files import fsync_folder
from voc_desktop.store.archive_index import ArchiveIndex

MARK_TABLE = "publication"  # a published copy says so, so only a copy is ever replaced

# Photos keep their caption (masked) and never their file name.
_FINDINGS_SQL = """
SELECT f.item_id, f.kind, f.visit_id, f.account, f.vertical, f.segment, f.stage, f.in_icp,
       f.visit_date, f.interviewers, f.roles, f.speaker, f.bucket, f.question_key,
       f.question, f.tags, f.status, f.team, f.owner, f.due_date, f.position,
       CASE WHEN f.kind = 'attachment' AND trim(coalesce(e.text, '')) = '' THEN ''
            ELSE f.text END AS text,
       f.detail
FROM findings f LEFT JOIN entries e ON e.id = f.item_id
ORDER BY f.visit_date, f.visit_id, f.position, f.item_id
"""
_VISITS_SQL = """
SELECT visit_id, account, vertical, segment, stage, in_icp, visit_date, interviewers,
       count(*) AS findings
FROM findings GROUP BY visit_id ORDER BY visit_date, visit_id
"""
_PARTICIPANTS_SQL = """
SELECT a.visit_id, a.roles AS attendee_roles, c.roles AS contact_roles
FROM attendees a JOIN contacts c ON c.id = a.contact_id
WHERE a.deleted_at IS NULL AND c.deleted_at IS NULL
  AND c.id NOT IN (SELECT contact_id FROM erasures)
  AND a.visit_id IN (SELECT DISTINCT visit_id FROM findings)
ORDER BY a.visit_id, a.id
"""
_PHOTOS_SQL = """
SELECT f.item_id, f.visit_id, e.attachment_sha AS sha256,
       CASE WHEN trim(coalesce(e.text, '')) = '' THEN '' ELSE f.text END AS caption
FROM findings f JOIN entries e ON e.id = f.item_id
WHERE f.kind = 'attachment' AND e.attachment_sha IS NOT NULL
ORDER BY f.visit_date, f.visit_id, f.position
"""

FINDINGS_COLUMNS = {
    "id": int, "item_id": str, "kind": str, "visit_id": str, "account": str, "vertical": str,
    "segment": str, "stage": str, "in_icp": int, "visit_date": str, "interviewers": str,
    "roles": str, "speaker": str, "bucket": str, "question_key": str, "question": str,
    "tags": str, "status": str, "team": str, "owner": str, "due_date": str, "position": int,
    "text": str, "detail": str,
}
TABLES: dict[str, dict[str, type]] = {
    "visits": {"visit_id": str, "account": str, "vertical": str, "segment": str,
               "stage": str, "in_icp": int, "visit_date": str, "interviewers": str,
               "findings": int},
    "participants": {"id": int, "visit_id": str, "roles": str},
    "finding_tags": {"tag": str, "item_id": str},
    "visit_themes": {"tag": str, "visit_id": str, "account_id": str, "vertical": str,
                     "segment": str, "stage": str, "in_icp": int, "visit_date": str,
                     "mentions": int},
    "guide_questions": {"guide_version_id": str, "question_key": str, "guide": str,
                        "section": str, "bucket": str, "text": str, "position": int},
    "photos": {"item_id": str, "visit_id": str, "caption": str, "mime": str, "width": int,
               "height": int, "image": bytes},
}
_PKS = {"visits": "visit_id", "participants": "id", "finding_tags": ("tag", "item_id"),
        "visit_themes": ("tag", "visit_id"), "guide_questions": ("guide_version_id",
                                                                  "question_key"),
        "photos": "item_id"}


@dataclass
class PublishedRows:
    """Everything a published copy holds, table by table, as dicts of its columns."""
    findings: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {"findings": len(self.findings),
                **{name: len(self.tables.get(name, [])) for name in TABLES}}


class PublishStore:
    """Reads what may be published from one open archive index."""

    def __init__(self, index: ArchiveIndex) -> None:
        self.conn = index.conn

    def _dicts(self, sql: str) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def findings(self) -> list[dict[str, Any]]:
        return self._dicts(_FINDINGS_SQL)

    def visits(self) -> list[dict[str, Any]]:
        return self._dicts(_VISITS_SQL)

    def participants(self) -> list[dict[str, Any]]:
        """Who was at each visit, by their roles as JSON lists (never their names)."""
        return self._dicts(_PARTICIPANTS_SQL)

    def finding_tags(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT tag, item_id FROM finding_tags ORDER BY tag, item_id")

    def visit_themes(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT tag, visit_id, account_id, vertical, segment, stage, "
                           "in_icp, visit_date, mentions FROM visit_themes "
                           "ORDER BY tag, visit_id")

    def guide_questions(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT guide_version_id, question_key, guide, section, bucket, "
                           "text, position FROM guide_questions "
                           "ORDER BY guide_version_id, position")

    def photos(self) -> list[dict[str, Any]]:
        """Photo findings with their masked caption and the hash of their picture."""
        return self._dicts(_PHOTOS_SQL)

    def picture(self, sha256: str) -> bytes | None:
        row = self.conn.execute("SELECT data FROM attachments WHERE sha256 = ?",
                                [sha256]).fetchone()
        return row[0] if row else None


def is_published_copy(path: Path) -> bool:
    """Whether `path` is a file this module wrote (so it may be replaced)."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                            [MARK_TABLE]).fetchone() is not None
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def write_published(path: Path, rows: PublishedRows) -> None:
    """Write the published copy to a temporary file beside `path`, then put it in place in
    one step: a reader sees the old copy or the whole new one, never a part."""
    from sqlite_utils import Database

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            db = Database(conn, execute_plugins=False)
            _fill(db, rows)
            conn.execute("VACUUM")  # no free pages holding anything but what is listed
        finally:
            conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
    fsync_folder(path.parent)


def _fill(db: Any, rows: PublishedRows) -> None:
    with db.conn:
        db[MARK_TABLE].create({"key": str, "value": str}, pk="key")
        db[MARK_TABLE].insert_all([{"key": k, "value": v} for k, v in rows.meta.items()])
        db["findings"].create(FINDINGS_COLUMNS, pk="id", not_null={"item_id", "kind"})
        db["findings"].insert_all(({"id": n, **r} for n, r in enumerate(rows.findings, 1)),
                                  columns=FINDINGS_COLUMNS)
        for name, columns in TABLES.items():
            db[name].create(columns, pk=_PKS[name])
            db[name].insert_all(_rows(rows.tables.get(name, []), columns))
    db["findings"].enable_fts(["text", "detail"], fts_version="FTS5",
                              tokenize="unicode61 remove_diacritics 2")
    db["findings"].create_index(["visit_id"])
    db["findings_fts"].optimize()


def _rows(rows: Iterable[dict[str, Any]], columns: dict[str, type]) -> Iterable[dict]:
    for row in rows:
        yield {name: row.get(name) for name in columns}
