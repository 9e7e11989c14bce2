"""Backing up a workspace of ~500 visits, the integrity check at open, and typing meanwhile.

    python benchmarks/bench_backup.py [--visits 500] [--runs 7] [--photos 10]

Builds a workspace the way bench_save.py does (answers, why-probes) plus a few phone-sized
photos, closes it, then times:
- a whole backup as the app makes one (copy with the backup API, `PRAGMA integrity_check`,
  journal mode DELETE, fsync, rename, thinning), and its parts;
- `PRAGMA quick_check` as `open_database` runs it on every start, against the whole
  `Workspace.open`;
- answer saves (`update_text`) while backups run on another thread, to show that a backup
  does not hold up typing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench_save import WORDS, build

from voc_desktop.domain.visit import Visit, VisitStatus
from voc_desktop.services import interview
from voc_desktop.services.backups import make_backup
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store import backup
from voc_desktop.store.database import _quick_check, new_id


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _without_check(measure):
    """The same measurement with the integrity check at open switched off."""
    from voc_desktop.store import database

    real = database._quick_check
    database._quick_check = lambda path: None
    try:
        return measure()
    finally:
        database._quick_check = real


def add_photos(ws: Workspace, count: int, rng: random.Random) -> None:
    with ws.write(["attachments"]):
        for _ in range(count):
            data = rng.randbytes(3_000_000)  # a phone JPEG does not compress either
            ws.attachments.put(hashlib.sha256(data).hexdigest(), "photo.jpg", "image/jpeg",
                               data)


def parts(source: Path, folder: Path, runs: int) -> tuple[float, float]:
    """The copy alone and the integrity check alone, medians in ms."""
    copy_times, check_times = [], []
    for n in range(runs):
        dest = folder / f"part-{n}.sqlite3"
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        dst = sqlite3.connect(dest)
        t = time.perf_counter()
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE").fetchall()
        copy_times.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        assert dst.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        check_times.append((time.perf_counter() - t) * 1000)
        dst.close()
        src.close()
        backup.remove_with_side_files(dest)
    return statistics.median(copy_times), statistics.median(check_times)


def saves_during_backups(data_dir: Path, saves: int, rng: random.Random, *,
                         back_up: bool = True) -> tuple[list, int]:
    ws = Workspace.open(data_dir)
    live = Visit(new_id(), ws.accounts.list()[0].id, ws.guides.list_latest()[0].version_id,
                 "Live visit", "2026-11-23", status=VisitStatus.IN_PROGRESS,
                 started_at="2026-11-23T09:00:00.000Z")
    with ws.db.atomic():
        ws.visits.add(live)
    key = ws.guides.list_latest()[0].guide.questions()[0][1].key
    entry = interview.record_answer(ws, live.id, key, "They")
    stop = threading.Event()
    made = [0]

    def keep_backing_up() -> None:
        while not stop.is_set():
            make_backup(data_dir, "scheduled")
            made[0] += 1

    worker = threading.Thread(target=keep_backing_up if back_up else stop.wait)
    worker.start()
    text, times = "They", []
    try:
        for _ in range(saves):
            text += " " + rng.choice(WORDS)
            t = time.perf_counter()
            interview.update_text(ws, entry.id, text)
            times.append((time.perf_counter() - t) * 1000)
            time.sleep(0.01)  # a typist pauses between autosaves
    finally:
        stop.set()
        worker.join()
        ws.close()
    return sorted(times), made[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--saves", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        ws = Workspace.open(data_dir)
        build(ws, args.visits, rng)
        ws.close()
        path = data_dir / "workspace.sqlite3"
        size = path.stat().st_size
        check_open = median_ms(lambda: _quick_check(path), args.runs)
        open_all = median_ms(lambda: Workspace.open(data_dir).close(), args.runs)
        unchecked = _without_check(lambda: median_ms(
            lambda: Workspace.open(data_dir).close(), args.runs))
        whole = median_ms(lambda: make_backup(data_dir, "manual"), args.runs)
        copy, check = parts(path, data_dir, args.runs)
        print(f"workspace: {args.visits} visits, no photos, {size / 1e6:.1f} MB")
        print(f"  backup as the app makes it: median {whole:.0f} ms over {args.runs} runs "
              f"(copy {copy:.0f} ms, integrity_check {check:.0f} ms)")
        print(f"  quick_check at open: median {check_open:.1f} ms (Workspace.open "
              f"{open_all:.1f} ms with it, {unchecked:.1f} ms without)")

        ws = Workspace.open(data_dir)
        add_photos(ws, args.photos, rng)
        ws.close()
        size = path.stat().st_size
        check_open = median_ms(lambda: _quick_check(path), args.runs)
        whole = median_ms(lambda: make_backup(data_dir, "manual"), args.runs)
        copy, check = parts(path, data_dir, args.runs)
        print(f"workspace: {args.visits} visits, {args.photos} photos of 3 MB, "
              f"{size / 1e6:.1f} MB")
        print(f"  backup as the app makes it: median {whole:.0f} ms "
              f"(copy {copy:.0f} ms, integrity_check {check:.0f} ms)")
        print(f"  quick_check at open: median {check_open:.1f} ms")

        for back_up in (False, True, False, True):
            times, made = saves_during_backups(data_dir, args.saves, rng, back_up=back_up)
            q = statistics.quantiles(times, n=100)
            what = f"while {made} backups ran on another thread" if back_up else "alone"
            print(f"answer saves {what}: p50 {q[49]:.2f} ms, p95 {q[94]:.2f} ms, "
                  f"p99 {q[98]:.2f} ms, max {times[-1]:.2f} ms")
        kept = len(os.listdir(data_dir / "backups"))
        print(f"backups kept after thinning: {kept}")


if __name__ == "__main__":
    main()
