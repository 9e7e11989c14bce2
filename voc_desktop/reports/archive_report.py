"""What the archive's cross-visit reports say: the pattern report over many visits, and the
digest of one team's actions and learnings.

Like the visit report, everything here is finished plain text and numbers: names already
replaced by roles where a person did not agree to be named, dates as printed. Text is
cleaned once, when a value is made, so the DOCX and the PDF writer print the same
characters and neither meets one a document cannot hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import Enum
from typing import Any

from voc_desktop.domain.names import clean
from voc_desktop.domain.visit import SummaryStatus
from voc_desktop.reports.content import file_stem, long_date

ARCHIVE_CONFIDENTIAL = ("Confidential: drawn from notes of customer visits, for use inside "
                        "the company only. Do not forward to the customer or to third parties.")
OPEN, OVERDUE, DONE = "Open", "Overdue", "Done"
TOP_THEMES = 15  # bars in the chart; every theme still has its own part below it
NO_THEMES = "No themes tagged in this scope."
NO_LEARNINGS = "No key learnings were read back in this scope."
# the pattern report opens like a visit report: the top themes, what customers corrected or
# rejected and what must be done; each theme's evidence and every confirmed point follow
READ_BACK = "What customers confirmed and corrected"
EVERY_CONFIRMED = "Every confirmed learning"
NO_OPEN_ACTIONS = "No open action items in this scope."
NO_DONE_ACTIONS = "No action items were done in this period."
NO_TEAM_LEARNINGS = "No key learnings were routed to this team in this period."
NO_RANKING = "No confirmed learnings or open action items to rank in this scope."
RANK_HEADER = ("Theme", "Raised at (accounts)", "Confirmed at (accounts)", "Learnings",
               "Open actions", "Overdue")
RANK_NOTE = ("Themes ranked by how many accounts raised them; beside that, at how many "
             "customers confirmed a learning of the theme when it was read back to them.")
HEADER_LIMIT = 90


def _cleaned(value: Any) -> Any:
    if isinstance(value, Enum):  # a StrEnum is a str, but not text a person wrote
        return value
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, tuple):
        return tuple(_cleaned(v) for v in value)
    return value


class _Clean:
    """Cleans every text of a value when it is made, tuples of texts included."""

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, str | tuple):
                object.__setattr__(self, f.name, _cleaned(value))


@dataclass(frozen=True)
class Evidence(_Clean):
    """Something a customer said or showed that carries a theme."""

    text: str
    kind: str  # "Quote", "Answer", "Observation", ...
    who: str  # a role or a name, as the naming rule allows
    account: str
    visit_date: str  # as printed, e.g. "3 March 2026"

    @property
    def is_quote(self) -> bool:
        return self.kind.casefold() == "quote"

    @property
    def source(self) -> str:
        """"Plant manager, Bäckerei Nord, 3 March 2026", with the kind for what is not a
        quote, so an answer is never read as someone's own words."""
        parts = ", ".join(x for x in (self.who, self.account, self.visit_date) if x)
        if not self.is_quote and self.kind:
            parts += f" ({self.kind.lower()})"
        return parts


@dataclass(frozen=True)
class ThemeLine(_Clean):
    theme: str
    accounts: int  # accounts where it came up
    visits: int
    share: float  # of the accounts in scope, 0 to 1
    by_group: tuple[tuple[str, int], ...] = ()  # accounts per group, e.g. ("Food", 12)
    by_role: tuple[tuple[str, int], ...] = ()  # accounts per role that said it, and the room
    evidence: tuple[Evidence, ...] = ()
    confirmed: int = 0  # of those accounts, where a customer confirmed it at the read-back

    @property
    def counts(self) -> str:
        accounts = _plural(self.accounts, "account")
        confirmed = round(100 * self.confirmed / self.accounts) if self.accounts else 0
        return (f"{accounts} ({round(self.share * 100)}% of the accounts in scope), "
                f"confirmed by the customer at {self.confirmed:,} of them ({confirmed}%), "
                f"{_plural(self.visits, 'visit')}")


@dataclass(frozen=True)
class LearningLine(_Clean):
    text: str  # as read back
    correction: str
    status: SummaryStatus
    account: str
    visit_date: str

    @property
    def status_label(self) -> str:
        return {SummaryStatus.PENDING: "Not read back"}.get(self.status, self.status.label)

    @property
    def source(self) -> str:
        return ", ".join(x for x in (self.account, self.visit_date) if x)


@dataclass(frozen=True)
class ActionLine(_Clean):
    text: str
    team: str
    status: str  # OPEN, OVERDUE or DONE
    due_date: str  # as printed; empty when none was set
    account: str
    visit_date: str
    due_iso: str = ""  # for ordering: oldest due first, those without a date last
    owner: str = ""  # who will do it; empty when no one was named

    @property
    def source(self) -> str:
        return ", ".join(x for x in (self.account, self.visit_date) if x)

    @property
    def due(self) -> str:
        return self.due_date or "No date"

    @property
    def who_does_it(self) -> str:
        return self.owner or "No owner"


