"""Running typists (tests/support/typist.py) on workspaces of their own, killing them with
SIGKILL at random moments, and checking after every kill what the workspace kept.

Each lane has a typist server that has loaded everything once and forks a fresh typist
per run: a new interpreter would spend 0.2 s (services) to 1.3 s (window) of CPU on imports
and compiling the coaching phrases before its first key, which is most of the CI budget and
none of the crash safety. Every forked typist still opens the workspace itself, so crash
recovery runs on every start."""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TYPIST = Path(__file__).resolve().parents[1] / "support" / "typist.py"
WORKSPACE_FILE = "workspace.sqlite3"
LOST_SECONDS = 1.0  # the promise: at most the last second of typing is lost
PLACE_SECONDS = LOST_SECONDS  # a place (question, note, cursor) held this long is kept
TYPING_GAP = 0.5  # a kill this soon after a keystroke landed while text was being typed
READY_TIMEOUT = 90.0  # start-up of a typist on a busy machine, never the typing itself
POLL = 0.005

SUMMARY: list[str] = []  # printed at the end of the run, whatever pytest captures


@dataclass
class Kill:
    """What one run of a typist had done when it was killed, and what it lost."""

    aimed_at: str  # "start-up" (a moment after spawning) or "typing" (after it began)
    spawned: float = 0.0
    first_key: float | None = None  # seconds from spawning to the first keystroke
    ready: bool = False
    keys: int = 0
    typing: bool = False
    in_save: bool = False
    rule_bites: bool = False  # some key was older than LOST_SECONDS, so the rule was tested
    lost_chars: int = 0
    lost_seconds: float = 0.0
    place_checked: bool = False  # the window had stayed put long enough to be held to it
    resumed: bool = False  # the restart was checked against the place kept by the last run


@dataclass
class Lane:
    """A chain of runs of one typist on one workspace folder."""

    mode: str
    folder: Path
    seed: int
    runs: int
    kills: list[Kill] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


@dataclass
class Campaign:
    """Every lane of both typists after the kills, by typist."""

    lanes: dict[str, list[Lane]]
    planned: dict[str, int]

    def kills(self, mode: str) -> list[Kill]:
        return [k for lane in self.lanes[mode] for k in lane.kills]

    def failures(self, mode: str) -> list[str]:
        return [f for lane in self.lanes[mode] for f in lane.failures]


