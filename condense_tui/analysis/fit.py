"""How close a network's output is to least-squares polynomials of the data (the paper's Fig. 5).

With small initialization and multiplicity p, the network output in the initial stage follows the
best degree-p polynomial approximation of the target: sigma(z) ~ sigma(0) + sigma^(p)(0) z^p / p!.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np


def network_output(snapshot, replica: int = 0) -> np.ndarray:  # noqa: ANN001 - engine Snapshot
    """f(x_i) of one network at the snapshot's weights, on the run's data, in float64: (n,)."""
    from ..engine.backend import Backend
    from ..engine.network import forward
    from ..engine.trainer import build_architecture

    ctx = snapshot.context
    arch = build_architecture(ctx.config, ctx.x.shape[1])
    inputs_t = np.concatenate([ctx.x, np.ones((len(ctx.x), 1))], axis=1).T
    weights = [np.asarray(w[replica : replica + 1], dtype=np.float64) for w in snapshot.layers]
    output = np.asarray(snapshot.output[replica : replica + 1], dtype=np.float64)
    return forward(arch, Backend("numpy", "cpu", "float64"), weights, output, inputs_t)[0]


def least_squares_polynomial(x: np.ndarray, y: np.ndarray, degree: int) -> np.ndarray:
    """Values at x (1-D) of the degree-`degree` polynomial closest to y in least squares."""
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    fit = np.polynomial.Polynomial.fit(x, y, degree)  # scaled domain: well conditioned
    return fit(x)


def polynomial_distances(x: np.ndarray, y: np.ndarray, f: np.ndarray,
                         degrees: Iterable[int]) -> dict[int, float]:
    """||f - P_k y|| / ||y|| for each degree k: how far the output is from each fit of the data."""
    scale = float(np.linalg.norm(y)) or 1.0
    return {k: float(np.linalg.norm(f - least_squares_polynomial(x, y, k)) / scale) for k in degrees}