@dataclass(frozen=True)
class PatternReport(_Clean):
    title: str
    scope: tuple[tuple[str, str], ...]  # ("Vertical", "Food"), ("Period", "1 Jul – 30 Sep 2026")
    visits: int
    accounts: int
    group_label: str  # what by_group counts by, e.g. "Vertical"
    themes: tuple[ThemeLine, ...]  # most accounts first
    learning_counts: tuple[tuple[str, int], ...]  # ("Confirmed", 34), ("Corrected", 8), ...
    corrected: tuple[LearningLine, ...] = ()
    confirmed: tuple[LearningLine, ...] = ()
    rejected: tuple[LearningLine, ...] = ()
    open_actions: tuple[tuple[str, tuple[ActionLine, ...]], ...] = ()  # per team label
    notes: tuple[str, ...] = ()  # e.g. which accounts are left out and why
    generated: str = field(default_factory=lambda: long_date(date.today().isoformat()))
    iso_date: str = field(default_factory=lambda: date.today().isoformat())
    confidential: str = ARCHIVE_CONFIDENTIAL

    @property
    def header(self) -> str:
        return scope_header(self.scope)

    @property
    def file_stem(self) -> str:
        return pattern_report_stem(self.iso_date, self.scope)

    @property
    def chart(self) -> tuple[ThemeLine, ...]:
        """The themes the chart shows: those of most accounts, ties in the given order."""
        ranked = sorted(enumerate(self.themes), key=lambda it: (-it[1].accounts, it[0]))
        return tuple(t for _, t in ranked[:TOP_THEMES])

    @property
    def chart_caption(self) -> str:
        shown = len(self.chart)
        if shown < len(self.themes):
            return f"The {shown} themes raised at most accounts, of {len(self.themes)}."
        return "Themes by the number of accounts that raised them."

    @property
    def count_rows(self) -> tuple[tuple[str, str], ...]:
        """The counts under the title, as label and value."""
        return (("Visits", f"{self.visits:,}"), ("Accounts", f"{self.accounts:,}"),
                ("Themes", f"{len(self.themes):,}"))

    @property
    def learnings_read(self) -> int:
        return sum(n for _, n in self.learning_counts)


@dataclass(frozen=True)
class RankLine(_Clean):
    """One theme of what a team should act on, as the digest opens with it."""
    theme: str
    accounts: int  # accounts that raised it
    confirmed_accounts: int  # accounts where customers confirmed it in the read-back
    learnings: int
    open_actions: int
    overdue: int


@dataclass(frozen=True)
class TeamDigest(_Clean):
    team: str
    period: str
    scope: tuple[tuple[str, str], ...] = ()
    ranking: tuple[RankLine, ...] = ()  # what to act on first, most raised theme first
    open_actions: tuple[ActionLine, ...] = ()
    done_actions: tuple[ActionLine, ...] = ()
    learnings: tuple[LearningLine, ...] = ()  # routed to the team, with their read-back
    notes: tuple[str, ...] = ()
    generated: str = field(default_factory=lambda: long_date(date.today().isoformat()))
    iso_date: str = field(default_factory=lambda: date.today().isoformat())
    confidential: str = ARCHIVE_CONFIDENTIAL

    @property
    def title(self) -> str:
        return f"{self.team} digest"

    @property
    def header(self) -> str:
        return scope_header((("Team", self.team), ("Period", self.period), *self.scope))

    @property
    def file_stem(self) -> str:
        return digest_stem(self.iso_date, self.team)

    @property
    def open_by_due(self) -> tuple[ActionLine, ...]:
        """Open items, oldest due first; those without a due date after them."""
        return tuple(sorted(self.open_actions, key=lambda a: (not a.due_iso, a.due_iso)))

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.open_actions if a.status == OVERDUE)

    @property
    def count_rows(self) -> tuple[tuple[str, str], ...]:
        """The counts under the title, as label and value."""
        open_ = f"{len(self.open_actions):,}"
        if self.overdue:
            open_ += f" ({self.overdue:,} overdue)"
        return (("Open items", open_), ("Done items", f"{len(self.done_actions):,}"),
                ("Key learnings", f"{len(self.learnings):,}"))


def scope_header(scope: tuple[tuple[str, str], ...]) -> str:
    """The scope on one line for the running header: "Vertical: Food · Period: ..."."""
    text = " · ".join(f"{label}: {value}" for label, value in scope if value)
    text = text or "All visits in the archive"
    return text if len(text) <= HEADER_LIMIT else text[:HEADER_LIMIT - 1] + "…"


def pattern_report_stem(iso_date: str, scope: tuple[tuple[str, str], ...]) -> str:
    """"2026-11-23 Food pattern report": the scope's values, without the period, which the
    date already places."""
    name = " ".join(v for label, v in scope if v and label.casefold() != "period")
    return file_stem(iso_date, name or "Archive", "pattern report")


def digest_stem(iso_date: str, team: str) -> str:
    """"2026-11-23 Product digest"."""
    return file_stem(iso_date, team or "Team", "digest")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n:,} {word}s"
