"""Where the training thread hands snapshots to the UI: a slot plus a loss history.

The listener runs on the training thread for every published snapshot, so it only stores a
reference and appends the new losses under a lock. The UI timer drains it at its own pace.
"""

from __future__ import annotations

import threading

import numpy as np

from ..engine.snapshot import Snapshot

PUBLISHED_CAP = 4096  # snapshots held between two takes (the history thins them anyway)


class SnapshotFeed:
    """Subscribe an instance to one RunController; the UI calls drain() on its timer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: Snapshot | None = None
        self._chunks: list[tuple[np.ndarray, np.ndarray]] = []
        self._run_id: int | None = None
        self._restarted = False
        self._published: list[Snapshot] = []  # every snapshot since the last take, for the history
        self.published = 0  # snapshots seen (benchmarks and tests read it)

    def __call__(self, snapshot: Snapshot) -> None:
        with self._lock:
            if snapshot.run_id != self._run_id:
                self._run_id = snapshot.run_id
                self._chunks = []
                self._published = []
                self._restarted = True
            if len(snapshot.loss_steps):
                self._chunks.append((snapshot.loss_steps, snapshot.losses[:, 0]))
            self._latest = snapshot
            if len(self._published) < PUBLISHED_CAP:
                self._published.append(snapshot)
            self.published += 1

    def drain(self) -> tuple[Snapshot | None, list[tuple[np.ndarray, np.ndarray]], bool]:
        """(newest snapshot or None if nothing new, loss chunks since the last drain, whether the
        run restarted since then, in which case the history must start over)."""
        with self._lock:
            latest, chunks, restarted = self._latest, self._chunks, self._restarted
            self._latest, self._chunks, self._restarted = None, [], False
        return latest, chunks, restarted

    def take_published(self) -> list[Snapshot]:
        """Every snapshot published since the last take, oldest first (of the current run)."""
        with self._lock:
            published, self._published = self._published, []
        return published

    @property
    def latest(self) -> Snapshot | None:
        with self._lock:
            return self._latest


class LossHistory:
    """Loss per step for the chart, thinned to at most `cap` points by doubling the stride.

    Owned by the UI thread. Thinning keeps every stride-th step, so the curve stays evenly sampled
    however long the run goes on.
    """

    def __init__(self, cap: int = 4096) -> None:
        self.cap = cap
        self.clear()

    def clear(self) -> None:
        self.steps = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0)
        self.stride = 1
        self.last: tuple[int, float] | None = None
        self.version = 0

    def extend_chunks(self, chunks: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """Many snapshots' losses at once: one concatenation per frame, not one per snapshot."""
        if chunks:
            self.extend(np.concatenate([c[0] for c in chunks]), np.concatenate([c[1] for c in chunks]))

    def extend(self, steps: np.ndarray, values: np.ndarray) -> None:
        if not len(steps):
            return
        self.last = (int(steps[-1]), float(values[-1]))
        keep = steps % self.stride == 0
        self.steps = np.concatenate([self.steps, steps[keep]])
        self.values = np.concatenate([self.values, np.asarray(values, dtype=float)[keep]])
        while len(self.steps) > self.cap:
            self.stride *= 2
            keep = self.steps % self.stride == 0
            self.steps, self.values = self.steps[keep], self.values[keep]
        self.version += 1

    def points(self, most: int) -> tuple[np.ndarray, np.ndarray]:
        """At most `most` evenly spaced points, always ending on the newest step."""
        steps, values = self.steps, self.values
        if self.last is not None and (not len(steps) or steps[-1] != self.last[0]):
            steps = np.append(steps, self.last[0])
            values = np.append(values, self.last[1])
        if len(steps) > most > 1:
            pick = np.linspace(0, len(steps) - 1, most).round().astype(int)
            steps, values = steps[pick], values[pick]
        return steps, values
