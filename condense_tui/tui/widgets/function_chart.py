"""The network as a function vs the data and the degree-p least-squares polynomial (Fig 5)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...analysis.function import has_inputs, network_output, polynomial_fit
from ...engine.data import DATA_PRESETS
from ..view import ChartData
from .chart import SnapshotChart, as_list


def synthetic_names() -> str:
    return ", ".join((*DATA_PRESETS, "custom"))


GRID = 160
MAX_POINTS = 400  # d > 1: a chart shows a few hundred points at most, and MNIST has 60,000
SMALL = 0.2  # an output below this share of the data's scale goes on its own (right) axis


class FunctionChart(SnapshotChart):
    def data_key(self, data: ChartData) -> tuple[object, ...]:
        return (id(data.snapshot), data.marker, data.no_color)

    def notice(self, data: ChartData) -> str | None:
        snap = data.snapshot
        if has_inputs(snap):
            return None
        return (f"Fit (network vs data vs polynomial, paper Fig 5) needs the synthetic data "
                f"({synthetic_names()}).\nThis {snap.context.config.data} run has no input points to "
                "plot: its analysed layer is fed by features the backbone learns. Its loss, accuracy "
                "and heatmap are on tabs 1 and 2; p picks a synthetic preset.")

    def draw(self, plt: Any, data: ChartData) -> None:
        snap = data.snapshot
        ctx = snap.context
        x, y = ctx.x, ctx.y
        p = ctx.multiplicities[0].p
        if x.shape[1] != 1:
            # an even subsample keeps the forward pass on the UI thread small for big data sets
            keep = np.linspace(0, len(y) - 1, min(len(y), MAX_POINTS)).astype(int)
            x, y = x[keep], y[keep]
            order = np.argsort(y)
            f = network_output(snap, x)[order]
            idx = np.arange(len(y))
            shown = "" if len(keep) == len(ctx.y) else f", {len(keep)} of {len(ctx.y)} points"
            plt.title(f"f(x_i) and y_i, sorted by y (d = {x.shape[1]}{shown}: no polynomial drawn)")
            plt.scatter(as_list(idx), as_list(y[order]), marker=data.marker, color="gray", label="data")
            self._plot_output(plt, data, idx, f, y)
            return
        grid = np.linspace(float(x.min()), float(x.max()), GRID)
        f = network_output(snap, grid)
        plt.title("network vs data" + (f" vs least-squares polynomial of degree p={p}" if p else
                                       " (p undefined: no polynomial)"))
        plt.scatter(as_list(x[:, 0]), as_list(y), marker="." if data.no_color else data.marker,
                    color="gray", label="data")
        if p:
            poly = polynomial_fit(x[:, 0], y, p)
            plt.plot(as_list(grid), as_list(poly(grid)), marker="-" if data.no_color else data.marker,
                     color="green", label=f"poly deg {p}")
        self._plot_output(plt, data, grid, f, y)

    @staticmethod
    def _plot_output(plt: Any, data: ChartData, xs: np.ndarray, f: np.ndarray,
                     y: np.ndarray) -> None:
        small = float(np.abs(f).max()) < SMALL * float(np.abs(y).max() or 1.0)
        plt.plot(as_list(xs), as_list(f), marker="*" if data.no_color else data.marker, color="red",
                 label="network (right axis)" if small else "network", yside="right" if small else "left")
