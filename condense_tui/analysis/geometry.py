"""Orientation geometry of a layer's input weights (bias included): pure NumPy functions."""

from __future__ import annotations

import numpy as np


def unit_rows(weights: np.ndarray) -> np.ndarray:
    """Each neuron's input weight divided by its norm (zero rows stay zero)."""
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    return np.divide(weights, norms, out=np.zeros_like(weights, dtype=float), where=norms > 0)


def angles_1d(weights: np.ndarray) -> np.ndarray:
    """Orientation of (w, b) for a 1-D input: atan2(b, w) in (-pi, pi]."""
    return np.arctan2(weights[:, 1], weights[:, 0])


def amplitudes(weights: np.ndarray, output: np.ndarray | None) -> np.ndarray:
    """||(w, b)||, times |a| when the layer feeds the output (how much the neuron contributes)."""
    norms = np.linalg.norm(weights, axis=1)
    return norms * np.abs(output) if output is not None else norms


def cosine_matrix(directions: np.ndarray) -> np.ndarray:
    """D[i, j] = u_i . u_j for unit rows."""
    return directions @ directions.T


def spectrum(directions: np.ndarray) -> np.ndarray:
    """Eigenvalues of D = U U^T, largest first, without forming the m x m matrix."""
    singular = np.linalg.svd(directions, compute_uv=False)
    return singular**2


def effective_rank(eigenvalues: np.ndarray) -> float:
    """exp of the entropy of the normalised spectrum: 1 for one line, k for k equal orthogonal groups."""
    total = eigenvalues.sum()
    if total <= 0:
        return 0.0
    p = eigenvalues[eigenvalues > 0] / total
    return float(np.exp(-(p * np.log(p)).sum()))


def leading_direction(directions: np.ndarray) -> np.ndarray:
    """Leading right singular vector of U (the eigenvector of D maps to U @ it)."""
    _, _, vt = np.linalg.svd(directions, full_matrices=False)
    return vt[0]


def block_order(directions: np.ndarray, labels: np.ndarray, lead: np.ndarray | None = None) -> np.ndarray:
    """Neuron order that shows D's blocks: by cluster (largest first, unclustered last), then by
    the coordinate along D's leading eigenvector (lead: leading_direction(directions), if known)."""
    if len(directions) and lead is None:
        lead = leading_direction(directions)
    projection = directions @ lead if len(directions) else directions[:, 0]
    cluster_key = np.where(labels < 0, np.iinfo(np.int64).max, labels)
    return np.lexsort((projection, cluster_key))


def relative_distance(layers: tuple[np.ndarray, ...], output: np.ndarray,
                      initial_layers: tuple[np.ndarray, ...], initial_output: np.ndarray) -> float:
    """RD = ||theta - theta_0|| / ||theta_0|| over every parameter of one network."""
    moved = sum(float(np.sum((w - w0) ** 2)) for w, w0 in zip(layers, initial_layers))
    moved += float(np.sum((output - initial_output) ** 2))
    start = sum(float(np.sum(w0**2)) for w0 in initial_layers) + float(np.sum(initial_output**2))
    return float(np.sqrt(moved / start)) if start > 0 else float("nan")


def angular_distance(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Angles (rad) between unit rows of u and each unit row of v: shape (len(u), len(v))."""
    return np.arccos(np.clip(u @ v.T, -1.0, 1.0))


def orientation_histogram(angles: np.ndarray, weights: np.ndarray, bins: int = 72) -> tuple[np.ndarray, np.ndarray]:
    """Weighted histogram over fixed edges on (-pi, pi], so bars never jump between frames."""
    edges = np.linspace(-np.pi, np.pi, bins + 1)
    counts, _ = np.histogram(angles, bins=edges, weights=weights)
    return counts, edges
