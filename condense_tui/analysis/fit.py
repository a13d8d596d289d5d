"""How close a network's output is to least-squares polynomials of the data (the paper's Fig. 5).

With small initialization and multiplicity p, the network output in the initial stage follows the
best degree-p polynomial approximation of the target: sigma(z) ~ sigma(0) + sigma^(p)(0) z^p / p!.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .function import polynomial_fit


def polynomial_distances(x: np.ndarray, y: np.ndarray, f: np.ndarray,
                         degrees: Iterable[int]) -> dict[int, float]:
    """||f - P_k y|| / ||y|| for each degree k: how far the output is from each fit of the data."""
    scale = float(np.linalg.norm(y)) or 1.0
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    return {k: float(np.linalg.norm(f - polynomial_fit(x, y, k)(x)) / scale) for k in degrees}
