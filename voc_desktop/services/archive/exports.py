"""Exports of what the archive workspace shows: CSV of any list, and a REFI-QDA project.

CSV files are UTF-8 with a byte order mark, so spreadsheet programs read accents and
non-Latin scripts right. A cell that begins with = + - @ or a tab would be read by a
spreadsheet as a formula, so it gets a leading apostrophe (`csv_cell` / `csv_value`).
Every file appears whole or not at all, and the naming rule is already applied to the text
in the findings, so exports show people only as they agreed.
"""

from __future__ import annotations

import csv
import getpass
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from voc_desktop.domain.accounts import LifecycleStage, Role
from voc_desktop.domain.findings import (
    EVIDENCE_KINDS,
    Finding,
    FindingFilter,
    FindingKind,
    FindingOrder,
    PatternGroup,
    status_label,
)
from voc_desktop.domain.guide import Bucket
from voc_desktop.domain.visit import ROOM, Team
from voc_desktop.reports.qda import QdaCase, QdaCode, QdaPassage, QdaProject, QdaSource, write_qdpx
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.progress import Progress, cancellable
from voc_desktop.services.reports import ExportCancelled, save_document
from voc_desktop.store.database import now_utc

FINDING_FIELDS = ("date", "account", "vertical", "segment", "lifecycle_stage",
                  "inside_profile", "kind", "text", "correction", "who", "said_by_roles",
                  "roles_present",
                  "bucket", "question", "themes", "status", "team", "owner", "due_date",
                  "interviewers", "visit_id", "finding_id")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PAGE = 5000
VISIT_BATCH = 200


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_value(cell: str) -> str:
    """A cell as written by `csv_cell`, read back to the value it holds."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def _write_csv(path: Path | str, header: Sequence[str],
               rows: Iterable[Sequence[object]]) -> int:
    written = 0

    def fill(out: BinaryIO) -> None:
        nonlocal written
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_cell(v) for v in row])
            written += 1
        text.flush()
        text.detach()

    save_document(Path(path).expanduser(), "CSV file", fill)
    return written


def all_findings(lens: ArchiveWorkspace, flt: FindingFilter,
                 order: FindingOrder = FindingOrder.NEWEST) -> Iterator[Finding]:
    offset = 0
    while page := lens.find(flt, order, offset, PAGE):
        yield from page
        offset += len(page)


def finding_row(f: Finding) -> list[object]:
    """A finding as a CSV row, in the words the app shows (labels, not stored codes)."""
    return [f.visit_date, f.account, f.vertical, f.segment, _enum_label(LifecycleStage, f.stage),
            "yes" if f.in_icp else "no", f.kind_label, f.text, f.detail, f.who,
            _said_by(f), "; ".join(_role_label(r) for r in f.roles),
            _enum_label(Bucket, f.bucket), f.question, "; ".join(f.tags),
            status_label(f.status), _enum_label(Team, f.team), f.owner, f.due_date,
            "; ".join(f.interviewers), f.visit_id, f.item_id]


def export_findings_csv(lens: ArchiveWorkspace, flt: FindingFilter, order: FindingOrder,
                        path: Path | str) -> int:
    """Every finding the filter matches, one row each, in the list's order."""
    return _write_csv(path, FINDING_FIELDS,
                      (finding_row(f) for f in all_findings(lens, flt, order)))


def export_patterns_csv(lens: ArchiveWorkspace, flt: FindingFilter, group: PatternGroup,
                        path: Path | str) -> int:
    """The pattern table: each theme's accounts, the accounts where a customer confirmed it
    and its visits, then accounts and visits per group value."""
    columns = lens.group_values(flt, group)
    values = [c.value for c in columns]
    header = ["theme", "accounts", "confirmed accounts", "visits"]
    for c in columns:
        header += [f"{c.label}: accounts", f"{c.label}: visits"]

    def rows() -> Iterator[list[object]]:
        offset = 0
        while page := lens.pattern_rows(flt, group, "accounts", offset, 1000):
            for r in page:
                cells: list[object] = [r.theme, r.accounts, r.confirmed, r.visits]
                for v in values:
                    cells += list(r.by_group.get(v, (0, 0)))
                yield cells
            offset += len(page)

    return _write_csv(path, header, rows())


