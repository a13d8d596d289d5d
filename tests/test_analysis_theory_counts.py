"""predicted_lines / predicted_orientations against computations written here, independently:
Riemannian Newton from many starts on the sphere (d > 1), a fine grid of the circle (1-D)."""

from __future__ import annotations

import numpy as np
import pytest

from condense_tui.analysis.theory import predict_orientations, predicted_counts
from condense_tui.config import load_preset
from condense_tui.runs import build_dataset


def _data(name: str, data_seed: int) -> tuple[np.ndarray, np.ndarray]:
    dataset = build_dataset(load_preset(name).replace(data_seed=data_seed))
    return dataset.x, dataset.y


def _newton_extrema(xb: np.ndarray, y: np.ndarray, p: int, starts: int = 600) -> tuple[int, int]:
    """Newton's method for grad_sphere F = 0 converges to critical points of every kind; each
    converged one is a maximum (minimum) when its tangent Hessian is negative (positive) definite."""
    rng = np.random.default_rng(11)
    dim = xb.shape[1]
    u = rng.normal(size=(starts, dim))
    u /= np.linalg.norm(u, axis=1, keepdims=True)

    def tangent_parts(u):
        s = u @ xb.T
        grad = (p * s ** (p - 1) * y) @ xb
        hess = np.einsum("sn,ni,nj->sij", p * (p - 1) * s ** (p - 2) * y, xb, xb)
        radial = (grad * u).sum(axis=1)
        return grad - radial[:, None] * u, hess - radial[:, None, None] * np.eye(dim)

    for _ in range(50):
        grad, hess = tangent_parts(u)
        system = np.zeros((starts, dim + 1, dim + 1))
        system[:, :dim, :dim], system[:, :dim, dim], system[:, dim, :dim] = hess, u, u
        rhs = np.concatenate([-grad, np.zeros((starts, 1))], axis=1)
        move = np.linalg.solve(system, rhs[..., None])[:, :dim, 0]
        length = np.linalg.norm(move, axis=1, keepdims=True)
        u = u + move * np.minimum(1.0, 0.3 / np.maximum(length, 1e-300))
        u /= np.linalg.norm(u, axis=1, keepdims=True)
    u = np.vstack([u, -u])  # F(-u) = (-1)^p F(u): -u is critical too, so each point counts twice
    grad, hess = tangent_parts(u)
    scale = np.abs(y).sum() * (np.linalg.norm(xb, axis=1) ** p).max()
    found: dict[int, list[np.ndarray]] = {1: [], -1: []}
    for point, h, g in zip(u, hess, grad):
        if np.linalg.norm(g) > 1e-9 * scale:
            continue
        basis = np.linalg.svd(np.eye(dim) - np.outer(point, point))[0][:, : dim - 1]
        eig = np.linalg.eigvalsh(basis.T @ h @ basis)
        kind = 1 if eig.max() < 0 else -1 if eig.min() > 0 else 0
        if kind and not any(point @ q > 1 - 1e-6 for q in found[kind]):
            found[kind].append(point)
    return len(found[1]), len(found[-1])


@pytest.mark.parametrize(("data_seed", "expected_lines"), [(1, 3), (3, 2)])
def test_sphere_counts_equal_newtons_on_two_data_seeds(data_seed, expected_lines):
    """x^2*tanh (p = 3) on the Fig 2 target: the count depends on the draw (3 lines, then 2)."""
    p = 3
    x, y = _data("fig2-x2tanh", data_seed)
    maxima, minima = _newton_extrema(np.c_[x, np.ones(len(x))], y, p)
    prediction = predict_orientations(x, y, p, 1.0)
    assert ((prediction.kinds > 0).sum(), (prediction.kinds < 0).sum()) == (maxima, minima)
    # odd p: each maximum u has its minimum at -u, one line each; even p: maxima pair with maxima
    assert maxima == minima == expected_lines  # odd p: each maximum u has its minimum at -u
    assert predicted_counts(prediction) == {"predicted_lines": maxima, "predicted_orientations": 2 * maxima}


@pytest.mark.parametrize(("p", "data_seed"), [(2, 0), (3, 5)])
def test_one_dimensional_counts_equal_a_fine_grid(p, data_seed):
    x, y = _data("fig6-tanh", data_seed)
    x = x + 0.05 * data_seed  # the Fig 5 grid does not depend on the seed; shift it to vary the data
    theta = np.linspace(-np.pi, np.pi, 50_000, endpoint=False)
    f = ((np.cos(theta)[:, None] * x[:, 0] + np.sin(theta)[:, None]) ** p) @ y
    maxima = int(((f > np.roll(f, 1)) & (f > np.roll(f, -1))).sum())
    minima = int(((f < np.roll(f, 1)) & (f < np.roll(f, -1))).sum())
    prediction = predict_orientations(x, y, p, 1.0)
    assert ((prediction.kinds > 0).sum(), (prediction.kinds < 0).sum()) == (maxima, minima)
    assert predicted_counts(prediction)["predicted_orientations"] == maxima + minima
    assert predicted_counts(prediction)["predicted_lines"] == (maxima if p % 2 else (maxima + minima) // 2)


def test_p1_predicts_one_line_and_a_negative_derivative_swaps_sides():
    x, y = _data("fig2-tanh", 0)
    prediction = predict_orientations(x, y, 1, 1.0)
    assert predicted_counts(prediction) == {"predicted_lines": 1, "predicted_orientations": 2}
    assert list(predict_orientations(x, y, 1, -1.0).kinds) == [-1, 1]
