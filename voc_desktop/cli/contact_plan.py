"""The `voc plan` commands: which accounts are due for a contact, and how often each
life-cycle stage is contacted.

    voc plan [--all] [--json]
    voc plan cadence [STAGE [DAYS]] [--json]
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from voc_desktop.cli.output import out, print_json
from voc_desktop.cli.render import table
from voc_desktop.domain.contact_plan import (
    MAX_DAYS,
    MIN_DAYS,
    ContactStatus,
    DueContact,
    load_cadence,
)
from voc_desktop.domain.visit import VisitStatus
from voc_desktop.services.contact_plan import (
    CadenceSetting,
    cadence,
    cadence_settings,
    contact_plan,
    due_now,
    parse_stage,
    set_cadence,
)
from voc_desktop.services.workspace.workspace import Workspace

PLAN_KEYS = ("account_id, account, lifecycle_stage, in_icp, icp_note, last_contact, due_date, "
             "days_overdue (negative: days left), status (overdue, due, planned, ok), basis "
             "(planned_visit, next_contact_date, cadence, never_visited), objective, "
             "planned_visit_id")
CADENCE_KEYS = "stage, label, days, default_days, objective"
INDENT = "  "

Sub = Callable[..., argparse.ArgumentParser]


def add_commands(commands: Any, sub: Sub, json_flag: Callable[..., None]) -> None:
    p = sub(commands, "plan", _plan,
            "List the accounts due for a contact, soonest first, each with the one objective "
            "of its next contact. A planned visit sets the date; else the next contact date "
            "written at the last visit; else the stage's cadence. An account never visited "
            "is due now.")
    p.add_argument("--all", dest="everything", action="store_true",
                   help="list every account, also those not due yet and those outside the "
                   "ideal customer profile (shown apart)")
    json_flag(p, f"a list of objects with keys {PLAN_KEYS}")
    actions = p.add_subparsers(dest="plan_action", metavar="ACTION")
    c = sub(actions, "cadence", _cadence,
            "Show how often accounts in each life-cycle stage are contacted, or change one "
            "stage's cadence for this workspace.")
    c.add_argument("stage", nargs="?", metavar="STAGE",
                   help="a life-cycle stage: " + ", ".join(s.stage.value
                                                          for s in load_cadence().stages))
    c.add_argument("days", nargs="?", type=_whole_days, metavar="DAYS",
                   help=f"contact accounts in STAGE every DAYS days ({MIN_DAYS} to {MAX_DAYS})")
    # SUPPRESS: `voc plan --json cadence` keeps the --json given before the action.
    c.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help=f"print JSON instead: a list of objects with keys {CADENCE_KEYS}")


def _whole_days(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days") from None


# --- commands ----------------------------------------------------------------------------

def _plan(ws: Workspace, args: argparse.Namespace) -> int:
    today = date.today()
    everything = contact_plan(ws, today, include_outside_icp=True)
    shown = everything if args.everything else due_now(everything)
    if args.json:
        print_json([plan_to_dict(c) for c in shown])
        return 0
    window = cadence(ws).due_window
    if not everything:
        out(["No accounts yet. `voc demo` fills an empty workspace with a sample."])
        return 0
    lines: list[str] = []
    inside = [c for c in shown if not c.outside_icp]
    outside = [c for c in shown if c.outside_icp]
    horizon = (today + timedelta(days=window)).isoformat()
    if args.everything:
        lines.append(f"Every account's next contact, soonest first (today is {today}):")
    elif inside:
        overdue = sum(c.status is ContactStatus.OVERDUE for c in inside)
        lines.append(f"{_count(len(inside), 'account')} due for a contact by {horizon}"
                     + (f", {overdue} overdue" if overdue else "") + ":")
    else:
        lines.append(f"No account is due for a contact by {horizon}.")
    lines += render_contacts(inside, _width())
    if outside:
        lines += ["", "Outside the ideal customer profile (planned apart):"]
        lines += render_contacts(outside, _width())
    if not args.everything:
        rest = len(everything) - len(shown)
        if rest:
            lines += ["", f"{_count(rest, 'other account')} not listed (not due yet, or "
                      "outside the ideal customer profile): `voc plan --all` shows them."]
    out(lines)
    return 0


def _cadence(ws: Workspace, args: argparse.Namespace) -> int:
    if args.days is not None:
        done = set_cadence(ws, args.stage, args.days)
        default = ("the shipped default" if not done.changed
                   else f"the shipped default is {_count(done.default_days, 'day')}")
        lines = [f"Accounts in the {done.stage.label.lower()} stage are now due for a contact "
                 f"every {_count(done.days, 'day')} ({default})."]
        settings = cadence_settings(ws)
    else:
        settings = cadence_settings(ws)
        if args.stage is not None:
            stage = parse_stage(args.stage)
            settings = [s for s in settings if s.stage is stage]
        lines = render_cadence(settings, cadence(ws).due_window)
    if getattr(args, "json", False):
        print_json([cadence_to_dict(s) for s in settings])
    else:
        out(lines)
    return 0


# --- output ------------------------------------------------------------------------------

def plan_to_dict(c: DueContact) -> dict[str, Any]:
    return {
        "account_id": c.account.id, "account": c.account.name,
        "lifecycle_stage": c.stage.value, "in_icp": c.account.in_icp,
        "icp_note": c.account.icp_note,
        "last_contact": c.last_contact.isoformat() if c.last_contact else None,
        "due_date": c.due_date.isoformat(), "days_overdue": c.days_overdue,
        "status": c.status.value, "basis": c.basis.value, "objective": c.objective,
        "planned_visit_id": c.planned_visit.id if c.planned_visit else None,
    }


def cadence_to_dict(s: CadenceSetting) -> dict[str, Any]:
    return {"stage": s.stage.value, "label": s.stage.label, "days": s.days,
            "default_days": s.default_days, "objective": s.objective}


def render_contacts(contacts: list[DueContact], width: int) -> list[str]:
    """Two lines per account: when and who, then the objective, wrapped under it."""
    whens = [when(c) for c in contacts]
    pad = max((len(w) for w in whens), default=0)
    lines: list[str] = []
    for c, w in zip(contacts, whens, strict=True):
        head = f"{INDENT}{c.due_date.isoformat()}  {w.ljust(pad)}  "
        about = [c.account.name, c.stage.label,
                 f"last visit {c.last_contact}" if c.last_contact else "never visited"]
        if c.outside_icp and c.account.icp_note:
            about.append(f"outside the profile: {c.account.icp_note}")
        hang = " " * len(head)
        lines += textwrap.wrap(" · ".join(about), width, initial_indent=head,
                               subsequent_indent=hang + INDENT)
        planned = (f" (planned visit {c.planned_visit.id[:8]})" if c.planned_visit else "")
        lines += textwrap.wrap(f"Objective: {c.objective}{planned}", width,
                               initial_indent=hang, subsequent_indent=hang + INDENT)
    return lines


def when(c: DueContact) -> str:
    """How the due date stands today, in words: `3 days overdue`, `due in 9 days` …"""
    if c.planned_visit is not None and c.planned_visit.status is not VisitStatus.PLANNED:
        return "visit under way"
    if c.days_overdue > 0:
        return f"{_count(c.days_overdue, 'day')} overdue"
    verb = {ContactStatus.PLANNED: "planned ", ContactStatus.DUE: "due "}.get(c.status, "")
    left = -c.days_overdue
    return f"{verb}today" if left == 0 else f"{verb}in {_count(left, 'day')}"


def render_cadence(settings: list[CadenceSetting], window: int) -> list[str]:
    lines = table(["STAGE", "EVERY", "DEFAULT", "NEXT CONTACT'S OBJECTIVE"], [
        [s.stage.label, _count(s.days, "day"), _count(s.default_days, "day"), s.objective]
        for s in settings])
    return [*lines, "", f"A contact counts as due {_count(window, 'day')} ahead. Change a "
            f"stage with `voc plan cadence STAGE DAYS` ({MIN_DAYS} to {MAX_DAYS} days)."]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else noun + 's'}"


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 100))
