"""Orientation histogram of a layer fed by one input: amplitude-weighted shares over the fixed bins
of (-pi, pi], with the theory's predicted orientations marked (drawn as `--plot` draws it)."""

from __future__ import annotations

from typing import Any

from ...charts.histogram import PI_TICKS, Y_LABEL, bar_outline, histogram_title
from ..view import ChartData
from .chart import SnapshotChart


class OrientationHistogram(SnapshotChart):
    def draw(self, plt: Any, data: ChartData) -> None:
        la = data.layer_analysis
        if la.histogram is None:
            plt.title("orientation histogram: this layer has more than one input")
            return
        bars = bar_outline(la.histogram)  # fixed edges: nothing jumps between frames
        plt.title(histogram_title(data.layer, True, data.no_color))
        for xs, ys in bars.runs:
            plt.plot(xs, ys, marker=data.marker, fillx=True, color="cyan")
        if la.prediction is not None:
            for angle, kind in zip(la.prediction.angles, la.prediction.kinds):
                plt.vline(float(angle), "red" if kind > 0 else "blue")
        plt.xlim(*bars.x_range)
        plt.ylim(0, bars.y_top)
        plt.xticks(*PI_TICKS)
        plt.ylabel(Y_LABEL)
