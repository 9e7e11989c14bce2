"""The `voc` command line: `main` parses the command and runs it; each module holds one
command family. Imports services/ and below; never ui/ or Qt."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `voc` command; the console script and `python -m voc_desktop.cli` call this."""
    from voc_desktop.cli.command import main as run  # each command loads only when it runs

    return run(argv)
