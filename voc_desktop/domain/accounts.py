"""Customer organisations, the people met there, and their consent."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class LifecycleStage(StrEnum):
    PROSPECT = "prospect"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    RENEWAL = "renewal"
    AT_RISK = "at_risk"
    LOST = "lost"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Role(StrEnum):
    ECONOMIC_BUYER = "economic_buyer"
    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"
    TECHNICAL_EVALUATOR = "technical_evaluator"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def parse_roles(values: object) -> tuple[Role, ...]:
    """Roles in canonical order without repeats; unknown names raise ValueError."""
    if isinstance(values, str):
        values = [v for v in values.replace(";", ",").split(",") if v.strip()]
    wanted = {Role(str(v).strip().lower().replace(" ", "_")) for v in values or ()}
    return tuple(r for r in Role if r in wanted)


def roles_label(roles: tuple[Role, ...]) -> str:
    return ", ".join(r.label for r in roles) or "No role"


@dataclass(frozen=True)
class Consent:
    """What a contact agreed to: taking part, and being quoted by name."""

    given: bool = False
    quote_by_name: bool = False
    method: str = ""  # verbal, written, e-mail …
    recorded_at: str | None = None  # UTC ISO-8601
    scope: str = ""  # in their words: what the notes may be used for

    @property
    def label(self) -> str:
        if not self.given:
            return "No consent recorded"
        by_name = "may be quoted by name" if self.quote_by_name else "quote by role only"
        how = f" ({self.method})" if self.method else ""
        return f"Consent given{how}; {by_name}"


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    vertical: str = ""
    segment: str = ""
    lifecycle_stage: LifecycleStage = LifecycleStage.PROSPECT
    in_icp: bool = True
    icp_note: str = ""
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Contact:
    id: str
    account_id: str
    name: str
    title: str = ""
    roles: tuple[Role, ...] = ()
    consent: Consent = field(default_factory=Consent)
    created_at: str = ""
    updated_at: str = ""

    def display_name(self, *, by_name: bool | None = None) -> str:
        """The contact's name, or their role when consent does not allow the name."""
        allowed = self.consent.given and self.consent.quote_by_name if by_name is None else by_name
        if allowed:
            return self.name
        return roles_label(self.roles) if self.roles else "A participant"
