"""The archive window on a big archive: its start to a usable list against a bare
QMainWindow, and the longest UI-thread stall over a script of a person's steps (offscreen
Qt).

    python benchmarks/bench_archive_stalls.py [--visits 100000] [--runs 5] [--cache DIR]

The archive comes from `archive_data.py` (built once, then kept under `--cache`).

Start: each run is a fresh Python process timed from spawn until its window has been
painted; the archive window's process opens the archive, builds the window and stops the
clock once the search list's first page is in and painted. Runs alternate between the two
programs so machine noise hits both alike; the figure is the ratio of the medians (aim:
<= 3x).

Stalls: after the window's first paint, `stall_probe.StallProbe` records the longest gap
between two ticks of a 1 ms timer while a person's steps run: searching as they type (a
letter at a time, slower than the pause that runs a search), each filter of the search page,
scrolling to the end of the list, opening a visit and stepping to the next hit, each tab,
the Patterns page's groups and filters, a cell's evidence, the trend of selected rows, a
question on the Triangulation page and its filters, each team, kind and "Act on this" on the
Routing page. Each step waits until every read it started has been shown (aim: <= 50 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import archive_data  # noqa: E402
from bench_startup import timed  # noqa: E402
from PySide6.QtCore import QItemSelectionModel, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from stall_probe import StallProbe  # noqa: E402

AIM_MS = 50.0
AIM_START = 3.0

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1366, 768); w.show(); app.processEvents()
print("shown", flush=True)
"""

ARCHIVE = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.ui.archive.window import ArchiveWindow
lens = ArchiveWorkspace.open(sys.argv[1], index=sys.argv[2])
w = ArchiveWindow(lens); w.resize(1366, 768); w.show()

def usable():
    app.processEvents()  # the first page laid out and painted
    print("shown", flush=True)
    app.quit()

