"""The network as a function of its input: evaluate a snapshot's network anywhere, and the
least-squares polynomial of degree p that the paper compares it with (Fig 5).

Pure NumPy (float64) on a Snapshot's copies, so either face can call it at UI rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..engine.activations import get_activation
from ..engine.backend import Backend
from ..engine.network import Architecture, forward

if TYPE_CHECKING:
    from ..engine.snapshot import Snapshot

_NUMPY64 = Backend("numpy", "cpu", "float64")


def _inputs(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return x[:, None] if x.ndim == 1 else x


def has_inputs(snapshot: Snapshot) -> bool:
    """Whether the run's data are input points the snapshot's network maps. CIFAR-10 runs carry
    none: their analysed layer is fed by features the convolutional backbone learns."""
    return len(snapshot.context.x) > 0


def network_output(snapshot: Snapshot, x: np.ndarray, replica: int = 0) -> np.ndarray:
    """f(x) of replica `replica` at the snapshot, for inputs x of shape (n, d) (or (n,) when d = 1)."""
    x = _inputs(x)
    ctx = snapshot.context
    acts = tuple(get_activation(name) for name in ctx.activation_names)
    widths = tuple(w.shape[1] for w in snapshot.layers)
    arch = Architecture(x.shape[1], widths, acts, bool(getattr(ctx.config, "residual", False)))
    weights = [np.asarray(w[replica:replica + 1], dtype=float) for w in snapshot.layers]
    output = np.asarray(snapshot.output[replica:replica + 1], dtype=float)
    inputs_t = np.concatenate([x, np.ones((len(x), 1))], axis=1).T
    return forward(arch, _NUMPY64, weights, output, inputs_t)[0]


def residuals(snapshot: Snapshot, replica: int = 0) -> np.ndarray:
    """e_i = f(x_i) - y_i on the training data."""
    ctx = snapshot.context
    return network_output(snapshot, ctx.x, replica) - ctx.y


def polynomial_fit(x: np.ndarray, y: np.ndarray, degree: int) -> np.polynomial.Polynomial:
    """Least-squares polynomial of `degree` through (x, y) for 1-D inputs (the paper fits the data)."""
    x = np.asarray(x, dtype=float).reshape(-1)
    degree = max(0, min(degree, len(x) - 1))
    return np.polynomial.Polynomial.fit(x, np.asarray(y, dtype=float), degree)
