"""A search for words alone against the raw full-text query it is built on, in one run.

    python benchmarks/bench_search.py [--visits 20000] [--cache DIR] [--runs 15]

For each query, alternately: `ArchiveWorkspace.find(FindingFilter(query=...))` for the first
page of 50 by relevance (findings read and made into objects, snippets included), and the raw
`SELECT rowid, snippet(...) FROM findings_fts WHERE findings_fts MATCH ? ORDER BY rank
LIMIT 50` on its own connection. The figure is the ratio of the medians (aim: <= 1.2x).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import archive_data  # noqa: E402

from voc_desktop.domain.findings import (  # noqa: E402
    HIT_END,
    HIT_START,
    FindingFilter,
    FindingOrder,
    fts_query,
)
from voc_desktop.services.archive.workspace import ArchiveWorkspace  # noqa: E402

RAW = (f"SELECT rowid, snippet(findings_fts, -1, '{HIT_START}', '{HIT_END}', '…', 24) "
       "FROM findings_fts WHERE findings_fts MATCH ? ORDER BY rank LIMIT 50")
AIM = 1.2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--cache", type=Path, default=archive_data.DEFAULT_CACHE)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    built = archive_data.ensure(args.cache, args.visits)
    lens = ArchiveWorkspace.open(built.folder, index=built.index)
    raw = sqlite3.connect(built.index)
    words = [archive_data.word_at(r) for r in (1500, 400, 50)]
    queries = [*words, archive_data.word_at(1500)[:5], f'"{archive_data.PHRASES[5]}"']
    print(f"{built.info['counts']['findings']:,} findings\n")
    print("| Query | find() | raw FTS5 | ratio |\n| --- | --- | --- | --- |")
    ratios = []
    for text in queries:
        flt, match = FindingFilter(query=text), fts_query(text)
        ours, base = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            page = lens.find(flt, FindingOrder.RELEVANCE, 0, 50)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            rows = raw.execute(RAW, [match]).fetchall()
            base.append(time.perf_counter() - t)
        assert len(page) == len(rows), (text, len(page), len(rows))
        a, b = statistics.median(ours), statistics.median(base)
        ratios.append(a / b)
        print(f"| {text} | {a * 1000:.1f} ms | {b * 1000:.1f} ms | {a / b:.2f}x |")
    print(f"\nworst ratio {max(ratios):.2f}x (aim: <= {AIM}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
