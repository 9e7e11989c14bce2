"""How every `voc` command prints: lines of text, or JSON."""

from __future__ import annotations

import json
import sys


def out(lines: list[str]) -> None:
    sys.stdout.write("".join(f"{line}\n" for line in lines))


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def warn(message: str) -> None:
    print(f"voc: warning: {message}", file=sys.stderr)
