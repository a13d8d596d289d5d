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


def _power(a: np.ndarray, p: int) -> np.ndarray:
    """a ** p for a whole p >= 0 by repeated products: NumPy's float ** int calls pow() per entry,
    ten times slower, and the sphere search takes thousands of these."""
    out = np.ones_like(a)
    for _ in range(p):
        out = out * a
    return out


def objective(directions: np.ndarray, x_bias: np.ndarray, y: np.ndarray, p: int) -> np.ndarray:
    """F(u) = sum_i y_i (u . x_i)^p for each row u."""
    return _power(directions @ x_bias.T, p) @ y


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


def _tangent_hessian_signs(u: np.ndarray, x_bias: np.ndarray, y: np.ndarray, p: int) -> np.ndarray:
    """+1 where F has a strict local maximum at unit row u (tangent Hessian negative definite),
    -1 for a strict minimum, 0 otherwise (a saddle or a flat direction)."""
    dim = x_bias.shape[1]
    proj = u @ x_bias.T
    hess = np.einsum("sn,ni,nj->sij", p * (p - 1) * _power(proj, p - 2) * y, x_bias, x_bias)
    radial = p * _power(proj, p) @ y  # u . grad F (F is homogeneous of degree p)
    hess -= radial[:, None, None] * np.eye(dim)
    # tangent basis: the last dim - 1 right singular vectors of each u (orthogonal to it)
    basis = np.linalg.svd(u[:, None, :])[2][:, 1:, :]
    eig = np.linalg.eigvalsh(basis @ hess @ basis.transpose(0, 2, 1))
    scale = np.abs(eig).max(axis=1, initial=0.0) * 1e-9
    return np.where(eig.max(axis=1) < -scale, 1, np.where(eig.min(axis=1) > scale, -1, 0))


def _extrema_sphere(x_bias: np.ndarray, y: np.ndarray, p: int, starts: int = 256,
                    iterations: int = 600, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Projected ascent (descent) on F from random starts, each with its own step that grows on
    success and halves on failure, so every start ends on a critical point; the Hessian test then
    keeps strict maxima (minima), one per orientation."""
    rng = np.random.default_rng(seed)
    dim = x_bias.shape[1]
    found: list[np.ndarray] = []
    kinds: list[int] = []
    for kind in (1, -1):
        u = rng.normal(size=(starts, dim))
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        lower = _power(u @ x_bias.T, p - 1)  # (u . x_i)^(p-1), shared by F and its gradient
        value = kind * ((lower * (u @ x_bias.T)) @ y)
        first = 1e-3 / max(float(np.abs(y).sum()), 1e-300)
        step = np.full(starts, first)
        for _ in range(iterations):
            if step.max() <= first * 1e-12:  # every start has stopped moving
                break
            grad = kind * p * (lower * y) @ x_bias
            grad -= (grad * u).sum(axis=1, keepdims=True) * u
            trial = u + step[:, None] * grad
            trial /= np.linalg.norm(trial, axis=1, keepdims=True)
            trial_proj = trial @ x_bias.T
            trial_lower = _power(trial_proj, p - 1)
            trial_value = kind * ((trial_lower * trial_proj) @ y)
            better = trial_value >= value
            u = np.where(better[:, None], trial, u)
            lower = np.where(better[:, None], trial_lower, lower)
            value = np.where(better, trial_value, value)
            # floored: halving for hundreds of rounds would reach subnormal floats, which are slow
            step = np.where(better, step * 1.5, np.maximum(step * 0.5, first * 1e-13))
        strict = _tangent_hessian_signs(u, x_bias, y, p) == kind
        for i in np.argsort(-value):
            if strict[i] and all(float(u[i] @ v) < np.cos(0.01) for v in found):
                found.append(u[i])
                kinds.append(kind)
    return (np.stack(found) if found else np.zeros((0, dim))), np.asarray(kinds, dtype=int)


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


def predicted_counts(prediction: Prediction) -> dict[str, int]:
    """How many orientations and lines the theory predicts: every strict extremum of F is an
    orientation (neurons with a > 0 go to maxima, a < 0 to minima); two that are opposite
    (F(-u) = (-1)^p F(u)) make one line. p = 1: one line, two orientations."""
    directions = prediction.directions
    lines = 0
    paired = np.zeros(len(directions), dtype=bool)
    for i in range(len(directions)):  # at most a few dozen extrema
        if paired[i]:
            continue
        lines += 1
        opposite = np.flatnonzero((directions @ directions[i] < -np.cos(0.05)) & ~paired)
        paired[opposite[:1]] = True
    return {"predicted_lines": lines, "predicted_orientations": len(directions)}


def agreement(directions: np.ndarray, prediction: Prediction) -> np.ndarray:
    """Angle (rad) from each direction to its nearest predicted orientation."""
    if len(prediction.directions) == 0 or len(directions) == 0:
        return np.full(len(directions), np.nan)
    return angular_distance(directions, prediction.directions).min(axis=1)
