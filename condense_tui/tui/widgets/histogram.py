"""Orientation histogram of a layer fed by one input: amplitude-weighted, fixed bins over
(-pi, pi], with the theory's predicted orientations marked."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..view import ChartData
from .chart import SnapshotChart, as_list


class OrientationHistogram(SnapshotChart):
    def draw(self, plt: Any, data: ChartData) -> None:  # noqa: ANN401
        la = data.layer_analysis
        if la.histogram is None:
            plt.title("orientation histogram: this layer has more than one input")
            return
        total = float(la.histogram.sum())
        share = la.histogram / total if total > 0 else la.histogram
        edges = np.linspace(-np.pi, np.pi, len(share) + 1)
        # bars as a filled step outline: one series, fixed edges, nothing jumps between frames
        xs = np.repeat(edges, 2)[1:-1]
        ys = np.repeat(share, 2)
        mark = "| theory" if data.no_color else "theory: red a>0, blue a<0"
        plt.title(f"L{data.layer + 1} orientation atan2(b,w), amplitude-weighted | {mark}")
        plt.plot(as_list(xs), as_list(ys), marker=data.marker, fillx=True, color="cyan")
        if la.prediction is not None:
            for angle, kind in zip(la.prediction.angles, la.prediction.kinds):
                plt.vline(float(angle), "red" if kind > 0 else "blue")
        plt.xlim(-np.pi, np.pi)
        plt.ylim(0, max(float(share.max()) * 1.1, 1e-12))
