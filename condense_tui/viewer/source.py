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
        self._released_step = -1
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
        """Read what landed (refresh) and release the next batch when the consumer has `room`;
        `wants(step)`: whether the history would keep a snapshot at that step. Returns whether
        the run's status changed."""
        before = self.run.status
        if refresh:
            self.run = self.reader.refresh()
        if room:
            self._release(wants)
        return self.run.status != before

    def _release(self, wants: Callable[[int], bool]) -> None:
        run, start = self.run, self.released
        stop = min(len(run.snapshots), start + BATCH)
        if stop <= start:
            return
        steps = run.snapshots.steps
        previous = self._released_step
        for index in range(start, stop):
            step = int(steps[index])
            if wants(step) or index == stop - 1:
                # losses since the previous stored snapshot, so each kept one says its own
                self._published.append(self.rebuilder.snapshot(run, index))
        newest = self._published[-1] if self._published else self.rebuilder.snapshot(run, stop - 1)
        self._latest = newest
        new_steps, new_losses = losses_between(run, previous, newest.step)
        if len(new_steps):
            self._chunks.append((new_steps, new_losses))
        self.released, self._released_step = stop, newest.step

    # -- tui.frames.SnapshotSource ------------------------------------------------------------------
    def drain(self) -> tuple[Snapshot | None, Chunks, bool]:
        latest, chunks = self._latest, self._chunks
        self._latest, self._chunks = None, []
        return latest, chunks, False

    def take_published(self) -> list[Snapshot]:
        published, self._published = self._published, []
        return published

