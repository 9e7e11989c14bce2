"""The `voc backup` commands, and every command's answer on a damaged workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.backups import account_names, damage, digest, filled_workspace

from voc_desktop.cli import main
from voc_desktop.services import backups
from voc_desktop.services.accounts import create_account
from voc_desktop.services.workspace.workspace import DATA_DIR_ENV, Workspace
from voc_desktop.store.database import WORKSPACE_FILE

HINT = "restore the latest good backup with `voc backup restore --latest`"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return filled_workspace(tmp_path / "ws")


def run(capsys, folder: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(folder), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str) -> str:
    assert err.startswith("voc: error: ") and err.count("\n") == 1, err
    return err


def test_backup_now_then_list(capsys, folder: Path) -> None:
    """`backup now` makes a checked copy and says where; `backup list` shows it."""
    code, out, err = run(capsys, folder, "backup", "now")
    assert (code, err) == (0, "")
    (made,) = backups.list_backups(folder)
    assert str(made.path) in out and "integrity check" in out
    code, out, _ = run(capsys, folder, "backup", "list")
    header, row = out.splitlines()
    assert header.split() == ["NAME", "MADE", "WHY", "SIZE", "VISITS"]
    assert row.startswith(made.name) and "Backed up by hand" in row and row.endswith(" 4")


def test_backup_list_json_and_the_empty_case(capsys, folder: Path) -> None:
    """With no backups the list says how to make one; --json gives the documented keys."""
    code, out, _ = run(capsys, folder, "backup", "list")
    assert code == 0 and out.startswith("No backups yet") and "voc backup now" in out
    run(capsys, folder, "backup", "now")
    code, out, _ = run(capsys, folder, "backup", "list", "--json")
    (item,) = json.loads(out)
    assert set(item) == {"name", "file", "created_at", "reason", "reason_text", "size",
                         "visits", "verified"}
    assert (item["reason"], item["visits"], item["verified"]) == ("manual", 4, True)
    assert item["created_at"].endswith("Z")


def test_restore_by_name_with_yes(capsys, folder: Path) -> None:
    """`backup restore NAME --yes` puts the backup back and names the safety copy."""
    chosen = backups.make_backup(folder, "manual")
    before = account_names(folder)
    ws = Workspace.open(folder)
    create_account(ws, "Added Later Ltd")
    ws.close()
    code, out, err = run(capsys, folder, "backup", "restore", chosen.name, "--yes")
    assert (code, err) == (0, "")
    assert out.startswith("Restored the backup made") and "before-restore" in out
    assert account_names(folder) == before


def test_restore_asks_first_off_a_terminal(capsys, folder: Path, monkeypatch) -> None:
    """Without --yes and without a terminal to ask on, nothing changes and the error says
    which backup and how to go ahead."""
    chosen = backups.make_backup(folder, "manual")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    before = digest(folder / WORKSPACE_FILE)
    code, _, err = run(capsys, folder, "backup", "restore", chosen.name)
    assert code == 1 and "add --yes to restore" in one_error(err)
    assert digest(folder / WORKSPACE_FILE) == before


def test_restore_asks_on_a_terminal(capsys, folder: Path, monkeypatch) -> None:
    """On a terminal the question names the backup; anything but yes leaves it alone."""
    import io

    chosen = backups.make_backup(folder, "manual")
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    code, _, err = run(capsys, folder, "backup", "restore", chosen.name)
    assert code == 1
    assert "Restore the backup made" in err and "backed up first" in err
    assert err.strip().endswith("voc: error: Not restored: nothing was changed.")
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    code, out, _ = run(capsys, folder, "backup", "restore", chosen.name)
    assert code == 0 and out.startswith("Restored")


def test_a_damaged_workspace_is_named_and_the_way_out_given(capsys, folder: Path) -> None:
    """Any command on a damaged workspace exits 1 with what and where, and the restore
    command; `backup restore --latest --yes` then brings it back."""
    backups.make_backup(folder, "manual")
    path = folder / WORKSPACE_FILE
    damage(path)
    before = digest(path)
    code, _, err = run(capsys, folder, "visit", "list")
    assert code == 1
    line = one_error(err)
    assert str(path) in line and "nothing was written" in line and line.rstrip().endswith(
        f"{HINT}.")
    assert digest(path) == before
    code, out, err = run(capsys, folder, "backup", "restore", "--latest", "--yes")
    assert (code, err) == (0, "")
    assert "damaged workspace is kept as" in out
    code, out, _ = run(capsys, folder, "visit", "list")
    assert code == 0 and "Completed" in out
    assert len(list((folder / "backups").glob("damaged-*.sqlite3"))) == 1


def test_no_good_backup_to_restore(capsys, folder: Path) -> None:
    """--latest with no backups says there is none and exits 1."""
    code, _, err = run(capsys, folder, "backup", "restore", "--latest", "--yes")
    assert code == 1 and "no good backup" in one_error(err)


def test_the_data_folder_comes_from_the_environment(capsys, folder: Path, monkeypatch) -> None:
    """Like every command, `voc backup` works on VOC_DATA_DIR when no --data-dir is given."""
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    assert main(["backup", "now"]) == 0
    capsys.readouterr()
    assert main(["backup", "list", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert Path(item["file"]).parent == folder / "backups"


def test_a_name_or_latest_is_required(capsys, folder: Path) -> None:
    """`backup restore` alone is a usage error (exit 2)."""
    code, _, err = run(capsys, folder, "backup", "restore")
    assert code == 2 and "--latest" in one_error(err)
