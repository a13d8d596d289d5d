"""Per-neuron views for charts: where each neuron points and how big it is, initially and now,
and a block-ordered cosine matrix small enough to draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .geometry import amplitudes, angles_1d, cosine_matrix, leading_direction, unit_rows

if TYPE_CHECKING:
    from ..engine.snapshot import Snapshot


@dataclass(frozen=True)
class NeuronPoints:
    initial_position: np.ndarray  # (m,)
    initial_amplitude: np.ndarray  # (m,)
    position: np.ndarray  # (m,)
    amplitude: np.ndarray  # (m,)
    axis: str  # what position means
    span: tuple[float, float]  # the position's natural range


def neuron_points(snapshot: Snapshot, layer: int, replica: int = 0,
                  lead: np.ndarray | None = None) -> NeuronPoints:
    """Orientation vs amplitude of a layer's neurons, at the start and now.

    A layer fed by one input (plus bias) has a true orientation, atan2(b, w). Wider inputs have
    none, so the position is the angle to the layer's current leading direction: a condensed line
    shows as two clumps at 0 and pi, a random layer as a hump near pi/2. lead: that direction when
    already known (LayerAnalysis.lead), which spares a UI thread the layer's SVD.
    """
    top = len(snapshot.layers) - 1
    now = snapshot.layers[layer][replica]
    start = snapshot.initial_layers[layer][replica]
    out_now = snapshot.output[replica] if layer == top else None
    out_start = snapshot.initial_output[replica] if layer == top else None
    amp_now, amp_start = amplitudes(now, out_now), amplitudes(start, out_start)
    if now.shape[1] == 2:
        return NeuronPoints(angles_1d(start), amp_start, angles_1d(now), amp_now,
                            "atan2(b, w)", (-np.pi, np.pi))
    u_now = unit_rows(now)
    if lead is None:
        lead = leading_direction(u_now)

    def angle(u: np.ndarray) -> np.ndarray:
        return np.arccos(np.clip(u @ lead, -1.0, 1.0))

    return NeuronPoints(angle(unit_rows(start)), amp_start, angle(u_now), amp_now,
                        "angle to leading direction", (0.0, np.pi))


def ordered_cosines(directions: np.ndarray, order: np.ndarray, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """D for at most `cells` neurons, evenly sampled along the block order: (D, neuron indices).

    Sampling first keeps the cost at cells^2 however wide the layer is.
    """
    m = len(order)
    k = max(1, min(m, cells))
    picked = order[np.linspace(0, m - 1, k).round().astype(int)] if m else order
    return cosine_matrix(directions[picked]), picked
