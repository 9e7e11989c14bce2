"""The built app folder: its size, and how fast `voc-desktop` shows its window.

    python benchmarks/bench_built_app.py dist/voc-desktop [--runs 7]

Run it with the Python of the environment the app was built from: the same run also times
`python -m voc_desktop` (which runs voc_desktop.ui.app) with that environment's Python and
this checkout's code, for comparison.

Start-up is timed from spawn to the `Main window shown` line in the workspace's log (its
own time stamp, to the millisecond), offscreen. The first run comes right after the page
cache was dropped, when the system allows that (root, writable /proc/sys/vm/drop_caches);
otherwise it is only the first run since the build and says so. Warm runs alternate
between the built app and the venv's Python so machine noise hits both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

SHOWN = "Main window shown"
TIMEOUT = 60.0
ROOT = Path(__file__).resolve().parents[1]


def folder_megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and not p.is_symlink()) / 1e6


def drop_caches() -> bool:
    """Empty the page cache so the next start reads every file from disk; False when the
    system does not allow it (no root, or a container's read-only /proc/sys)."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as fh:
            fh.write("3\n")
        return True
    except OSError:
        return False


def shown_at(log: Path) -> float | None:
    """The epoch time of the log's `Main window shown` line, if it is there yet."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.rstrip().endswith(SHOWN):
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
            return stamp.timestamp()
    return None


def time_start(command: list[str], data: Path, **extra_env: str) -> float:
    """Seconds from spawn until the window was shown, by the log's own clock."""
    log = data / "logs" / "voc-desktop.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra_env}
    env.pop("VOC_LOG_CONSOLE", None)
    spawned = time.time()
    proc = subprocess.Popen([*command, "--data-dir", str(data)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while (shown := shown_at(log)) is None:
            if proc.poll() is not None:
                raise SystemExit(f"{command[0]} exited {proc.returncode} before its window "
                                 "was shown")
            if time.time() - spawned > TIMEOUT:
                raise SystemExit(f"{command[0]} did not log '{SHOWN}' in {TIMEOUT:.0f} s")
            time.sleep(0.01)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return shown - spawned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", type=Path, help="the built app folder, e.g. dist/voc-desktop")
    parser.add_argument("--runs", type=int, default=7, help="warm runs of each (default 7)")
    args = parser.parse_args()
    app = args.app.resolve()
    suffix = ".exe" if sys.platform == "win32" else ""
    built = [str(app / f"voc-desktop{suffix}")]
    venv = [sys.executable, "-m", "voc_desktop"]
    print(f"app folder: {folder_megabytes(app):.1f} MB")
    with tempfile.TemporaryDirectory(prefix="voc-bench-") as scratch:
        data = Path(scratch) / "workspace"
        subprocess.run([str(app / f"voc{suffix}"), "--data-dir", str(data), "demo"],
                       check=True, capture_output=True)
        dropped = drop_caches()
        first = time_start(built, data)
        how = "page cache dropped first" if dropped else "page cache could not be dropped"
        print(f"built voc-desktop, first run after the build ({how}): {first * 1000:.0f} ms")
        checkout = {"PYTHONPATH": str(ROOT)}
        # one untimed start warms the venv's files as the first run warmed the build's
        time_start(venv, data, **checkout)
        warm_built, warm_venv = [], []
        for _ in range(args.runs):
            warm_built.append(time_start(built, data))
            warm_venv.append(time_start(venv, data, **checkout))
    b, v = statistics.median(warm_built), statistics.median(warm_venv)
    print(f"built voc-desktop, warm: median {b * 1000:.0f} ms over {args.runs} runs "
          f"(min {min(warm_built) * 1000:.0f}, max {max(warm_built) * 1000:.0f})")
    print(f"python -m voc_desktop, warm: median {v * 1000:.0f} ms "
          f"(min {min(warm_venv) * 1000:.0f}, max {max(warm_venv) * 1000:.0f})")
    print(f"built / venv: {b / v:.2f}x")


if __name__ == "__main__":
    main()
