"""The network as a function of its 1-D input against the data and the least-squares polynomial
of degree p (paper Fig 5: at small init the output follows the degree-p fit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..analysis.function import has_inputs, network_output, polynomial_fit
from .canvas import FigureSource, new_figure, run_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

GRID = 400
SMALL = 0.2  # an output below this share of the data's scale gets its own (right) axis


def unavailable(source: FigureSource) -> str | None:
    ctx = source.snapshot.context
    if not has_inputs(source.snapshot):
        return (f"the fit figure needs 1-D synthetic data; this {ctx.config.data} run has no input "
                "points (its analysed layer is fed by features the backbone learns)")
    if ctx.x.shape[1] != 1:
        return f"the fit figure needs 1-D synthetic data; this run's input has d = {ctx.x.shape[1]}"
    return None


def build(source: FigureSource) -> Figure:
    snap = source.snapshot
    ctx = snap.context
    x, y = ctx.x[:, 0], ctx.y
    p = ctx.multiplicities[0].p
    grid = np.linspace(float(x.min()), float(x.max()), GRID)
    f = network_output(snap, grid, source.replica)
    fig = new_figure()
    ax = fig.add_subplot()
    ax.scatter(x, y, s=16, color="0.35", marker="o", label="data", zorder=3)
    if p:
        poly = polynomial_fit(x, y, p)
        ax.plot(grid, poly(grid), color="tab:green", linestyle="--", linewidth=1.8,
                label=f"least-squares polynomial, degree p = {p}")
    small = float(np.abs(f).max()) < SMALL * float(np.abs(y).max() or 1.0)
    target = ax.twinx() if small else ax
    target.plot(grid, f, color="tab:red", linewidth=1.8,
                label="network f(x)" + (" (right axis)" if small else ""))
    if small:
        target.set_ylabel("network f(x)", color="tab:red")
        target.tick_params(axis="y", colors="tab:red")
    handles, labels = ax.get_legend_handles_labels()
    if small:
        more = target.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    ax.legend(handles, labels, fontsize=8, loc="best")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    note = f"degree p = {p}" if p else "p undefined for this activation: no polynomial"
    ax.set_title(f"{run_label(source)}\nnetwork vs data vs polynomial fit ({note})", fontsize=10)
    ax.grid(alpha=0.25)
    return fig
