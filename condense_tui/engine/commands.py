"""Commands: the run controller's command state, set from any thread, read by the training thread.

Callers (the UI, a signal handler, a test) change it under one lock; the training thread asks it for
its next Order between chunks, and whether the chunk in flight should end early.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

CHUNK = 64  # most updates between two looks at the command state


@dataclass(frozen=True)
class Order:
    """What the training thread does next: stop, restart, or train `steps` updates."""

    stop: bool = False
    restart: bool = False
    seeds: tuple[int, ...] | None = None  # restart with new initial weights; None: the same ones
    steps: int = 0
    stepping: bool = False  # paused, running queued steps (a pause then does not interrupt)
    last_queued: bool = False  # these are the last queued steps: publish at their end
    rate: float | None = None  # steps per second to keep to; None: as fast as possible


class Commands:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.paused = False
        self.pending_steps = 0
        self.reset = False
        self.reseed: tuple[int, ...] | None = None
        self.stop = False
        self.max_rate: float | None = None  # steps per second; None = as fast as possible
        self.snapshot_every: int | None = None  # overrides the run's cadence while set

    # -- any thread ------------------------------------------------------------------------------
    def update(self, **changes: object) -> None:
        with self._cond:
            for key, value in changes.items():
                setattr(self, key, value)
            self._cond.notify_all()

    def toggle_pause(self) -> None:
        with self._cond:
            self.paused = not self.paused
            self._cond.notify_all()

    def queue_steps(self, k: int) -> None:
        with self._cond:
            self.pending_steps += k
            self._cond.notify_all()

    # -- the training thread -----------------------------------------------------------------------
    def next_order(self, done: bool, exit_when_done: bool, size: Callable[[int, float | None], int]) -> Order:
        """Wait until there is something to do. done: the run is at its budget or diverged (it then
        waits for reset, reseed or stop, or ends when exit_when_done); size(chunk, rate): the
        controller's cut of a chunk (budget, snapshot steps, epoch ends, rate cap)."""
        with self._cond:
            while not self.stop and not self.reset and self.reseed is None and (
                done or (self.paused and self.pending_steps == 0)
            ):
                if done and exit_when_done:
                    break
                self._cond.wait()
            if self.stop or (done and exit_when_done):
                return Order(stop=True)
            if self.reset or self.reseed is not None:
                seeds, self.reset, self.reseed, self.pending_steps = self.reseed, False, None, 0
                return Order(restart=True, seeds=seeds)
            stepping = self.paused
            steps = size(min(CHUNK, self.pending_steps) if stepping else CHUNK, self.max_rate)
            if stepping:
                self.pending_steps = max(0, self.pending_steps - steps)
            return Order(steps=steps, stepping=stepping, last_queued=stepping and self.pending_steps == 0,
                         rate=self.max_rate)

    def interrupted(self, stepping: bool) -> bool:
        """Whether a chunk in flight should end now: stop, reset, reseed, or a pause while running."""
        return self.stop or self.reset or self.reseed is not None or (self.paused and not stepping)

    def rest(self, seconds: float) -> None:
        """Sleep to keep a rate cap; any command that changes the course wakes it, and so does a new
        cap (at 0.2 steps/s a rest lasts seconds: a faster pace must not wait for it to end)."""
        with self._cond:
            rate = self.max_rate
            self._cond.wait_for(lambda: self.interrupted(False) or self.max_rate != rate, timeout=seconds)
