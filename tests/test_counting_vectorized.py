"""The vectorised counting rule gives exactly what the neuron-by-neuron rule gives."""

from __future__ import annotations

import numpy as np
import pytest

from condense_tui.analysis.counting import (ANGLE, KEEP_FRACTION, MIN_MASS, _nearest,
                                            count_condensation)


def _normalise(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)


def sequential_rule(directions: np.ndarray, weights: np.ndarray):
    """The counting rule written one neuron and one centre at a time (the original code)."""
    m = len(directions)
    labels = np.full(m, -1)
    kept = weights >= KEEP_FRACTION * weights.max()
    idx = np.flatnonzero(kept)
    idx = idx[np.argsort(-weights[idx], kind="stable")]
    cos_limit = np.cos(ANGLE)
    centers: list[np.ndarray] = []
    for j in idx:
        if centers and (np.stack(centers) @ directions[j]).max() >= cos_limit:
            continue
        centers.append(directions[j])
    c = np.stack(centers)
    for _ in range(3):
        assign = np.argmax(directions[idx] @ c.T, axis=1)
        sums = np.zeros_like(c)
        np.add.at(sums, assign, directions[idx] * weights[idx, None])
        mass = np.linalg.norm(sums, axis=1)
        c = _normalise(sums[mass > 0])
        mass = mass[mass > 0]
        merged: list[np.ndarray] = []
        for j in np.argsort(-mass, kind="stable"):
            if not merged or (np.stack(merged) @ c[j]).max() < cos_limit:
                merged.append(c[j])
        c = np.stack(merged)
    assign = np.argmax(directions[idx] @ c.T, axis=1)
    mass = np.bincount(assign, weights=weights[idx], minlength=len(c)) / weights[idx].sum()
    significant = np.flatnonzero(mass >= MIN_MASS)
    significant = significant[np.argsort(-mass[significant], kind="stable")]
    remap = np.full(len(c), -1)
    remap[significant] = np.arange(len(significant))
    labels[idx] = remap[assign]
    sums = np.zeros((len(significant), directions.shape[1]))
    member = labels[idx] >= 0
    np.add.at(sums, labels[idx][member], directions[idx][member] * weights[idx][member, None])
    return labels, _normalise(sums), mass[significant]


def directions_and_weights(kind: str, m: int, dim: int, seed: int):
    rng = np.random.default_rng(seed)
    if kind == "random":  # early training: no structure, many seeds
        v = rng.normal(size=(m, dim))
    else:  # a few condensed orientations plus noise
        anchors = rng.normal(size=(3, dim))
        v = anchors[rng.integers(0, 3, size=m)] * rng.choice([-1, 1], size=(m, 1))
        v = v + rng.normal(scale=0.15, size=(m, dim))
    return _normalise(v), rng.uniform(0.0, 1.0, size=m) ** 2


@pytest.mark.parametrize("kind", ["random", "clustered"])
@pytest.mark.parametrize("m,dim,seed", [(40, 2, 0), (300, 2, 1), (300, 6, 2), (800, 6, 3), (200, 12, 4)])
def test_vectorised_counting_equals_the_sequential_rule(kind: str, m: int, dim: int, seed: int) -> None:
    directions, weights = directions_and_weights(kind, m, dim, seed)
    want_labels, want_centers, want_mass = sequential_rule(directions, weights)
    got = count_condensation(directions, weights)
    np.testing.assert_array_equal(got.labels, want_labels)
    np.testing.assert_allclose(got.centers, want_centers, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got.masses, want_mass, rtol=1e-12)


def test_nearest_in_blocks_equals_one_product() -> None:
    rng = np.random.default_rng(9)
    rows, centers = _normalise(rng.normal(size=(1000, 5))), _normalise(rng.normal(size=(37, 5)))
    np.testing.assert_array_equal(_nearest(rows, centers, budget=100),
                                  np.argmax(rows @ centers.T, axis=1))
