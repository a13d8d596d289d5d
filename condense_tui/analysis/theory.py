"""What the theory predicts for the first layer, computed from the data in use.

p = 1, any input dimension: orientations +-z/||z||, z = sum_i y_i (x_i, 1), growing at rate
lambda = sigma'(0) ||z / n|| (twice that for the 1/n loss).
Any p: local maxima and minima of F(u) = sum_i y_i (u . (x_i, 1))^p on the unit sphere; neurons
with a * sigma^(p)(0) > 0 go to maxima, the others to minima. For 1-D inputs F is a
trigonometric polynomial of degree p in theta, so there are at most 2p of them and a fine grid
plus refinement finds them all; for d > 1 a multi-start projected ascent finds them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import angular_distance


@dataclass(frozen=True)
class Prediction:
    directions: np.ndarray  # (q, d + 1) unit vectors
    kinds: np.ndarray  # (q,) +1 for a maximum of F, -1 for a minimum
    p: int
    growth_rate: float | None  # p = 1 only

    @property
    def angles(self) -> np.ndarray:
        """For 1-D input: atan2(b, w) of each predicted orientation."""
        return np.arctan2(self.directions[:, 1], self.directions[:, 0])


def z_vector(x_bias: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (y[:, None] * x_bias).sum(axis=0)


def objective(directions: np.ndarray, x_bias: np.ndarray, y: np.ndarray, p: int) -> np.ndarray:
    """F(u) = sum_i y_i (u . x_i)^p for each row u."""
    return ((directions @ x_bias.T) ** p) @ y


def _extrema_1d(x_bias: np.ndarray, y: np.ndarray, p: int, grid: int = 7200) -> tuple[np.ndarray, np.ndarray]:
    theta = np.linspace(-np.pi, np.pi, grid, endpoint=False)
    u = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    f = objective(u, x_bias, y, p)
    prev, nxt = np.roll(f, 1), np.roll(f, -1)
    scale = np.abs(f).max() or 1.0
    found, kinds = [], []
    for kind, mask in ((1, (f > prev) & (f >= nxt)), (-1, (f < prev) & (f <= nxt))):
        for i in np.flatnonzero(mask):
            if abs(f[i] - prev[i]) + abs(f[i] - nxt[i]) < 1e-12 * scale:
                continue  # flat: no isolated extremum
            # parabolic refinement through the three grid points
            h = theta[1] - theta[0]
            denom = prev[i] - 2 * f[i] + nxt[i]
            shift = 0.5 * (prev[i] - nxt[i]) / denom if denom != 0 else 0.0
            found.append(theta[i] + np.clip(shift, -1, 1) * h)
            kinds.append(kind)
    angles = (np.asarray(found) + np.pi) % (2 * np.pi) - np.pi
    return np.stack([np.cos(angles), np.sin(angles)], axis=1) if len(found) else np.zeros((0, 2)), np.asarray(kinds)


def _extrema_sphere(x_bias: np.ndarray, y: np.ndarray, p: int, starts: int = 96,
                    iterations: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    dim = x_bias.shape[1]
    found, kinds = [], []
    for kind in (1, -1):
        u = rng.normal(size=(starts, dim))
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        step = 0.5
        for _ in range(iterations):
            proj = u @ x_bias.T  # (s, n)
            grad = (p * proj ** (p - 1) * y) @ x_bias  # dF/du
            grad -= (grad * u).sum(axis=1, keepdims=True) * u  # tangent part
            norm = np.linalg.norm(grad, axis=1, keepdims=True)
            u = u + kind * step * grad / np.maximum(norm, 1e-30) * np.minimum(norm, 1.0)
            u /= np.linalg.norm(u, axis=1, keepdims=True)
            step *= 0.99
        values = objective(u, x_bias, y, p)
        order = np.argsort(-kind * values)
        for i in order:
            if all(float(u[i] @ v) < np.cos(0.05) for v in found):
                found.append(u[i])
                kinds.append(kind)
    return np.stack(found), np.asarray(kinds)


def predict_orientations(x: np.ndarray, y: np.ndarray, p: int, derivative_p: float,
                         sigma_slope0: float | None = None, loss_scale: float = 0.5) -> Prediction:
    """Predicted first-layer orientations for multiplicity p (signs swap when sigma^(p)(0) < 0)."""
    x_bias = np.concatenate([x, np.ones((len(x), 1))], axis=1)
    sign = 1 if derivative_p > 0 else -1
    if p == 1:
        z = z_vector(x_bias, y)
        u = z / np.linalg.norm(z)
        rate = None
        if sigma_slope0 is not None:
            rate = abs(sigma_slope0) * float(np.linalg.norm(z / len(y))) * (2 * loss_scale)
        return Prediction(np.stack([u, -u]), np.array([sign, -sign]), p, rate)
    if x.shape[1] == 1:
        directions, kinds = _extrema_1d(x_bias, y, p)
    else:
        directions, kinds = _extrema_sphere(x_bias, y, p)
    return Prediction(directions, kinds * sign, p, None)


def agreement(directions: np.ndarray, prediction: Prediction) -> np.ndarray:
    """Angle (rad) from each direction to its nearest predicted orientation."""
    if len(prediction.directions) == 0 or len(directions) == 0:
        return np.full(len(directions), np.nan)
    return angular_distance(directions, prediction.directions).min(axis=1)
