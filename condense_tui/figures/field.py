"""The paper's Fig 6: the direction field omega_dot over the (w, b) plane of a two-layer net with
1-D input, at the snapshot's residuals, with the neurons on it. A neuron moves along a * omega_dot,
so a > 0 neurons follow the arrows and a < 0 ones go against them; shapes tell them apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..analysis.field import direction_field, field_available, output_signs
from ..analysis.function import has_inputs
from .canvas import FigureSource, new_figure, run_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ARROWS = 21  # per side


def unavailable(source: FigureSource) -> str | None:
    snap = source.snapshot
    if not has_inputs(snap):
        return (f"the direction field needs 1-D synthetic data; this {snap.context.config.data} run "
                "has no input points")
    if not field_available(snap):
        d = snap.layers[0].shape[2] - 1
        return (f"the direction field needs 1-D synthetic data and one hidden layer; this run has "
                f"d = {d} and {len(snap.layers)} hidden layer(s)")
    return None


def build(source: FigureSource) -> Figure:
    snap = source.snapshot
    weights = snap.layers[0][source.replica]
    reach = 1.15 * max(float(np.abs(weights).max()), 1e-12)
    axis = np.linspace(-reach, reach, ARROWS)
    gw, gb = np.meshgrid(axis, axis)
    dw, db = direction_field(snap, gw, gb, source.replica)
    size = np.hypot(dw, db)
    # unit arrows show where the field points everywhere; its strength varies by decades
    unit_w = np.divide(dw, size, out=np.zeros_like(dw), where=size > 0)
    unit_b = np.divide(db, size, out=np.zeros_like(db), where=size > 0)
    fig = new_figure((5.8, 5.6))
    ax = fig.add_subplot()
    ax.quiver(gw, gb, unit_w, unit_b, color="0.55", angles="xy", pivot="mid", width=0.0035,
              scale=ARROWS * 1.25, scale_units="width")
    _theory(ax, source, reach)
    signs = output_signs(snap, source.replica)
    for sign, marker, colour, label in ((1, "^", "tab:red", "neuron, a > 0 (follows)"),
                                        (-1, "v", "tab:blue", "neuron, a < 0 (goes against)")):
        pick = signs == sign if sign > 0 else signs <= 0
        if pick.any():
            ax.scatter(weights[pick, 0], weights[pick, 1], s=26, marker=marker, color=colour,
                       edgecolors="black", linewidths=0.4, label=label, zorder=3)
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.ticklabel_format(style="sci", scilimits=(-2, 3))
    ax.set_xlabel("w")
    ax.set_ylabel("b")
    ax.set_title(f"{run_label(source)}\ndirection field -(1/n) Σ e_i (x_i, 1) σ'(w x_i + b)",
                 fontsize=10)
    fig.legend(fontsize=8, loc="outside lower center", ncols=3, frameon=False)
    return fig


def _theory(ax: Axes, source: FigureSource, reach: float) -> None:
    """The predicted orientations as rays from the origin."""
    prediction = source.analysis.layers[0].prediction
    if prediction is None:
        return
    for i, angle in enumerate(prediction.angles):
        end = 2 * reach * np.array([np.cos(angle), np.sin(angle)])
        ax.plot([0, end[0]], [0, end[1]], color="tab:orange", linestyle=":", linewidth=1.6,
                label="theory orientation" if i == 0 else None)
