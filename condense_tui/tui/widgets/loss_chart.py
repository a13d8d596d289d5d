"""Loss per step on a log axis, with the preset's watch step marked (and the viewed step, while an
older snapshot is viewed)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..view import ChartData
from .chart import ORANGE, RED, SnapshotChart, as_list, fitted, log_ticks

FLOOR = 1e-30  # a log axis cannot show 0


class LossChart(SnapshotChart):
    def data_key(self, data: ChartData) -> tuple[object, ...]:
        viewed = data.snapshot.step if data.viewing else None
        return (data.history_version, data.watch_step, data.marker, data.snapshot.diverged_at, viewed)

    def draw(self, plt: Any, data: ChartData) -> None:
        steps, values = data.history.points(max(16, self.size.width))
        snap = data.snapshot
        watch = f"watch step {data.watch_step}"
        marks = ("line: " if data.no_color else "orange: ") + watch
        if snap.diverged_at is not None and not data.no_color:
            marks += f", red: diverged at {snap.diverged_at}"
        plt.title(fitted(self.size.width, f"loss (log) | {marks}", f"loss | {marks}", f"loss | {watch}",
                         "loss"))
        if len(steps) == 0:
            return
        values = np.maximum(values, FLOOR)
        right = float(max(steps[-1], data.watch_step)) * 1.03 + 1
        plt.xlim(0, right)
        if values.max() > values.min() * 1.0001:
            plt.yscale("log")
            ticks = log_ticks(float(values.min()), float(values.max()), self.size.height - 3)
            if ticks:
                plt.yticks(*ticks)
        plt.plot(as_list(steps), as_list(values), marker=data.marker, color="cyan")
        plt.vline(data.watch_step, ORANGE)
        if data.viewing:  # the older snapshot the other charts show
            plt.vline(snap.step, (200, 60, 200))
        if snap.diverged_at is not None:
            plt.vline(snap.diverged_at, RED)
