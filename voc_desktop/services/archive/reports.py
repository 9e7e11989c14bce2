"""The archive's cross-visit reports: a pattern report for a filter, and a team's digest.

Both are built from the findings (where the naming rule is already applied), then written
as DOCX or PDF in the visit reports' look, whole or not at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path

from voc_desktop.domain.findings import (
    EVIDENCE_KINDS,
    Finding,
    FindingFilter,
    FindingOrder,
    PatternGroup,
    said_by_label,
)
from voc_desktop.domain.visit import SummaryStatus, Team
from voc_desktop.reports.archive_report import (
    DONE,
    OPEN,
    OVERDUE,
    ActionLine,
    Evidence,
    LearningLine,
    PatternReport,
    RankLine,
    TeamDigest,
    ThemeLine,
    digest_stem,
    pattern_report_stem,
)
from voc_desktop.reports.content import long_date
from voc_desktop.services.archive.act_on import act_on
from voc_desktop.services.archive.exports import all_findings
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.progress import Progress, cancellable
from voc_desktop.services.reports import (
    ExportCancelled,
    ExportResult,
    ReportFormat,
    save_document,
)

MAX_THEMES = 60  # a report a person reads; the CSV export has every theme
EVIDENCE_PER_THEME = 3
MAX_LEARNINGS = 400


def _label(enum: type, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def _who(f: Finding) -> str:
    return f.who


def _evidence(f: Finding) -> Evidence:
    return Evidence(f.text, f.kind_label, _who(f), f.account, long_date(f.visit_date))


def _learning(f: Finding) -> LearningLine:
    try:
        status = SummaryStatus(f.status)
    except ValueError:
        status = SummaryStatus.PENDING
    return LearningLine(f.text, f.detail, status, f.account, long_date(f.visit_date))


def _action(f: Finding, today: str) -> ActionLine:
    status = DONE if f.status == "done" else (
        OVERDUE if f.due_date and f.due_date < today else OPEN)
    return ActionLine(f.text, _label(Team, f.team), status,
                      long_date(f.due_date) if f.due_date else "", f.account,
                      long_date(f.visit_date), f.due_date or "", f.owner)


def _period(date_from: str, date_to: str) -> str:
    if not date_from and not date_to:
        return "All visits"
    return (f"{long_date(date_from) if date_from else 'the first visit'} – "
            f"{long_date(date_to) if date_to else 'today'}")


def _scope(lens: ArchiveWorkspace, flt: FindingFilter) -> tuple[tuple[str, str], ...]:
    lines = [(label, value) for label, value in flt.describe() if label != "Period"]
    if flt.accounts:
        names = {c.value: c.label for c in lens.choices().accounts}
        lines.append(("Account", ", ".join(names.get(a, a) for a in flt.accounts)))
    if flt.date_from or flt.date_to:
        lines.append(("Period", _period(flt.date_from, flt.date_to)))
    return tuple(lines)


def build_pattern_report(lens: ArchiveWorkspace, flt: FindingFilter, group: PatternGroup,
                         check: Progress = lambda p, w: None) -> PatternReport:
    """Top themes with counts and evidence, what customers confirmed and corrected, and
    the open actions per team, for the visits the filter covers."""
    flt = dataclasses.replace(flt, query="", kinds=(), statuses=(), teams=())
    accounts, visits = lens.scope(flt)
    labels = {c.value: c.label for c in lens.group_values(flt, group)}
    rows = lens.pattern_rows(flt, group, "accounts", 0, MAX_THEMES)
    roles = {r.theme: r.by_group for r in lens.pattern_rows(
        dataclasses.replace(flt, tags=tuple(r.theme for r in rows)) if rows else flt,
        PatternGroup.ROLE, "accounts", 0, MAX_THEMES)}
    themes = []
    for n, row in enumerate(rows):
        check(10 + int(50 * n / max(1, len(rows))), "Gathering the evidence")
        evidence = lens.find(dataclasses.replace(flt, tags=(row.theme,), kinds=tuple(
            k.value for k in EVIDENCE_KINDS)), FindingOrder.KIND, 0, EVIDENCE_PER_THEME)
        themes.append(ThemeLine(
            row.theme, row.accounts, row.visits, row.accounts / accounts if accounts else 0.0,
            tuple(sorted(((labels.get(v, v or "(none)"), a) for v, (a, _) in
                          row.by_group.items()), key=lambda x: (-x[1], x[0]))),
            tuple(sorted(((said_by_label(r), a) for r, (a, _) in roles.get(row.theme,
                                                                          {}).items()),
                         key=lambda x: (-x[1], x[0]))),
            tuple(_evidence(f) for f in evidence), confirmed=row.confirmed))
    check(65, "Reading the key learnings")
    learned = dataclasses.replace(flt, kinds=("learning",))
    counts = tuple((SummaryStatus(s).label if s != "pending" else "Not read back",
                    lens.count(dataclasses.replace(learned, statuses=(s,))))
                   for s in ("confirmed", "corrected", "rejected", "pending"))
    by_status: dict[str, list[LearningLine]] = {"confirmed": [], "corrected": [],
                                                "rejected": []}
    for status, lines in by_status.items():
        lines.extend(_learning(f) for f in lens.find(
            dataclasses.replace(learned, statuses=(status,)), FindingOrder.NEWEST, 0,
            MAX_LEARNINGS))
    check(75, "Reading the open action items")
    today = date.today().isoformat()
    per_team: dict[str, list[ActionLine]] = {}
    for f in all_findings(lens, dataclasses.replace(flt, kinds=("action",),
                                                   statuses=("open",)), FindingOrder.DUE):
        per_team.setdefault(f.team, []).append(_action(f, today))
    notes = []
    if not flt.include_outside_icp:
        everyone, _ = lens.scope(dataclasses.replace(flt, include_outside_icp=True))
        if everyone > accounts:
            left = everyone - accounts
            notes.append(f"{left} account{'s are' if left > 1 else ' is'} outside the ideal "
                         "customer profile and left out of every count.")
    total = lens.theme_count(flt)
    if total > len(rows):
        notes.append(f"The {len(rows)} themes raised at most accounts are shown, of {total}; "
                     "the pattern table's CSV export lists them all.")
    notes.append("'Said by' counts the accounts where someone of that role said it; the "
                 "room, those where it was said with no one named.")
    return PatternReport(
        title="Patterns across customer visits", scope=_scope(lens, flt), visits=visits,
        accounts=accounts, group_label=group.label, themes=tuple(themes),
        learning_counts=counts, corrected=tuple(by_status["corrected"]),
        confirmed=tuple(by_status["confirmed"]), rejected=tuple(by_status["rejected"]),
        open_actions=tuple((_label(Team, t), tuple(lines)) for t, lines in sorted(
            per_team.items(), key=lambda x: [t.value for t in Team].index(x[0])
            if x[0] in {t.value for t in Team} else 99)),
        notes=tuple(notes))


def build_team_digest(lens: ArchiveWorkspace, team: str, date_from: str = "",
                      date_to: str = "", shown: FindingFilter | None = None) -> TeamDigest:
    """One team's open and done action items and the learnings routed to it, for visits
    in the period, opening with what to act on first. `shown` is what the Routing page
    shows (kinds, statuses, words): the digest holds the same items."""
    try:
        label = Team(team).label
    except ValueError as exc:
        raise ServiceError(f"There is no team '{team}'; choose one of "
                           f"{', '.join(t.value for t in Team)}.") from exc
    shown = shown or FindingFilter()
    scope = FindingFilter(teams=(team,), date_from=date_from, date_to=date_to,
                          query=shown.query)
    today = date.today().isoformat()
    kinds = shown.kinds or ("action", "learning")

    def items(kind: str, order: FindingOrder) -> list[Finding]:
        if kind not in kinds:
            return []
        statuses = tuple(s for s in shown.statuses
                         if s in ({"open", "done"} if kind == "action" else
                                  {s.value for s in SummaryStatus}))
        if shown.statuses and not statuses:
            return []  # the page shows statuses this kind never has
        return list(all_findings(lens, dataclasses.replace(scope, kinds=(kind,),
                                                           statuses=statuses), order))

    actions = [_action(f, today) for f in items("action", FindingOrder.DUE)]
    learnings = [_learning(f) for f in items("learning", FindingOrder.NEWEST)]
    ranking = tuple(RankLine(t.theme, t.accounts, t.confirmed_accounts, len(t.learnings),
                             len(t.actions), t.overdue)
                    for t in act_on(lens, scope, today))
    extra = [(lab, value) for lab, value in shown.describe() if lab in {"Words", "Status",
                                                                         "Kind"}]
    return TeamDigest(
        team=label, period=_period(date_from, date_to), scope=tuple(extra), ranking=ranking,
        open_actions=tuple(a for a in actions if a.status != DONE),
        done_actions=tuple(a for a in actions if a.status == DONE),
        learnings=tuple(learnings),
        notes=("Key learnings reach a team by the part of the guide they came from: how the "
               "customer operates and uses the product goes to Product, buying to Sales, "
               "competition to Marketing, industry and end customers to Executive / "
               "strategy.",))


def pattern_report_name(flt: FindingFilter, fmt: ReportFormat | str) -> str:
    scope = tuple((label, value) for label, value in flt.describe() if label != "Profile")
    return f"{pattern_report_stem(date.today().isoformat(), scope)}.{ReportFormat(fmt).value}"


def digest_name(team: str, date_from: str, date_to: str, fmt: ReportFormat | str) -> str:
    return f"{digest_stem(date.today().isoformat(), _label(Team, team))}." \
           f"{ReportFormat(fmt).value}"


def _target(path: Path | str, fmt: ReportFormat | str | None,
            default_name: Callable[[ReportFormat], str]) -> tuple[Path, ReportFormat]:
    path = Path(path).expanduser()
    if path.is_dir():
        chosen = ReportFormat(fmt) if fmt else ReportFormat.PDF
        return path / default_name(chosen), chosen
    chosen = ReportFormat(fmt) if fmt else ReportFormat.from_path(path)
    if chosen is None:
        raise ServiceError(f"Cannot tell the report format from '{path.name}': name the file "
                           ".docx or .pdf, or choose a format.")
    return path, chosen


def export_pattern_report(lens: ArchiveWorkspace, flt: FindingFilter, group: PatternGroup,
                          path: Path | str, fmt: ReportFormat | str | None = None, *,
                          progress: Progress | None = None,
                          cancelled: Callable[[], bool] = lambda: False) -> ExportResult:
    target, chosen = _target(path, fmt, lambda f: pattern_report_name(flt, f))
    check = cancellable(progress, cancelled, ExportCancelled)
    check(5, "Counting the themes")
    report = build_pattern_report(lens, flt, group, check)
    from voc_desktop.reports import archive_docx, archive_pdf

    write = (archive_docx.write_pattern_docx if chosen is ReportFormat.DOCX
             else archive_pdf.write_pattern_pdf)
    warnings = save_document(target, "pattern report", lambda f: write(report, f, check))
    if progress:
        progress(100, "Done")
    return ExportResult(target, chosen, target.stat().st_size, warnings)


def export_team_digest(lens: ArchiveWorkspace, team: str, date_from: str, date_to: str,
                       path: Path | str, fmt: ReportFormat | str | None = None, *,
                       shown: FindingFilter | None = None,
                       progress: Progress | None = None,
                       cancelled: Callable[[], bool] = lambda: False) -> ExportResult:
    target, chosen = _target(path, fmt, lambda f: digest_name(team, date_from, date_to, f))
    check = cancellable(progress, cancelled, ExportCancelled)
    check(10, "Gathering the team's items")
    digest = build_team_digest(lens, team, date_from, date_to, shown)
    from voc_desktop.reports import archive_docx, archive_pdf

    write = (archive_docx.write_digest_docx if chosen is ReportFormat.DOCX
             else archive_pdf.write_digest_pdf)
    warnings = save_document(target, "team digest", lambda f: write(digest, f, check))
    if progress:
        progress(100, "Done")
    return ExportResult(target, chosen, target.stat().st_size, warnings)
