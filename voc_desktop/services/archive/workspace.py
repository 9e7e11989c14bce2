"""The archive workspace: what a research lead asks of many visits at once.

    with ArchiveWorkspace.open(folder) as lens:
        lens.refresh()
        hits = lens.find(FindingFilter(query="changeover", verticals=("Food",)))

Search, patterns, triangulation and routing all read the findings tables (see
store/archive_findings.py), paged and sorted in SQL, so a list of a million findings costs no
more to show than a list of a hundred. One ArchiveWorkspace belongs to one thread: work on
another thread opens its own with `reopen()`.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from voc_desktop.domain.accounts import LifecycleStage, Role
from voc_desktop.domain.findings import (
    EVIDENCE_KINDS,
    ROOM_ROLE,
    Finding,
    FindingFilter,
    FindingKind,
    FindingOrder,
    PatternGroup,
    said_by_label,
)
from voc_desktop.domain.guide import Bucket
from voc_desktop.domain.visit import SummaryStatus, Team
from voc_desktop.services.archive.duplicates import DuplicateSuggestion, keep_merges, suggest
from voc_desktop.services.archive.duplicates import merge as merge_files
from voc_desktop.services.archive.findings import refresh_findings
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.errors import ServiceError
from voc_desktop.store.archive_findings import FindingStore, unbar
from voc_desktop.store.archive_index import ArchiveIndexError


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    count: int = 0  # accounts or visits that have it, where known


@dataclass(frozen=True)
class FilterChoices:
    """Every value each filter can take in this archive."""
    verticals: tuple[Choice, ...]
    segments: tuple[Choice, ...]
    stages: tuple[Choice, ...]
    roles: tuple[Choice, ...]
    buckets: tuple[Choice, ...]
    kinds: tuple[Choice, ...]
    read_back: tuple[Choice, ...]  # the customer's verdicts on what was read back
    teams: tuple[Choice, ...]
    accounts: tuple[Choice, ...]
    interviewers: tuple[Choice, ...]


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    accounts: int
    visits: int
    by_group: dict[str, tuple[int, int]]  # group value -> (accounts, visits)
    # accounts where a customer confirmed a key learning of the theme at the read-back
    confirmed: int = 0

    @property
    def confirmed_share(self) -> float:
        """The share of the accounts that raised the theme where a customer confirmed it."""
        return self.confirmed / self.accounts if self.accounts else 0.0


@dataclass(frozen=True)
class TrendPoint:
    quarter: str  # "2026-Q3"
    visits: int  # visits in the quarter that raised the theme
    all_visits: int  # visits in the quarter in scope

    @property
    def share(self) -> float:
        return self.visits / self.all_visits if self.all_visits else 0.0


@dataclass(frozen=True)
class QuestionChoice:
    key: str
    text: str
    section: str
    bucket: str
    guide: str
    visits: int


# The columns of a triangulation: each role, then the room for what no one was named for.
TRIANGULATION_COLUMNS = (*(r.value for r in Role), ROOM_ROLE)


@dataclass(frozen=True)
class TriangulationRow:
    visit_id: str
    account: str
    vertical: str
    visit_date: str
    roles: tuple[str, ...]  # who was in the room when the question was answered
    answers: tuple[Finding, ...]  # the answers, why-probes and quotes, in the order asked

    def said_by(self, column: str) -> list[Finding]:
        """Only what someone of this role said (ROOM_ROLE: what no one was named for)."""
        if column == ROOM_ROLE:
            return [f for f in self.answers if not f.said_by]
        return [f for f in self.answers if column in f.said_by]


@dataclass(frozen=True)
class Agreement:
    """Themes behind one question's answers: shared by several roles, or one role's own."""
    shared: tuple[tuple[str, tuple[str, ...]], ...]  # (theme, roles that said it)
    only: tuple[tuple[str, tuple[str, ...]], ...]  # (role, themes only that role said)


def _label(enum: type, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


class ArchiveWorkspace:
    """An archive opened to learn from: its folder, its index and the findings in it."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.store = FindingStore(archive.index)

    @classmethod
    def open(cls, folder: Path | str, *, index: Path | None = None,
             data_dir: Path | None = None) -> ArchiveWorkspace:
        archive = Archive.open(Path(folder), index=index, data_dir=data_dir)
        try:
            return cls(archive)  # opens the index, refused on a network or synced folder
        except BaseException:
            archive.close()
            raise

    def reopen(self) -> ArchiveWorkspace:
        """The same archive opened again, for use on another thread."""
        return ArchiveWorkspace.open(self.archive.folder.path, index=self.archive.index_path)

    def for_reading(self) -> ArchiveWorkspace:
        """The same archive on a read-only connection of its own, for the reads a worker
        makes while this lens stays in use on its thread."""
        return ArchiveWorkspace(self.archive.for_reading())

    def interrupt(self) -> None:
        """Stop the query this lens runs now, from any thread: it fails in its own."""
        self.archive.index.interrupt()

    def written(self) -> int:
        """Rows this lens wrote since it opened: whether catching up changed anything."""
        return self.archive.index.changes()

    def close(self) -> None:
        self.archive.close()

    def __enter__(self) -> ArchiveWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self.archive.folder.path.name

    # --- keeping the findings current --------------------------------------------------------

    def stale(self) -> int:
        """Visits whose findings wait to be derived (after an import)."""
        return self.store.stale_count()

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Catch up with the folder (bundles and choices other leads added), then derive
        the findings of the visits that changed; how many visits were derived."""
        self.archive.refresh()
        try:
            keep_merges(self.store, self.archive.folder)
            return refresh_findings(self.archive.index, progress)
        except ArchiveIndexError as exc:
            raise ServiceError(str(exc)) from exc

    # --- duplicate accounts ---------------------------------------------------------------

    def duplicates(self) -> list[DuplicateSuggestion]:
        """Accounts that are likely one customer, from names and shared contacts."""
        return suggest(self.store)

    def merge_accounts(self, account_id: str, into_id: str, by: str = "") -> str:
        """Merge a duplicate into an account, for every lead of the folder; the findings of
        its visits are derived again at once."""
        name = merge_files(self.store, self.archive.folder, account_id, into_id, by)
        refresh_findings(self.archive.index)
        return name

    # --- search -------------------------------------------------------------------------------

    def count(self, flt: FindingFilter) -> int:
        return self.store.count(flt)

    def visits_count(self, flt: FindingFilter) -> int:
        """The visits the findings matching `flt` come from."""
        return len(self.store.visit_ids(flt))

    def find(self, flt: FindingFilter, order: FindingOrder = FindingOrder.RELEVANCE,
             offset: int = 0, limit: int = 100) -> list[Finding]:
        return self.store.find(flt, order, offset, limit)

    def choices(self) -> FilterChoices:
        s = self.store
        return FilterChoices(
            verticals=tuple(Choice(v, v, n) for v, n in s.account_values("vertical")),
            segments=tuple(Choice(v, v, n) for v, n in s.account_values("segment")),
            stages=tuple(Choice(x.value, x.label) for x in LifecycleStage),
            roles=tuple(Choice(x.value, x.label) for x in Role),
            buckets=tuple(Choice(x.value, x.label) for x in Bucket),
            kinds=tuple(Choice(x.value, x.label) for x in FindingKind),
            read_back=tuple(Choice(x.value, x.label) for x in SummaryStatus),
            teams=tuple(Choice(x.value, x.label) for x in Team),
            accounts=tuple(Choice(i, name, n) for i, name, n in s.accounts()),
            interviewers=tuple(Choice(n, n) for n in s.interviewers()))

    def themes(self) -> list[tuple[str, int]]:
        """Every theme and the visits that raised it, most raised first."""
        return self.store.themes()

    # --- patterns -----------------------------------------------------------------------------

    def scope(self, flt: FindingFilter) -> tuple[int, int]:
        """(accounts, visits) the filter covers."""
        return self.store.scope_size(flt)

    def theme_count(self, flt: FindingFilter) -> int:
        return self.store.theme_count(flt)

    def evidence_kinds(self, flt: FindingFilter) -> list[tuple[str, int]]:
        """(kind, findings) of the evidence the filter finds, in the evidence's order."""
        return [(k.value, self.store.count(dataclasses.replace(flt, kinds=(k.value,))))
                for k in EVIDENCE_KINDS if not flt.kinds or k.value in flt.kinds]

    def most_accounts(self, flt: FindingFilter) -> int:
        """The most accounts any theme in scope was raised at (no cell can count more)."""
        top = self.store.theme_totals(flt, "accounts", 0, 1)
        return top[0][1] if top else 0

    def group_values(self, flt: FindingFilter, group: PatternGroup) -> list[Choice]:
        """The columns of a pattern table, with the accounts each has in scope; by role,
        the roles that said something (in the roles' order), then the room."""
        found = self.store.group_values(flt, group)
        if group is PatternGroup.ROLE:
            order = {c: n for n, c in enumerate(TRIANGULATION_COLUMNS)}
            return [Choice(v, said_by_label(v), n) for v, n in
                    sorted(found, key=lambda x: (order.get(x[0], len(order)), x[0]))]
        enum = {PatternGroup.STAGE: LifecycleStage}.get(group)
        return [Choice(v, _label(enum, v) if enum else (v or "(none)"), n) for v, n in found]

    def pattern_rows(self, flt: FindingFilter, group: PatternGroup, order: str = "accounts",
                     offset: int = 0, limit: int = 200) -> list[ThemeRow]:
        """One page of themes, most accounts first, with counts per group value and the
        accounts where customers confirmed each at the read-back."""
        totals = self.store.theme_totals(flt, order, offset, limit)
        tags = [t for t, _, _ in totals]
        per: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        for tag, value, accounts, visits in self.store.theme_groups(flt, group, tags):
            per[tag][value or ""] = (accounts, visits)
        confirmed = self.store.theme_confirmed(flt, tags) if tags else {}
        return [ThemeRow(t, a, v, per.get(t, {}), confirmed.get(t, 0)) for t, a, v in totals]

    def trend(self, flt: FindingFilter, themes: Sequence[str]) -> dict[str, list[TrendPoint]]:
        """Per theme, visits raising it per quarter, against the quarter's visits in scope."""
        rows = self.store.trend(flt, themes)
        quarters = sorted({q for q, tag, _ in rows if tag == "" and q})
        every = {q: n for q, tag, n in rows if tag == ""}
        found = {(q, tag): n for q, tag, n in rows if tag}
        return {t: [TrendPoint(q, found.get((q, t), 0), every.get(q, 0)) for q in quarters]
                for t in themes}

    # --- triangulation ------------------------------------------------------------------------

    def questions(self) -> list[QuestionChoice]:
        return [QuestionChoice(r["question_key"], r["text"] or r["question_key"],
                               r["section"] or "", r["bucket"] or "", r["guide"] or "",
                               r["visits"]) for r in self.store.answered_questions()]

    def triangulation_count(self, flt: FindingFilter) -> int:
        return self.store.answering_count(flt)

    def triangulation(self, flt: FindingFilter, offset: int = 0, limit: int = 100,
                      order: str = "account") -> list[TriangulationRow]:
        """One page of the visits that answered `flt.question_key`, with their answers."""
        visits = self.store.answering_visits(flt, offset, limit, order)
        answers = self.store.of_visits([v["visit_id"] for v in visits], flt.question_key,
                                       ("answer", "probe", "quote"))
        return [TriangulationRow(v["visit_id"], v["account"], v["vertical"], v["visit_date"],
                                 unbar(v["roles"]), tuple(answers[v["visit_id"]]))
                for v in visits]

    def agreement(self, flt: FindingFilter) -> Agreement:
        roles_of: dict[str, set[str]] = defaultdict(set)
        for tag, roles, _account in self.store.tagged_for_question(flt):
            roles_of[tag].update(unbar(roles))  # what the room said agrees with no one
        roles_of = {t: r for t, r in roles_of.items() if r}
        shared = sorted(((t, tuple(sorted(r))) for t, r in roles_of.items() if len(r) > 1),
                        key=lambda x: (-len(x[1]), x[0]))
        only: dict[str, list[str]] = defaultdict(list)
        for tag, roles in roles_of.items():
            if len(roles) == 1:
                only[next(iter(roles))].append(tag)
        return Agreement(tuple(shared), tuple((r, tuple(sorted(ts)))
                                              for r, ts in sorted(only.items())))
