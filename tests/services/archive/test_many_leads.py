"""Several leads on one archive folder at once: real `voc archive` processes importing,
accepting, refusing, resolving and rebuilding in random interleavings, some killed with
SIGKILL at random moments. Afterwards the folder holds no bundle twice, every lead's index
holds the same as a fresh rebuild of the folder, and nothing a finished command reported
taken in is missing.

VOC_LEADS_ROUNDS sets how many interleavings run (a few by default, so the suite stays
quick); VOC_LEADS_SEED replays one run.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from support.archive_rows import account, contact, visit, write_bundle

from voc_desktop.services.archive.keeper import Archive
from voc_desktop.sync import keys
from voc_desktop.sync.shared_names import parse_bundle_name

REPO = Path(__file__).resolve().parents[3]
ROUNDS = int(os.environ.get("VOC_LEADS_ROUNDS", "3"))
SEED = int(os.environ.get("VOC_LEADS_SEED", str(random.SystemRandom().randrange(1 << 30))))
LEADS = 3
STATS = {"choices": 0}
# Tables whose content every index of one folder must agree on (findings are derived from
# them when a lead searches, and the migration record holds times).
VOLATILE = {"_sqlite_migrations", "findings", "finding_tags", "visit_themes",
            "visit_theme_roles", "visit_theme_speakers", "guide_questions", "stale_visits"}


def logical(index_path: Path, folder: Path) -> dict:
    """What an index holds, the way two leads would compare it."""
    with Archive.open(folder, index=index_path) as archive:
        dumped = archive.index.dump()
    return {t: rows for t, rows in dumped.items() if t not in VOLATILE and "_fts" not in t}


def pool(inbox: Path, seal_for, key_a, key_b, stranger) -> dict[str, Path]:
    """Bundles from two laptops that edit the same account and contact (so they conflict),
    and one from a laptop nobody trusts yet (it is held)."""
    stamp = "2026-06-01T09:00:{:02d}.000000+00:00"
    made = {}

    def make(name, key, device, sequence, tables, second):
        path = inbox / f"{name}.vocbundle"
        write_bundle(path, key, tables, device_id=device, sequence=sequence,
                     previous=sequence - 1 or None, seal_for=seal_for,
                     created_at=stamp.format(second))
        made[name] = path

    make("a1", key_a, "dev-a", 1, {"accounts": [account("acc1", device="dev-a"),
                                                account("acc2", device="dev-a")],
                                   "contacts": [contact("c1", "acc1", device="dev-a")],
                                   "visits": [visit("v1", "acc1", device="dev-a")]}, 1)
    make("b1", key_b, "dev-b", 1, {"accounts": [account("acc1", name="Nord AG", device="dev-b",
                                                        revision=1)]}, 2)
    make("a2", key_a, "dev-a", 2, {"accounts": [account("acc1", name="Nord KG", device="dev-a",
                                                        revision=2)],
                                   "contacts": [contact("c1", "acc1", name="Ruth O.",
                                                        device="dev-a", revision=2)]}, 3)
    make("b2", key_b, "dev-b", 2, {"contacts": [contact("c1", "acc1", name="R. Okoro",
                                                        device="dev-b", revision=2,
                                                        base="dev-a:1")],
                                   "visits": [visit("v2", "acc2", device="dev-b")]}, 4)
    make("a3", key_a, "dev-a", 3, {"accounts": [account("acc2", name="Süd", device="dev-a",
                                                        revision=2)]}, 5)
    make("x1", stranger, "dev-x", 1, {"accounts": [account("acc9", device="dev-x")]}, 6)
    return made


def voc(*args: str, data: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "VOC_DATA_DIR": str(data)}
    return subprocess.Popen([sys.executable, "-m", "voc_desktop.cli", "archive", *args],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def random_command(rng: random.Random, folder: Path, index: Path, bundles: dict[str, Path],
                   held_id: str, weights: list[int]) -> list[str]:
    where = [str(folder)]
    kind = rng.choices(["import", "resolve", "accept", "refuse", "rebuild", "conflicts"],
                       weights)[0]
    if kind == "import":
        chosen = rng.sample(sorted(bundles), rng.randint(1, 3))
        return ["import", *where, *(str(bundles[n]) for n in chosen), "--index", str(index),
                "--json"]
    if kind == "resolve":
        return ["resolve", *where, str(rng.randint(1, 2)), "--keep",
                rng.choice(["current", "incoming"]), "--index", str(index)]
    if kind in ("accept", "refuse"):
        return [kind, *where, held_id, "--index", str(index)]
    if kind == "rebuild":
        return ["rebuild", *where, "--index", str(index)]
    return ["conflicts", *where, "--all", "--json", "--index", str(index)]


def check_folder(folder: Path) -> None:
    names = [p.name for p in (folder / "bundles").iterdir() if not p.name.startswith(".")]
    ids = [parse_bundle_name(n)[1] for n in names]
    assert len(ids) == len(set(ids)), f"a bundle is in the folder twice: {sorted(names)}"


def one_round(rng: random.Random, base: Path, template: Path, inbox: dict[str, Path],
              held_id: str) -> tuple[int, int]:
    """One interleaving; (processes run, processes killed)."""
    folder = base / "archive"
    shutil.copytree(template, folder)
    indexes = [base / f"lead{n}" / "index.sqlite3" for n in range(LEADS)]
    killed, reported, choices, ran = 0, set(), set(), 0
    # a wave of mostly imports, then one of mostly choices, both with everything mixed in
    for weights in ([8, 1, 1, 1, 1, 1], [3, 6, 1, 1, 1, 1]):
        k, r, c, n = one_wave(rng, base, folder, indexes, inbox, held_id, weights)
        killed, reported, choices, ran = killed + k, reported | r, choices | c, ran + n
    check_folder(folder)
    fresh = base / "fresh" / "index.sqlite3"
    with Archive.open(folder, index=fresh) as archive:
        archive.refresh()
        held = {b["bundle_id"] for b in archive.index.bundles()}
        recorded = archive.index.applied_resolutions()
    expected = logical(fresh, folder)
    assert reported <= held, f"reported taken in, but missing: {reported - held}"
    assert choices <= recorded, f"choices reported, but missing: {choices - recorded}"
    for index in indexes:
        if index.exists():
            with Archive.open(folder, index=index) as archive:
                archive.refresh()
            assert logical(index, folder) == expected, f"{index} differs from a rebuild"
    STATS["choices"] += len(choices)
    return ran, killed


def one_wave(rng: random.Random, base: Path, folder: Path, indexes: list[Path],
             inbox: dict[str, Path], held_id: str, weights: list[int]
             ) -> tuple[int, set[str], set[str], int]:
    """Processes started a moment apart, some killed; (killed, bundle ids reported taken
    in, choice files reported written, processes)."""
    running: list[tuple[subprocess.Popen, list[str], float | None]] = []
    for _ in range(rng.randint(3, 5)):
        lead = rng.randrange(LEADS)
        command = random_command(rng, folder, indexes[lead], inbox, held_id, weights)
        kill_after = rng.uniform(0.3, 2.5) if rng.random() < 0.35 else None
        running.append((voc(*command, data=base / f"lead{lead}"), command, kill_after))
        time.sleep(rng.uniform(0, 0.15))
    started, killed, reported, choices = time.monotonic(), 0, set(), set()
    for proc, command, kill_after in running:
        if kill_after is not None:
            time.sleep(max(0.0, started + kill_after - time.monotonic()))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, f"{command}: {err}"
        if err:
            print(command[0], err.strip())
        if proc.returncode == -signal.SIGKILL:
            continue
        assert len(err.strip().splitlines()) <= 1, f"{command}: {err}"
        if command[0] == "resolve":
            choices |= set(re.findall(r"resolutions/(c-[0-9a-f]{32}-[0-9a-f]{16}\.json)", out))
        if command[0] == "import" and "bundles" in json.loads(out):
            reported |= {b["bundle_id"] for b in json.loads(out)["bundles"]
                         if b["status"] in ("imported", "duplicate")}
    return killed, reported, choices, len(running)


def test_many_leads_at_once_end_equal_to_a_rebuild(tmp_path):
    """Leads importing, resolving, accepting, refusing and rebuilding at once, killed at
    random, leave one file per bundle and indexes equal to a fresh rebuild."""
    key_a, key_b, stranger = (Ed25519PrivateKey.generate() for _ in range(3))
    template = tmp_path / "template"
    with Archive.create(template, index=tmp_path / "t.sqlite3") as made:
        made.trust(keys.public_key_text(key_a), "Laptop A")
        made.trust(keys.public_key_text(key_b), "Laptop B")
        seal_for = made.folder.encryption_key().public_key()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bundles = pool(inbox, seal_for, key_a, key_b, stranger)
    with Archive.open(template, index=tmp_path / "probe.sqlite3") as probe:
        held_id = probe.import_bundles([bundles["x1"]]).bundles[0].bundle_id
        probe.refuse(held_id)
    rng = random.Random(SEED)
    runs = kills = 0
    for n in range(ROUNDS):
        try:
            ran, killed = one_round(rng, tmp_path / f"round{n}", template, bundles, held_id)
        except AssertionError as exc:
            raise AssertionError(f"round {n} of VOC_LEADS_SEED={SEED}: {exc}") from exc
        runs, kills = runs + ran, kills + killed
    print(f"seed {SEED}: {ROUNDS} interleavings, {runs} processes, {kills} killed, "
          f"{STATS['choices']} choices made")
    assert runs >= ROUNDS * 4
