"""The archive workspace on the command line: search, patterns, reports and exports.

    voc archive search DIR QUERY [filters] [--order ORDER] [--limit N] [--csv FILE] [--json]
    voc archive patterns DIR [--by vertical|segment|role|stage] [--order ORDER] [filters]
                         [--csv FILE] [--json]
    voc archive report DIR -o FILE [--by ...] [filters]        (pattern report, .docx/.pdf)
    voc archive digest DIR --team TEAM [--from DATE] [--to DATE] -o FILE
    voc archive qda DIR -o FILE [--query WORDS] [filters]     (REFI-QDA project, .qdpx)
    voc archive triangulate DIR QUESTION [--spoke ROLE ...] [filters] [--json]
    voc archive duplicates DIR [--json]                       (accounts likely one customer)
    voc archive merge DIR ACCOUNT INTO [--by NAME]            (as a file every lead reads)

Filters: --vertical, --segment, --stage, --role (in the room), --said-by (a role or room),
--bucket, --tag, --account (name or id),
--interviewer, --status, --kind, --team (each may be repeated), --from/--to (YYYY-MM-DD),
and --inside-profile / --include-outside-profile. Every command first derives the findings
of visits imported since the last time.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc_desktop.cli.output import out, print_json
from voc_desktop.domain.accounts import Role
from voc_desktop.domain.findings import (
    ROOM_ROLE,
    Finding,
    FindingFilter,
    FindingKind,
    FindingOrder,
    PatternGroup,
    theme_key,
)
from voc_desktop.domain.visit import Team
from voc_desktop.services.errors import ServiceError

if TYPE_CHECKING:
    from voc_desktop.services.archive.workspace import ArchiveWorkspace

RESULT_KEYS = ("query, total, offset, results[{item_id, kind, visit_id, account_id, account, "
               "vertical, segment, stage, in_icp, visit_date, interviewers, roles, speaker, "
               "bucket, question_key, question, tags, status, team, due_date, text, detail, "
               "snippet, said_by, owner, highlights[[start, end]]}]")
TRIANGULATION_KEYS = ("question_key, visits, columns[{role, label, visits}], rows[{visit_id, "
                      "account, vertical, visit_date, roles_present, said{role: [{item_id, "
                      "kind, text, who}]}}], agreement{shared[{theme, roles}], only{role: "
                      "[theme]}}")
PATTERN_KEYS = ("by, order, unit, accounts, visits, left_out_accounts, most_accounts, "
                "columns[{value, label, accounts}], themes[{theme, accounts, "
                "confirmed_accounts, visits, groups{value: {accounts, visits}}}]")
THEME_ORDERS = ("accounts", "confirmed", "visits", "theme")

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def add_commands(command: Command, json_flag: Callable[..., None]) -> None:
    p = command("search", _search, "Search every visit's answers, probes, quotes, "
                "observations, learnings and actions.")
    p.add_argument("query", metavar="QUERY", help='words to find; "a phrase", OR, -exclude; '
                   "'' lists everything")
    _filters(p)
    p.add_argument("--order", choices=[o.value for o in FindingOrder],
                   default=FindingOrder.RELEVANCE.value, help="sort order (default: best "
                   "match, newest first without words)")
    p.add_argument("--limit", type=int, default=50, help="how many to show (default 50)")
    p.add_argument("--offset", type=int, default=0, help="skip this many first")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write every match to a CSV file")
    json_flag(p, f"one object with keys {RESULT_KEYS}")
    p = command("patterns", _patterns, "Themes by how many accounts and visits raised them, "
                "and at how many accounts customers confirmed them, per vertical, segment, "
                "role or stage.")
    _group(p)
    _filters(p, outside_default=False)
    p.add_argument("--limit", type=int, default=30, help="how many themes (default 30)")
    p.add_argument("--order", choices=THEME_ORDERS, default="accounts",
                   help="most accounts, most confirmed accounts or most visits first, or "
                        "themes A to Z (default accounts)")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write the whole table to CSV")
    json_flag(p, f"one object with keys {PATTERN_KEYS}")
    p = command("report", _report, "Write a pattern report (DOCX or PDF) for a filter: top "
                "themes with evidence, confirmed and corrected learnings, open actions.")
    _group(p)
    _filters(p, outside_default=False)
    _output(p, "the report file, .docx or .pdf (or a folder for the default name)")
    p = command("digest", _digest, "Write one team's digest (DOCX or PDF) for a period.")
    p.add_argument("--team", required=True, choices=[t.value for t in Team])
    p.add_argument("--from", dest="date_from", type=_date, default=None, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_date, default=None, metavar="DATE")
    _output(p, "the digest file, .docx or .pdf (or a folder for the default name)")
    p = command("qda", _qda, "Export the visits a filter finds as a REFI-QDA project "
                "(.qdpx) for QualCoder, NVivo, ATLAS.ti or MAXQDA.")
    p.add_argument("--query", default="", metavar="WORDS",
                   help="only visits where these words are found")
    _filters(p)
    _output(p, "the .qdpx file")
    p = command("triangulate", _triangulate, "One guide question compared by role: what "
                "each role said at each visit, and the themes roles share or one alone raised.")
    p.add_argument("question", metavar="QUESTION", help="the question's key or words of it")
    p.add_argument("--spoke", action="append", default=[], metavar="ROLE",
                   choices=[r.value for r in Role],
                   help="only visits where this role said something about it (repeat: all "
                        "of them)")
    _filters(p)
    json_flag(p, f"one object with keys {TRIANGULATION_KEYS}")
    p = command("duplicates", _duplicates, "Accounts that are likely one customer: the same "
                "name once case and legal form are set aside, or contacts they share.")
    json_flag(p, "a list of {account_id, name, visits, other_id, other_name, other_visits, "
                 "reasons}")
    p = command("merge", _merge, "Merge a duplicate account into another, for every lead of "
                "the archive folder.")
    p.add_argument("account", metavar="ACCOUNT", help="the duplicate: its name or id")
    p.add_argument("into", metavar="INTO", help="the account it becomes part of: name or id")
    p.add_argument("--by", default="", metavar="NAME", help="who merges them (for the record)")


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-09-30") from exc


def _filters(p: argparse.ArgumentParser, outside_default: bool = True) -> None:
    for name, what in (("vertical", "vertical"), ("segment", "segment"),
                       ("stage", "lifecycle stage of the visit"),
                       ("role", "role in the room (economic_buyer, user, ...)"),
                       ("bucket", "bucket of the question"), ("tag", "theme (tag)"),
                       ("account", "account name or id"), ("interviewer", "interviewer"),
                       ("status", "read-back status (confirmed, corrected, rejected, "
                                  "pending) or action status (open, done)"),
                       ("team", "owner team of an action or learning")):
        p.add_argument(f"--{name}", action="append", default=[], metavar="VALUE",
                       help=f"only this {what} (repeat for more)")
    p.add_argument("--said-by", dest="said_by", action="append", default=[],
                   choices=[*(r.value for r in Role), ROOM_ROLE],
                   help="only what someone of this role said, or 'room' for what was said "
                        "with no one named (repeat for more)")
    p.add_argument("--kind", action="append", default=[],
                   choices=[k.value for k in FindingKind], help="only this kind (repeat)")
    p.add_argument("--from", dest="date_from", type=_date, default=None, metavar="DATE",
                   help="visits on or after this date")
    p.add_argument("--to", dest="date_to", type=_date, default=None, metavar="DATE",
                   help="visits on or before this date")
    p.set_defaults(outside_profile=outside_default)
    p.add_argument("--inside-profile", dest="outside_profile", action="store_false",
                   help="leave out accounts outside the ideal customer profile")
    p.add_argument("--include-outside-profile", dest="outside_profile", action="store_true",
                   help="count accounts outside the ideal customer profile too")


def _group(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", choices=[g.value for g in PatternGroup],
                   default=PatternGroup.VERTICAL.value, help="compare across (default "
                   "vertical)")


def _output(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help=what)


def _lens(args: argparse.Namespace) -> ArchiveWorkspace:
    from voc_desktop.services.archive.workspace import ArchiveWorkspace

    lens = ArchiveWorkspace.open(args.folder, index=args.index, data_dir=args.data_dir)
    try:
        lens.refresh()
    except BaseException:
        lens.close()
        raise
    return lens


def _filter(lens: ArchiveWorkspace, args: argparse.Namespace) -> FindingFilter:
    accounts = []
    if args.account:
        known = lens.choices().accounts
        for wanted in args.account:
            hits = [c.value for c in known if wanted.casefold() in (c.label.casefold(),
                                                                    c.value)]
            if not hits:
                raise ServiceError(f"No account '{wanted}' in this archive.")
            accounts += hits
    return FindingFilter(
        query=getattr(args, "query", "") or "", verticals=tuple(args.vertical),
        segments=tuple(args.segment), stages=tuple(args.stage), roles=tuple(args.role),
        said_by=tuple(args.said_by),
        buckets=tuple(args.bucket), tags=tuple(theme_key(t) for t in args.tag),
        accounts=tuple(accounts), interviewers=tuple(args.interviewer),
        statuses=tuple(args.status), kinds=tuple(args.kind), teams=tuple(args.team),
        date_from=args.date_from or "", date_to=args.date_to or "",
        include_outside_icp=args.outside_profile)


def _finding_dict(f: Finding) -> dict[str, Any]:
    data = asdict(f)
    data["highlights"] = [list(m) for m in data.pop("marks")]
    return data


def _search(args: argparse.Namespace) -> int:
    with _lens(args) as lens:
        flt = _filter(lens, args)
        order = FindingOrder(args.order)
        total = lens.count(flt)
        found = lens.find(flt, order, max(0, args.offset), max(0, args.limit))
        if args.csv:
            from voc_desktop.services.archive.exports import export_findings_csv

            written = export_findings_csv(lens, flt, order, args.csv)
    if args.json:
        print_json({"query": flt.query, "total": total, "offset": args.offset,
                    "results": [_finding_dict(f) for f in found]})
    else:
        lines = [_n(total, "finding")
                 + (f", showing {args.offset + 1}–{args.offset + len(found)}" if found
                    and len(found) < total else "")]
        for f in found:
            who = f" ({f.speaker})" if f.speaker else (f" (owner {f.owner})" if f.owner else "")
            lines.append(f"{f.visit_date}  {f.account}  {f.kind_label}{who}")
            lines.append(f"    {_one_line(f.snippet or f.text)}")
        out(lines)
    if args.csv:
        out([f"Wrote {written} rows to {args.csv}"])
    return 0


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _one_line(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _patterns(args: argparse.Namespace) -> int:
    group = PatternGroup(args.by)
    with _lens(args) as lens:
        flt = _filter(lens, args)
        rows = lens.pattern_rows(flt, group, args.order, 0, max(0, args.limit))
        accounts, visits = lens.scope(flt)
        every, _ = lens.scope(FindingFilter(**{**asdict(flt), "include_outside_icp": True}))
        values = lens.group_values(flt, group)
        most = lens.most_accounts(flt)
        if args.csv:
            from voc_desktop.services.archive.exports import export_patterns_csv

            export_patterns_csv(lens, flt, group, args.csv)
    left_out = every - accounts if not flt.include_outside_icp else 0
    if args.json:
        print_json({"by": group.value, "order": args.order, "unit": "accounts",
                    "accounts": accounts,
                    "visits": visits, "left_out_accounts": left_out,
                    "most_accounts": most,
                    "columns": [{"value": c.value, "label": c.label, "accounts": c.count}
                                for c in values],
                    "themes": [{"theme": r.theme, "accounts": r.accounts,
                                "confirmed_accounts": r.confirmed, "visits": r.visits,
                                "groups": {k: {"accounts": a, "visits": v}
                                           for k, (a, v) in sorted(r.by_group.items())}}
                               for r in rows]})
        return 0
    lines = [f"Themes in {_n(visits, 'visit')} at {_n(accounts, 'account')}"
             + (f" ({_n(left_out, 'account')} outside the profile left out)"
                if left_out else "")]
    width = max([len(r.theme) for r in rows] + [5])
    lines.append(f"{'Theme':<{width}}  Accounts  Confirmed  Visits  " + "  ".join(
        c.label for c in values))
    for r in rows:
        lines.append(f"{r.theme:<{width}}  {r.accounts:>8}  {r.confirmed:>9}  {r.visits:>6}  "
                     + "  ".join(
            f"{r.by_group.get(c.value, (0, 0))[0]:>{len(c.label)}}" for c in values))
    out(lines)
    if args.csv:
        out([f"Wrote the table to {args.csv}"])
    return 0


def _report(args: argparse.Namespace) -> int:
    from voc_desktop.services.archive.reports import export_pattern_report

    with _lens(args) as lens:
        result = export_pattern_report(lens, _filter(lens, args), PatternGroup(args.by),
                                       args.output)
    out([f"Wrote {result.path}"] + [f"warning: {w}" for w in result.warnings])
    return 0


def _digest(args: argparse.Namespace) -> int:
    from voc_desktop.services.archive.reports import export_team_digest

    with _lens(args) as lens:
        result = export_team_digest(lens, args.team, args.date_from or "", args.date_to or "",
                                    args.output)
    out([f"Wrote {result.path}"] + [f"warning: {w}" for w in result.warnings])
    return 0


def _qda(args: argparse.Namespace) -> int:
    from voc_desktop.services.archive.exports import export_qda

    with _lens(args) as lens:
        sources = export_qda(lens, _filter(lens, args), args.output)
    out([f"Wrote {sources} visit{'' if sources == 1 else 's'} to {args.output}"])
    return 0


def _triangulate(args: argparse.Namespace) -> int:
    from voc_desktop.services.archive.triangulation import (
        column_label,
        find_question,
        triangulation_data,
    )

    with _lens(args) as lens:
        key = find_question(lens, args.question)
        flt = replace(_filter(lens, args), question_key=key, spoke=tuple(args.spoke),
                      query="")
        data = triangulation_data(lens, flt)
    if args.json:
        print_json(data)
        return 0
    lines = [f"{key}: answered at {_n(data['visits'], 'visit')}; spoke: " + ", ".join(
        f"{c['label']} at {_n(c['visits'], 'visit')}" for c in data["columns"])]
    for row in data["rows"]:
        lines.append(f"{row['visit_date']}  {row['account']}")
        for role, said in row["said"].items():
            for f in said:
                lines.append(f"    {column_label(role)}: {_one_line(f['text'], 90)}")
    shared = data["agreement"]["shared"]
    lines.append("Said by several roles: " + ("; ".join(
        f"{s['theme']} ({', '.join(column_label(r) for r in s['roles'])})" for s in shared)
        or "no theme yet"))
    for role, themes in data["agreement"]["only"].items():
        lines.append(f"Only {column_label(role)}: {', '.join(themes)}")
    out(lines)
    return 0


def _duplicates(args: argparse.Namespace) -> int:
    with _lens(args) as lens:
        found = lens.duplicates()
    if args.json:
        print_json([asdict(d) for d in found])
        return 0
    out([f"{d.name} ({_n(d.visits, 'visit')}) and {d.other_name} ({_n(d.other_visits, 'visit')})"
         f": {'; '.join(d.reasons)}\n    voc archive merge DIR {d.other_id} {d.account_id}"
         for d in found] or ["No likely duplicates."])
    return 0


def _account_id(lens: ArchiveWorkspace, wanted: str) -> str:
    known = [(c.value, c.label) for c in lens.choices().accounts]
    hits = [v for v, label in known if wanted in (v,) or wanted.casefold() == label.casefold()]
    if len(hits) != 1:
        raise ServiceError(f"No one account '{wanted}' in this archive; give its id "
                           "('voc archive duplicates DIR' lists them).")
    return hits[0]


def _merge(args: argparse.Namespace) -> int:
    with _lens(args) as lens:
        account, into = _account_id(lens, args.account), _account_id(lens, args.into)
        lens.merge_accounts(account, into, args.by)
    out([f"Merged {args.account} into {args.into}; every lead's index follows."])
    return 0
