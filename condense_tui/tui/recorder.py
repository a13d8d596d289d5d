"""Fills a SnapshotHistory off the UI thread: each snapshot the history wants is analysed here once,
and its row goes in with it. Its own thread, so the charts' analyst is never held up by it.

Python threads share one interpreter lock, so the recorder rests after each analysis to spend at most
SHARE of the wall clock (an analysis takes 1-10 ms: 10-100 kept snapshots a second, more than a
watching pace publishes). At full speed, when more arrive, the history keeps fewer of them."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TYPE_CHECKING

from .history import SnapshotHistory, analyse_row

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..engine.snapshot import Snapshot

QUEUE = 1024  # snapshots waiting at most; past it new ones are dropped (the history says thinned)
SHARE = 0.1  # of the wall clock at most spent analysing: an unthrottled run keeps its speed


class Recorder:
    def __init__(self, history: SnapshotHistory) -> None:
        self.history = history
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
        snapshots = list(snapshots)
        with history.lock:
            wanted = [s for s in snapshots if history.wants(s.step)]
            if len(wanted) < len(snapshots):
                history.thinned = True  # steps grow within a run: a refused one was thinned out
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
            spent, wanted = 0.0, False
            try:
                with history.lock:
                    wanted = history.wants(snapshot.step)
                if wanted:
                    started = time.thread_time()
                    try:
                        row = analyse_row(snapshot)
                    except Exception:  # noqa: BLE001 - a snapshot that cannot be analysed is left out
                        row = None
                    spent = time.thread_time() - started
                    with history.lock, self._cond:
                        if row is not None and generation == self._generation:
                            history.add(snapshot, row)
            finally:
                with self._cond:
                    self._busy = False
            if wanted:
                with self._cond:  # rest; close() wakes it
                    self._cond.wait_for(lambda: self._closed, timeout=spent * (1 / SHARE - 1))
