"""One guide question compared by role, as data: what each role said at each visit, and
the themes the roles share or one role alone raised. The page and `voc archive
triangulate` read the same rows, so they show the same words and numbers."""

from __future__ import annotations

from typing import Any

from voc_desktop.domain.accounts import Role
from voc_desktop.domain.findings import ROOM_ROLE, Finding, FindingFilter
from voc_desktop.domain.visit import ROOM
from voc_desktop.services.archive.workspace import (
    TRIANGULATION_COLUMNS,
    ArchiveWorkspace,
    TriangulationRow,
)
from voc_desktop.services.errors import ServiceError

PAGE = 500


def column_label(column: str) -> str:
    """A triangulation column's heading: the role, or the room."""
    if column == ROOM_ROLE:
        return ROOM
    try:
        return Role(column).label
    except ValueError:
        return column


def find_question(lens: ArchiveWorkspace, wanted: str) -> str:
    """A question's key from its key or words of its text; a clear error when none or
    several match."""
    questions = lens.questions()
    exact = [q for q in questions if q.key == wanted]
    if exact:
        return exact[0].key
    hits = [q for q in questions if wanted.casefold() in q.text.casefold()]
    if not hits:
        raise ServiceError(f"No answered question matches '{wanted}'; "
                           "'voc archive triangulate DIR --list' lists them.")
    if len({q.key for q in hits}) > 1:
        raise ServiceError(f"'{wanted}' matches {len(hits)} questions; give more of its words "
                           "or its key.")
    return hits[0].key


def every_row(lens: ArchiveWorkspace, flt: FindingFilter,
              order: str = "account") -> list[TriangulationRow]:
    rows: list[TriangulationRow] = []
    while page := lens.triangulation(flt, len(rows), PAGE, order):
        rows += page
    return rows


def _said(f: Finding) -> dict[str, Any]:
    return {"item_id": f.item_id, "kind": f.kind, "text": f.text, "who": f.who}


def triangulation_data(lens: ArchiveWorkspace, flt: FindingFilter) -> dict[str, Any]:
    """The question's visits with each role's words, the columns anyone spoke in, and the
    agreement by theme."""
    if not flt.question_key:
        raise ServiceError("Choose a question to compare.")
    rows = every_row(lens, flt)
    spoken = [c for c in TRIANGULATION_COLUMNS if any(r.said_by(c) for r in rows)]
    agreement = lens.agreement(flt)
    return {
        "question_key": flt.question_key,
        "visits": lens.triangulation_count(flt),
        "columns": [{"role": c, "label": column_label(c),
                     "visits": sum(1 for r in rows if r.said_by(c))} for c in spoken],
        "rows": [{"visit_id": r.visit_id, "account": r.account, "vertical": r.vertical,
                  "visit_date": r.visit_date, "roles_present": list(r.roles),
                  "said": {c: [_said(f) for f in r.said_by(c)] for c in spoken
                           if r.said_by(c)}} for r in rows],
        "agreement": {"shared": [{"theme": t, "roles": list(rs)} for t, rs in agreement.shared],
                      "only": {role: list(ts) for role, ts in agreement.only}},
    }
