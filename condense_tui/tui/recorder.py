"""Fills a SnapshotHistory off the UI thread: each snapshot the history wants is analysed here once,
and its row goes in with it. Its own thread, so the charts' analyst is never held up by it."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TYPE_CHECKING

from .history import SnapshotHistory, analyse_row

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..engine.snapshot import Snapshot
    from .meter import RenderMeter

QUEUE = 1024  # snapshots waiting at most; past it new ones are dropped (the history says thinned)


class Recorder:
    def __init__(self, history: SnapshotHistory, meter: RenderMeter | None = None) -> None:
        self.history = history
        self._meter = meter
        self._cond = threading.Condition()
        self._queue: deque[Snapshot] = deque()
        self._generation = 0  # bumped by clear(): an analysis in flight for the old run is dropped
        self._closed = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="condense-recorder", daemon=True)
        self._thread.start()

    def offer(self, snapshots: Iterable[Snapshot]) -> None:
        """Queue the snapshots the history would keep (steps in order)."""
        history = self.history
        with history.lock:
            wanted = [s for s in snapshots if history.wants(s.step)]
        if not wanted:
            return
        with self._cond:
            room = QUEUE - len(self._queue)
            if room < len(wanted):
                history.thinned = True
            self._queue.extend(wanted[:max(0, room)])
            self._cond.notify()

    def clear(self) -> None:
        """A new run: forget the queue and the history."""
        with self.history.lock, self._cond:  # lock order everywhere: the history's, then the queue's
            self._generation += 1
            self._queue.clear()
            self.history.clear()

    def idle(self) -> bool:
        """Nothing queued or in flight (tests wait for it)."""
        with self._cond:
            return not self._queue and not self._busy

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        history = self.history
        while True:
            with self._cond:
                self._cond.wait_for(lambda: bool(self._queue) or self._closed)
                if self._closed:
                    return
                snapshot, generation = self._queue.popleft(), self._generation
                self._busy = True
            try:
                with history.lock:
                    wanted = history.wants(snapshot.step)
                if wanted:
                    started = time.thread_time()
                    try:
                        row = analyse_row(snapshot)
                    except Exception:  # noqa: BLE001 - a snapshot that cannot be analysed is left out
                        row = None
                    if self._meter is not None:
                        self._meter.add(time.thread_time() - started)
                    with history.lock, self._cond:
                        if row is not None and generation == self._generation:
                            history.add(snapshot, row)
            finally:
                with self._cond:
                    self._busy = False
