"""The `voc archive` commands, run in-process and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from support.archive_rows import account, write_bundle

from voc_desktop.cli import main
from voc_desktop.services.archive.keeper import read_archive
from voc_desktop.sync import keys, seal

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def voc(tmp_path, capsys):
    """voc(*args) -> (exit code, stdout, stderr), with a private data folder."""
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(tmp_path / "data"), *argv])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def made(tmp_path, voc):
    """An archive made by `voc archive init` with its index at a chosen place."""
    folder, index = tmp_path / "shared" / "archive", tmp_path / "idx" / "a.sqlite3"
    code, out, _ = voc("archive", "init", str(folder), "--index", str(index))
    assert code == 0
    return folder, index, out


def bundle(tmp_path: Path, folder: Path, key, rows, name: str, device: str = "dev-a",
           sequence: int = 1) -> Path:
    recipient = seal.parse_public_key(json.loads((folder / "archive.json").read_text())
                                      ["public_keys"]["x25519"])
    path = tmp_path / name
    write_bundle(path, key, {"accounts": rows}, device_id=device, sequence=sequence,
                 seal_for=recipient)
    return path


def test_init_key_trust_and_devices(made, voc):
    """init prints the key and where the index is; key, trust and devices work on it."""
    folder, index, out = made
    info = read_archive(folder, index=index)
    assert f"Made archive {info.archive_id} in {folder}." in out
    assert info.key_text in out and f"Index: {index}" in out
    code, out, _ = voc("archive", "key", str(folder), "--index", str(index), "--json")
    assert code == 0 and json.loads(out) == {"archive_id": info.archive_id,
                                             "key": info.key_text,
                                             "fingerprint": info.key_fingerprint,
                                             "index": str(index)}
    device = keys.public_key_text(Ed25519PrivateKey.generate())
    code, out, _ = voc("archive", "trust", str(folder), device, "--name", "Ana")
    assert code == 0 and out == (f"Trusted Ana, key {keys.fingerprint(device)}: bundles it "
                                 "signs are imported from now on.\n")
    code, out, _ = voc("archive", "trust", str(folder), device)
    assert "already trusted (as Ana)" in out
    code, out, _ = voc("archive", "devices", str(folder), "--json")
    [listed] = json.loads(out)
    assert (listed["key"], listed["name"]) == (device, "Ana")


def test_import_prints_a_summary_and_fails_on_a_rejection(tmp_path, made, voc):
    """Per bundle and in total; --json gives the same; a rejected bundle means exit 1."""
    folder, index, _ = made
    key = Ed25519PrivateKey.generate()
    voc("archive", "trust", str(folder), keys.public_key_text(key))
    good = bundle(tmp_path, folder, key, [account("a1"), account("a2")], "good.vocbundle")
    junk = tmp_path / "junk.vocbundle"
    junk.write_bytes(b"not a bundle")
    code, out, err = voc("archive", "import", str(folder), str(good), "--index", str(index))
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0].startswith(f"{good}: imported as 2") and "2 new, 0 updated" in lines[0]
    assert lines[-1] == ("Total: 1 imported, 0 duplicate, 0 held, 0 rejected; rows: 2 new, "
                         "0 updated, 0 duplicates, 0 conflicts.")
    code, out, err = voc("archive", "import", str(folder), str(good), str(junk), "--index",
                         str(index), "--json")
    data = json.loads(out)
    assert code == 1 and err.startswith("voc: warning: 1 bundle was rejected")
    assert [b["status"] for b in data["bundles"]] == ["duplicate", "rejected"]
    assert data["bundles"][1]["reason"] == ("This file is not a VOC bundle (it does not start "
                                            "like one).")
    assert data["totals"]["rejected"] == 1 and data["totals"]["duplicate_bundles"] == 1


def test_conflicts_and_resolve(tmp_path, made, voc):
    """conflicts shows both values of each differing field; resolve settles one."""
    folder, index, _ = made
    a, b = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    for key in (a, b):
        voc("archive", "trust", str(folder), keys.public_key_text(key), "--index", str(index))
    first = bundle(tmp_path, folder, a, [account("a1", name="Nord")], "1.vocbundle")
    other = bundle(tmp_path, folder, b, [account("a1", name="Süd", device="dev-b",
                                                 revision=2)], "2.vocbundle", "dev-b")
    assert voc("archive", "import", str(folder), str(first), str(other), "--index",
               str(index))[0] == 0
    code, out, _ = voc("archive", "conflicts", str(folder), "--index", str(index))
    assert code == 0 and "Conflict 1 (open): accounts" in out
    assert "    current:  Nord\n    incoming: Süd\n" in out
    code, out, _ = voc("archive", "conflicts", str(folder), "--index", str(index), "--json")
    [c] = json.loads(out)
    assert (c["id"], c["fields"], c["incoming"]["name"]) == (1, ["name"], "Süd")
    code, out, _ = voc("archive", "resolve", str(folder), "1", "--keep", "incoming",
                       "--index", str(index))
    assert code == 0 and out.startswith("Conflict 1 resolved: kept the incoming value")
    code, out, err = voc("archive", "resolve", str(folder), "1", "--keep", "current",
                         "--index", str(index))
    assert code == 1 and err == "voc: error: Conflict 1 is resolved; only an open conflict " \
        "can be resolved.\n"
    assert voc("archive", "conflicts", str(folder), "--index", str(index))[1] == \
        "No open conflicts.\n"


def test_held_accept_and_refuse(tmp_path, made, voc):
    """An unknown device's bundle is held; accept trusts and imports, refuse removes."""
    folder, index, _ = made
    stranger, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    one = bundle(tmp_path, folder, stranger, [account("a1", device="dev-x")], "1.vocbundle",
                 "dev-x")
    two = bundle(tmp_path, folder, other, [account("a2", device="dev-y")], "2.vocbundle",
                 "dev-y")
    code, out, _ = voc("archive", "import", str(folder), str(one), str(two), "--index",
                       str(index))
    assert code == 0 and out.count(": held: unknown device ") == 2
    code, out, _ = voc("archive", "held", str(folder), "--json")
    held = {h["device_id"]: h for h in json.loads(out)}
    assert held["dev-x"]["signer_fingerprint"] == keys.fingerprint(
        keys.public_key_text(stranger))
    code, out, _ = voc("archive", "accept", str(folder), held["dev-x"]["bundle_id"][:8],
                       "--name", "Ben", "--index", str(index))
    assert code == 0 and out.startswith("Trusted Ben, key ") and ": imported as 2" in out
    code, out, _ = voc("archive", "refuse", str(folder), held["dev-y"]["bundle_id"])
    assert code == 0 and "it is held again" in out
    assert voc("archive", "held", str(folder))[1] == "No bundles are held.\n"


