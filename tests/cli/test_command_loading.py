"""Each `voc` command loads only what it runs on: `voc --help` none of the services, a
laptop command none of the archive, reports or coaching, the archive's commands none of the
laptop's reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from voc_desktop.cli import main, menu


def loaded_modules(*argv: str) -> set[str]:
    """The voc_desktop modules a fresh process has imported after running `voc argv`."""
    script = ("import json, sys\n"
              "from voc_desktop.cli import main\n"
              f"code = main({list(argv)!r})\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith('voc_desktop'))),"
              " file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def under(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


def test_help_loads_no_service_store_or_domain_module(capsys):
    modules = loaded_modules("--help")
    assert "voc_desktop.cli.command" in modules  # the command line itself did run
    assert under(modules, "voc_desktop.store", "voc_desktop.domain", "voc_desktop.reports",
                 "voc_desktop.sync") == set()
    assert under(modules, "voc_desktop.services") <= {"voc_desktop.services",
                                                      "voc_desktop.services.workspace"}


def test_help_still_lists_every_command_with_its_line(capsys):
    assert main(["--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for name, _module, line in menu.COMMANDS:
        assert f"{name} {line}" in text


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert main(["--data-dir", str(folder), "demo"]) == 0
    return folder


def test_listing_visits_loads_neither_archive_reports_nor_coaching(demo_dir, capsys):
    modules = loaded_modules("--data-dir", str(demo_dir), "visit", "list", "--json")
    assert "voc_desktop.store.visits" in modules
    assert under(modules, "voc_desktop.services.archive", "voc_desktop.reports",
                 "voc_desktop.domain.coaching", "voc_desktop.sync", "voc_desktop.cli.archive",
                 "voc_desktop.cli.backup", "voc_desktop.cli.guide_check") == set()


def test_checking_notes_opens_no_workspace_and_loads_no_archive(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Our new scanner would fix that for you.\n", encoding="utf-8")
    modules = loaded_modules("coach", "check", str(notes))
    assert "voc_desktop.domain.coaching.pitch" in modules
    assert under(modules, "voc_desktop.services.workspace.workspace", "voc_desktop.store",
                 "voc_desktop.services.archive", "voc_desktop.reports") == set()


@pytest.mark.parametrize("argv, word", [
    (["visit", "list"], "visit"),
    (["--data-dir", "plan", "account", "list"], "account"),  # a folder named like a command
    (["--data-dir=x", "brief", "1234"], "brief"),
    (["--data", "x", "archive", "init", "d"], "archive"),  # argparse takes the short form
    (["--help"], None),
    ([], None),
])
def test_the_command_named_is_found_past_the_folder_option(argv, word):
    assert menu.command_word(argv) == word


def test_every_command_is_built_by_the_module_the_menu_names(demo_dir, capsys):
    """A command whose module disagrees with the menu would be listed but never built."""
    for name, _module, _line in menu.COMMANDS:
        code = main(["--data-dir", str(demo_dir), name, "--help"])
        out = capsys.readouterr().out
        assert code == 0
        assert out.startswith(f"usage: voc {name} ")
        assert "ACTION" in out or "--data-dir" in out  # its own options, not a bare entry
