"""A stored run as a snapshot source for the TUI's frame loop (tui.frames.SnapshotSource).

Snapshots are handed out in batches, only when the history's recorder has caught up, so a long
run never floods its queue; those the history would not keep are not even rebuilt. Following a
run that is still being written, `poll(refresh=True)` reads only what landed since the last time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..store.reader import RunReader
from .rebuild import SnapshotRebuilder, context_of, losses_between

if TYPE_CHECKING:
    from pathlib import Path

    from ..config import RunConfig
    from ..engine.snapshot import Snapshot
    from ..store.reader import StoredRun

BATCH = 256  # snapshots released per poll at most
Chunks = list[tuple[np.ndarray, np.ndarray]]


class StoreSource:
    def __init__(self, path: Path, config: RunConfig) -> None:
        self.reader = RunReader(path)
        self.rebuilder = SnapshotRebuilder(context_of(config))
        self.run: StoredRun = self.reader.refresh()
        self.released = 0  # stored snapshots handed out so far
        self._newest_step = -1
        self._latest: Snapshot | None = None
        self._chunks: Chunks = []
        self._published: list[Snapshot] = []

    @property
    def status(self) -> str:
        return self.run.status

    @property
    def stored(self) -> int:
        return len(self.run.snapshots)

    def poll(self, *, refresh: bool, room: bool, wants: Callable[[int], bool]) -> bool:
        """Read what landed (refresh): the newest stored snapshot is the view's newest at once;
        the history gets the next batch of older ones when the consumer has `room`. `wants(step)`:
        whether the history would keep a snapshot at that step. Returns whether the run's status
        changed."""
        before = self.run.status
        if refresh:
            self.run = self.reader.refresh()
        self._newest()
        if room:
            self._release(wants)
        return self.run.status != before

    def _newest(self) -> None:
        run = self.run
        if not len(run.snapshots) or int(run.snapshots.steps[-1]) == self._newest_step:
            return
        newest = self.rebuilder.snapshot(run, len(run.snapshots) - 1)
        steps, losses = losses_between(run, self._newest_step, newest.step)
        if len(steps):
            self._chunks.append((steps, losses))
        self._latest, self._newest_step = newest, newest.step

    def _release(self, wants: Callable[[int], bool]) -> None:
        run, start = self.run, self.released
        stop = min(len(run.snapshots), start + BATCH)
        steps = run.snapshots.steps
        for index in range(start, stop):
            if wants(int(steps[index])):
                self._published.append(self.rebuilder.snapshot(run, index))
        self.released = stop

    # -- tui.frames.SnapshotSource ------------------------------------------------------------------
    def drain(self) -> tuple[Snapshot | None, Chunks, bool]:
        latest, chunks = self._latest, self._chunks
        self._latest, self._chunks = None, []
        return latest, chunks, False

    def take_published(self) -> list[Snapshot]:
        published, self._published = self._published, []
        return published