def test_pack_and_rebuild(tmp_path, made, voc):
    """pack writes a signed pack of the chosen accounts; rebuild reports what it replayed."""
    folder, index, _ = made
    key = Ed25519PrivateKey.generate()
    voc("archive", "trust", str(folder), keys.public_key_text(key))
    path = bundle(tmp_path, folder, key, [account("a1", name="Nord"), account("a2")], "b")
    voc("archive", "import", str(folder), str(path), "--index", str(index))
    code, out, _ = voc("archive", "pack", str(folder), "--account", "Nord", "-o",
                       str(tmp_path / "p.vocbundle"), "--index", str(index))
    assert code == 0 and out.startswith(f"Wrote a pack of 1 account(s) to {tmp_path}")
    assert "accounts 1" in out and (tmp_path / "p.vocbundle").is_file()
    code, out, _ = voc("archive", "rebuild", str(folder), "--index", str(index))
    assert code == 0 and out == (f"Rebuilt {index} from the folder: 1 bundle(s), 0 "
                                 "resolution(s).\n")


def test_errors_are_one_line(tmp_path, voc):
    """A folder that is no archive, and a bad device key, give one `voc: error:` line."""
    code, out, err = voc("archive", "devices", str(tmp_path))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith("voc: error: ") and "is not an archive" in err
    voc("archive", "init", str(tmp_path / "a"), "--index", str(tmp_path / "i.sqlite3"))
    code, _, err = voc("archive", "trust", str(tmp_path / "a"), "ssh-ed25519 AAAA")
    assert code == 1 and "'ed25519:' followed by 44 characters" in err


