"""The commands `voc --help` lists: each with the module that builds it and one line that
says what it is for. Only the module of the command that runs is imported, so `voc --help`
loads none of them and every command loads just what it uses."""

from __future__ import annotations

from collections.abc import Sequence

# (command, module in voc_desktop.cli that adds it, the line `voc --help` shows)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("visit", "command", "List and show visits."),
    ("guide", "command", "List, show, check, import and export guides."),
    ("account", "command", "List accounts."),
    ("report", "command", "Write a visit report as a Word document or a PDF."),
    ("bundle", "sync", "Export bundles for the archive."),
    ("device-key", "sync", "Show this laptop's public key."),
    ("settings", "sync", "Show and change settings."),
    ("contact", "sync", "Act on a contact."),
    ("pack", "sync", "Take in packs from the archive."),
    ("archive", "archive", "Keep the shared archive of bundles."),
    ("plan", "contact_plan", "List the accounts due for a contact, soonest first."),
    ("brief", "brief", "Write the pre-visit brief of a visit as a PDF."),
    ("coach", "coach", "Check notes the way the coach does during a visit."),
    ("backup", "backup", "List, make and restore workspace backups."),
    ("demo", "command", "Fill an empty workspace with sample accounts and visits."),
)


def summary(command: str) -> str:
    """The line `voc --help` shows for `command`."""
    for name, _module, line in COMMANDS:
        if name == command:
            return line
    raise KeyError(command)


def module_of(word: str | None) -> str | None:
    """The module that builds the command `word`, or None when no command is named so
    (`voc --help`, `voc`, a mistyped command: argparse then lists them all)."""
    for name, module, _line in COMMANDS:
        if name == word:
            return module
    return None


def command_word(argv: Sequence[str]) -> str | None:
    """The first word of `argv` that is neither an option nor the folder after --data-dir."""
    words = iter(argv)
    for word in words:
        if word.startswith("--d") and "--data-dir".startswith(word):  # argparse takes "--data"
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None
