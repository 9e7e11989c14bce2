"""Bundle export, archive import and re-import of 1,000 visits (~100,000 answers and probes).

    python benchmarks/bench_sync.py [--visits 1000] [--per-visit 100] [--runs 3]
    python benchmarks/bench_sync.py --memory 1000 3000   # peak memory of imports, by size
    python benchmarks/bench_sync.py --memory 1000 --against OLD   # and OLD's code, in turns

Builds the rows a laptop's bundle carries, writes them as a sealed bundle, imports it into a
fresh archive, imports the same file again, and, in the same run, inserts the same rows
with plain sqlite3 `executemany` into the same tables (a fresh index, one transaction). The
runs alternate, and the best of `--runs` is reported for each, with the two ratios the
archive aims for: import at least 0.6 of executemany's speed, re-import at most 10 % of an
import.

`--memory` imports a bundle of each number of visits in a process of its own and reports
how far the import raised that process's peak resident memory (VmHWM) above what it used
just before: the bundle's rows are never in the measuring process. Each import is timed
there too, and plain executemany of the same rows runs between the imports, so the speed
ratio comes from turns of one run. `--against DIR` takes turns with the code of another
checkout (DIR holds its `voc_desktop` package): before and after in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from voc_desktop.services.archive.keeper import Archive
from voc_desktop.store.archive_index import ArchiveIndex
from voc_desktop.store.archive_migrations import SYNCED_COLUMNS
from voc_desktop.sync import keys, seal
from voc_desktop.sync.bundle_file import BundleWriter

WORDS = ("line changeover takes too long because the seals are swapped by hand and the "
         "night shift waits for maintenance while orders pile up at the dock").split()
STAMP = "2026-05-09T07:35:25.000Z"
DEVICE = "3f2a91c0-77b4-4d1e-9a51-0c6a3b2e8f10"


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _row(table: str, rng: random.Random, **values: Any) -> dict[str, Any]:
    row = {c.name: c.default for c in SYNCED_COLUMNS[table]}
    row.update(created_at=STAMP, updated_at=STAMP, device_id=DEVICE, revision=1,
               id=_id(rng), **values)
    return row


def make_rows(visits: int, per_visit: int, seed: int = 7) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(seed)
    guide = _row("guide_versions", rng, guide_id="default", version=1, name="Default guide",
                 body='{"sections": []}')
    accounts = [_row("accounts", rng, name=f"Account {i:03d}", lifecycle_stage="customer")
                for i in range(100)]
    contacts = [_row("contacts", rng, account_id=accounts[i % 100]["id"],
                     name=f"Person {i}", title="Head of operations", consent_given=1)
                for i in range(300)]
    tables: dict[str, list[dict[str, Any]]] = {
        "guide_versions": [guide], "accounts": accounts, "contacts": contacts, "visits": [],
        "attendees": [], "entries": [], "key_learnings": [], "action_items": []}
    for v in range(visits):
        account = accounts[v % 100]
        visit = _row("visits", rng, account_id=account["id"], guide_version_id=guide["id"],
                     objective="Understand the changeover pain",
                     visit_date=f"2026-{1 + v % 12:02d}-15", status="completed",
                     lifecycle_stage="customer", started_at=STAMP, ended_at=STAMP)
        tables["visits"].append(visit)
        for c in range(2):
            tables["attendees"].append(_row("attendees", rng, visit_id=visit["id"],
                                            contact_id=contacts[(v * 2 + c) % 300]["id"]))
        parent = None
        for p in range(per_visit):
            probe = p % 3 == 2
            entry = _row("entries", rng, visit_id=visit["id"], kind="probe" if probe
                         else "answer", text=_text(rng, 12 if probe else 25),
                         question_key=f"q{p // 3}", parent_id=parent if probe else None,
                         offset_seconds=rng.randint(0, 5400), position=p)
            parent = entry["id"]
            tables["entries"].append(entry)
        for k in range(5):
            tables["key_learnings"].append(_row("key_learnings", rng, visit_id=visit["id"],
                                                text=_text(rng, 15), status="confirmed",
                                                position=k))
        for k in range(2):
            tables["action_items"].append(_row("action_items", rng, visit_id=visit["id"],
                                               text=_text(rng, 8), team="sales",
                                               status="open", position=k))
    return tables


def export(tables: dict[str, list[dict[str, Any]]], key: Ed25519PrivateKey, path: Path,
           recipient: Any) -> tuple[float, float]:
    """(seconds to write the bundle zip, seconds to seal it)."""
    plain = path.with_suffix(".zip")
    started = time.perf_counter()
    with BundleWriter(plain) as writer:
        for table, rows in tables.items():
            writer.add_records(table, rows)
        writer.finish(key, device_id=DEVICE, sequence=1, previous_sequence=None,
                      complete=True, app_version="bench", extra={"kind": "bundle"})
    written = time.perf_counter()
    seal.seal(plain, path, recipient)
    sealed = time.perf_counter()
    plain.unlink()
    return written - started, sealed - written


def executemany(tables: dict[str, list[dict[str, Any]]], path: Path) -> float:
    """Plain sqlite3: the same rows into the same tables of a fresh index, one transaction."""
    index = ArchiveIndex.open(path, "bench")
    conn = index.conn
    # The rows are made into tuples beforehand: only the inserts are timed.
    batches = []
    for table, rows in tables.items():
        names = [c.name for c in SYNCED_COLUMNS[table]]
        sql = (f'INSERT INTO "{table}" ({", ".join(names)}) '
               f'VALUES ({", ".join("?" * len(names))})')
        batches.append((sql, [tuple(r[n] for n in names) for r in rows]))
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for sql, values in batches:
        conn.executemany(sql, values)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    index.close()
    return elapsed


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} is not in /proc/self/status")


def import_in_this_process(folder: Path, bundle: Path) -> dict[str, float]:
    """Import `bundle` into the archive in `folder`: peak memory it added, and its time."""
    archive = Archive.open(folder / "archive", index=folder / "index.sqlite3")
    archive.refresh()
    before = _memory_kb("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    report = archive.import_bundles([bundle])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.ok, report
    archive.close()
    return {"peak_mb": (_memory_kb("VmHWM") - before) / 1024, "seconds": elapsed,
            "cpu": cpu, "rows": report.totals["new"]}


def _import_in_a_process(prepared: Path, bundle: Path, code: Path | None) -> dict[str, float]:
    """Import `bundle` into a copy of the fresh archive in `prepared`, in a new process
    that runs the code of `code` (a checkout) or of this one."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(prepared / "archive", folder / "archive")
        shutil.copy(prepared / "index.sqlite3", folder / "index.sqlite3")
        env = dict(os.environ)
        if code is not None:
            env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")])
        out = subprocess.run([sys.executable, __file__, "--import-into", str(folder),
                              str(bundle)], check=True, capture_output=True, text=True,
                             env=env).stdout
        return json.loads(out)


