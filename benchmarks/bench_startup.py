"""Cold start to a shown main window, against a bare PySide6 window in the same run.

    python benchmarks/bench_startup.py [--runs 7]

Each run is a fresh Python process (offscreen Qt) timed from spawn until the window has
been shown and painted once. Runs alternate between the two programs so machine noise
hits both alike; the figure that matters is the ratio of the medians (aim: <= 2x).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
print("shown", flush=True)
"""

APP = """
import sys
from PySide6.QtWidgets import QApplication
from voc_desktop.services.workspace import Workspace
from voc_desktop.ui.main_window import MainWindow
app = QApplication([])
w = MainWindow(Workspace.open(sys.argv[1])); w.show(); app.processEvents()
print("shown", flush=True)
"""


def timed(code: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, check=True,
                         capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - t
    assert "shown" in out
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        subprocess.run([sys.executable, "-m", "voc_desktop.cli", "--data-dir", data, "demo"],
                       check=True, capture_output=True)
        timed(BARE)  # warm the OS file cache for both, so neither pays first-read costs alone
        timed(APP, data)
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(timed(BARE))
            app.append(timed(APP, data))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"bare PySide6 window: median {b * 1000:.0f} ms over {args.runs} runs")
    print(f"VOC Desktop main window (sample workspace): median {a * 1000:.0f} ms")
    print(f"ratio: {a / b:.2f}x (aim: <= 2x)")


if __name__ == "__main__":
    main()
