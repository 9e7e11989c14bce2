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


def size_text(size: int) -> str:
    """A file size as people read it: "262 kB", "4.1 MB"."""
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, size // 1000)} kB"
