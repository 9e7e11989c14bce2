"""The `voc` command line: read visits, guides and accounts, move guide files, make a demo.

    voc [--data-dir DIR] visit list [--status STATUS] [--account NAME_OR_ID] [--json]
    voc [--data-dir DIR] visit show ID [--json]
    voc [--data-dir DIR] guide list [--json]
    voc [--data-dir DIR] guide show ID [--json]
    voc [--data-dir DIR] guide import FILE
    voc [--data-dir DIR] guide export ID -o FILE
    voc guide check FILE [--json]
    voc coach check [FILE] [--json]
    voc [--data-dir DIR] account list [--json]
    voc [--data-dir DIR] report ID [--format docx|pdf] [-o FILE]
    voc [--data-dir DIR] bundle export [-o PATH] [--all] [--no-encrypt] [--json]
    voc [--data-dir DIR] device-key [--json]
    voc [--data-dir DIR] settings archive-key [KEY | --clear] [--json]
    voc [--data-dir DIR] contact erase ID --yes
    voc [--data-dir DIR] pack import FILE [--json]
    voc [--data-dir DIR] plan [--all] [--json]
    voc [--data-dir DIR] brief ID [-o FILE] [--json]
    voc [--data-dir DIR] plan cadence [STAGE [DAYS]] [--json]
    voc archive init|key|trust|devices|import|held|accept|refuse|conflicts|resolve|pack|rebuild|
        search|patterns|report|digest|qda
        DIR ... [--index PATH]   (see `voc archive --help`)
    voc [--data-dir DIR] backup list|now|restore NAME|--latest [--yes]   (see `voc backup --help`)
    voc [--data-dir DIR] demo

The workspace folder is `--data-dir`, else `VOC_DATA_DIR`, else the platform's data folder.
JSON output uses the keys listed in each command's `--help`; ids are always given in full.
Expected problems print one line starting `voc: error:` on stderr and exit with 1, or with
2 for a command line that cannot be understood.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from voc_desktop.cli import menu
from voc_desktop.cli.output import out as _out
from voc_desktop.cli.output import print_json as _json
from voc_desktop.cli.output import size_text, warn
from voc_desktop.services.workspace import DATA_DIR_ENV

if TYPE_CHECKING:
    from voc_desktop.domain.accounts import Account
    from voc_desktop.services.workspace.workspace import Workspace

VISIT_KEYS = ("id, visit_date, account_id, account, status, lifecycle_stage, objective, place, "
              "interviewers, guide_version_id, next_contact_date")
VISIT_SHOW_KEYS = (
    "id, objective, visit_date, place, interviewers, lifecycle_stage, status, started_at, "
    "ended_at, account{id, name, vertical, segment, lifecycle_stage, in_icp}, "
    "guide{version_id, guide_id, name, version}, attendees[{contact_id, display_name, title, "
    "roles, consent{given, quote_by_name, method, scope}}], sections[{key, title, bucket, "
    "bucket_label, questions[{key, text, skipped, answer, notes}]}], other_notes, "
    "key_learnings[{id, text, status, correction, final_text, source_entry_id}], "
    "summary_skip_reason, action_items[{team, team_label, items[{id, text, status, due_date, "
    "owner}]}], "
    "next_contact_date. Each note: id, kind, text, offset_seconds, offset, speaker, said_by, "
    "attachment, tags, flags, key_learning_id, probes (notes again, nested)")
GUIDE_KEYS = "version_id, guide_id, name, version, sections, questions"
GUIDE_SHOW_KEYS = ("version_id, guide_id, name, version, description, sections[{key, title, "
                   "bucket, bucket_label, intro, questions[{key, text, hint, probes}]}]")
ACCOUNT_KEYS = ("id, name, vertical, segment, lifecycle_stage, in_icp, icp_note, contacts, "
                "visits")

Handler = Callable[["Workspace", argparse.Namespace], int]
Sub = Callable[..., argparse.ArgumentParser]
JsonFlag = Callable[[argparse.ArgumentParser, str], None]


class UsageError(Exception):
    """The command line itself could not be understood."""


class _Parser(argparse.ArgumentParser):
    # argparse would print the whole usage block and exit; one line that says what is wrong
    # and where to look is easier to read, and main() decides the exit code.
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser for the command `argv` names, with every other command listed by its
    summary only: the modules of the commands that do not run are not even imported."""
    # --data-dir is accepted before or after the command; SUPPRESS keeps a later, absent
    # copy from overwriting one given earlier.
    common = _Parser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                        help=f"workspace folder (overrides {DATA_DIR_ENV})")
    parser = _Parser(prog="voc", description="Read and manage the VOC Desktop workspace "
                     "from the command line.")
    parser.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                        help=f"workspace folder (overrides {DATA_DIR_ENV} and the default)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def sub(group: Any, name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        line = menu.summary(name) if group is commands else text
        p = group.add_parser(name, parents=[common], help=line, description=text)
        p.set_defaults(handler=handler)
        return p

    def json_flag(p: argparse.ArgumentParser, keys: str) -> None:
        p.add_argument("--json", action="store_true", help=f"print JSON instead: {keys}")

    word = menu.command_word(argv)
    chosen = menu.module_of(word)
    built: set[str] = set()
    if chosen == "command" and word is not None:
        _OWN_COMMANDS[word](commands, sub, json_flag)
        built.add(word)
    elif chosen is not None:
        family = importlib.import_module(f"voc_desktop.cli.{chosen}")
        family.add_commands(commands, sub, json_flag)
        built.update(name for name, module, _line in menu.COMMANDS if module == chosen)
    for name, _module, line in menu.COMMANDS:
        if name not in built:
            commands.add_parser(name, help=line)
    return parser


