"""One account as its page shows it: where it stands, who is there, what was learned, what is
still to do. A read model only; the page writes through `services.accounts`."""

from __future__ import annotations

from dataclasses import dataclass

from voc_desktop.domain.accounts import Account, Contact, LifecycleStage, Role
from voc_desktop.domain.visit import (
    ActionItem,
    ActionStatus,
    SummaryStatus,
    Team,
    Visit,
    VisitStatus,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace

# The usual path through an account's life; at risk and lost are departures from it.
LIFECYCLE_PATH = (LifecycleStage.PROSPECT, LifecycleStage.ONBOARDING, LifecycleStage.ACTIVE,
                  LifecycleStage.RENEWAL)
LIFECYCLE_APART = (LifecycleStage.AT_RISK, LifecycleStage.LOST)

# Who decides, who influences and who uses: the three groups of the stakeholder map.
DECIDES, INFLUENCES, USES, OTHER = "decides", "influences", "uses", "other"
STAKEHOLDER_GROUPS: tuple[tuple[str, str, tuple[Role, ...]], ...] = (
    (DECIDES, "Decides", (Role.ECONOMIC_BUYER, Role.DECISION_MAKER)),
    (INFLUENCES, "Influences", (Role.INFLUENCER, Role.TECHNICAL_EVALUATOR, Role.GATEKEEPER)),
    (USES, "Uses", (Role.USER,)),
)
OTHER_LABEL = "Role not placed"


def stakeholder_groups(roles: tuple[Role, ...]) -> tuple[str, ...]:
    """The map groups a person belongs in; someone with no placed role still gets a place."""
    groups = tuple(key for key, _, members in STAKEHOLDER_GROUPS
                   if any(r in members for r in roles))
    return groups or (OTHER,)


@dataclass(frozen=True)
class ContactView:
    contact: Contact
    visits_attended: int  # visits held (not merely planned) with this person present

    @property
    def groups(self) -> tuple[str, ...]:
        return stakeholder_groups(self.contact.roles)


@dataclass(frozen=True)
class Learning:
    text: str  # the customer's final wording
    corrected: bool


@dataclass(frozen=True)
class VisitHistory:
    visit: Visit
    learnings: tuple[Learning, ...]  # only points the customer confirmed or corrected


@dataclass(frozen=True)
class OpenAction:
    action: ActionItem
    visit: Visit


@dataclass(frozen=True)
class TeamActions:
    team: Team
    actions: tuple[OpenAction, ...]  # earliest due first, undated last


@dataclass(frozen=True)
class AccountView:
    account: Account
    contacts: tuple[ContactView, ...]
    history: tuple[VisitHistory, ...]  # newest first
    open_actions: tuple[TeamActions, ...]  # in the order teams are routed to

    @property
    def stage_on_path(self) -> bool:
        return self.account.lifecycle_stage in LIFECYCLE_PATH

    def contacts_in(self, group: str) -> tuple[ContactView, ...]:
        return tuple(c for c in self.contacts if group in c.groups)

    @property
    def open_action_count(self) -> int:
        return sum(len(t.actions) for t in self.open_actions)


def account_view(ws: Workspace, account_id: str) -> AccountView:
    """Everything the account page shows, read in one go from the workspace."""
    account = ws.accounts.get(account_id)
    if account is None:
        raise ServiceError("That account no longer exists.")
    visits = ws.visits.list(account_id=account_id)  # newest first
    attended: dict[str, int] = {}
    history: list[VisitHistory] = []
    by_team: dict[Team, list[OpenAction]] = {}
    for visit in visits:
        if visit.status is not VisitStatus.PLANNED:
            for a in ws.visits.attendees(visit.id):
                attended[a.contact_id] = attended.get(a.contact_id, 0) + 1
        agreed = tuple(
            Learning(kl.final_text, kl.status is SummaryStatus.CORRECTED)
            for kl in ws.visits.learnings(visit.id)
            if kl.status in (SummaryStatus.CONFIRMED, SummaryStatus.CORRECTED))
        history.append(VisitHistory(visit, agreed))
        for action in ws.visits.actions(visit.id):
            if action.status is ActionStatus.OPEN:
                by_team.setdefault(action.team, []).append(OpenAction(action, visit))
    contacts = tuple(ContactView(c, attended.get(c.id, 0))
                     for c in ws.accounts.contacts(account_id))
    teams = tuple(
        TeamActions(team, tuple(sorted(by_team[team], key=lambda o: (
            o.action.due_date is None, o.action.due_date or "", o.visit.visit_date,
            o.action.position))))
        for team in Team if team in by_team)
    return AccountView(account, contacts, tuple(history), teams)
