"""The visits the contact plan needs, read in one query: per account, the last completed
visit, and every visit not completed yet. Older completed visits cannot change a plan, so
a workspace with years of history reads no more rows than one with a single season."""

from __future__ import annotations

from voc_desktop.domain.visit import Visit
from voc_desktop.store.connection import WorkspaceDB
from voc_desktop.store.visits import visit_from_row

# The newest visit date wins; on the same day, the visit written last.
_PLAN_VISITS = """
SELECT * FROM (
    SELECT *, ROW_NUMBER() OVER (
        PARTITION BY account_id ORDER BY visit_date DESC, created_at DESC, id DESC) AS rank
    FROM visits WHERE deleted_at IS NULL AND status = 'completed'
) WHERE rank = 1
UNION ALL
SELECT *, 0 AS rank FROM visits WHERE deleted_at IS NULL AND status != 'completed'
ORDER BY account_id, visit_date
"""


def plan_visits(db: WorkspaceDB) -> list[Visit]:
    """Each account's last completed visit and all its visits not yet completed."""
    cur = db.execute(_PLAN_VISITS)
    names = [d[0] for d in cur.description]
    return [visit_from_row(dict(zip(names, row, strict=True))) for row in cur.fetchall()]