def _add_visit(commands: Any, sub: Sub, json_flag: JsonFlag) -> None:
    from voc_desktop.domain.visit import VisitStatus

    visit = commands.add_parser("visit", help=menu.summary("visit")).add_subparsers(
        dest="action", required=True, metavar="ACTION")
    p = sub(visit, "list", _visit_list, "List visits, newest first.")
    p.add_argument("--status", choices=[s.value for s in VisitStatus],
                   help="only visits with this status")
    p.add_argument("--account", metavar="NAME_OR_ID",
                   help="only visits to this account (name or id)")
    json_flag(p, f"a list of objects with keys {VISIT_KEYS}")
    p = sub(visit, "show", _visit_show, "Show everything captured in one visit.")
    p.add_argument("id", metavar="ID", help="visit id, or a unique beginning of it")
    json_flag(p, f"one object with keys {VISIT_SHOW_KEYS}")


def _add_guide(commands: Any, sub: Sub, json_flag: JsonFlag) -> None:
    from voc_desktop.cli import guide_check as cli_guide_check

    guide = commands.add_parser("guide", help=menu.summary("guide"))
    guide = guide.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub(guide, "list", _guide_list, "List the latest version of each guide.")
    json_flag(p, f"a list of objects with keys {GUIDE_KEYS}")
    p = sub(guide, "show", _guide_show, "Show a guide's sections, questions, hints and probes.")
    p.add_argument("id", metavar="ID", help="version id, guide id or guide name")
    json_flag(p, f"one object with keys {GUIDE_SHOW_KEYS}")
    p = sub(guide, "import", _guide_import, "Add a guide file's version to the workspace.")
    p.add_argument("file", type=Path, metavar="FILE", help="a guide file (JSON)")
    p = sub(guide, "export", _guide_export, "Write a guide to a guide file.")
    p.add_argument("id", metavar="ID", help="version id, guide id or guide name")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                   help="where to write the guide file")
    cli_guide_check.add_commands(guide, sub, json_flag)


