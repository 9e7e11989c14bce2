"""The longest UI-thread stall in the laptop app after its first paint, over a scripted
session on a workspace of 2,000 visits (offscreen Qt).

    python benchmarks/bench_laptop_stalls.py [--visits 2000]

As in the app, what loads after the first paint (`_warm_up`) starts right after it. The
session: search as you type (a letter at a time, then cleared), each status tab, open a
completed visit, open the newest visit again. `stall_probe.StallProbe` records the longest gap
between two ticks of a 1 ms timer (aim: <= 30 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_save import build  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from stall_probe import StallProbe  # noqa: E402

from voc_desktop.services.workspace.workspace import Workspace  # noqa: E402
from voc_desktop.ui.app import _warm_up, laptop_window  # noqa: E402

AIM_MS = 30.0


def session(window) -> list[tuple[str, object]]:
    browser = window.browser
    steps: list[tuple[str, object]] = []
    for i, _ in enumerate("Account 01"):
        steps.append((f"type '{'Account 01'[:i + 1]}'",
                      lambda n=i + 1: browser.search.setText("Account 01"[:n])))
    steps.append(("clear the search", lambda: browser.search.setText("")))
    for index in (1, 2, 3, 0):
        steps.append((f"tab {index}", lambda i=index: browser.set_filter(i)))
    visit_id = window.ws.visits.lines()[len(window.ws.visits.lines()) // 2].id
    steps.append(("open a visit", lambda: window.open_visit(visit_id)))
    steps.append(("select it in the list", lambda: browser.select_visit(visit_id, emit=False)))
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=2000)
    args = parser.parse_args(argv)
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp))
        build(ws, args.visits, random.Random(3))
        window = laptop_window(ws)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        _warm_up(ws)  # what the app does after its first paint
        probe = StallProbe()
        steps = session(window)

        def run(i: int = 0) -> None:
            if i == len(steps):
                probe.stop()
                app.quit()
                return
            probe.step, work = steps[i]
            work()
            QTimer.singleShot(250, lambda: run(i + 1))

        probe.step = "first paint"
        QTimer.singleShot(300, lambda: (probe.start(), run()))  # the rules warm meanwhile
        app.exec()
        window.close()
        ws.close()
    for step, gap in probe.by_step.items():
        print(f"  {step}: {gap:.1f} ms")
    print(f"{args.visits:,} visits, {len(steps)} steps: longest UI-thread stall "
          f"{probe.longest_ms:.1f} ms (during: {probe.worst}; aim <= {AIM_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
