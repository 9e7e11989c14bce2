"""When each account is next due for a contact, and the one objective that contact has.

Contacts happen at scheduled intervals across the customer's life cycle. Each stage has a
cadence (days between contacts) and a default objective, shipped in
``resources/contact_plan.json``; a workspace may change the days. For one account the due
date comes from the first rule that applies:

1. A visit not yet completed (planned or under way) is the next contact: its date is the
   due date and its objective is the objective. A planned visit whose date has passed
   without being started is overdue; one already under way never is.
2. The next contact date written on the last completed visit: the interviewer's own plan
   wins over the cadence.
3. The last completed visit's date plus the cadence of the account's *current* stage, so
   an account moved from active to at risk is due sooner straight away.
4. An account never visited is due today.

Lost accounts keep a long cadence rather than none: a contact twice a year learns why we
lost and whether that still holds. Accounts outside the ideal customer profile are planned
the same way but kept apart, and left out unless asked for.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from voc_desktop import assets
from voc_desktop.domain.accounts import Account, LifecycleStage
from voc_desktop.domain.visit import Visit, VisitStatus

PLAN_FILE = "contact_plan.json"
MIN_DAYS = 1
MAX_DAYS = 730  # two years: a longer gap is no longer a plan

_KEYS = {"version", "about", "due_window_days", "stages"}
_STAGE_KEYS = {"days", "objective"}


class ContactStatus(StrEnum):
    OVERDUE = "overdue"  # the due date has passed
    DUE = "due"  # due today or within the window
    PLANNED = "planned"  # a visit is planned (or under way) and its date has not passed
    OK = "ok"  # not due for a while

    @property
    def label(self) -> str:
        return {"ok": "OK"}.get(self.value, self.value.capitalize())


class DueBasis(StrEnum):
    """Which rule set the due date."""

    PLANNED_VISIT = "planned_visit"
    NEXT_CONTACT_DATE = "next_contact_date"
    CADENCE = "cadence"
    NEVER_VISITED = "never_visited"

    @property
    def label(self) -> str:
        return {
            "planned_visit": "a planned visit",
            "next_contact_date": "the next contact date set at the last visit",
            "cadence": "the stage's cadence",
            "never_visited": "never visited",
        }[self.value]


def check_days(days: object) -> int:
    """A cadence in whole days within the allowed range; ValueError otherwise."""
    if isinstance(days, bool) or not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
        raise ValueError(f"A cadence is a whole number of days from {MIN_DAYS} to {MAX_DAYS}, "
                         f"not {days!r}.")
    return days


@dataclass(frozen=True)
class StageCadence:
    stage: LifecycleStage
    days: int
    objective: str


@dataclass(frozen=True)
class Cadence:
    """One cadence per life-cycle stage, in the stages' own order."""

    stages: tuple[StageCadence, ...]
    due_window: int = 14  # days ahead in which a contact counts as due

    def __post_init__(self) -> None:
        if [s.stage for s in self.stages] != list(LifecycleStage):
            raise ValueError("A cadence needs exactly one entry per stage, in stage order.")
        for s in self.stages:
            check_days(s.days)
            if not s.objective.strip():
                raise ValueError(f"The {s.stage.label.lower()} stage needs an objective.")
        if isinstance(self.due_window, bool) or not isinstance(self.due_window, int) \
                or not 0 <= self.due_window <= MAX_DAYS:
            raise ValueError(f"The due window must be 0 to {MAX_DAYS} days.")

    def for_stage(self, stage: LifecycleStage) -> StageCadence:
        return self.stages[list(LifecycleStage).index(stage)]

    def with_days(self, stage: LifecycleStage, days: int) -> Cadence:
        """The same cadence with one stage's days changed (checked)."""
        days = check_days(days)
        return replace(self, stages=tuple(replace(s, days=days) if s.stage is stage else s
                                          for s in self.stages))