def _add_account(commands: Any, sub: Sub, json_flag: JsonFlag) -> None:
    account = commands.add_parser("account", help=menu.summary("account")).add_subparsers(
        dest="action", required=True, metavar="ACTION")
    p = sub(account, "list", _account_list, "List accounts with their contacts and visits.")
    json_flag(p, f"a list of objects with keys {ACCOUNT_KEYS}")


def _add_report(commands: Any, sub: Sub, json_flag: JsonFlag) -> None:
    from voc_desktop.services.reports import ReportFormat

    p = sub(commands, "report", _report, "Write a visit report as a Word document or a PDF.")
    p.add_argument("id", metavar="ID", help="visit id, or a unique beginning of it")
    p.add_argument("--format", choices=[f.value for f in ReportFormat],
                   help="docx or pdf (default: from the output file's extension, else pdf)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="where to write the report (default: a name made of the visit's date "
                   "and account, in the current folder); an existing file is replaced whole")


def _add_demo(commands: Any, sub: Sub, json_flag: JsonFlag) -> None:
    sub(commands, "demo", _demo, "Fill an empty workspace with sample accounts and visits.")


# The commands this module runs, each built only when it is the one named.
_OWN_COMMANDS: dict[str, Callable[[Any, Sub, JsonFlag], None]] = {
    "visit": _add_visit, "guide": _add_guide, "account": _add_account, "report": _add_report,
    "demo": _add_demo}


def main(argv: Sequence[str] | None = None) -> int:
    parsed: list[argparse.Namespace] = []
    code: int | None = None
    try:
        code = _run(argv, parsed)
        return code
    finally:
        _log_command(parsed[0] if parsed else None, code)


def _log_command(args: argparse.Namespace | None, code: int | None) -> None:
    """One line in the workspace's `logs/voc.log`: the command and how it ended, nothing of
    its arguments (they name accounts, files and visits). A workspace folder that does not
    exist, or that is refused, gets none."""
    if args is None:
        return
    import logging

    from voc_desktop.logs import setup_logging, shutdown_logging
    from voc_desktop.services.workspace import default_data_dir
    from voc_desktop.services.workspace.place import UnsafePlace, check_workspace_place

    folder = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()
    if not folder.is_dir():
        return
    try:
        check_workspace_place(folder)
    except UnsafePlace:
        return  # no log folder on a network share or in a synced folder either
    command = " ".join(str(part) for part in (args.command, getattr(args, "action", None))
                       if isinstance(part, str))
    setup_logging(folder, file_name="voc.log", hooks=False)
    log = logging.getLogger("voc_desktop.cli")  # also when run as __main__
    try:
        if code is None:
            log.error("voc %s stopped on an error (%s)", command,
                      type(sys.exc_info()[1]).__name__)
        else:
            log.info("voc %s ended with exit code %d", command, code)
    finally:
        shutdown_logging()


def _run(argv: Sequence[str] | None, parsed: list[argparse.Namespace]) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show a character gets a '?' rather than a crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        args = build_parser(words).parse_args(words)
    except UsageError as exc:
        return _fail(str(exc), 2)
    except SystemExit as exc:  # --help has been printed
        return exc.code if isinstance(exc.code, int) else 0
    parsed.append(args)
    from voc_desktop.services.errors import ServiceError

    try:
        # the archive's commands work on the archive's folder, not on this laptop's workspace
        ws = _open_workspace(args) if getattr(args, "needs_workspace", True) else None
    except ServiceError as exc:
        return _fail(str(exc), 1)
    try:
        return args.handler(ws, args)
    except ServiceError as exc:
        if getattr(args, "json", False):
            _json({"error": _one_line(str(exc))})  # a --json caller still gets an answer
        return _fail(str(exc), 1)
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    finally:
        if ws is not None:
            ws.close()


def _open_workspace(args: argparse.Namespace) -> Workspace:
    from voc_desktop.services.errors import ServiceError
    from voc_desktop.services.workspace.workspace import Workspace, WorkspaceDamaged

    try:
        return Workspace.open(args.data_dir)
    except WorkspaceDamaged as exc:
        from voc_desktop.cli.backup import damaged_message

        raise ServiceError(damaged_message(str(exc))) from exc


def _silence_stdout() -> None:
    # The reader (`voc ... | head`) has gone. Pointing stdout at the null device stops
    # Python from reporting the same broken pipe again when it flushes at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _one_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    text = lines[0] if lines else "something went wrong"
    if len(lines) > 1:  # a guide file's problems come one per line; keep them on one
        text = f"{text.rstrip(':')}: {'; '.join(lines[1:])}"
    return text


def _fail(message: str, code: int) -> int:
    print(f"voc: error: {_one_line(message)}", file=sys.stderr)
    return code


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 100))


