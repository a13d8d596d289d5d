"""Orientation histogram of a layer fed by one input: amplitude-weighted shares over the fixed bins
of (-pi, pi], with the theory's predicted orientations marked (drawn as `--plot` draws it)."""

from __future__ import annotations

from typing import Any

from ...charts.histogram import (
    PI_TICKS,
    THEORY_GLYPH,
    THEORY_RGB,
    Y_LABEL,
    bar_outline,
    histogram_titles,
)
from ..view import ChartData
from .chart import SnapshotChart, fitted


class OrientationHistogram(SnapshotChart):
    def draw(self, plt: Any, data: ChartData) -> None:
        la = data.layer_analysis
        width = self.size.width
        if la.histogram is None:
            plt.title(fitted(width, "orientation histogram: this layer has more than one input",
                             "more than one input"))
            return
        bars = bar_outline(la.histogram)  # fixed edges: nothing jumps between frames; empty bins blank
        prediction = la.prediction
        has_theory = prediction is not None and len(prediction.angles) > 0
        plt.title(fitted(width, *histogram_titles(data.layer, has_theory, data.no_color)))
        for xs, ys in bars.runs:
            plt.plot(xs, ys, marker=data.marker, fillx=True, color="cyan")
        if has_theory:
            assert prediction is not None
            for angle, kind in zip(prediction.angles, prediction.kinds):
                sign = 1 if kind > 0 else -1
                if data.no_color:  # the sign in the glyph: a line of + or of -
                    plt.plot([float(angle)] * 2, [0.0, bars.y_top], marker=THEORY_GLYPH[sign])
                else:
                    plt.vline(float(angle), THEORY_RGB[sign])
        plt.xlim(*bars.x_range)
        plt.ylim(0, bars.y_top)
        plt.xticks(*PI_TICKS)
        if self.size.height >= 12:  # plotext puts it on a row of its own: short charts keep the row
            plt.ylabel(Y_LABEL)
