"""The `voc brief` command: the pre-visit brief of a visit, as a one-page PDF.

    voc [--data-dir DIR] brief VISIT_ID [-o FILE] [--json]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from voc_desktop.cli.output import out, print_json, warn
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import find_visit
from voc_desktop.services.workspace.workspace import Workspace

BRIEF_KEYS = "file, size, warnings"

Sub = Callable[..., argparse.ArgumentParser]


def add_commands(commands: Any, sub: Sub, json_flag: Callable[..., None]) -> None:
    p = sub(commands, "brief", _brief,
            "Write the pre-visit brief of a visit as a PDF: what earlier visits to the account "
            "learned, open questions and actions, who was met and which key role never was.")
    p.add_argument("id", metavar="VISIT_ID", help="visit id, or a unique beginning of it")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="where to write the PDF (default: a name made of the visit's date and "
                   "account, in the current folder); an existing file is replaced whole")
    json_flag(p, f"one object with keys {BRIEF_KEYS}")


def _brief(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.brief import export_brief, suggested_brief_name

    visit = find_visit(ws, args.id)
    output: Path = args.output or Path(suggested_brief_name(ws, visit.id))
    if output.is_dir():
        output = output / suggested_brief_name(ws, visit.id)
    elif output.suffix.lower() != ".pdf":
        raise ServiceError(f"The brief is written as a PDF: name the file .pdf, not "
                           f"'{output.name}'.")
    result = export_brief(ws, visit.id, output)
    if args.json:
        print_json({"file": str(result.path.resolve()), "size": result.size,
                    "warnings": list(result.warnings)})
        return 0
    for warning in result.warnings:
        warn(warning)
    out([f"Wrote the brief to {result.path} ({max(1, result.size // 1000)} kB)."])
    return 0