def _find_account(ws: Workspace, ref: str) -> Account:
    from voc_desktop.services.errors import ServiceError

    found = ws.accounts.get(ref) or ws.accounts.find_by_name(ref)
    if found:
        return found
    matches = [a for a in ws.accounts.list() if len(ref) >= 4 and a.id.startswith(ref)]
    if len(matches) == 1:
        return matches[0]
    raise ServiceError(f"No account matches '{ref}'. `voc account list` shows them.")


# --- commands ----------------------------------------------------------------------------

def _visit_list(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.cli.render import shorten, table
    from voc_desktop.domain.visit import VisitStatus

    account_id = _find_account(ws, args.account).id if args.account else None
    status = VisitStatus(args.status) if args.status else None
    visits = ws.visits.list(account_id=account_id, status=status)
    names = {a.id: a.name for a in ws.accounts.list()}
    if args.json:
        _json([{
            "id": v.id, "visit_date": v.visit_date, "account_id": v.account_id,
            "account": names.get(v.account_id, ""), "status": v.status.value,
            "lifecycle_stage": v.lifecycle_stage.value, "objective": v.objective,
            "place": v.place, "interviewers": list(v.interviewers),
            "guide_version_id": v.guide_version_id, "next_contact_date": v.next_contact_date,
        } for v in visits])
        return 0
    if not visits:
        _out(["No visits match." if account_id or status else "No visits yet."])
        return 0
    _out(table(["ID", "DATE", "ACCOUNT", "STATUS", "OBJECTIVE"], [
        [v.id[:8], v.visit_date, shorten(names.get(v.account_id, "?"), 30), v.status.label,
         shorten(v.objective, 50)] for v in visits]))
    return 0


def _visit_show(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.cli.render import render_visit, visit_to_dict
    from voc_desktop.services.visits import find_visit, load_visit

    record = load_visit(ws, find_visit(ws, args.id).id)
    if args.json:
        _json(visit_to_dict(record))
    else:
        _out(render_visit(record, _width()))
    return 0


def _guide_list(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.cli.render import shorten, table

    guides = ws.guides.list_latest()
    if args.json:
        _json([{"version_id": g.version_id, "guide_id": g.guide.guide_id, "name": g.guide.name,
                "version": g.guide.version, "sections": len(g.guide.sections),
                "questions": g.guide.question_count} for g in guides])
        return 0
    _out(table(["NAME", "VERSION", "SECTIONS", "QUESTIONS", "GUIDE ID"], [
        [shorten(g.guide.name, 40), str(g.guide.version), str(len(g.guide.sections)),
         str(g.guide.question_count), g.guide.guide_id] for g in guides]))
    return 0


def _guide_show(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.cli.render import guide_to_view, render_guide
    from voc_desktop.services.guides import find_guide

    stored = find_guide(ws, args.id)
    if args.json:
        _json(guide_to_view(stored))
    else:
        _out(render_guide(stored, _width()))
    return 0


def _guide_import(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.guides import import_guide

    stored, added = import_guide(ws, args.file)
    g = stored.guide
    if added:
        _out([f"Added '{g.name}' version {g.version} (version id {stored.version_id})."])
    else:
        _out([f"'{g.name}' version {g.version} is already in this workspace; nothing changed."])
    return 0


def _guide_export(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.guides import export_guide

    stored = export_guide(ws, args.id, args.output)
    _out([f"Wrote '{stored.guide.name}' version {stored.guide.version} to {args.output}."])
    return 0


def _account_list(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.cli.render import shorten, table

    rows = [(a, len(ws.accounts.contacts(a.id)), len(ws.visits.list(account_id=a.id)))
            for a in ws.accounts.list()]
    if args.json:
        _json([{"id": a.id, "name": a.name, "vertical": a.vertical, "segment": a.segment,
                "lifecycle_stage": a.lifecycle_stage.value, "in_icp": a.in_icp,
                "icp_note": a.icp_note, "contacts": contacts, "visits": visits}
               for a, contacts, visits in rows])
        return 0
    if not rows:
        _out(["No accounts yet. `voc demo` fills an empty workspace with a sample."])
        return 0
    _out(table(["NAME", "VERTICAL", "SEGMENT", "STAGE", "IN PROFILE", "CONTACTS", "VISITS"], [
        [shorten(a.name, 32), shorten(a.vertical, 28), a.segment, a.lifecycle_stage.label,
         "yes" if a.in_icp else "no", str(contacts), str(visits)]
        for a, contacts, visits in rows]))
    return 0


def _report(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.errors import ServiceError
    from voc_desktop.services.reports import (
        ReportFormat,
        export_visit_report,
        suggested_file_name,
    )
    from voc_desktop.services.visits import find_visit

    visit = find_visit(ws, args.id)
    named = ReportFormat.from_path(args.output) if args.output else None
    if args.format and named and named.value != args.format:
        raise ServiceError(f"'{args.output.name}' names a {named.value} file but --format is "
                           f"{args.format}; make them agree.")
    fmt = (ReportFormat(args.format) if args.format
           else named if args.output and not args.output.is_dir() else ReportFormat.PDF)
    if fmt is None:
        raise ServiceError(f"Cannot tell the format from '{args.output.name}': name the file "
                           ".docx or .pdf, or add --format docx|pdf.")
    output = args.output or Path(suggested_file_name(ws, visit.id, fmt))
    if output.is_dir():
        output = output / suggested_file_name(ws, visit.id, fmt)
    result = export_visit_report(ws, visit.id, output, fmt)
    for warning in result.warnings:
        warn(warning)
    _out([f"Wrote the report to {result.path} ({fmt.label}, {size_text(result.size)})."])
    return 0



def _demo(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.demo.sample_workspace import fill_demo, is_empty
    from voc_desktop.services.errors import ServiceError

    if not is_empty(ws):
        raise ServiceError(f"The workspace in {ws.data_dir} already holds accounts or visits; "
                           "the demo only fills an empty one. Choose a new folder with "
                           "--data-dir.")
    summary = fill_demo(ws)
    names = {a.id: a.name for a in ws.accounts.list()}
    lines = [f"Made a demo workspace in {ws.data_dir}:",
             f"  {len(summary.account_ids)} accounts: "
             + ", ".join(names[i] for i in summary.account_ids),
             f"  {summary.contacts} contacts",
             f"  {len(summary.completed_visit_ids)} completed visits and 1 planned visit:"]
    for visit_id in summary.visit_ids:
        v = ws.visits.get(visit_id)
        assert v is not None
        lines.append(f"    {v.id[:8]}  {v.visit_date}  {v.status.label:<10} "
                     f"{names[v.account_id]}")
    lines += [f"  {summary.entries} notes, {summary.attachments} photos, "
              f"{summary.key_learnings} key learnings, {summary.action_items} action items",
              "", f"Try: voc{_dir_option(args)} visit show {summary.completed_visit_ids[0][:8]}"]
    _out(lines)
    return 0


def _dir_option(args: argparse.Namespace) -> str:
    return f" --data-dir {args.data_dir}" if args.data_dir else ""

