"""`voc coach check [FILE] [--json]`: the coach's flags for notes, one note per line.

    voc coach check [FILE] [--json]

Each line of FILE (or of standard input) is checked as one interviewer note, the way the
coach beside the interview checks it: pitching, promising and leading wording, each with
the words at fault, where they are in the line, and why it matters. A line that does not
look English says so, because the coaching only reads English. The check only advises: it
exits with 0 whatever it finds, and touches no workspace.

With `--json`, one JSON object per input line, in order:
`{"text": ..., "flags": [{"kind": ..., "phrase": ..., "start": ..., "end": ..., "reason": ...}]}`;
offsets count characters of the line without its line break.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from voc_desktop.cli.menu import summary
from voc_desktop.cli.output import out
from voc_desktop.domain.coaching.language import language_notice
from voc_desktop.domain.coaching.pitch import detect
from voc_desktop.services.errors import ServiceError

LANGUAGE = "language"  # the kind of the flag that says the coaching cannot read a line
CHECK_KEYS = "text, flags[{kind, phrase, start, end, reason}]"
CHECK_HELP = ("Check interviewer notes, one per line, for pitching, promising and leading "
              "wording, as the coach does during a visit. Reads FILE, or standard input.")

Sub = Callable[..., argparse.ArgumentParser]


def add_commands(commands: Any, sub: Sub, json_flag: Callable[..., None]) -> None:
    """Add `voc coach check`."""
    coach = commands.add_parser("coach", help=summary("coach")).add_subparsers(
        dest="action", required=True, metavar="ACTION")
    p = sub(coach, "check", _check, CHECK_HELP)
    p.set_defaults(needs_workspace=False)
    p.add_argument("file", nargs="?", type=Path, metavar="FILE",
                   help="a text file with one note per line (default: standard input)")
    json_flag(p, f"one object per input line, in order, with keys {CHECK_KEYS}")


def note_flags(text: str) -> list[dict[str, Any]]:
    """The flags of one note, in the `--json` form."""
    flags = [{"kind": f.kind.value, "phrase": f.phrase, "start": f.start, "end": f.end,
              "reason": f.reason} for f in detect(text)]
    notice = language_notice(text)
    if notice and not flags:
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        flags.append({"kind": LANGUAGE, "phrase": text[start:end], "start": start,
                      "end": end, "reason": notice})
    return flags


def render_note(number: int, text: str, flags: list[dict[str, Any]], width: int) -> list[str]:
    """One note and its flags as lines of text no wider than ``width``."""
    head = f"{number}. "
    indent = " " * len(head)
    lines = textwrap.wrap(text.strip() or "(empty line)", width, initial_indent=head,
                          subsequent_indent=indent) or [head.rstrip()]
    if not flags:
        return [*lines, f"{indent}- no flags"]
    for flag in flags:
        where = f"{flag['start']}-{flag['end']}"
        lines += textwrap.wrap(f'{flag["kind"]} at {where} ("{flag["phrase"]}"): '
                               f'{flag["reason"]}', width, initial_indent=f"{indent}- ",
                               subsequent_indent=f"{indent}  ", break_on_hyphens=False)
    return lines


def _lines(source: Iterable[str]) -> Iterator[str]:
    for line in source:
        yield line.rstrip("\r\n")


def _read(path: Path | None) -> list[str]:
    if path is None:
        return list(_lines(sys.stdin))
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            return list(_lines(handle))
    except OSError as exc:
        raise ServiceError(f"Cannot read {path}: {exc.strerror or exc}") from exc


def _check(_ws: object, args: argparse.Namespace) -> int:
    notes = _read(args.file)
    for number, text in enumerate(notes, start=1):
        flags = note_flags(text)
        if args.json:
            sys.stdout.write(json.dumps({"text": text, "flags": flags}, ensure_ascii=False)
                             + "\n")
        else:
            out(render_note(number, text, flags, 100))
    return 0
