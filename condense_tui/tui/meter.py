"""CPU time the UI spends drawing, so it can stay within a budget at full training speed; and the
steps per second the UI sees.

Python threads share one interpreter lock: every millisecond the UI thread spends building charts
is a millisecond the training thread cannot run. When training is unthrottled, the app gives the
charts at most BUDGET of the wall clock and refreshes them less often when they cost more (a big
terminal, a wide layer); when throttled the training thread is mostly asleep and charts refresh at
the full fps.
"""

from __future__ import annotations

import threading
import time
from collections import deque

BUDGET = 0.04  # share of wall time charts and analysis may take while training runs unthrottled
MAX_GAP = 2.0  # seconds: however costly one frame was (a resize, a new tab), the next comes by then


class RenderMeter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spent = 0.0  # CPU seconds since the last frame was handed out

    def measure(self) -> _Measure:
        return _Measure(self)

    def add(self, seconds: float) -> None:
        with self._lock:
            self._spent += seconds

    def take(self) -> float:
        """CPU seconds spent since the last take()."""
        with self._lock:
            spent, self._spent = self._spent, 0.0
        return spent


class _Measure:
    def __init__(self, meter: RenderMeter) -> None:
        self.meter = meter

    def __enter__(self) -> None:
        self.start = time.thread_time()

    def __exit__(self, *exc: object) -> None:
        self.meter.add(time.thread_time() - self.start)


class FrameGate:
    """Decides whether a new frame may be drawn now."""

    def __init__(self, meter: RenderMeter, budget: float = BUDGET) -> None:
        self.meter = meter
        self.budget = budget
        self.last_frame = 0.0
        self.last_cost = 0.0

    def due(self, unthrottled: bool, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        return not (unthrottled and now - self.last_frame < min(self.last_cost / self.budget, MAX_GAP))

    def opened(self, now: float | None = None) -> None:
        """A frame was handed out: what the previous one cost sets the next earliest time."""
        self.last_cost = self.meter.take()
        self.last_frame = time.monotonic() if now is None else now


RATE_WINDOW = 2.0  # seconds of snapshot arrivals behind the steps/s shown


class StepRate:
    """Steps per second as the UI sees them: snapshot arrivals over the last RATE_WINDOW seconds."""

    def __init__(self) -> None:
        self._marks: deque[tuple[float, int]] = deque()

    def clear(self) -> None:
        self._marks.clear()

    def mark(self, step: int, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._marks.append((now, step))
        while len(self._marks) > 2 and now - self._marks[1][0] > RATE_WINDOW:
            self._marks.popleft()

    def per_second(self, paused: bool, frame_seconds: float) -> float | None:
        """None until two snapshots came; 0 once paused and a frame has passed without one."""
        if len(self._marks) < 2:
            return None
        (t0, s0), (t1, s1) = self._marks[0], self._marks[-1]
        if paused and time.monotonic() - t1 > frame_seconds:
            return 0.0
        return (s1 - s0) / (t1 - t0) if t1 > t0 else None
