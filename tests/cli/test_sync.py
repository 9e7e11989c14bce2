"""The `voc` commands for bundles, keys, erasure and packs: output, --json and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from support.laptop_sync import make_pack

from voc_desktop.cli import main
from voc_desktop.domain.accounts import Consent
from voc_desktop.services import interview
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.visits import plan_visit, start_visit
from voc_desktop.services.workspace.workspace import DATA_DIR_ENV, Workspace
from voc_desktop.sync import keys, seal
from voc_desktop.sync.archive_key import archive_key_text
from voc_desktop.sync.bundle_file import open_bundle

REPO = Path(__file__).resolve().parents[2]
SIGNER = Ed25519PrivateKey.generate()
BOX = seal.new_archive_key()
ARCHIVE_KEY = archive_key_text(BOX, keys.public_key_text(SIGNER))


def run(capsys, folder: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(folder), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str) -> str:
    """The single error line, checked to be the only line."""
    assert err.startswith("voc: error: ") and err.count("\n") == 1, err
    return err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A workspace with one visit: Anna attends and is quoted."""
    path = tmp_path / "ws"
    ws = Workspace.open(path)
    try:
        acme = create_account(ws, "Acme Bakery")
        anna = add_contact(ws, acme.id, "Anna Berg", consent=Consent(given=True))
        visit = plan_visit(ws, acme.id, "Why renewals slip", attendees=((anna.id, ()),))
        start_visit(ws, visit.id)
        interview.add_quote(ws, visit.id, "We lose a day each week", speaker_id=anna.id)
    finally:
        ws.close()
    return path


def contact_id(folder: Path) -> str:
    ws = Workspace.open(folder)
    try:
        return ws.accounts.contacts(ws.accounts.list()[0].id)[0].id
    finally:
        ws.close()


