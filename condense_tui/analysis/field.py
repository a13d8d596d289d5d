"""The direction field of the paper's Fig 6 for a two-layer net with 1-D input.

omega_dot(w, b) = -(1/n) sum_i e_i (x_i, 1) sigma'(w x_i + b), e_i = f(x_i) - y_i at the snapshot.
Neuron j actually moves along a_j * omega_dot (the gradient carries its output weight), so
neurons with a > 0 follow the arrows and those with a < 0 go against them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..engine.activations import get_activation
from ..engine.backend import Backend
from .function import residuals

if TYPE_CHECKING:
    from ..engine.snapshot import Snapshot

_NUMPY64 = Backend("numpy", "cpu", "float64")


def field_available(snapshot: Snapshot) -> bool:
    """The field is the first layer's only for one hidden layer fed by a 1-D input."""
    return len(snapshot.layers) == 1 and snapshot.layers[0].shape[2] == 2


def direction_field(snapshot: Snapshot, w: np.ndarray, b: np.ndarray,
                    replica: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(w_dot, b_dot) at each point of the (w, b) arrays (any equal shapes)."""
    if not field_available(snapshot):
        raise ValueError("the (w, b) direction field needs one hidden layer and a 1-D input")
    ctx = snapshot.context
    x = np.asarray(ctx.x[:, 0], dtype=float)
    e = residuals(snapshot, replica)
    act = get_activation(ctx.activation_names[0])
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    z = w[..., None] * x + b[..., None]  # (..., n)
    _, slope = act.value_and_slope(z, _NUMPY64)
    drive = e * slope  # (..., n)
    return -(drive * x).mean(axis=-1), -drive.mean(axis=-1)


def output_signs(snapshot: Snapshot, replica: int = 0) -> np.ndarray:
    """sign(a_j) of the neurons feeding the output (which way each moves along the field)."""
    return np.sign(snapshot.output[replica])