def test_subprocess_uses_the_data_folder_for_the_index(tmp_path):
    """A real `voc archive init` puts the index under VOC_DATA_DIR, outside the folder."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "VOC_DATA_DIR": str(tmp_path / "data")}
    made = subprocess.run([sys.executable, "-m", "voc_desktop.cli", "archive", "init",
                           str(tmp_path / "arch")], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert made.returncode == 0, made.stderr
    archive_id = json.loads((tmp_path / "arch" / "archive.json").read_text())["archive_id"]
    assert (tmp_path / "data" / "archives" / f"{archive_id}.sqlite3").is_file()
    assert f"Index: {tmp_path / 'data' / 'archives'}" in made.stdout


def test_archive_commands_leave_the_laptop_workspace_alone(tmp_path, voc):
    """Running the archive's commands makes no laptop workspace or device key."""
    folder = tmp_path / "shared" / "team"
    code, _, _ = voc("archive", "init", str(folder))
    assert code == 0
    assert voc("archive", "key", str(folder))[0] == 0
    data = tmp_path / "data"
    assert not (data / "workspace.sqlite3").exists() and not (data / "device-key.pem").exists()
    assert list((data / "archives").glob("*.sqlite3"))  # the index: local, not on the share


def test_distrust_takes_a_device_off_the_list(made, voc):
    """`voc archive distrust` by fingerprint says what changed; an unknown one is an error."""
    folder, _index, _ = made
    device = keys.public_key_text(Ed25519PrivateKey.generate())
    voc("archive", "trust", str(folder), device, "--name", "Lost laptop")
    code, out, _ = voc("archive", "distrust", str(folder), keys.fingerprint(device))
    assert code == 0 and out.startswith(
        f"No longer trusted: Lost laptop, key {keys.fingerprint(device)}.")
    code, out, _ = voc("archive", "devices", str(folder), "--json")
    assert json.loads(out) == []
    code, _, err = voc("archive", "distrust", str(folder), device)
    assert code != 0 and "No trusted device has the key" in err


def test_publish_writes_the_copy_and_its_metadata(tmp_path, made, voc):
    """publish says what it wrote and how to browse it; the live index is refused in one
    line."""
    folder, index, _ = made
    key = Ed25519PrivateKey.generate()
    voc("archive", "trust", str(folder), keys.public_key_text(key))
    voc("archive", "import", str(folder), str(bundle(tmp_path, folder, key, [account("a1")],
                                                     "b")), "--index", str(index))
    out_db = tmp_path / "site" / "voc.db"
    out_db.parent.mkdir()
    code, out, err = voc("archive", "publish", str(folder), str(out_db), "--index", str(index))
    assert code == 0 and err == ""
    assert out.startswith(f"Published 0 finding(s) of 0 visit(s), no photos to {out_db}.")
    assert f"--metadata \"{tmp_path / 'site' / 'voc.metadata.json'}\"" in out
    assert out_db.is_file() and (tmp_path / "site" / "voc.metadata.json").is_file()
    code, out, err = voc("archive", "publish", str(folder), str(index), "--index", str(index))
    assert code == 1 and out == "" and err.count("\n") == 1 and "live index" in err


def test_import_says_which_accepted_bundles_an_erasure_redacted(tmp_path, made, voc):
    """An import carrying an erasure names the accepted files replaced by redacted copies,
    in words and in --json."""
    from support.archive_rows import contact, erasure

    folder, index, _ = made
    key = Ed25519PrivateKey.generate()
    voc("archive", "trust", str(folder), keys.public_key_text(key))
    first = tmp_path / "first.vocbundle"
    write_bundle(first, key, {"accounts": [account("a1")],
                              "contacts": [contact("c1", "a1", "Mara Quill")]})
    voc("archive", "import", str(folder), str(first), "--index", str(index))
    [accepted] = [p.name for p in (folder / "bundles").iterdir()]
    gone = tmp_path / "gone.vocbundle"
    write_bundle(gone, key, {"erasures": [erasure("c1", "a1")]}, sequence=2, previous=1)
    code, out, _ = voc("archive", "import", str(folder), str(gone), "--index", str(index),
                       "--json")
    assert code == 0 and json.loads(out)["redacted"] == [accepted]
    import zipfile

    with zipfile.ZipFile(folder / "bundles" / accepted) as z:
        assert all(b"Mara Quill" not in z.read(n) for n in z.namelist())
