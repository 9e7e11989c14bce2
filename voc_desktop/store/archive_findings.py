"""The archive's findings tables: deriving them from the synced tables, and asking them.

`findings` (with `findings_fts`), `finding_tags`, `visit_themes` and `visit_theme_roles` are
derived, never synced: visits whose synced rows changed wait in `stale_visits`, and
`replace_findings` swaps a batch of visits' derived rows in one transaction. Every query
takes a FindingFilter and turns it into one WHERE clause, so the search list, the evidence
behind a pattern cell, the routing list and the exports all agree on what a filter means.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from voc_desktop.domain.findings import (
    HIT_END,
    HIT_START,
    ROOM_ROLE,
    Finding,
    FindingFilter,
    FindingOrder,
    PatternGroup,
    fts_query,
    split_snippet,
)
from voc_desktop.store.archive_index import ArchiveIndex, ArchiveIndexError
from voc_desktop.store.archive_migrations import FINDING_COLUMNS

_COLUMNS = tuple(c for c in FINDING_COLUMNS if c != "id")
_KIND_ORDER = ("CASE f.kind WHEN 'quote' THEN 0 WHEN 'answer' THEN 1 WHEN 'probe' THEN 2 "
               "WHEN 'observation' THEN 3 WHEN 'learning' THEN 4 WHEN 'action' THEN 5 "
               "ELSE 6 END")
_ORDERS = {
    FindingOrder.NEWEST: "f.visit_date DESC, f.visit_id, f.position",
    FindingOrder.OLDEST: "f.visit_date, f.visit_id, f.position",
    FindingOrder.ACCOUNT: "f.account COLLATE NOCASE, f.visit_date DESC, f.position",
    FindingOrder.KIND: f"{_KIND_ORDER}, f.visit_date DESC, f.position",
    FindingOrder.TEAM: "f.team, f.status DESC, f.visit_date DESC, f.position",
    FindingOrder.DUE: "f.due_date = '', f.due_date, f.visit_date, f.position",
}
_GROUP_COLUMN = {PatternGroup.VERTICAL: "vertical", PatternGroup.SEGMENT: "segment",
                 PatternGroup.STAGE: "stage"}


def bars(values: Iterable[str]) -> str:
    """Several values in one column: '|a|b|', so LIKE '%|a|%' finds one of them."""
    values = [v for v in values if v]
    return "|" + "|".join(values) + "|" if values else ""


def unbar(text: str | None) -> tuple[str, ...]:
    return tuple(v for v in (text or "").split("|") if v)


@dataclass
class DerivedRows:
    """A batch of visits' findings, tags and themes, ready to replace what they had."""
    visit_ids: list[str]
    findings: list[dict[str, Any]] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (tag, item id)
    themes: list[tuple[Any, ...]] = field(default_factory=list)  # visit_themes columns
    theme_roles: list[tuple[Any, ...]] = field(default_factory=list)  # visit_theme_roles
    # visit_theme_speakers: the roles of who said it, ROOM_ROLE when no one was named
    theme_speakers: list[tuple[Any, ...]] = field(default_factory=list)


_THEME_COLUMNS = ("tag", "visit_id", "account_id", "vertical", "segment", "stage", "in_icp",
                  "visit_date", "interviewers", "mentions", "confirmed")
_ROLE_COLUMNS = ("tag", "role", "visit_id", "account_id", "vertical", "segment", "stage",
                 "in_icp", "visit_date", "interviewers")


