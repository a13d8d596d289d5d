"""The loss curve for `--plot`, in bounded memory: at most CAPACITY points, evenly spaced in
steps (when full, every other point goes and the spacing doubles). The full curve is on disk in
the run store (losses.npy)."""

from __future__ import annotations

import numpy as np

CAPACITY = 4096


class LossHistory:
    def __init__(self, capacity: int = CAPACITY):
        self.capacity, self.stride = capacity, 1
        self._steps: list[int] = []
        self._losses: list[float] = []

    def add(self, steps: np.ndarray, losses: np.ndarray) -> None:
        keep = steps % self.stride == 0
        self._steps.extend(steps[keep].tolist())
        self._losses.extend(losses[keep].tolist())
        while len(self._steps) > self.capacity:
            self.stride *= 2
            pairs = [(s, v) for s, v in zip(self._steps, self._losses) if s % self.stride == 0]
            self._steps = [s for s, _ in pairs]
            self._losses = [v for _, v in pairs]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self._steps, np.int64), np.asarray(self._losses, np.float64)