def cadence_from_dict(data: object) -> Cadence:
    """Read the shipped cadence file's content; ValueError says what is wrong."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{PLAN_FILE} must hold a JSON object")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ValueError(f"{PLAN_FILE}: unknown key(s) {unknown}")
    stages = data.get("stages")
    if not isinstance(stages, Mapping) or set(stages) != {s.value for s in LifecycleStage}:
        raise ValueError(f"{PLAN_FILE}: 'stages' must name each of "
                         f"{[s.value for s in LifecycleStage]} once")
    entries = []
    for stage in LifecycleStage:
        entry = stages[stage.value]
        if not isinstance(entry, Mapping) or set(entry) != _STAGE_KEYS:
            raise ValueError(f"{PLAN_FILE}: stage '{stage.value}' needs exactly "
                             f"{sorted(_STAGE_KEYS)}")
        objective = entry["objective"]
        if not isinstance(objective, str):
            raise ValueError(f"{PLAN_FILE}: stage '{stage.value}' objective must be text")
        entries.append(StageCadence(stage, entry["days"], objective.strip()))
    return Cadence(tuple(entries), data.get("due_window_days", 14))


@functools.cache
def load_cadence() -> Cadence:
    """The cadence shipped with the app, read once per process."""
    text = assets.path(PLAN_FILE).read_text(encoding="utf-8")
    try:
        return cadence_from_dict(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{PLAN_FILE} is not valid JSON: {exc}") from exc


@dataclass(frozen=True)
class DueContact:
    """One account's next contact: when, why then, and what it is for."""

    account: Account
    stage: LifecycleStage
    last_contact: date | None  # the last completed visit
    due_date: date
    days_overdue: int  # negative: days left
    status: ContactStatus
    objective: str
    basis: DueBasis
    within_window: bool  # overdue, or due within the cadence's window
    planned_visit: Visit | None = None  # the visit not yet completed, when there is one

    @property
    def outside_icp(self) -> bool:
        return not self.account.in_icp


def plan_account(account: Account, visits: Iterable[Visit], today: date,
                 cadence: Cadence) -> DueContact:
    """The next contact with one account, from its visits (others' visits are ignored)."""
    own = [v for v in visits if v.account_id == account.id]
    stage = cadence.for_stage(account.lifecycle_stage)
    done = [(day, v) for v in own if v.status is VisitStatus.COMPLETED
            and (day := _day(v.visit_date)) is not None]
    last = max(done, key=lambda d: (d[0], d[1].created_at, d[1].id), default=None)
    last_contact = last[0] if last else None
    open_visits = [(day, v) for v in own if v.status is not VisitStatus.COMPLETED
                   and (day := _day(v.visit_date)) is not None]
    planned = min(open_visits, key=lambda d: (d[0], d[1].created_at, d[1].id),
                  default=None)

    objective = stage.objective
    if planned is not None:
        due, basis = planned[0], DueBasis.PLANNED_VISIT
        objective = planned[1].objective.strip() or objective
    elif last is not None and (noted := _day(last[1].next_contact_date)) is not None:
        due, basis = noted, DueBasis.NEXT_CONTACT_DATE
    elif last is not None:
        due, basis = last[0] + timedelta(days=stage.days), DueBasis.CADENCE
    else:
        due, basis = today, DueBasis.NEVER_VISITED

    overdue = (today - due).days
    if overdue > 0 and (planned is None or planned[1].status is VisitStatus.PLANNED):
        status = ContactStatus.OVERDUE
    elif planned is not None:
        status = ContactStatus.PLANNED
    elif overdue >= -cadence.due_window:
        status = ContactStatus.DUE
    else:
        status = ContactStatus.OK
    return DueContact(
        account=account, stage=account.lifecycle_stage, last_contact=last_contact,
        due_date=due, days_overdue=overdue, status=status, objective=objective, basis=basis,
        within_window=overdue >= -cadence.due_window,
        planned_visit=planned[1] if planned else None,
    )


def due_contacts(accounts: Iterable[Account], visits: Iterable[Visit], today: date,
                 cadence: Cadence, *, include_outside_icp: bool = False) -> list[DueContact]:
    """Every account's next contact, soonest first. Accounts outside the ideal customer
    profile only when asked for, except those with a visit already planned: that visit is
    happening, so it is always listed."""
    by_account: dict[str, list[Visit]] = {}
    for v in visits:
        by_account.setdefault(v.account_id, []).append(v)
    plan = [plan_account(a, by_account.get(a.id, ()), today, cadence) for a in accounts]
    return sorted((c for c in plan if include_outside_icp or not c.outside_icp
                   or c.planned_visit is not None), key=plan_order)


def plan_order(c: DueContact) -> tuple[date, str, str]:
    return (c.due_date, c.account.name.casefold(), c.account.id)


def listed_at_first(c: DueContact) -> bool:
    """What the plan shows before every account is asked for: each visit already planned,
    whichever the account and however far ahead, and the accounts in the profile that are
    overdue or due within the window."""
    return c.planned_visit is not None or (c.within_window and not c.outside_icp)


def _day(text: str | None) -> date | None:
    # A date that cannot be read (a hand-edited bundle, say) plans like no date at all.
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
