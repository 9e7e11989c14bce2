"""The contact plan of the open workspace, and how often each stage is contacted there.

The shipped cadence is the starting point; a workspace keeps only the stages it changed,
as a small JSON object in the meta table (`{"active": 60}`), so a stage left alone follows
the shipped value even when a later version of the app changes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from voc_desktop.domain.accounts import LifecycleStage
from voc_desktop.domain.contact_plan import (
    MAX_DAYS,
    MIN_DAYS,
    Cadence,
    DueContact,
    check_days,
    due_contacts,
    listed_at_first,
    load_cadence,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import get_meta, set_meta
from voc_desktop.store.plans import plan_visits

META_CADENCE = "cadence"
HOW_TO_SET = "voc plan cadence STAGE DAYS"


@dataclass(frozen=True)
class CadenceSetting:
    """One stage's cadence in this workspace, beside the shipped default."""

    stage: LifecycleStage
    days: int
    default_days: int
    objective: str

    @property
    def changed(self) -> bool:
        return self.days != self.default_days


def parse_stage(value: LifecycleStage | str) -> LifecycleStage:
    """A stage from its name as people type it: `at_risk`, `at-risk` or `At risk`."""
    if isinstance(value, LifecycleStage):
        return value
    name = "_".join(str(value).strip().lower().replace("-", " ").split())
    try:
        return LifecycleStage(name)
    except ValueError:
        names = ", ".join(s.value for s in LifecycleStage)
        raise ServiceError(f"'{value}' is not a life-cycle stage; use one of {names}.") from None


def cadence(ws: Workspace) -> Cadence:
    """The shipped cadence with this workspace's changes applied."""
    plan = load_cadence()
    stored = _stored(ws)
    if stored is None:
        raise ServiceError(f"The stored cadence settings cannot be read. Set a stage again "
                           f"with `{HOW_TO_SET}`.")
    for stage in LifecycleStage:
        if stage.value not in stored:
            continue
        try:
            plan = plan.with_days(stage, stored[stage.value])
        except ValueError:
            raise ServiceError(
                f"The stored cadence for the {stage.label.lower()} stage "
                f"({stored[stage.value]!r}) cannot be used. Set it again with "
                f"`voc plan cadence {stage.value} DAYS`.") from None
    return plan


def cadence_settings(ws: Workspace) -> list[CadenceSetting]:
    """Every stage's cadence, in stage order."""
    shipped, current = load_cadence(), cadence(ws)
    return [CadenceSetting(s.stage, s.days, shipped.for_stage(s.stage).days, s.objective)
            for s in current.stages]


def set_cadence(ws: Workspace, stage: LifecycleStage | str, days: int) -> CadenceSetting:
    """Contact accounts in this stage every `days` days. Setting the shipped value again
    drops the change, so the stage follows the shipped cadence from then on."""
    stage = parse_stage(stage)
    try:
        days = check_days(days)
    except ValueError:
        raise ServiceError(f"A cadence is a whole number of days from {MIN_DAYS} to "
                           f"{MAX_DAYS}; {days!r} is not.") from None
    shipped = load_cadence().for_stage(stage)
    stored = _stored(ws) or {}  # unreadable settings are replaced, not kept
    if days == shipped.days:
        stored.pop(stage.value, None)
    else:
        stored[stage.value] = days
    with ws.write(["meta"]):
        set_meta(ws.db, META_CADENCE, json.dumps(stored, sort_keys=True))
    return CadenceSetting(stage, days, shipped.days, shipped.objective)


def contact_plan(ws: Workspace, today: date | None = None,
                 include_outside_icp: bool = False) -> list[DueContact]:
    """Every account's next contact, soonest first; accounts outside the ideal customer
    profile only when asked for or when a visit with them is planned."""
    return due_contacts(ws.accounts.list(), plan_visits(ws.db), today or date.today(),
                        cadence(ws), include_outside_icp=include_outside_icp)


def due_now(contacts: list[DueContact]) -> list[DueContact]:
    """The contacts to act on: every planned visit, and the accounts in the profile that
    are overdue or due within the window; soonest first as given."""
    return [c for c in contacts if listed_at_first(c)]


def _stored(ws: Workspace) -> dict[str, object] | None:
    """The stages this workspace changed ({} when none); None when the value is damaged."""
    text = get_meta(ws.db, META_CADENCE)
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None