class FindingStore:
    """The findings tables of one open archive index."""

    def __init__(self, index: ArchiveIndex) -> None:
        self.index = index
        self.conn: sqlite3.Connection = index.conn

    # --- deriving -------------------------------------------------------------------------

    def stale_visits(self, limit: int) -> list[str]:
        return [v for (v,) in self.conn.execute(
            "SELECT visit_id FROM stale_visits ORDER BY visit_id LIMIT ?", [limit])]

    def stale_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM stale_visits").fetchone()[0])

    def unparsed_guides(self) -> list[dict[str, Any]]:
        """Guide versions whose questions are not yet listed in guide_questions."""
        return self.index._dicts(
            "SELECT id, guide_id, name, body FROM guide_versions WHERE id NOT IN "
            "(SELECT DISTINCT guide_version_id FROM guide_questions)")

    def add_guide_questions(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """(guide_version_id, question_key, guide_id, guide, section, bucket, text, position)"""
        self._write(lambda c: c.executemany(
            "INSERT OR REPLACE INTO guide_questions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows))

    def guide_questions(self, version_ids: Iterable[str]) -> dict[tuple[str, str], dict]:
        rows = self.index._dicts(
            "SELECT * FROM guide_questions WHERE guide_version_id IN "
            "(SELECT value FROM json_each(?))", [json.dumps(sorted(set(version_ids)))])
        return {(r["guide_version_id"], r["question_key"]): r for r in rows}

    def sources(self, visit_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The synced rows a batch of visits' findings are derived from."""
        visits = self.index.rows_where("visits", "id", visit_ids)
        account_ids = sorted({v["account_id"] for v in visits})
        return {
            "visits": visits,
            "accounts": self.index.rows_where("accounts", "id", account_ids),
            "contacts": self.index.rows_where("contacts", "account_id", account_ids),
            "attendees": self.index.rows_where("attendees", "visit_id", visit_ids),
            "entries": self.index.rows_where("entries", "visit_id", visit_ids),
            "key_learnings": self.index.rows_where("key_learnings", "visit_id", visit_ids),
            "action_items": self.index.rows_where("action_items", "visit_id", visit_ids),
        }

    def replace_findings(self, rows: DerivedRows) -> None:
        """Swap the batch's derived rows and take its visits off the stale list, at once."""
        ids = json.dumps(rows.visit_ids)
        within = "visit_id IN (SELECT value FROM json_each(?))"

        def write(c: sqlite3.Connection) -> None:
            c.execute("DELETE FROM finding_tags WHERE item_id IN "
                      f"(SELECT item_id FROM findings WHERE {within})", [ids])
            for table in ("findings", "visit_themes", "visit_theme_roles",
                          "visit_theme_speakers", "stale_visits"):
                c.execute(f"DELETE FROM {table} WHERE {within}", [ids])
            if rows.findings:
                names = ", ".join(_COLUMNS)
                c.executemany(f"INSERT INTO findings ({names}) VALUES "
                              f"({', '.join('?' * len(_COLUMNS))})",
                              [[f[n] for n in _COLUMNS] for f in rows.findings])
            c.executemany("INSERT OR IGNORE INTO finding_tags (tag, item_id) VALUES (?, ?)",
                          rows.tags)
            c.executemany(f"INSERT INTO visit_themes ({', '.join(_THEME_COLUMNS)}) VALUES "
                          f"({', '.join('?' * len(_THEME_COLUMNS))})", rows.themes)
            c.executemany(f"INSERT OR IGNORE INTO visit_theme_roles ("
                          f"{', '.join(_ROLE_COLUMNS)}) VALUES "
                          f"({', '.join('?' * len(_ROLE_COLUMNS))})", rows.theme_roles)
            c.executemany(f"INSERT OR IGNORE INTO visit_theme_speakers ("
                          f"{', '.join(_ROLE_COLUMNS)}) VALUES "
                          f"({', '.join('?' * len(_ROLE_COLUMNS))})", rows.theme_speakers)

        self._write(write)

    def _write(self, work: Any) -> None:
        try:
            with self.index._transaction() as conn:
                work(conn)
        except sqlite3.Error as exc:
            raise ArchiveIndexError(f"Could not update the search index in "
                                    f"{self.index.path} ({exc}); nothing was changed.") from exc

    # --- finding --------------------------------------------------------------------------

    def count(self, flt: FindingFilter) -> int:
        sql, params = _where(flt)
        if sql is None:
            return 0
        match = fts_query(flt.query)
        if match and not params and sql == "WHERE 1":
            # words alone: the full-text index counts them without reading any finding
            return int(self.conn.execute(
                "SELECT COUNT(*) FROM findings_fts WHERE findings_fts MATCH ?",
                [match]).fetchone()[0])
        if match:
            return int(self.conn.execute(
                f"SELECT COUNT(*) FROM findings_fts JOIN findings f ON f.id = "
                f"findings_fts.rowid {sql} AND findings_fts MATCH ?",
                [*params, match]).fetchone()[0])
        return int(self.conn.execute(f"SELECT COUNT(*) FROM findings f {sql}",
                                     params).fetchone()[0])

    def find(self, flt: FindingFilter, order: FindingOrder = FindingOrder.RELEVANCE,
             offset: int = 0, limit: int = 100) -> list[Finding]:
        """One page of findings, sorted and cut in SQL."""
        where, params = _where(flt)
        if where is None:
            return []
        match = fts_query(flt.query)
        snippet = f"snippet(findings_fts, -1, '{HIT_START}', '{HIT_END}', '…', 24)"
        if match and order is FindingOrder.RELEVANCE and where == "WHERE 1" and not params:
            # words alone: the full-text index ranks and cuts the page by itself, and only
            # the findings on it are read
            rows = self.index._dicts(
                f"SELECT f.*, hit.snippet FROM (SELECT rowid AS id, rank, {snippet} AS snippet "
                "FROM findings_fts WHERE findings_fts MATCH ? ORDER BY rank LIMIT ?) AS hit "
                "JOIN findings f ON f.id = hit.id ORDER BY hit.rank, f.visit_date DESC",
                [match, offset + limit])
            return [_finding(r) for r in rows[offset:]]
        if match:
            sql = (f"SELECT f.*, {snippet} AS snippet FROM findings_fts "
                   f"JOIN findings f ON f.id = findings_fts.rowid {where} AND "
                   "findings_fts MATCH ?")
            params = [*params, match]
            by = ("findings_fts.rank, f.visit_date DESC" if order is FindingOrder.RELEVANCE
                  else _ORDERS[order])
        else:
            sql = f"SELECT f.*, '' AS snippet FROM findings f {where}"
            by = _ORDERS.get(order, _ORDERS[FindingOrder.NEWEST])
        rows = self.index._dicts(f"{sql} ORDER BY {by} LIMIT ? OFFSET ?",
                                 [*params, limit, offset])
        return [_finding(r) for r in rows]

    def of_visits(self, visit_ids: Sequence[str], question_key: str = "",
                  kinds: Sequence[str] = ()) -> dict[str, list[Finding]]:
        """Every finding of these visits (of one question and kinds, if given) in the order
        captured, by visit, in one query."""
        params: list[Any] = []
        parts = [_any_of("f.visit_id", visit_ids, params)]
        if question_key:
            parts.append("f.question_key = ?")
            params.append(question_key)
        if kinds:
            parts.append(_any_of("f.kind", kinds, params))
        found: dict[str, list[Finding]] = {v: [] for v in visit_ids}
        for r in self.index._dicts(f"SELECT f.*, '' AS snippet FROM findings f WHERE "
                                   f"{' AND '.join(parts)} ORDER BY f.visit_id, f.position",
                                   params):
            found[r["visit_id"]].append(_finding(r))
        return found

    def visit_ids(self, flt: FindingFilter) -> list[str]:
        """The visits with findings matching the filter, oldest first."""
        where, params = _where(flt)
        if where is None:
            return []
        match = fts_query(flt.query)
        if match:
            where += " AND f.id IN (SELECT rowid FROM findings_fts WHERE findings_fts MATCH ?)"
            params = [*params, match]
        return [v for (v,) in self.conn.execute(
            f"SELECT visit_id FROM findings f {where} GROUP BY visit_id "
            "ORDER BY MIN(visit_date), visit_id", params)]

    # --- merged accounts -------------------------------------------------------------------

    def account_merges(self) -> dict[str, str]:
        """account id -> the account it was merged into."""
        return dict(self.conn.execute("SELECT account_id, into_id FROM account_merges"))

    def replace_account_merges(self, merges: dict[str, str]) -> int:
        """Hold these merges instead; the visits of every account whose place changed wait
        to be derived again. Returns how many accounts changed."""
        before = self.account_merges()
        changed = {a for a in set(before) | set(merges) if before.get(a) != merges.get(a)}
        if not changed:
            return 0
        ids = json.dumps(sorted(changed))

        def write(c: sqlite3.Connection) -> None:
            c.execute("DELETE FROM account_merges")
            c.executemany("INSERT INTO account_merges (account_id, into_id) VALUES (?, ?)",
                          sorted(merges.items()))
            c.execute("INSERT OR IGNORE INTO stale_visits (visit_id) SELECT id FROM visits "
                      "WHERE account_id IN (SELECT value FROM json_each(?))", [ids])

        self._write(write)
        return len(changed)

    def account_rows(self, account_ids: Sequence[str]) -> list[dict[str, Any]]:
        return self.index.rows_where("accounts", "id", list(account_ids))

    def duplicate_candidates(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(accounts not merged into another, with their visits; their contacts' names)."""
        accounts = self.index._dicts(
            "SELECT a.id, a.name, (SELECT COUNT(*) FROM visits v WHERE v.account_id = a.id "
            "AND v.deleted_at IS NULL) AS visits FROM accounts a WHERE a.deleted_at IS NULL "
            "AND a.id NOT IN (SELECT account_id FROM account_merges)")
        contacts = self.index._dicts(
            "SELECT account_id, name FROM contacts WHERE deleted_at IS NULL AND name != ''")
        return accounts, contacts

    def visit_tags(self, visit_ids: Sequence[str]) -> dict[str, list[str]]:
        """The themes each of these visits raised."""
        params: list[Any] = []
        found: dict[str, list[str]] = {v: [] for v in visit_ids}
        for visit_id, tag in self.conn.execute(
                "SELECT t.visit_id, t.tag FROM visit_themes t WHERE "
                + _any_of("t.visit_id", visit_ids, params) + " ORDER BY t.tag", params):
            found[visit_id].append(tag)
        return found

    def theme_accounts(self, flt: FindingFilter, tags: Sequence[str]) -> dict[str, int]:
        """Per theme, the accounts in scope that raised it."""
        where, params = _theme_where(replace(flt, tags=tuple(tags)))
        return dict(self.conn.execute(
            f"SELECT t.tag, COUNT(DISTINCT t.account_id) FROM visit_themes t {where} "
            "GROUP BY t.tag", params).fetchall())

    def theme_confirmed(self, flt: FindingFilter, tags: Sequence[str]) -> dict[str, int]:
        """Per theme, the accounts in scope where a customer confirmed a key learning of it
        at the read-back (as read back, or corrected in their words), at a visit that raised
        the theme as the filter asks; so never more than the accounts that raised it."""
        where, params = _theme_where(replace(flt, tags=tuple(tags)))
        return dict(self.conn.execute(
            f"SELECT t.tag, COUNT(DISTINCT t.account_id) FROM visit_themes t {where} AND "
            "t.confirmed = 1 GROUP BY t.tag", params).fetchall())

    def account_values(self, column: str) -> list[tuple[str, int]]:
        """The distinct verticals or segments of the accounts, with how many accounts."""
        if column not in {"vertical", "segment"}:
            raise ValueError(column)
        return [(v, n) for v, n in self.conn.execute(
            f"SELECT {column}, COUNT(*) FROM accounts WHERE deleted_at IS NULL AND "
            f"{column} != '' GROUP BY {column} ORDER BY {column} COLLATE NOCASE")]

    def accounts(self) -> list[tuple[str, str, int]]:
        """(account id, name, visits) of every account with visits."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT a.id, a.name, COUNT(v.id) FROM visits v LEFT JOIN account_merges m "
            "ON m.account_id = v.account_id JOIN accounts a ON a.id = "
            "COALESCE(m.into_id, v.account_id) WHERE v.deleted_at IS NULL AND "
            "a.deleted_at IS NULL GROUP BY a.id ORDER BY a.name COLLATE NOCASE, a.id")]

    def themes(self) -> list[tuple[str, int]]:
        """Every theme with the number of visits that raised it, most raised first."""
        return [(t, n) for t, n in self.conn.execute(
            "SELECT tag, COUNT(*) AS n FROM visit_themes GROUP BY tag ORDER BY n DESC, tag")]

    def interviewers(self) -> list[str]:
        seen: set[str] = set()
        for (text,) in self.conn.execute(
                "SELECT DISTINCT interviewers FROM visits WHERE deleted_at IS NULL"):
            try:
                names = json.loads(text or "[]")
            except ValueError:
                continue
            seen.update(n for n in names if isinstance(n, str) and n)
        return sorted(seen, key=str.casefold)

    # --- patterns -------------------------------------------------------------------------

    def theme_totals(self, flt: FindingFilter, order: str = "accounts", offset: int = 0,
                     limit: int = 1000) -> list[tuple[str, int, int]]:
        """(theme, accounts, visits) for the themes in scope, most accounts first."""
        where, params = _theme_where(flt)
        by = {"accounts": "accounts DESC, visits DESC, tag", "visits": "visits DESC, tag",
              "theme": "tag", "confirmed": "COUNT(DISTINCT CASE WHEN t.confirmed THEN "
              "t.account_id END) DESC, accounts DESC, tag"}[order]
        return [tuple(r) for r in self.conn.execute(
            f"SELECT tag, COUNT(DISTINCT account_id) AS accounts, COUNT(*) AS visits "
            f"FROM visit_themes t {where} GROUP BY tag ORDER BY {by} LIMIT ? OFFSET ?",
            [*params, limit, offset])]

    def theme_count(self, flt: FindingFilter) -> int:
        where, params = _theme_where(flt)
        return int(self.conn.execute(
            f"SELECT COUNT(DISTINCT tag) FROM visit_themes t {where}", params).fetchone()[0])

    def theme_groups(self, flt: FindingFilter, group: PatternGroup,
                     tags: Sequence[str] | None = None) -> list[tuple[str, str, int, int]]:
        """(theme, group value, accounts, visits) per theme and vertical/segment/stage, or
        per role that said it (ROOM_ROLE: the room)."""
        table = "visit_theme_speakers" if group is PatternGroup.ROLE else "visit_themes"
        where, params = _theme_where(flt)
        if tags is not None:
            where += " AND t.tag IN (SELECT value FROM json_each(?))"
            params = [*params, json.dumps(list(tags))]
        if group is PatternGroup.ROLE:
            return [tuple(r) for r in self.conn.execute(
                "SELECT t.tag, t.role, COUNT(DISTINCT t.account_id), COUNT(*) FROM "
                f"{table} t {where} GROUP BY t.tag, t.role", params)]
        column = _GROUP_COLUMN[group]
        return [tuple(r) for r in self.conn.execute(
            f"SELECT t.tag, t.{column}, COUNT(DISTINCT t.account_id), COUNT(*) "
            f"FROM visit_themes t {where} GROUP BY t.tag, t.{column}", params)]

    def group_values(self, flt: FindingFilter, group: PatternGroup) -> list[tuple[str, int]]:
        """The values of the group in scope, with how many accounts each has."""
        where, params = _visit_where(flt)
        if group is PatternGroup.ROLE:
            where, params = _theme_where(flt)
            sql = (f"SELECT t.role, COUNT(DISTINCT t.account_id) FROM visit_theme_speakers t "
                   f"{where} GROUP BY t.role ORDER BY t.role = '{ROOM_ROLE}', t.role")
        else:
            column = _GROUP_COLUMN[group]
            sql = (f"SELECT v.{column}, COUNT(DISTINCT v.account_id) FROM scope_visits v "
                   f"{where} GROUP BY v.{column} ORDER BY v.{column}")
        return [(v or "", n) for v, n in self.conn.execute(_scoped(sql), params)]

    def scope_size(self, flt: FindingFilter) -> tuple[int, int]:
        """(accounts, visits) in scope: every visit the filter's visit conditions allow,
        whether or not it raised a theme; with themes or roles asked for, the visits where
        such a theme was raised."""
        if _theme_level(flt):
            where, params = _theme_where(flt)
            row = self.conn.execute(
                f"SELECT COUNT(DISTINCT t.account_id), COUNT(DISTINCT t.visit_id) FROM "
                f"visit_themes t {where}", params).fetchone()
            return int(row[0]), int(row[1])
        where, params = _visit_where(flt)
        row = self.conn.execute(_scoped(
            f"SELECT COUNT(DISTINCT v.account_id), COUNT(*) FROM scope_visits v {where}"),
            params).fetchone()
        return int(row[0]), int(row[1])

    def trend(self, flt: FindingFilter, tags: Sequence[str]) -> list[tuple[str, str, int]]:
        """(quarter like '2026-Q3', theme, visits) for these themes, plus (quarter, '', all
        visits in scope) so a trend can be read as a share of the quarter's visits."""
        where, params = _theme_where(flt)
        quarter = ("substr(visit_date, 1, 4) || '-Q' || "
                   "((CAST(substr(visit_date, 6, 2) AS INTEGER) + 2) / 3)")
        rows = [tuple(r) for r in self.conn.execute(
            f"SELECT {quarter} AS q, tag, COUNT(*) FROM visit_themes t {where} AND t.tag IN "
            "(SELECT value FROM json_each(?)) GROUP BY q, tag",
            [*params, json.dumps(list(tags))])]
        vwhere, vparams = _visit_where(flt)
        rows += [(q, "", n) for q, n in self.conn.execute(_scoped(
            f"SELECT {quarter.replace('visit_date', 'v.visit_date')} AS q, COUNT(*) "
            f"FROM scope_visits v {vwhere} GROUP BY q"), vparams)]
        return rows

    # --- triangulation --------------------------------------------------------------------

    def answered_questions(self) -> list[dict[str, Any]]:
        """Every guide question with answers, by guide and position, with visits answering."""
        return self.index._dicts(
            "SELECT a.question_key, a.visits, q.text, q.section, q.bucket, q.guide, q.position "
            "FROM (SELECT question_key, COUNT(DISTINCT visit_id) AS visits FROM findings "
            "WHERE kind = 'answer' AND question_key != '' GROUP BY question_key) a "
            "LEFT JOIN (SELECT question_key, text, section, bucket, guide, MIN(position) AS "
            "position FROM guide_questions GROUP BY question_key) q USING (question_key) "
            "ORDER BY q.guide, q.position, a.question_key")

    def answering_visits(self, flt: FindingFilter, offset: int, limit: int,
                         order: str = "account") -> list[dict[str, Any]]:
        """One page of the visits that answered flt.question_key."""
        where, params = _where(flt)
        if where is None:
            return []
        by = {"account": "account COLLATE NOCASE, visit_date DESC",
              "newest": "visit_date DESC, account COLLATE NOCASE",
              "vertical": "vertical, account COLLATE NOCASE"}[order]
        return self.index._dicts(
            f"SELECT visit_id, account, account_id, vertical, segment, visit_date, "
            f"MAX(roles) AS roles FROM findings f {where} AND f.kind = 'answer' "
            f"GROUP BY visit_id ORDER BY {by} LIMIT ? OFFSET ?", [*params, limit, offset])

    def answering_count(self, flt: FindingFilter) -> int:
        where, params = _where(flt)
        if where is None:
            return 0
        return int(self.conn.execute(
            f"SELECT COUNT(DISTINCT visit_id) FROM findings f {where} AND f.kind = 'answer'",
            params).fetchone()[0])

    def tagged_for_question(self, flt: FindingFilter) -> list[tuple[str, str, str]]:
        """(theme, roles of who said it, account id) of every tagged finding about
        flt.question_key; '' roles for what the room said."""
        where, params = _where(flt)
        if where is None:
            return []
        return [tuple(r) for r in self.conn.execute(
            f"SELECT t.tag, f.said_by, f.account_id FROM findings f JOIN finding_tags t "
            f"ON t.item_id = f.item_id {where}", params)]


def _scoped(sql: str) -> str:
    # the visits a filter can see: completed or not, with their account's columns
    # a visit of a merged account counts for the account it was merged into
    return ("WITH scope_visits AS (SELECT v.id, COALESCE(m.into_id, v.account_id) AS "
            "account_id, v.visit_date, v.interviewers, "
            "v.lifecycle_stage AS stage, COALESCE(a.vertical, '') AS vertical, "
            "COALESCE(a.segment, '') AS segment, COALESCE(a.in_icp, 1) AS in_icp "
            "FROM visits v LEFT JOIN account_merges m ON m.account_id = v.account_id "
            "LEFT JOIN accounts a ON a.id = COALESCE(m.into_id, v.account_id) "
            "WHERE v.deleted_at IS NULL) " + sql)


def _any_of(column: str, values: Sequence[str], params: list[Any]) -> str:
    params.append(json.dumps(list(values)))
    return f"{column} IN (SELECT value FROM json_each(?))"


def _any_barred(column: str, values: Sequence[str], params: list[Any]) -> str:
    def literal(v: str) -> str:
        return v.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    params.extend(f"%|{literal(v)}|%" for v in values)
    return "(" + " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for _ in values) + ")"


def _visit_level(flt: FindingFilter, p: str, params: list[Any]) -> list[str]:
    """Conditions every table with visit columns understands, `p` its alias."""
    parts: list[str] = []
    for column, values in (("vertical", flt.verticals), ("segment", flt.segments),
                           ("stage", flt.stages), ("account_id", flt.accounts)):
        if values:
            parts.append(_any_of(f"{p}.{column}", values, params))
    if flt.interviewers and p == "v":  # visits keep them as a JSON list
        parts.append("EXISTS (SELECT 1 FROM json_each(v.interviewers) WHERE "
                     + _any_of("value", flt.interviewers, params) + ")")
    elif flt.interviewers:
        parts.append(_any_barred(f"{p}.interviewers", flt.interviewers, params))
    if flt.date_from:
        parts.append(f"{p}.visit_date >= ?")
        params.append(flt.date_from)
    if flt.date_to:
        parts.append(f"{p}.visit_date <= ?")
        params.append(flt.date_to)
    if not flt.include_outside_icp:
        parts.append(f"{p}.in_icp = 1")
    if flt.visit_id:
        parts.append(f"{p}.{'id' if p == 'v' else 'visit_id'} = ?")
        params.append(flt.visit_id)
    return parts


def _where(flt: FindingFilter) -> tuple[str | None, list[Any]]:
    """The WHERE clause for findings `f`; None when the search words hold nothing to find."""
    params: list[Any] = []
    parts = _visit_level(flt, "f", params)
    for column, values in (("bucket", flt.buckets), ("status", flt.statuses),
                           ("kind", flt.kinds), ("team", flt.teams)):
        if values:
            parts.append(_any_of(f"f.{column}", values, params))
    if flt.roles:
        parts.append(_any_barred("f.roles", flt.roles, params))
    if flt.said_by:
        named = [r for r in flt.said_by if r != ROOM_ROLE]
        either = [_any_barred("f.said_by", named, params)] if named else []
        if ROOM_ROLE in flt.said_by:
            either.append("f.said_by = ''")
        parts.append("(" + " OR ".join(either) + ")")
    if flt.tags and fts_query(flt.query):
        # the words already narrow the findings: test each one's themes rather than list
        # every finding of a common theme (themes are stored casefolded, as filters name them)
        parts.append(_any_barred("f.tags", flt.tags, params))
    elif flt.tags:
        parts.append("f.item_id IN (SELECT item_id FROM finding_tags WHERE "
                     + _any_of("tag", flt.tags, params) + ")")
    if flt.question_key:
        parts.append("f.question_key = ?")
        params.append(flt.question_key)
    for role in flt.spoke:
        said = _any_barred("x.said_by", (role,), params)
        if flt.question_key:
            said += " AND x.question_key = ?"
            params.append(flt.question_key)
        parts.append(f"f.visit_id IN (SELECT x.visit_id FROM findings x WHERE {said})")
    if flt.query.strip() and not fts_query(flt.query):
        return None, []
    return "WHERE " + (" AND ".join(parts) if parts else "1"), params


def _theme_where(flt: FindingFilter) -> tuple[str, list[Any]]:
    params: list[Any] = []
    parts = _visit_level(flt, "t", params)
    if flt.tags:
        parts.append(_any_of("t.tag", flt.tags, params))
    if flt.roles:
        parts.append("EXISTS (SELECT 1 FROM visit_theme_roles x WHERE x.tag = t.tag AND "
                     "x.visit_id = t.visit_id AND " + _any_of("x.role", flt.roles, params) + ")")
    if flt.said_by:
        parts.append("EXISTS (SELECT 1 FROM visit_theme_speakers y WHERE y.tag = t.tag AND "
                     "y.visit_id = t.visit_id AND " + _any_of("y.role", flt.said_by, params)
                     + ")")
    return "WHERE " + (" AND ".join(parts) if parts else "1"), params


def _theme_level(flt: FindingFilter) -> bool:
    """Whether the filter narrows by what was said (themes, roles): then the visits in
    scope are those where a theme was raised as it asks."""
    return bool(flt.tags or flt.roles or flt.said_by)


def _visit_where(flt: FindingFilter) -> tuple[str, list[Any]]:
    params: list[Any] = []
    parts = _visit_level(flt, "v", params)
    return "WHERE " + (" AND ".join(parts) if parts else "1"), params


def _finding(r: dict[str, Any]) -> Finding:
    snippet, marks = split_snippet(r.get("snippet") or "")
    return Finding(
        item_id=r["item_id"], kind=r["kind"], visit_id=r["visit_id"],
        account_id=r["account_id"], account=r["account"], vertical=r["vertical"],
        segment=r["segment"], stage=r["stage"], in_icp=bool(r["in_icp"]),
        visit_date=r["visit_date"], interviewers=unbar(r["interviewers"]),
        roles=unbar(r["roles"]), speaker=r["speaker"], said_by=unbar(r.get("said_by")),
        bucket=r["bucket"],
        question_key=r["question_key"], question=r["question"], tags=unbar(r["tags"]),
        status=r["status"], team=r["team"], due_date=r["due_date"], text=r["text"],
        detail=r["detail"], snippet=snippet, marks=marks, owner=r.get("owner") or "")
