"""An event-loop stall probe: a timer that ticks as often as it can and records the longest
gap between two ticks, that is the longest the UI thread was busy elsewhere.

    probe = StallProbe(); probe.start(); ...; probe.stop(); probe.longest_ms, probe.worst
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer


class StallProbe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.longest_ms = 0.0
        self.worst = ""  # the step running when the longest gap ended
        self.step = ""
        self.by_step: dict[str, float] = {}  # the longest gap seen during each step
        self._last = 0.0

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self._last = now
        self.by_step[self.step] = max(gap, self.by_step.get(self.step, 0.0))
        if gap > self.longest_ms:
            self.longest_ms, self.worst = gap, self.step