def memory_of_import(visits: int, per_visit: int, against: Path | None,
                     rounds: int) -> None:
    """Peak memory and time of importing `visits` visits, each import in a fresh process,
    taking turns with plain executemany (and with the code of `against`)."""
    codes: dict[str, Path | None] = {"this code": None}
    if against is not None:
        codes[f"code in {against}"] = against
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp)
        key = Ed25519PrivateKey.generate()
        archive = Archive.create(prepared / "archive", index=prepared / "index.sqlite3")
        archive.trust(keys.public_key_text(key), "bench laptop")
        bundle = prepared / "bench.vocbundle"
        tables = make_rows(visits, per_visit)
        export(tables, key, bundle, archive.folder.encryption_key().public_key())
        archive.close()
        found: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
        plain: list[float] = []
        for n in range(rounds):
            for name, code in codes.items():
                found[name].append(_import_in_a_process(prepared, bundle, code))
                plain.append(executemany(tables, prepared / f"plain-{n}-{len(plain)}.sqlite3"))
        rows = sum(map(len, tables.values()))
        print(f"{visits:,} visits, {rows:,} rows, sealed bundle {bundle.stat().st_size / 1e6:.1f} "
              f"MB; {rounds} turns; plain executemany {min(plain):.2f} s at best, median "
              f"{statistics.median(plain):.2f} s")
        for name, runs in found.items():
            seconds, cpu = [r["seconds"] for r in runs], min(r["cpu"] for r in runs)
            print(f"  {name}: import {min(seconds):.2f} s at best (cpu {cpu:.2f} s), "
                  f"speed / executemany {min(plain) / min(seconds):.2f} best to best, median "
                  f"{statistics.median(plain) / statistics.median(seconds):.2f}; peak memory "
                  f"+{max(r['peak_mb'] for r in runs):.0f} MB "
                  f"({max(r['peak_mb'] for r in runs) * 1024 / rows:.2f} KB a row; aim <= 150 MB)")


