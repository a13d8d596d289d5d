"""Orientation against amplitude of every neuron of a layer: at initialization and now."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...analysis.neurons import neuron_points
from ..view import ChartData
from .chart import GREY, ORANGE, RED, SnapshotChart, as_list, fitted, log_ticks

FLOOR = 1e-30


class OrientationScatter(SnapshotChart):
    def draw(self, plt: Any, data: ChartData) -> None:
        # the analysis (made on the analyst thread) already holds the leading direction
        pts = neuron_points(data.snapshot, data.layer, lead=data.layer_analysis.lead)
        start_marker = "." if data.no_color else data.marker
        now_marker = "o" if data.no_color else data.marker
        la = data.layer_analysis
        theory = la.prediction is not None and la.angles is not None and len(la.prediction.angles) > 0
        head, short = f"L{data.layer + 1} amplitude (log) vs {pts.axis}", f"L{data.layer + 1} amplitude vs {pts.axis}"
        legend = " | lines: theory" if data.no_color else " | orange: theory"
        least = f"L{data.layer + 1} amplitude (log)"
        titles: tuple[str, ...] = (head, short, least)
        if theory:  # the legend outlives the axis name when space is short
            titles = (head + legend, short + legend, f"L{data.layer + 1} amplitude" + legend, *titles)
        plt.title(fitted(self.size.width, *titles))
        plt.yscale("log")
        start = np.maximum(pts.initial_amplitude, FLOOR)
        now = np.maximum(pts.amplitude, FLOOR)
        plt.scatter(as_list(pts.initial_position), as_list(start), marker=start_marker, color=GREY,
                    label="initial")
        plt.scatter(as_list(pts.position), as_list(now), marker=now_marker, color=RED,
                    label=f"step {data.snapshot.step}")
        ticks = log_ticks(float(min(start.min(), now.min())), float(max(start.max(), now.max())),
                          self.size.height - 3)
        if ticks:
            plt.yticks(*ticks)
        if theory:
            assert la.prediction is not None
            for angle in la.prediction.angles:
                plt.vline(float(angle), ORANGE)
        plt.xlim(*pts.span)