def test_export_needs_a_key_or_no_encrypt(folder: Path, tmp_path: Path, capsys,
                                          monkeypatch) -> None:
    """Without an archive key the export fails in one line that says what to do; with
    --no-encrypt it writes to the current folder under the default name."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, folder, "bundle", "export")
    assert code == 1 and out == ""
    assert "voc settings archive-key KEY" in one_error(err) and "--no-encrypt" in err
    code, out, err = run(capsys, folder, "bundle", "export", "--no-encrypt")
    assert code == 0 and err == ""
    (made,) = tmp_path.glob("*.vocbundle")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d laptop-[0-9a-f]{4} #1\.vocbundle", made.name)
    assert out.startswith(f"Wrote bundle #1 to {Path.cwd() / made.name} (")
    assert "Not encrypted (you chose --no-encrypt)." in out
    assert "contacts 1" in out and "entries 1" in out


def test_export_json_then_nothing_new(folder: Path, tmp_path: Path, capsys) -> None:
    """--json describes the sealed bundle; a second export with no change fails in one line
    and writes nothing; --all exports everything again."""
    assert run(capsys, folder, "settings", "archive-key", ARCHIVE_KEY)[0] == 0
    target = tmp_path / "first.vocbundle"
    code, out, _ = run(capsys, folder, "bundle", "export", "-o", str(target), "--json")
    data = json.loads(out)
    assert code == 0 and data["file"] == str(target) and target.exists()
    assert (data["sequence"], data["previous_sequence"], data["complete"]) == (1, None, False)
    assert data["encrypted"] is True and data["counts"]["contacts"] == 1
    assert set(data) == {"file", "bundle_id", "sequence", "previous_sequence", "complete",
                         "counts", "attachments", "size", "encrypted", "archive_fingerprint",
                         "created_at"}
    with open_bundle(target, archive_key=BOX) as bundle:
        assert bundle.manifest.bundle_id == data["bundle_id"]
    code, out, err = run(capsys, folder, "bundle", "export", "-o", str(tmp_path))
    assert code == 1 and out == ""
    assert "Nothing new since bundle #1 of " in one_error(err) and "use --all" in err
    assert sorted(p.name for p in tmp_path.glob("*.vocbundle")) == ["first.vocbundle"]
    code, out, _ = run(capsys, folder, "bundle", "export", "--all", "-o", str(tmp_path))
    assert code == 0 and "Wrote bundle #2" in out and "Everything in this workspace" in out
    assert f"Encrypted for archive {data['archive_fingerprint']}." in out


def test_device_key_text_and_json(folder: Path, capsys) -> None:
    """device-key prints the public key and its fingerprint, as text or JSON."""
    code, out, _ = run(capsys, folder, "device-key", "--json")
    data = json.loads(out)
    assert code == 0 and data["public_key"].startswith("ed25519:")
    assert data["fingerprint"] == keys.fingerprint(data["public_key"])
    code, out, _ = run(capsys, folder, "device-key")
    assert data["public_key"] in out and data["fingerprint"] in out


def test_archive_key_show_set_clear(folder: Path, capsys) -> None:
    """The archive key can be shown, set (with its fingerprint) and cleared."""
    code, out, _ = run(capsys, folder, "settings", "archive-key", "--json")
    assert code == 0 and json.loads(out) == {"key": None, "fingerprint": None,
                                             "signing_key": None}
    code, out, _ = run(capsys, folder, "settings", "archive-key", ARCHIVE_KEY)
    assert code == 0 and out.startswith("Archive key set.")
    code, out, _ = run(capsys, folder, "settings", "archive-key", "--json")
    data = json.loads(out)
    assert data["key"] == ARCHIVE_KEY and data["signing_key"] == keys.public_key_text(SIGNER)
    code, out, _ = run(capsys, folder, "settings", "archive-key")
    assert ARCHIVE_KEY in out and data["fingerprint"] in out
    code, out, _ = run(capsys, folder, "settings", "archive-key", "--clear")
    assert code == 0 and out == f"Forgot the archive key {data['fingerprint']}.\n"
    code, out, _ = run(capsys, folder, "settings", "archive-key")
    assert out.startswith("No archive key is set.")


def test_archive_key_errors(folder: Path, capsys) -> None:
    """A wrong key is one error line (exit 1); a key and --clear together is a usage
    error (exit 2)."""
    code, out, err = run(capsys, folder, "settings", "archive-key", "x25519:abc")
    assert code == 1 and "only the encryption half" in one_error(err)
    code, _, err = run(capsys, folder, "settings", "archive-key", ARCHIVE_KEY, "--clear")
    assert code == 2 and "not allowed with" in one_error(err)


def test_contact_erase_asks_for_yes(folder: Path, capsys) -> None:
    """Without --yes the erasure is described and refused; with it, it is done."""
    person = contact_id(folder)
    code, out, err = run(capsys, folder, "contact", "erase", person[:8])
    assert code == 1 and out == ""
    assert "'Anna Berg'" in one_error(err) and "1 quote, 1 attendance" in err
    assert "add --yes" in err
    assert contact_id(folder) == person  # still there
    code, out, _ = run(capsys, folder, "contact", "erase", person, "--yes")
    assert code == 0 and out.startswith(f"Erased contact {person}: 1 quote, 1 attendance")
    ws = Workspace.open(folder)
    try:
        assert ws.accounts.contact(person) is None
    finally:
        ws.close()
    code, _, err = run(capsys, folder, "contact", "erase", person, "--yes")
    assert code == 1 and "already erased" in one_error(err)
    code, _, err = run(capsys, folder, "contact", "erase", "zzzzzzzz", "--yes")
    assert code == 1 and "No contact with id zzzzzzzz" in one_error(err)


def globex_pack(path: Path, signer: Ed25519PrivateKey) -> Path:
    row = {"id": "globex", "name": "Globex", "lifecycle_stage": "prospect",
           "created_at": "2030-01-01T00:00:00.000Z", "updated_at": "2030-01-01T00:00:00.000Z",
           "device_id": "laptop-2", "revision": 1, "deleted_at": None, "base_version": None}
    return make_pack(path, signer, {"accounts": [row]})


def test_pack_import_text_json_and_refusal(folder: Path, tmp_path: Path, capsys) -> None:
    """A pack from the archive is imported (text, then JSON of the repeat); one from
    another key is refused in one line."""
    run(capsys, folder, "settings", "archive-key", ARCHIVE_KEY)
    stranger = globex_pack(tmp_path / "stranger.vocbundle", Ed25519PrivateKey.generate())
    code, out, err = run(capsys, folder, "pack", "import", str(stranger))
    assert code == 1 and out == ""
    assert "This pack was not made by your archive" in one_error(err)
    pack = globex_pack(tmp_path / "pack.vocbundle", SIGNER)
    code, out, err = run(capsys, folder, "pack", "import", str(pack))
    assert code == 0 and err == ""
    assert out.startswith("Imported pack #3 from archive ") and "1 new, 0 updated" in out
    code, out, _ = run(capsys, folder, "pack", "import", str(pack), "--json")
    data = json.loads(out)
    assert (data["new"], data["duplicates"], data["conflicts"]) == (0, 1, [])
    assert data["tables"] == {"accounts": {"new": 0, "updated": 0, "duplicates": 1,
                                           "conflicts": 0, "dropped": 0}}
    code, _, err = run(capsys, folder, "pack", "import", str(tmp_path / "missing.vocbundle"))
    assert code == 1 and "missing.vocbundle" in one_error(err)


def test_subprocess_bundle_export_json(folder: Path, tmp_path: Path) -> None:
    """A real `voc bundle export --no-encrypt --json` run prints only JSON and exits 0."""
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, "-m", "voc_desktop.cli", "--data-dir", str(folder), "bundle",
         "export", "--no-encrypt", "-o", str(tmp_path), "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert Path(data["file"]).exists() and data["encrypted"] is False


def test_contact_erase_says_what_became_of_the_backups(folder: Path, capsys) -> None:
    """The erasure's output names the backups rewritten without the person."""
    from voc_desktop.services.backups import make_backup

    person = contact_id(folder)
    made = make_backup(folder, "manual")
    code, out, _ = run(capsys, folder, "contact", "erase", person, "--yes")
    assert code == 0
    assert (f"  Backups: Rewritten with the person erased: 1 backup(s): {made.name}."
            in out.splitlines())
