"""Orientation against amplitude of a layer's neurons, at initialization and now (paper Fig 6's
companion). 1-D input: orientation atan2(b, w); wider inputs have none, so the angle to the layer's
leading direction stands in, as in the TUI. Marker shapes tell a > 0 from a < 0 without colour."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..analysis.neurons import neuron_points
from .canvas import PI_TICKS, FigureSource, layer_name, new_figure, run_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FLOOR = 1e-30  # a zero amplitude still has a place on the log axis


def unavailable(source: FigureSource) -> str | None:
    if len(source.layer_analysis.order) == 0:
        return f"{layer_name(source)} has no neurons"
    return None


def build(source: FigureSource) -> Figure:
    snap = source.snapshot
    points = neuron_points(snap, source.layer, source.replica, lead=source.layer_analysis.lead)
    fig = new_figure()
    ax = fig.add_subplot()
    ax.set_yscale("log")
    ax.scatter(points.initial_position, np.maximum(points.initial_amplitude, FLOOR), s=14,
               facecolors="none", edgecolors="0.55", linewidths=0.8, marker="o", label="initial")
    now = np.maximum(points.amplitude, FLOOR)
    if source.top:
        signs = np.sign(snap.output[source.replica])
        for sign, marker, colour, label in ((1, "^", "tab:red", "a > 0"), (-1, "v", "tab:blue", "a < 0")):
            pick = signs == sign if sign > 0 else signs <= 0
            if pick.any():
                ax.scatter(points.position[pick], now[pick], s=22, marker=marker, color=colour,
                           label=f"step {snap.step}, {label}")
    else:
        ax.scatter(points.position, now, s=18, marker="D", color="tab:red", label=f"step {snap.step}")
    _theory(ax, source)
    ax.set_xlim(*points.span)
    if points.span[0] < 0:
        ax.set_xticks(*PI_TICKS)
    else:
        ax.set_xticks([0.0, np.pi / 4, np.pi / 2, 3 * np.pi / 4, np.pi], ["0", "π/4", "π/2", "3π/4", "π"])
    ax.set_xlabel(f"orientation {points.axis}" if points.span[0] < 0
                  else f"{points.axis} (the input has no single orientation)")
    ax.set_ylabel("amplitude |a|·‖(w, b)‖" if source.top else "amplitude ‖(w, b)‖")
    ax.set_title(f"{run_label(source)}\norientation and amplitude, {layer_name(source)}", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    ax.grid(alpha=0.25)
    return fig


def _theory(ax: Axes, source: FigureSource) -> None:
    la = source.layer_analysis
    if la.prediction is None or la.angles is None:
        return
    for i, angle in enumerate(la.prediction.angles):
        ax.axvline(float(angle), color="tab:orange", linestyle=":", linewidth=1.2,
                   label="theory" if i == 0 else None)
