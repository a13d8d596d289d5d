"""The run's kept snapshots, in bounded memory, each with a small row of numbers for the history chart.

Any source fills it: the live run (the frame loop hands it every published snapshot) or a stored run
(`view DIR` adds the store's snapshots in step order). Which snapshots are kept depends only on their
steps, so both give the same history:

- every snapshot up to step EARLY_STEPS (the initial stage, where the neurons condense);
- past it, one snapshot per cell of a logarithmic step axis: TAIL_PER_EFOLD cells per e-fold of
  steps (about one per 0.4 % of the step), so 10^6 steps keep about 2,700 cells;
- at most `cap` snapshots and `byte_cap` bytes of arrays: when a new one would pass either bound,
  the cells double in width (every second early step, then every fourth ...) and the history is
  thinned to the first snapshot of each wider cell. `thinned` says it happened.

A row (HistoryRow) is computed once per kept snapshot from its analysis: per layer the counted lines
and orientations, 2p, the effective rank, the top eigenvalue's share and, for a layer fed by one
input, the amplitude-weighted orientation histogram as shares. Charts draw from rows only.

Not thread-safe by itself: the recorder (recorder.py) adds under `lock`; readers take it too.
"""

from __future__ import annotations

import bisect
import math
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..analysis.report import Analysis
    from ..engine.snapshot import Snapshot

EARLY_STEPS = 1000  # every snapshot up to this step is kept (unless the bounds force thinning)
TAIL_PER_EFOLD = 250  # kept snapshots per e-fold of steps past EARLY_STEPS
CAP = 4096  # kept snapshots at most
BYTE_CAP = 256 * 2**20  # bytes of kept arrays at most (a CIFAR-10 FC snapshot is ~4 MiB)
OVERHEAD = 1024  # bytes per kept snapshot besides its arrays (objects, row), for the bound


@dataclass(frozen=True)
class LayerRow:
    lines: int
    orientations: int
    bound: int | None  # 2p
    effective_rank: float
    top_share: float  # largest eigenvalue of the direction Gram matrix over its trace
    shares: np.ndarray | None  # float32 histogram shares over the analysis' fixed bins (1-D input)


@dataclass(frozen=True)
class HistoryRow:
    step: int
    loss: float
    layers: tuple[LayerRow, ...]

    @property
    def nbytes(self) -> int:
        return sum(la.shares.nbytes for la in self.layers if la.shares is not None)


def row_of(step: int, loss: float, analysis: Analysis) -> HistoryRow:
    """The history chart's numbers of one analysed snapshot."""
    layers = []
    for la in analysis.layers:
        shares = None
        if la.histogram is not None:
            total = float(np.sum(la.histogram))
            shares = (np.asarray(la.histogram, dtype=np.float32) / total if total > 0
                      else np.zeros(len(la.histogram), dtype=np.float32))
        layers.append(LayerRow(la.lines, la.orientations, la.bound, float(la.effective_rank),
                               float(la.top_eigen_fraction), shares))
    return HistoryRow(step, loss, tuple(layers))


def analyse_row(snapshot: Snapshot) -> HistoryRow:
    """Analyse `snapshot` (without caching the analysis on it) and return its row."""
    from ..analysis.report import analyze

    return row_of(snapshot.step, snapshot.loss, analyze(snapshot, replica=0))


def snapshot_bytes(snapshot: Snapshot) -> int:
    """Bytes a kept snapshot holds of its own (initial weights and the run context are shared)."""
    arrays = (*snapshot.layers, snapshot.output, snapshot.losses, snapshot.loss_steps)
    return sum(a.nbytes for a in arrays) + OVERHEAD


def warped(step: int) -> float:
    """Position on the keeping axis: the step itself early, logarithmic past EARLY_STEPS."""
    if step <= EARLY_STEPS:
        return float(step)
    return EARLY_STEPS + TAIL_PER_EFOLD * math.log(step / EARLY_STEPS)


class SnapshotHistory:
    """Kept snapshots in step order with their rows. `version` grows on every change."""

    def __init__(self, cap: int = CAP, byte_cap: int = BYTE_CAP) -> None:
        self.cap, self.byte_cap = cap, byte_cap
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.steps: list[int] = []
        self.snapshots: list[Snapshot] = []
        self.rows: list[HistoryRow] = []
        self.width = 1.0  # cell width on the warped axis
        self.nbytes = 0
        self.thinned = False  # some snapshot was dropped by the bounds or the log spacing
        self.version = 0

    def __len__(self) -> int:
        return len(self.steps)

    # -- keeping ----------------------------------------------------------------------------------
    def _cell(self, step: int) -> int:
        return int(warped(step) // self.width)

    def wants(self, step: int) -> bool:
        """Whether a snapshot at `step` would be kept now (cheap: call it before analysing one)."""
        if not self.steps:
            return True
        last = self.steps[-1]
        return step > last and self._cell(step) != self._cell(last)

    def add(self, snapshot: Snapshot, row: HistoryRow | None = None) -> bool:
        """Keep `snapshot` (steps must grow; an older step is refused) with its row, analysed here
        when not given. Returns whether it was kept. The stored copy carries no cached analysis."""
        if not self.wants(snapshot.step):
            if self.steps and snapshot.step > self.steps[-1]:
                self.thinned = True
            return False
        row = row if row is not None else analyse_row(snapshot)
        size = snapshot_bytes(snapshot) + row.nbytes
        while len(self.steps) >= self.cap or (self.steps and self.nbytes + size > self.byte_cap):
            self._widen()
            if not self.wants(snapshot.step):
                return False
        self.steps.append(snapshot.step)
        self.snapshots.append(replace(snapshot))  # a fresh object: no analysis cached on it
        self.rows.append(row)
        self.nbytes += size
        self.version += 1
        return True

    def _widen(self) -> None:
        """Double the cells and keep the first snapshot of each."""
        self.width *= 2
        self.thinned = True
        keep, last = [], None
        for i, step in enumerate(self.steps):
            cell = self._cell(step)
            if cell != last:
                keep.append(i)
                last = cell
        self.steps = [self.steps[i] for i in keep]
        self.snapshots = [self.snapshots[i] for i in keep]
        self.rows = [self.rows[i] for i in keep]
        self.nbytes = sum(snapshot_bytes(s) + r.nbytes for s, r in zip(self.snapshots, self.rows))
        self.version += 1

    # -- finding ----------------------------------------------------------------------------------
    def index_at(self, step: int) -> int | None:
        """Index of the newest kept snapshot at or before `step` (None when there is none)."""
        i = bisect.bisect_right(self.steps, step) - 1
        return i if i >= 0 else None

    def nearest(self, step: int) -> int | None:
        """Index of the kept snapshot closest to `step`."""
        if not self.steps:
            return None
        i = bisect.bisect_left(self.steps, step)
        if i == len(self.steps):
            return i - 1
        if i > 0 and step - self.steps[i - 1] <= self.steps[i] - step:
            return i - 1
        return i

    def describe(self) -> str:
        """How the history is kept, for the chart's title: e.g. "412 kept, all" or
        "2,730 kept: all to step 1000, then log-spaced"."""
        n = f"{len(self):,} kept"
        if not self.thinned:
            return n + ", all"
        if self.width > 1:
            return n + f": thinned to cells of {self.width:g} steps, then log-spaced"
        return n + f": all to step {EARLY_STEPS}, then log-spaced"
