"""Save latency of one answer (the autosave path) in a workspace holding 2,000 visits.

    python benchmarks/bench_save.py [--visits 2000] [--saves 500]

Builds a realistic workspace (each visit with answers, why-probes, quotes and learnings)
in a temporary folder, then times `update_text` — exactly what the interview screen calls
on autosave, one committed transaction each — and prints p50 / p95 / p99 / max.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from voc_desktop.domain.accounts import Account, LifecycleStage
from voc_desktop.domain.visit import Entry, EntryKind, Visit, VisitStatus
from voc_desktop.services import interview
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.database import new_id

WORDS = ("line changeover takes too long because the seals are swapped by hand and the "
         "night shift waits for maintenance while orders pile up at the dock").split()


def sentence(rng: random.Random, n: int = 25) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def build(ws: Workspace, visits: int, rng: random.Random) -> list[str]:
    """Bulk-load visits straight through the repositories (seconds, not minutes)."""
    guide = ws.guides.list_latest()[0]
    keys = [q.key for _, q in guide.guide.questions()]
    answer_ids = []
    with ws.db.atomic():
        accounts = []
        for i in range(50):
            account = Account(new_id(), f"Account {i:03d}", "Food packaging", "Mid-market",
                              LifecycleStage.ACTIVE)
            ws.accounts.add(account)
            accounts.append(account.id)
        for v in range(visits):
            visit = Visit(new_id(), rng.choice(accounts), guide.version_id,
                          "Understand the changeover pain", f"2026-{1 + v % 12:02d}-15",
                          status=VisitStatus.COMPLETED, started_at="2026-01-15T09:00:00.000Z")
            ws.visits.add(visit)
            for key in keys[:20]:
                answer = Entry(new_id(), visit.id, EntryKind.ANSWER, sentence(rng),
                               question_key=key, offset_seconds=rng.randint(0, 5400))
                ws.visits.add_entry(answer)
                answer_ids.append(answer.id)
                if rng.random() < 0.3:
                    ws.visits.add_entry(Entry(new_id(), visit.id, EntryKind.PROBE,
                                              sentence(rng, 12), question_key=key,
                                              parent_id=answer.id))
    return answer_ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp))
        t0 = time.perf_counter()
        answers = build(ws, args.visits, rng)
        print(f"built {args.visits} visits, {len(answers)} answers "
              f"in {time.perf_counter() - t0:.1f} s")
        # the open visit being typed into
        live = Visit(new_id(), ws.accounts.list()[0].id, ws.guides.list_latest()[0].version_id,
                     "Live visit", "2026-11-23", status=VisitStatus.IN_PROGRESS,
                     started_at="2026-11-23T09:00:00.000Z")
        with ws.db.atomic():
            ws.visits.add(live)
        key = ws.guides.list_latest()[0].guide.questions()[0][1].key
        entry = interview.record_answer(ws, live.id, key, "They")
        text, times = "They", []
        for _ in range(args.saves):
            text += " " + rng.choice(WORDS)
            t = time.perf_counter()
            interview.update_text(ws, entry.id, text)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        q = statistics.quantiles(times, n=100)
        print(f"save latency over {args.saves} saves: p50 {q[49]:.2f} ms, p95 {q[94]:.2f} ms, "
              f"p99 {q[98]:.2f} ms, max {times[-1]:.2f} ms (aim: p99 <= 10 ms)")
        ws.close()


if __name__ == "__main__":
    main()
