"""What a team should act on: the themes behind its confirmed learnings and open actions,
ranked by how many accounts raised them, each with what customers confirmed in the
read-back beside the raw count, and the overdue actions flagged.

A learning counts for the themes of the note it was drawn from; an action item for the
themes of the visit it came out of. The Routing page, its digest and `voc archive act`
read this one ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from voc_desktop.domain.findings import CONFIRMED_STATUSES, Finding, FindingFilter, FindingOrder
from voc_desktop.services.archive.workspace import ArchiveWorkspace

NO_THEME = ""  # the group of items from notes and visits without a theme
PAGE = 2000


@dataclass(frozen=True)
class ActTheme:
    theme: str  # NO_THEME for items without one
    accounts: int  # accounts in scope that raised the theme
    confirmed_accounts: int  # accounts where a customer confirmed a learning of the theme
    learnings: tuple[Finding, ...]  # confirmed and corrected, newest first
    actions: tuple[Finding, ...]  # open, soonest due first
    overdue: int  # open actions past their due date


def _all(lens: ArchiveWorkspace, flt: FindingFilter, order: FindingOrder) -> list[Finding]:
    found: list[Finding] = []
    while page := lens.find(flt, order, len(found), PAGE):
        found += page
    return found


def act_on(lens: ArchiveWorkspace, flt: FindingFilter,
           today: str | None = None) -> list[ActTheme]:
    """The ranking for the filter's team(s), period and words: themes by accounts raising
    them, then by accounts confirming them, then by name; items without a theme last."""
    today = today or date.today().isoformat()
    base = replace(flt, kinds=(), statuses=(), tags=())
    learnings = _all(lens, replace(base, kinds=("learning",), statuses=CONFIRMED_STATUSES),
                     FindingOrder.NEWEST)
    actions = _all(lens, replace(base, kinds=("action",), statuses=("open",)),
                   FindingOrder.DUE)
    visit_themes = lens.store.visit_tags(sorted({a.visit_id for a in actions}))
    learned: dict[str, list[Finding]] = {}
    confirmed: dict[str, set[str]] = {}
    for f in learnings:
        for tag in f.tags or (NO_THEME,):
            learned.setdefault(tag, []).append(f)
            confirmed.setdefault(tag, set()).add(f.account_id)
    acting: dict[str, list[Finding]] = {}
    for a in actions:
        for tag in visit_themes.get(a.visit_id) or [NO_THEME]:
            acting.setdefault(tag, []).append(a)
    themes = sorted(set(learned) | set(acting))
    # counted in the same scope, for every role and kind: how widely the theme was raised
    scope = replace(base, teams=(), query="")
    raised = lens.store.theme_accounts(scope, [t for t in themes if t]) if any(themes) else {}
    ranked = [ActTheme(t, raised.get(t, 0), len(confirmed.get(t, ())),
                       tuple(learned.get(t, ())), tuple(acting.get(t, ())),
                       sum(a.overdue(today) for a in acting.get(t, ())))
              for t in themes]
    return sorted(ranked, key=lambda x: (x.theme == NO_THEME, -x.accounts,
                                         -x.confirmed_accounts, x.theme))
