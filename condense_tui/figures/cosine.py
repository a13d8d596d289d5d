"""Block-ordered cosine-similarity heatmap of a layer's input weights (paper Fig 2-4): D(u, v) = u.v
of the normalized weights (bias included), red +1, white 0, blue -1, neurons in the TUI's order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..analysis.neurons import ordered_cosines
from .canvas import FigureSource, counted, layer_name, new_figure, run_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_NEURONS = 1024  # wider layers are evenly sampled along the order (a CIFAR FC layer is 1024)
COLOURS = "RdBu_r"  # diverging: blue -1, white 0, red +1


def cosine_data(source: FigureSource) -> tuple[np.ndarray, np.ndarray]:
    """(D, neuron indices) in the block order the analysis gives and the TUI draws."""
    la = source.layer_analysis
    return ordered_cosines(la.directions, la.order, MAX_NEURONS)


def unavailable(source: FigureSource) -> str | None:
    if len(source.layer_analysis.order) == 0:
        return f"{layer_name(source)} has no neurons"
    return None


def build(source: FigureSource) -> Figure:
    matrix, picked = cosine_data(source)
    m = len(source.layer_analysis.order)
    fig = new_figure((5.6, 4.8))
    ax = fig.add_subplot()
    image = ax.imshow(matrix, cmap=COLOURS, vmin=-1.0, vmax=1.0, interpolation="nearest")
    bar = fig.colorbar(image, ax=ax, ticks=[-1, -0.5, 0, 0.5, 1], shrink=0.9)
    bar.set_label("cosine similarity D(u, v)")
    shown = f"{len(picked)} of {m}" if len(picked) < m else f"{m}"
    ax.set_title(f"{run_label(source)}\ncosine similarity, {layer_name(source)}, {shown} neurons\n"
                 f"{counted(source.layer_analysis)}", fontsize=10)
    ax.set_xlabel("neuron (block order)")
    ax.set_ylabel("neuron (block order)")
    return fig
