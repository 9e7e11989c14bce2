"""`voc guide check FILE [--json]`: advice on a guide file's wording before it is used.

Each question is read for wording that gets short or polite answers instead of the
customer's story (pitching, leading, hypothetical, two questions in one, yes/no), and the
buckets and tiers that no section asks about are named. The check only advises: it exits
with 0 whatever it finds, and a flagged guide can still be imported and used. It reads the
file alone and does not touch the workspace.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from voc_desktop.cli.output import out, print_json
from voc_desktop.domain.coaching.guide_check import GuideCheck, QuestionCheck, check_guide
from voc_desktop.domain.guide import Guide
from voc_desktop.domain.guide_file import GuideFileError, guide_from_json
from voc_desktop.services.errors import ServiceError

CHECK_KEYS = ("guide{guide_id, name, version, questions}, questions[{key, number, text, "
              "findings[{kind, reason, phrase}]}] (flagged questions only, numbered in "
              "interview order), uncovered[{bucket, label, tier, reason}], ok")
CHECK_HELP = ("Check a guide file's questions for pitching, leading, hypothetical, "
              "double-barrelled and yes/no wording, and name the buckets no section covers. "
              "The check only advises: it exits with 0 even when it flags questions.")

Sub = Callable[..., argparse.ArgumentParser]


def add_commands(guide_group: Any, sub: Sub, json_flag: Callable[..., None]) -> None:
    """Add `check` to the `voc guide` subcommands."""
    p = sub(guide_group, "check", _check, CHECK_HELP)
    p.set_defaults(needs_workspace=False)
    p.add_argument("file", type=Path, metavar="FILE", help="a guide file (JSON)")
    json_flag(p, f"one object with keys {CHECK_KEYS}")


def read_guide_file(path: Path) -> Guide:
    """The guide in the file at ``path``; ServiceError says why it cannot be used."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ServiceError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return guide_from_json(data)
    except GuideFileError as exc:
        raise ServiceError(f"{Path(path).name} is not a valid guide file:\n{exc}") from exc


def check_to_dict(result: GuideCheck) -> dict[str, Any]:
    """The `--json` form of a check."""
    guide = result.guide
    return {
        "guide": {"guide_id": guide.guide_id, "name": guide.name, "version": guide.version,
                  "questions": guide.question_count},
        "questions": [
            {"key": q.key, "number": q.number, "text": q.text,
             "findings": [{"kind": f.kind.value, "reason": f.reason, "phrase": f.phrase}
                          for f in q.findings]}
            for q in result.questions
        ],
        "uncovered": [{"bucket": gap.bucket.value, "label": gap.bucket.label,
                       "tier": gap.bucket.is_tier, "reason": gap.reason}
                      for gap in result.uncovered],
        "ok": result.ok,
    }


def render_check(result: GuideCheck, width: int) -> list[str]:
    """The check as lines of text no wider than ``width``."""
    guide = result.guide
    flagged = result.questions
    count = guide.question_count
    head = (f"Checked '{guide.name}' version {guide.version}: {count} "
            f"question{'' if count == 1 else 's'}")
    if result.ok:
        return [f"{head}; every question reads open and neutral, and every bucket and "
                "tier has a section."]
    lines = [f"{head}, {len(flagged)} to look at." if flagged else f"{head}, all worded well."]
    digits = len(str(max((q.number for q in flagged), default=1)))
    for question in flagged:
        lines += [""] + _question_lines(question, digits, width)
    if result.uncovered:
        lines += ["", "Not covered by any section:"]
        for gap in result.uncovered:
            lines += _wrap(f"{gap.bucket.label}: {gap.reason}", width, "  ", "    ")
    lines += ["", "The check only advises; the guide can be used as it is."]
    return lines


def _question_lines(question: QuestionCheck, digits: int, width: int) -> list[str]:
    number = f"{question.number:>{digits}}. "
    indent = " " * len(number)
    lines = _wrap(question.text, width, number, indent)
    for finding in question.findings:
        lines += _wrap(f'{finding.kind.label} ("{finding.phrase}"): {finding.reason}', width,
                       f"{indent}- ", f"{indent}  ")
    return lines


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    # Guide texts may hold line breaks; the listing keeps each entry as one paragraph.
    return textwrap.wrap(" ".join(text.split()), width, initial_indent=first,
                         subsequent_indent=rest, break_on_hyphens=False) or [first.rstrip()]


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 100))


def _check(_ws: object, args: argparse.Namespace) -> int:
    result = check_guide(read_guide_file(args.file))
    if args.json:
        print_json(check_to_dict(result))
    else:
        out(render_check(result, _width()))
    return 0
