"""`voc` commands against `python -c "import sqlite3"`, interleaved in one run.

    python benchmarks/bench_cli.py [--runs 9]

Each run is a fresh process, timed from spawn to exit, on the sample workspace; the figure
is the ratio of the medians (aim: <= 2x).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    compileall.compile_dir(os.path.join(root, "voc_desktop"), quiet=1)
    with tempfile.TemporaryDirectory() as data:
        voc = [sys.executable, "-m", "voc_desktop.cli", "--data-dir", data]
        subprocess.run([*voc, "demo"], check=True, capture_output=True)
        programs = {"python -c 'import sqlite3'": [sys.executable, "-c", "import sqlite3"],
                    "voc --help": [*voc, "--help"],
                    "voc visit list --json": [*voc, "visit", "list", "--json"]}
        times: dict[str, list[float]] = {name: [] for name in programs}
        for program in programs.values():
            timed(program)  # warm the file cache
        for _ in range(args.runs):
            for name, program in programs.items():
                times[name].append(timed(program))
    base = statistics.median(times["python -c 'import sqlite3'"])
    for name, runs in times.items():
        m = statistics.median(runs)
        print(f"{name}: median {m * 1000:.0f} ms = {m / base:.2f}x")


if __name__ == "__main__":
    main()
