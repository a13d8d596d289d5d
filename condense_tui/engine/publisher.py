"""Publisher: builds a run's Snapshots and hands each to the listeners.

It holds what a snapshot needs besides the live weights: the losses logged since the last snapshot,
the run's context and initial weights, and the last finite snapshot, whose weights a diverged run
keeps showing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .model import HostWeights, TrainableModel
from .snapshot import RunContext, Snapshot

Listener = Callable[[Snapshot], None]


def _joined(parts: list[np.ndarray], empty: np.ndarray) -> np.ndarray:
    """The pieces end to end; one piece (a snapshot per chunk) is taken as it is."""
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else empty


class Publisher:
    def __init__(self) -> None:
        self.listeners: list[Listener] = []
        self.latest: Snapshot | None = None

    def begin(self, run_id: int, context: RunContext, initial: HostWeights) -> None:
        """A new run: its snapshots share `context` and `initial` (no copy per snapshot)."""
        self.run_id, self.context, self.initial = run_id, context, initial
        self._steps: list[np.ndarray] = []
        self._losses: list[np.ndarray] = []
        self._last_finite: Snapshot | None = None

    def add(self, steps: np.ndarray, losses: np.ndarray) -> None:
        """Losses of `steps` (host arrays), for the next snapshot."""
        self._steps.append(steps)
        self._losses.append(losses)

    def publish(self, model: TrainableModel, step: int, elapsed: float, diverged_at: int | None,
                total_steps: int | None, finished: bool = False, interrupted: bool = False) -> Snapshot:
        if diverged_at is not None and self._last_finite is not None:
            good = self._last_finite
            (layers, output), shown = (good.layers, good.output), good.step
        else:  # also a run whose very first loss is not finite: its weights are the initial ones
            (layers, output), shown = model.weights(), step
        steps = _joined(self._steps, np.zeros(0, np.int64))
        losses = _joined(self._losses, np.zeros((0, model.replicas)))
        self._steps, self._losses = [], []
        rate = step / elapsed if elapsed > 0 else 0.0
        snap = Snapshot(self.run_id, shown, steps, losses, layers, output, self.initial[0], self.initial[1],
                        self.context, elapsed, rate, diverged_at, finished, interrupted,
                        model.extras(step, total_steps, rate))
        if diverged_at is None:
            self._last_finite = snap
        self.latest = snap
        for listener in self.listeners:
            listener(snap)
        return snap