def run_once(tables: dict[str, list[dict[str, Any]]], folder: Path,
             plain_first: bool = False) -> dict[str, float]:
    plain_s = executemany(tables, folder / "plain-first.sqlite3") if plain_first else 0.0
    key = Ed25519PrivateKey.generate()
    archive = Archive.create(folder / "archive", index=folder / "index.sqlite3")
    archive.trust(keys.public_key_text(key), "bench laptop")
    bundle = folder / "bench.vocbundle"
    write_s, seal_s = export(tables, key, bundle, archive.folder.encryption_key().public_key())
    started = time.perf_counter()
    report = archive.import_bundles([bundle])
    import_s = time.perf_counter() - started
    assert report.ok and report.totals["new"] == sum(map(len, tables.values())), report
    started = time.perf_counter()
    again = archive.import_bundles([bundle])
    reimport_s = time.perf_counter() - started
    assert again.totals["duplicate_bundles"] == 1, again
    archive.close()
    if not plain_first:
        plain_s = executemany(tables, folder / "plain.sqlite3")
    return {"write": write_s, "seal": seal_s, "import": import_s, "reimport": reimport_s,
            "executemany": plain_s, "size": bundle.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--per-visit", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", type=int, nargs="+", metavar="VISITS")
    parser.add_argument("--against", type=Path, metavar="DIR")
    parser.add_argument("--import-into", nargs=2, metavar=("FOLDER", "BUNDLE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.import_into:
        print(json.dumps(import_in_this_process(*map(Path, args.import_into))))
        return 0
    if args.memory:
        for visits in args.memory:
            memory_of_import(visits, args.per_visit, args.against, args.runs)
        return 0
    tables = make_rows(args.visits, args.per_visit)
    rows = sum(map(len, tables.values()))
    runs = []
    for n in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(run_once(tables, Path(tmp), plain_first=n % 2 == 1))
    best = {k: min(r[k] for r in runs) for k in runs[0]}
    print(f"{args.visits:,} visits, {len(tables['entries']):,} answers and probes, "
          f"{rows:,} rows in all; sealed bundle {best['size'] / 1e6:.1f} MB; best of "
          f"{args.runs} (Python {sys.version.split()[0]})")
    print(f"  export: write {best['write']:.2f} s + seal {best['seal']:.2f} s")
    print(f"  import into a fresh archive: {best['import']:.2f} s "
          f"({rows / best['import']:,.0f} rows/s)")
    print(f"  plain executemany, same rows and tables: {best['executemany']:.2f} s "
          f"({rows / best['executemany']:,.0f} rows/s)")
    print(f"  re-import of the same file: {best['reimport'] * 1000:.0f} ms")
    each = ", ".join(f"{r['executemany'] / r['import']:.2f}" for r in runs)
    print(f"  import / executemany speed: {best['executemany'] / best['import']:.2f} "
          f"(aim >= 0.6); run by run: {each}")
    print(f"  re-import / import time: {best['reimport'] / best['import']:.1%} (aim <= 10 %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
