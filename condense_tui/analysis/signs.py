"""How close a direction is to a sign vector (every coordinate +-1/sqrt(D)), and what chance gives.

Adam normalises each coordinate of the update, so it pulls condensed directions towards sign
vectors. index(u) = |u|_1 / sqrt(D) for a unit u in D dimensions: 1 on a sign vector, 1/sqrt(D) on
an axis. For u uniform on the sphere, E|u_1| = Gamma(D/2) / (sqrt(pi) Gamma((D+1)/2)), so the mean
index (the baseline) is sqrt(D) times that: 0.900 for D = 2, 0.866 for D = 3, 0.832 for D = 6,
falling towards sqrt(2/pi) = 0.798 as D grows.
"""

from __future__ import annotations

from math import exp, lgamma, pi, sqrt

import numpy as np


def sign_index(directions: np.ndarray) -> np.ndarray:
    """|u|_1 / sqrt(D) for each unit row u."""
    if directions.ndim != 2 or directions.shape[1] == 0:
        return np.zeros(len(directions))
    return np.abs(directions).sum(axis=1) / np.sqrt(directions.shape[1])


def sign_index_baseline(dim: int) -> float:
    """Mean of |u|_1 / sqrt(dim) for u uniform on the unit sphere in `dim` dimensions."""
    if dim < 1:
        raise ValueError("dim must be at least 1")
    mean_abs_coordinate = exp(lgamma(dim / 2) - lgamma((dim + 1) / 2)) / sqrt(pi)
    return sqrt(dim) * mean_abs_coordinate
