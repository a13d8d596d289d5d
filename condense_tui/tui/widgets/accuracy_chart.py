"""Train and test accuracy against epochs, for runs that evaluate on a test set (CIFAR-10)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...analysis.accuracy import accuracy_history
from ..view import ChartData
from .chart import SnapshotChart, as_list


def _fraction(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


class AccuracyChart(SnapshotChart):
    def data_key(self, data: ChartData) -> tuple[object, ...]:
        # the picture changes only with a new evaluation (once an epoch), not with every snapshot
        history = accuracy_history(data.snapshot.extras)
        return (id(data.snapshot.context), data.snapshot.run_id, len(history) if history else -1,
                data.marker, data.no_color)

    def notice(self, data: ChartData) -> str | None:
        history = accuracy_history(data.snapshot.extras)
        if history is None:
            return "Accuracy: this run does not measure any."
        if not len(history):
            per_epoch = data.snapshot.extras.get("steps_per_epoch")
            every = f" ({per_epoch} steps)" if per_epoch else ""
            return (f"Accuracy: train and test, measured at the end of each epoch{every}; "
                    "the first is still to come.")
        return None

    def draw(self, plt: Any, data: ChartData) -> None:
        history = accuracy_history(data.snapshot.extras)
        assert history is not None  # notice() covers the rest
        latest = history.latest()
        # plotext drops a title wider than the chart: keep it short, and cut it to fit
        title = f"accuracy | test {_fraction(latest['test'])} train {_fraction(latest['train'])}"
        plt.title(title[:max(1, self.size.width - 6)])
        for values, color, glyph, label in ((history.train, "cyan", "+", "train (running)"),
                                            (history.test, "orange", "o", "test")):
            measured = np.isfinite(values)  # nan: nothing to measure on (no test images)
            if measured.any():
                plt.plot(as_list(history.epoch_at[measured]), as_list(values[measured]),
                         marker=glyph if data.no_color else data.marker, color=color, label=label)
        plt.xlim(0, max(1.0, float(history.epoch_at[-1])) * 1.03)
        plt.ylim(0, 1)
