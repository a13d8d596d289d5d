"""Amplitude-weighted orientation histogram of a layer fed by one input, fixed bins over (-pi, pi],
with the theory's predicted orientations marked (maxima of F, where a > 0 neurons go, and minima)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .canvas import PI_TICKS, FigureSource, counted, layer_name, new_figure, run_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def unavailable(source: FigureSource) -> str | None:
    if source.layer_analysis.histogram is None:
        inputs = source.snapshot.layers[source.layer].shape[2] - 1
        return (f"the orientation histogram needs a layer fed by one input (1-D synthetic data); "
                f"{layer_name(source)} has {inputs} inputs")
    return None


def build(source: FigureSource) -> Figure:
    la = source.layer_analysis
    counts = la.histogram
    assert counts is not None
    total = float(counts.sum())
    share = counts / total if total > 0 else counts
    edges = np.linspace(-np.pi, np.pi, len(share) + 1)
    fig = new_figure()
    ax = fig.add_subplot()
    ax.stairs(share, edges, fill=True, color="0.7", label="amplitude share", zorder=3)
    ax.stairs(share, edges, color="0.2", linewidth=0.8, zorder=3)
    if la.prediction is not None:
        for kind, style, colour, label in ((1, "-", "tab:red", "theory: max of F (a > 0)"),
                                           (-1, "--", "tab:blue", "theory: min of F (a < 0)")):
            angles = la.prediction.angles[la.prediction.kinds == kind]
            for i, angle in enumerate(angles):
                ax.axvline(float(angle), color=colour, linestyle=style, linewidth=1.4,
                           label=label if i == 0 else None)
    ax.set_xlim(-np.pi, np.pi)
    ax.set_xticks(*PI_TICKS)
    ax.set_ylim(0, max(float(share.max()) * 1.12, 1e-12))
    ax.set_xlabel("orientation atan2(b, w)")
    ax.set_ylabel(f"share of amplitude ({len(share)} bins)")
    ax.set_title(f"{run_label(source)}\norientation histogram, {layer_name(source)}, "
                 f"{counted(la)}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    return fig

