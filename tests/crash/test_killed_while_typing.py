"""Killing VOC Desktop with SIGKILL while someone types never damages the workspace, never
loses a confirmed save and loses at most the last second of typing.

Two typists (tests/support/typist.py) run a few at a time, each on a workspace of its own:
one types through the interview services, saving every few characters, so many kills land
inside a transaction; the other types into the real main window (offscreen) and leaves the
saving to the window's autosave. Each run reopens the workspace left by the killed one, so
crash recovery runs on every start. After every kill the workspace is checked with plain
sqlite3 (the `kill_runs` fixture in conftest.py). Typists are forked from a server that has
loaded the code once, and killed with SIGKILL: Linux only.

A long local soak: `VOC_CRASH_KILLS=3000` kills the service typist that many times and the
window typist a fifth as many; `VOC_CRASH_SEED` picks other random moments.
"""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux",
                                reason="typists are forked and killed with SIGKILL")

SERVICE_KILLS = 300  # kills of the service typist per test run (start-up, typing, saving)
WINDOW_KILLS = 60  # kills of the window typist per test run; its start-up is the slow part
SERVICE_LANES, WINDOW_LANES = 4, 4  # typists running at once, each on its own workspace
SEED = 7411  # the random moments of the kills (timing still varies from run to run)


def _survivors(kill_runs, mode: str) -> list:
    failures = kill_runs.failures(mode)
    assert not failures, "\n".join(failures[:20])
    kills = kill_runs.kills(mode)
    assert len(kills) == kill_runs.planned[mode]
    return kills


def test_service_typist_survives_every_kill(kill_runs):
    """Hundreds of kills of the service typist, many inside a save, lose nothing confirmed
    and nothing typed more than a second before the kill; the workspace stays intact."""
    kills = _survivors(kill_runs, "service")
    # the kill moments really covered typing, saving and start-up
    assert sum(k.typing for k in kills) >= len(kills) // 2
    assert sum(k.in_save for k in kills) >= len(kills) // 5
    assert sum(k.rule_bites for k in kills) >= len(kills) // 10
    assert sum(not k.ready for k in kills) >= len(kills) // 20


def test_window_typist_survives_every_kill(kill_runs):
    """Kills of the real window while it types lose at most the last second of typing and
    never a save the window had committed; the workspace stays intact; each restart opens
    on the question, note and cursor the workspace kept, and that is where the killed
    window stood once it had stood there a second."""
    kills = _survivors(kill_runs, "window")
    assert sum(k.typing for k in kills) >= len(kills) // 3
    assert sum(k.rule_bites for k in kills) >= len(kills) // 4
    assert sum(not k.ready for k in kills) >= len(kills) // 20
    assert sum(k.place_checked for k in kills) >= 1
    assert sum(k.resumed for k in kills) >= len(kills) // 3
