"""The `voc backup` commands: list the workspace's backups, make one, put one back.

    voc backup list [--json]
    voc backup now [--json]
    voc backup restore NAME|--latest [--yes] [--json]

They work on the backups folder and the workspace file directly, without opening the
workspace first, so they also help when the workspace is damaged.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from voc_desktop.cli.menu import summary
from voc_desktop.cli.output import out, print_json, size_text
from voc_desktop.cli.render import table
from voc_desktop.services import backups
from voc_desktop.services.backups import BackupInfo
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace import default_data_dir

RESTORE_HINT = "restore the latest good backup with `voc backup restore --latest`"
BACKUP_KEYS = "name, file, created_at, reason, reason_text, size, visits, verified"
RESTORE_KEYS = (f"restored{{{BACKUP_KEYS}}}, before_restore{{...}} (null when the workspace "
                "was damaged or missing), damaged_kept (where a damaged workspace was set "
                "aside, or null)")

Sub = Callable[..., argparse.ArgumentParser]


def add_commands(commands: Any, sub: Sub, json_flag: Callable[..., None]) -> None:
    group = commands.add_parser("backup", help=summary("backup"))
    group = group.add_subparsers(dest="action", required=True, metavar="ACTION")

    def command(name: str, handler: Callable[[argparse.Namespace], int],
                text: str) -> argparse.ArgumentParser:
        p = sub(group, name, lambda _ws, args: handler(args), text)
        p.set_defaults(needs_workspace=False)  # they must work on a damaged workspace too
        return p

    p = command("list", _list, "List the workspace's backups, newest first.")
    json_flag(p, f"a list of objects with keys {BACKUP_KEYS}")
    p = command("now", _now, "Back up the workspace now (older backups are thinned out: "
                "recent ones, one a day for two weeks, one a week for two months).")
    json_flag(p, f"one object with keys {BACKUP_KEYS}")
    p = command("restore", _restore, "Put a backup in place of the workspace. The current "
                "workspace is backed up first (a damaged one is kept in the backups folder).")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("name", nargs="?", metavar="NAME",
                       help="the backup's file name, as `voc backup list` shows it")
    which.add_argument("--latest", action="store_true",
                       help="the newest backup that passes SQLite's integrity check")
    p.add_argument("--yes", action="store_true", help="restore without asking first")
    json_flag(p, f"one object with keys {RESTORE_KEYS}")


def damaged_message(message: str) -> str:
    """The text for a command that met a damaged workspace."""
    return f"{message.rstrip('.')}; {RESTORE_HINT}."


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()


def _list(args: argparse.Namespace) -> int:
    found = backups.list_backups(_data_dir(args))
    if args.json:
        print_json([_as_dict(b) for b in found])
        return 0
    if not found:
        out([f"No backups yet in {backups.backups_dir(_data_dir(args))}. "
             "`voc backup now` makes one."])
        return 0
    out(table(["NAME", "MADE", "WHY", "SIZE", "VISITS"], [
        [b.name, _local(b), b.reason_words, size_text(b.size),
         str(b.visits) if b.verified else "unreadable"] for b in found]))
    return 0


def _now(args: argparse.Namespace) -> int:
    made = backups.make_backup(_data_dir(args), "manual")
    if args.json:
        print_json(_as_dict(made))
    else:
        out([f"Backed up the workspace to {made.path} ({size_text(made.size)}, "
             f"{_visits(made.visits)}); it passed SQLite's integrity check."])
    return 0


def _restore(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    if args.latest:
        chosen = backups.latest_good(data_dir)
        if chosen is None:
            raise ServiceError(f"There is no good backup in {backups.backups_dir(data_dir)} "
                               "to restore.")
    else:
        chosen = backups.find_backup(data_dir, args.name)
    what = (f"the backup made {_local(chosen)} ({chosen.reason_words.lower()}, "
            f"{_visits(chosen.visits)})")
    if not args.yes:
        if not sys.stdin.isatty():
            raise ServiceError(f"Restoring puts {what} in place of the workspace, which is "
                               "backed up first: add --yes to restore.")
        if not _confirmed(f"Restore {what}? The current workspace is backed up first."):
            raise ServiceError("Not restored: nothing was changed.")
    result = backups.restore(data_dir, chosen.name)
    if args.json:
        print_json({"restored": _as_dict(result.restored),
                    "before_restore": (_as_dict(result.before_restore)
                                       if result.before_restore else None),
                    "damaged_kept": str(result.damaged_kept) if result.damaged_kept else None})
        return 0
    lines = [f"Restored the backup made {_local(chosen)} ({_visits(chosen.visits)})."]
    if result.before_restore:
        lines.append(f"  The workspace as it was is backed up as {result.before_restore.name}.")
    if result.damaged_kept:
        lines.append(f"  The damaged workspace is kept as {result.damaged_kept}.")
    out(lines)
    return 0


def _confirmed(question: str) -> bool:
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _as_dict(b: BackupInfo) -> dict[str, Any]:
    return {"name": b.name, "file": str(b.path),
            "created_at": b.when.isoformat().replace("+00:00", "Z"), "reason": b.reason,
            "reason_text": b.reason_words, "size": b.size, "visits": b.visits,
            "verified": b.verified}


def _local(b: BackupInfo) -> str:
    return b.when.astimezone().strftime("%Y-%m-%d %H:%M")


def _visits(count: int | None) -> str:
    if count is None:
        return "visits unknown"
    return f"{count} visit{'' if count == 1 else 's'}"
