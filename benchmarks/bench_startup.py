"""Cold start to a shown main window, against a bare PySide6 window in the same run.

    python benchmarks/bench_startup.py [--runs 7]

Each run is a fresh Python process (offscreen Qt) timed from spawn until the window has
been shown and painted once. The app starts through its real entry point (`voc-desktop`'s
main: log, workspace lock, hand-over socket, place and integrity checks) and is timed to its
`Main window shown` log line. Runs alternate between the two programs so machine noise
hits both alike; the figure that matters is the ratio of the medians (aim: <= 2x).
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

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
print("shown", flush=True)
"""

APP = """
import logging, sys
from PySide6.QtWidgets import QApplication
from voc_desktop.ui.app import main

class Shown(logging.Handler):
    def emit(self, record):
        if record.getMessage() == "Main window shown":
            print("shown", flush=True)
            QApplication.instance().quit()  # the clock stopped at the line above

logging.getLogger("voc_desktop.ui.app").addHandler(Shown())
sys.exit(main(["--data-dir", sys.argv[1]]))
"""

BUILD = """
import random, sys
from pathlib import Path
from bench_save import build
from voc_desktop.services.workspace.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]))
build(ws, int(sys.argv[2]), random.Random(1))
ws.close()
"""


def timed(code: str, *args: str) -> tuple[float, float]:
    """Seconds from spawn to the program's `shown` line, and to the end of its process (it
    quits as soon as it has been shown)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # as an installed app does, load the package from cached bytecode (made in main())
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t = time.perf_counter()
    with subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as run:
        line = run.stdout.readline()
        elapsed = time.perf_counter() - t
        run.stdout.read()
        run.wait()
        ended = time.perf_counter() - t
    assert line.strip() == "shown" and run.returncode == 0, (line, run.returncode)
    return elapsed, ended


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--visits", type=int, default=0,
                        help="a workspace of this many completed visits (default: the sample)")
    args = parser.parse_args()
    package = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "voc_desktop")
    compileall.compile_dir(package, quiet=1)
    with tempfile.TemporaryDirectory() as data:
        if args.visits:
            subprocess.run([sys.executable, "-c", BUILD, data, str(args.visits)], check=True,
                           capture_output=True, cwd=os.path.dirname(os.path.abspath(__file__)))
        else:
            subprocess.run([sys.executable, "-m", "voc_desktop.cli", "--data-dir", data,
                            "demo"], check=True, capture_output=True)
        timed(BARE)  # warm the OS file cache for both, so neither pays first-read costs alone
        timed(APP, data)
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(timed(BARE))
            app.append(timed(APP, data))
    b, a = (statistics.median(t for t, _ in bare), statistics.median(t for t, _ in app))
    print(f"bare PySide6 window: median {b * 1000:.0f} ms over {args.runs} runs")
    what = f"{args.visits:,} visits" if args.visits else "sample workspace"
    print(f"VOC Desktop main window ({what}): median {a * 1000:.0f} ms")
    print(f"ratio: {a / b:.2f}x (aim: <= 2x)")
    b, a = (statistics.median(t for _, t in bare), statistics.median(t for _, t in app))
    print(f"whole process, spawn to exit after the first paint: bare {b * 1000:.0f} ms, "
          f"VOC Desktop {a * 1000:.0f} ms, ratio {a / b:.2f}x (aim: <= 2x)")


if __name__ == "__main__":
    main()