w.search_page.model.loaded.connect(usable)
app.exec()
"""


def measure_start(built: archive_data.BuiltArchive, runs: int) -> tuple[float, float]:
    args = (str(built.folder), str(built.index))
    timed(BARE)  # warm the OS file cache for both
    timed(ARCHIVE, *args)
    bare, archive = [], []
    for _ in range(runs):
        bare.append(timed(BARE)[0])  # spawn to shown; the end of the process is not asked
        archive.append(timed(ARCHIVE, *args)[0])
    return statistics.median(bare), statistics.median(archive)


Step = tuple[str, Callable[[], object]]


def steps_of_a_person(window) -> list[Step]:
    from voc_desktop.domain.findings import PatternGroup

    search = window.search_page
    steps: list[Step] = []
    words = "changeover"
    for n in range(1, len(words) + 1):
        steps.append((f"type '{words[:n]}'", lambda n=n: (search.search.setText(words[:n]),
                                                         search.apply())))
    steps.append(("clear the words", lambda: (search.search.clear(), search.apply())))
    for name in ("vertical", "segment", "stage", "role", "bucket", "kind", "status",
                 "account", "interviewer"):
        steps.append((f"search filter: {name}",
                      lambda name=name: getattr(search, name).setCurrentIndex(1)))
    steps.append(("search filter: theme", lambda: (search.theme.setText("changeover"),
                                                   search.apply())))
    steps.append(("search filter: dates", lambda: (search.date_from.setText("2025"),
                                                   search.apply())))
    steps.append(("search filter: outside the profile",
                  lambda: search.include_outside.setChecked(False)))
    steps.append(("clear filters", search.clear_filters))
    steps.append(("type 'line'", lambda: (search.search.setText("line"), search.apply())))
    steps.append(("scroll to the end of the list", lambda: search.table.scrollToBottom()))
    steps.append(("scroll back to the top", lambda: search.table.scrollToTop()))
    steps.append(("open a visit", lambda: (search.table.selectRow(0), search.open_row())))
    steps.append(("next hit (F3)", lambda: search.dialog and search.dialog.go(1)))
    steps.append(("close the visit", lambda: search.dialog and search.dialog.close()))
    steps.append(("tab Patterns (first time)", lambda: window.tabs.setCurrentIndex(1)))

    def patterns():
        return window.page(1)

    for group in PatternGroup:
        steps.append((f"patterns: compare across {group.value}",
                      lambda g=group: patterns().group_combo.setCurrentIndex(
                          patterns().group_combo.findData(g.value))))
    steps.append(("patterns: vertical", lambda: patterns().vertical.setCurrentIndex(1)))
    steps.append(("patterns: outside the profile", lambda: patterns().outside.toggle()))
    steps.append(("patterns: a cell's evidence", lambda: patterns().show_evidence(
        patterns().model.index(0, 3))))

    def select_rows() -> None:
        page = patterns()
        selection = page.table.selectionModel()
        for row in (1, 2):
            selection.select(page.model.index(row, 0),
                             QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)

    steps.append(("patterns: trend of selected rows", select_rows))
    steps.append(("patterns: sort by theme", lambda: patterns().model.sort(0)))
    steps.append(("tab Triangulation (first time)", lambda: window.tabs.setCurrentIndex(2)))

    def triangulation():
        return window.page(2)

    steps.append(("triangulation: another question",
                  lambda: triangulation().question.setCurrentIndex(3)))
    steps.append(("triangulation: vertical", lambda: triangulation().vertical.setCurrentIndex(1)))
    steps.append(("triangulation: where both spoke",
                  lambda: triangulation().spoke_a.setCurrentIndex(1)))
    steps.append(("triangulation: newest first", lambda: triangulation().model.sort(2)))
    steps.append(("tab Routing (first time)", lambda: window.tabs.setCurrentIndex(3)))

    def routing():
        return window.page(3)

    for row in (1, 2, 0):
        steps.append((f"routing: team {row}", lambda r=row: routing().teams.setCurrentRow(r)))
    steps.append(("routing: key learnings", lambda: routing().kind.setCurrentIndex(1)))
    steps.append(("routing: act on this", lambda: routing().views.setCurrentIndex(1)))
    steps.append(("routing: words", lambda: (routing().words.setText("line"),
                                             routing().refresh())))
    steps.append(("tab Search", lambda: window.tabs.setCurrentIndex(0)))
    return steps


def measure_stalls(built: archive_data.BuiltArchive) -> StallProbe:
    from voc_desktop.services.archive.workspace import ArchiveWorkspace
    from voc_desktop.ui.archive.lens_reader import LensReader
    from voc_desktop.ui.archive.window import ArchiveWindow

    app = QApplication.instance() or QApplication([])
    lens = ArchiveWorkspace.open(built.folder, index=built.index)
    window = ArchiveWindow(lens)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    probe = StallProbe()
    steps = steps_of_a_person(window)

    def idle() -> bool:
        return not window.busy and all(r.pending == 0 for r in window.findChildren(LensReader))

    def run(i: int = 0) -> None:
        if i == len(steps):
            probe.stop()
            app.quit()
            return
        probe.step, work = steps[i]
        work()
        started = time.perf_counter()

        def next_when_shown() -> None:
            # 300 ms at least: a person's pace, longer than the pause a search waits for
            if idle() and time.perf_counter() - started > 0.3:
                run(i + 1)
            else:
                QTimer.singleShot(20, next_when_shown)

        QTimer.singleShot(20, next_when_shown)

    probe.step = "first paint"

    def begin() -> None:
        if not idle():  # the lists being read at opening, and the look for new visits
            QTimer.singleShot(20, begin)
            return
        probe.start()
        run()

    QTimer.singleShot(0, begin)
    app.exec()
    window.close()
    return probe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=archive_data.DEFAULT_CACHE)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    built = archive_data.ensure(args.cache, args.visits, args.seed)
    counts = built.info["counts"]
    print(f"archive: {counts['visits']:,} visits, {counts['findings']:,} findings, "
          f"{built.info['index_mb']:,} MB index")
    probe = measure_stalls(built)
    for step, gap in probe.by_step.items():
        print(f"  {step}: {gap:.1f} ms")
    print(f"longest UI-thread stall {probe.longest_ms:.1f} ms (during: {probe.worst}; "
          f"aim <= {AIM_MS:.0f} ms)")
    bare, archive = measure_start(built, args.runs)
    print(f"start to a usable list: archive window {archive * 1000:.0f} ms, bare QMainWindow "
          f"{bare * 1000:.0f} ms (medians of {args.runs} interleaved runs): "
          f"{archive / bare:.2f}x (aim <= {AIM_START:.0f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