def export_triangulation_csv(lens: ArchiveWorkspace, flt: FindingFilter,
                             path: Path | str) -> int:
    """One row per answer, probe or quote to the question: the roles present, and who said
    it by role (the room when no one was named), with kinds as the app names them."""
    header = ("account", "vertical", "date", "roles_present", "question", "kind", "who",
              "said_by", "text", "themes", "visit_id")

    def rows() -> Iterator[list[object]]:
        offset = 0
        while page := lens.triangulation(flt, offset, 200):
            for row in page:
                for f in row.answers:
                    yield [row.account, row.vertical, row.visit_date,
                           "; ".join(_role_label(r) for r in row.roles), f.question,
                           f.kind_label, f.who, _said_by(f), f.text, "; ".join(f.tags),
                           row.visit_id]
            offset += len(page)

    return _write_csv(path, header, rows())


def _enum_label(enum: type, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def _said_by(f: Finding) -> str:
    """The roles of who said it; the room when no one was named (nothing for what the
    interviewer wrote)."""
    if f.said_by:
        return "; ".join(_role_label(r) for r in f.said_by)
    return ROOM if f.kind in EVIDENCE_KINDS else ""


def _role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


# --- REFI-QDA -------------------------------------------------------------------------------

def _passage(f: Finding) -> QdaPassage:
    kind = f"{f.kind_label} ({f.who})" if f.who else f.kind_label
    text = f"{kind}: {f.text}"
    if f.detail:
        text += f"\nCorrected by the customer: {f.detail}"
    if f.kind == FindingKind.LEARNING and f.status:
        text += f"\nRead back: {f.status}"
    if f.kind == FindingKind.ACTION:
        text += (f"\nTeam: {f.team}, {f.status}" + (f", owner {f.owner}" if f.owner else "")
                 + (f", due {f.due_date}" if f.due_date else ""))
    return QdaPassage(text, tuple(f.tags), f.item_id)


def qda_project(lens: ArchiveWorkspace, flt: FindingFilter,
                check: Callable[[int, str], None] = lambda p, w: None) -> QdaProject:
    """Each visit with a matching finding as one text source (all of it, in the order it
    was captured, under its questions), coded with its themes; each account a case."""
    visit_ids = lens.store.visit_ids(flt)
    sources: list[QdaSource] = []
    cases: dict[str, QdaCase] = {}
    codes: set[str] = set()
    for n, visit_id in enumerate(visit_ids):
        if n % VISIT_BATCH == 0:
            check(5 + int(80 * n / max(1, len(visit_ids))), f"Reading visit {n + 1} of "
                                                             f"{len(visit_ids)}")
            batch = lens.store.of_visits(visit_ids[n:n + VISIT_BATCH])
        found = batch[visit_id]
        if not found:
            continue
        first = found[0]
        passages: list[QdaPassage] = []
        question = None
        for f in found:
            if f.question and f.question != question and f.kind not in ("learning",
                                                                          "action"):
                question = f.question
                passages.append(QdaPassage(f"Question: {f.question}", (),
                                           f"q:{f.item_id}"))
            passages.append(_passage(f))
            codes.update(f.tags)
        cases.setdefault(first.account_id, QdaCase(first.account_id, first.account, (
            ("Vertical", first.vertical), ("Segment", first.segment),
            ("Inside the ideal customer profile", "yes" if first.in_icp else "no"))))
        sources.append(QdaSource(
            key=visit_id, name=f"{first.visit_date} {first.account}",
            passages=tuple(passages), created=f"{first.visit_date}T00:00:00Z",
            description=(f"Visit on {first.visit_date}; lifecycle stage {first.stage}; "
                         f"interviewers {', '.join(first.interviewers) or 'not recorded'}"),
            case=first.account_id,
            variables=(("Account", first.account), ("Visit date", first.visit_date),
                       ("Lifecycle stage", first.stage), ("Vertical", first.vertical),
                       ("Segment", first.segment))))
    return QdaProject(
        name=f"VOC archive {lens.name}", created=now_utc(), user=_user(),
        codes=tuple(QdaCode(c, c) for c in sorted(codes)), sources=tuple(sources),
        cases=tuple(cases.values()))


def _user() -> str:
    try:
        return getpass.getuser() or "Analyst"
    except (OSError, KeyError):
        return "Analyst"


def export_qda(lens: ArchiveWorkspace, flt: FindingFilter, path: Path | str, *,
               progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> int:
    """Write a REFI-QDA project (.qdpx) of the visits the filter finds; returns how many."""
    check = cancellable(progress, cancelled or (lambda: False), ExportCancelled)
    project = qda_project(lens, flt, check)
    check(90, "Writing the project")
    save_document(Path(path).expanduser(), "REFI-QDA project",
                  lambda out: write_qdpx(project, out))
    if progress:
        progress(100, "Done")
    return len(project.sources)