@pytest.fixture(scope="module")
def kill_runs(request, tmp_path_factory) -> Campaign:
    """Runs the kills the test module asks for (SERVICE_KILLS, WINDOW_KILLS over
    SERVICE_LANES, WINDOW_LANES; VOC_CRASH_KILLS and VOC_CRASH_SEED override), all lanes at
    once, each kill checked as it happens."""
    module = request.module
    seed = int(os.environ.get("VOC_CRASH_SEED", "") or module.SEED)
    soak = int(os.environ.get("VOC_CRASH_KILLS", "") or 0)
    planned = ({"service": soak, "window": max(module.WINDOW_KILLS, soak // 5)} if soak
               else {"service": module.SERVICE_KILLS, "window": module.WINDOW_KILLS})
    widths = {"service": module.SERVICE_LANES, "window": module.WINDOW_LANES}
    lanes = {mode: [Lane(mode, tmp_path_factory.mktemp(f"{mode}-lane"), seed * 100 + i,
                         total // widths[mode] + (i < total % widths[mode]))
                    for i in range(widths[mode])]
             for mode, total in planned.items()}
    wall = run_lanes([lane for mode_lanes in lanes.values() for lane in mode_lanes])
    campaign = Campaign(lanes, planned)
    SUMMARY.append(f"seed {seed}, {sum(widths.values())} typists at once, {wall:.1f} s")
    SUMMARY.extend(_summary(mode, campaign.kills(mode)) for mode in lanes)
    return campaign


def _summary(mode: str, kills: list[Kill]) -> str:
    starts = sorted(k.first_key for k in kills if k.first_key is not None) or [0.0]
    return (f"{mode}: {len(kills)} kills, {sum(k.typing for k in kills)} while typing, "
            f"{sum(k.in_save for k in kills)} inside a save, "
            f"{sum(not k.ready for k in kills)} in start-up "
            f"(first key after {starts[len(starts) // 2]:.2f} s, at most {starts[-1]:.2f} s); "
            f"{sum(k.place_checked for k in kills)} held to their place, "
            f"{sum(k.resumed for k in kills)} restarts checked against it; "
            f"{sum(k.rule_bites for k in kills)} after more than {LOST_SECONDS:.0f} s of "
            f"typing; max lost {max((k.lost_chars for k in kills), default=0)} chars / "
            f"{max((k.lost_seconds for k in kills), default=0):.2f} s")


def aim(mode: str, rng: random.Random, first: bool) -> tuple[str, float]:
    """When to kill: a spread over start-up (crash recovery, the window being built, the
    wait for the first key), typing, pauses and saves. Typing kills count from the first
    keystroke, so a slow start on a busy machine does not eat the typing."""
    roll = rng.random()
    if mode == "service":
        if first or roll < 0.15:
            return "start-up", rng.uniform(0.0, 0.1)
        return "typing", rng.uniform(0.0, 0.5) if roll < 0.8 else rng.uniform(1.0, 1.6)
    if first or roll < 0.15:
        return "start-up", rng.uniform(0.0, 0.6)
    return "typing", rng.uniform(0.0, 2.5)


def run_lanes(lanes: list[Lane]) -> float:
    """Runs every lane at once (each on its own workspace); returns the wall time."""
    started = time.monotonic()
    with ThreadPoolExecutor(len(lanes)) as pool:
        for done in [pool.submit(run_lane, lane) for lane in lanes]:
            done.result()
    return time.monotonic() - started


class Typists:
    """One lane's typist server (`typist.py serve`): a fresh typist process per run."""

    def __init__(self, mode: str, folder: Path) -> None:
        self.err = folder / "server.err"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        with self.err.open("wb") as errors:
            # unbuffered, so `select` on the pipe sees every line not yet read
            self.server = subprocess.Popen([sys.executable, str(TYPIST), "serve", mode],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                           stderr=errors, env=env, bufsize=0)

    def start(self, request: dict) -> int:
        assert self.server.stdin and self.server.stdout
        self.server.stdin.write((json.dumps(request) + "\n").encode())
        line = self.server.stdout.readline()
        if not line:
            raise RuntimeError(f"the typist server stopped:\n{_tail(self.err)}")
        return json.loads(line)["pid"]

    def ended(self) -> bool:
        """The running typist is gone (the server's word on it waits to be read)."""
        return bool(select.select([self.server.stdout], [], [], 0)[0])

    def reap(self) -> int:
        """Waits for the server's word that the typist is gone; its exit code (-9: killed)."""
        assert self.server.stdout
        line = self.server.stdout.readline()
        if not line:
            raise RuntimeError(f"the typist server stopped:\n{_tail(self.err)}")
        return os.waitstatus_to_exitcode(json.loads(line)["status"])

    def close(self) -> None:
        assert self.server.stdin
        self.server.stdin.close()
        self.server.wait(timeout=60)


def run_lane(lane: Lane) -> None:
    rng = random.Random(lane.seed)
    data_dir = lane.folder / "ws"
    model: dict[str, str] = {}  # what the workspace held after the last kill
    place: Place | None = None  # and where it said the interviewer was
    log, err = lane.folder / "typist.log", lane.folder / "typist.err"
    typists = Typists(lane.mode, lane.folder)
    try:
        for run in range(lane.runs):
            phase, delay = aim(lane.mode, rng, run == 0)
            for path in (log, err):  # a typist killed before it opens them leaves them empty
                path.write_bytes(b"")
            spawned = time.monotonic()
            pid = typists.start({"data_dir": str(data_dir), "seed": rng.randrange(2**32),
                                 "log": str(log), "err": str(err)})
            try:
                kill_time = _wait_for_kill(typists, log, phase, delay)
            finally:
                if not typists.ended():
                    with contextlib.suppress(ProcessLookupError):  # it just ended by itself
                        os.kill(pid, signal.SIGKILL)
                code = typists.reap()
            where = f"{lane.mode} lane seed {lane.seed}, run {run}"
            if kill_time is None or code != -signal.SIGKILL:
                lane.failures.append(f"{where}: the typist ended by itself (exit {code}) or "
                                     f"never began typing:\n{_tail(err)}")
                return
            kill = Kill(phase, spawned=spawned)
            try:
                stored = read_workspace(data_dir / WORKSPACE_FILE)
            except sqlite3.DatabaseError as exc:
                lane.failures.append(f"{where}: workspace damaged: {exc}")
                return
            events = read_reports(log)
            problems = check_run(kill, model, stored, events, kill_time)
            now_place = read_place(data_dir / WORKSPACE_FILE)
            problems += check_place(kill, place, now_place, events, kill_time)
            if problems:
                kept = shutil.copy(log, lane.folder / f"typist-run{run}.log")
                where += f" (reports kept in {kept})"
            lane.failures += [f"{where}: {p}" for p in problems]
            lane.kills.append(kill)
            model, place = stored, now_place
    finally:
        typists.close()


def _wait_for_kill(typists: Typists, log: Path, phase: str, delay: float) -> float | None:
    """Waits until `delay` after the typist started (or after its first keystroke); the
    kill's time.monotonic(), or None when it ended by itself or never began typing."""
    due = time.monotonic() + delay
    if phase == "typing":
        give_up = time.monotonic() + READY_TIMEOUT
        while b'"e": "k"' not in log.read_bytes():
            if typists.ended() or time.monotonic() > give_up:
                return None
            time.sleep(POLL)
        due = time.monotonic() + delay
    while time.monotonic() < due:
        if typists.ended():
            return None
        time.sleep(min(POLL, max(0.0, due - time.monotonic())))
    return time.monotonic()


def _tail(path: Path, lines: int = 15) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def read_workspace(path: Path) -> dict[str, str]:
    """Every live note's text by target, read with plain sqlite3 after an integrity check.
    Read from a copy, so the crashed state is left for the next run's own recovery."""
    if not path.exists():
        return {}
    conn = _recovered_copy(path)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchall()
        if verdict != [("ok",)]:
            raise sqlite3.DatabaseError(f"integrity_check says {verdict}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "entries" not in tables:
            return {}  # killed before the first migration was committed
        rows = conn.execute("SELECT id, visit_id, kind, question_key, parent_id, text "
                            "FROM entries WHERE deleted_at IS NULL").fetchall()
    finally:
        conn.close()
    return {(f"{visit}/{key}" if kind == "answer" and parent is None else entry_id): text
            for entry_id, visit, kind, key, parent, text in rows}


def _recovered_copy(path: Path) -> sqlite3.Connection:
    """The workspace as SQLite recovers it, opened from a copy of the file and its journal.
    A kill inside a write leaves a hot journal, which a read-only connection cannot roll
    back ("attempt to write a readonly database"); the copy rolls back as the next start
    would, and the workspace itself is left untouched for that start."""
    copy = path.parent.parent / f"{path.name}.checked"  # beside the data folder, not in it
    for suffix in ("", "-journal", "-wal", "-shm"):
        target = Path(f"{copy}{suffix}")
        target.unlink(missing_ok=True)
        if Path(f"{path}{suffix}").exists():
            shutil.copyfile(f"{path}{suffix}", target)
    return sqlite3.connect(copy)


Place = tuple[str, str | None, int]  # question key, note id (None: an unsaved answer), cursor


def read_place(path: Path) -> Place | None:
    """The place the workspace keeps for the visit in progress, read with plain sqlite3."""
    if not path.exists():
        return None
    conn = _recovered_copy(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "resume_points" not in tables:
            return None
        row = conn.execute("SELECT p.question_key, p.entry_id, p.cursor FROM resume_points p "
                           "JOIN visits v ON v.id = p.visit_id WHERE v.status = 'in_progress' "
                           "ORDER BY p.updated_at DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    return (row[0], row[1], int(row[2])) if row else None


def check_place(kill: Kill, before: Place | None, after: Place | None, events: list[dict],
                kill_time: float) -> list[str]:
    """The restart opened exactly where the workspace said the interviewer was; and when
    the killed window had stayed at one place for a second, the workspace says that place."""
    problems = []
    resumed = next((e for e in events if e["e"] == "resumed"), None)
    if resumed is not None and before is not None:
        kill.resumed = True
        opened = (resumed["q"], resumed["note"], resumed["cursor"])
        # an answer that had no words yet is a fresh note with no id after a restart too
        if opened != before and not (before[1] is None and opened[:1] == before[:1]):
            problems.append(f"the restart opened at {opened}, the workspace kept {before}")
    places = [e for e in events if e["e"] in ("at", "resumed")]
    been = {(e["q"], e["note"], e["cursor"]) for e in places}
    moving = bool(places) and any(e["e"] == "moving" for e in events[events.index(places[-1]):])
    # between a move and its focus the place is the question alone, its note not yet known;
    # an answer with no words yet has no id on screen, and its first save gives it one
    on_way = after is not None and (after[1] is None and after[0] in {q for q, _, _ in been}
                                    or (after[0], None, after[2]) in been
                                    or moving and after[1:] == (None, 0))
    if places and after != before and after not in been and not on_way:
        problems.append(f"the workspace kept {after}, a place the window never was at")
    if places and kill_time - places[-1]["t"] > PLACE_SECONDS:
        kill.place_checked = True
        last = places[-1]
        held = (last["q"], last["note"], last["cursor"])
        if last["note"] is None:
            if after is None or (after[0], after[2]) != (held[0], held[2]):
                problems.append(f"the window stood on question {held[0]} for "
                                f"{kill_time - last['t']:.1f} s, the workspace kept {after}")
        elif after != held:
            problems.append(f"the window stood at {held} for {kill_time - last['t']:.1f} s, "
                            f"the workspace kept {after}")
    return problems


def read_reports(log: Path) -> list[dict]:
    lines = log.read_bytes().decode("utf-8", errors="replace").splitlines()
    events = []
    for number, line in enumerate(lines):
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            if number != len(lines) - 1:  # only the line being written may be cut short
                raise
    return events


def check_run(kill: Kill, model: dict[str, str], stored: dict[str, str], events: list[dict],
              kill_time: float) -> list[str]:
    """Compares the workspace after a kill with what was there before, what the typist
    typed and which saves it saw committed; fills in `kill` and returns the problems."""
    typed: dict[str, list[tuple[str, float]]] = {}
    confirmed: dict[str, int] = {}
    last_key, last_save, last_done = None, -1, -1
    for index, event in enumerate(events):
        kind = event["e"]
        if kind == "ready":
            kill.ready = True
        elif kind == "k":
            typed.setdefault(event["to"], []).append((event["c"], event["t"]))
            if kill.first_key is None:
                kill.first_key = event["t"] - kill.spawned
            last_key = event["t"]
            kill.keys += 1
        elif kind == "saved":
            confirmed[event["to"]] = max(confirmed.get(event["to"], 0), event["n"])
        elif kind == "save":
            last_save = index
        elif kind == "done":
            last_done = index
    kill.typing = last_key is not None and kill_time - last_key < TYPING_GAP
    kill.in_save = last_save > last_done
    kill.rule_bites = any(t <= kill_time - LOST_SECONDS for keys in typed.values()
                          for _, t in keys)
    problems = []
    for target in sorted(set(model) | set(stored) | set(typed)):
        before, keys = model.get(target, ""), typed.get(target, [])
        expected = before + "".join(char for char, _ in keys)
        now = stored.get(target)
        if now is None and (before or confirmed.get(target)):
            problems.append(f"{target} is gone (it held {len(before)} characters, "
                            f"{confirmed.get(target, 0)} confirmed)")
            continue
        now = now or ""
        if not expected.startswith(now):
            problems.append(f"{target} holds {now!r}, which is not what was typed: "
                            f"{expected!r}")
            continue
        if len(now) < len(before):
            problems.append(f"{target} lost text saved before this run: {len(before)} "
                            f"characters, now {len(now)}")
        if len(now) < confirmed.get(target, 0):
            problems.append(f"{target} holds {len(now)} characters after a save of "
                            f"{confirmed[target]} was confirmed")
        first_lost = len(now) - len(before)
        if 0 <= first_lost < len(keys):
            age = kill_time - keys[first_lost][1]
            kill.lost_chars += len(keys) - first_lost
            kill.lost_seconds = max(kill.lost_seconds, age)
            if age > LOST_SECONDS:
                problems.append(f"{target} lost {len(keys) - first_lost} characters, the "
                                f"oldest typed {age:.2f} s before the kill")
    return problems


def pytest_terminal_summary(terminalreporter) -> None:
    if SUMMARY:
        terminalreporter.section("crash test")
        for line in SUMMARY:
            terminalreporter.write_line(line)
