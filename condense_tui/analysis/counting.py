"""Counting condensed orientations and lines: the rule, in one place.

1. Weight every neuron by its amplitude (||(w, b)||, times |a| for the layer feeding the output).
2. Drop neurons lighter than KEEP_FRACTION of the heaviest: they have not grown and their
   direction is still the random one they started with.
3. Cluster the rest: heaviest first, a neuron joins the first cluster whose centre is within
   ANGLE of its direction, else starts one. Then three rounds of: assign every kept neuron to
   its nearest centre, re-centre on amplitude-weighted mean directions, merge centres that
   came within ANGLE of each other (the lighter into the heavier).
4. A cluster is an orientation when it holds at least MIN_MASS of the kept amplitude.
5. Two orientations whose centres are within ANGLE of being opposite make one line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KEEP_FRACTION = 0.1
ANGLE = 0.5  # rad (about 29 degrees): cos 0.88, about where a heatmap cell stops reading as 1
MIN_MASS = 0.05
STRICT_COS = 0.95  # the strict resolution: a second count, and the tightness of each orientation
STRICT_ANGLE = float(np.arccos(STRICT_COS))  # 0.318 rad


@dataclass(frozen=True)
class Condensation:
    labels: np.ndarray  # (m,) orientation index, -1 for dropped or in a too-light cluster
    centers: np.ndarray  # (k, D) unit directions of the counted orientations, heaviest first
    masses: np.ndarray  # (k,) share of the kept amplitude in each orientation
    line_of: np.ndarray  # (k,) line index of each orientation
    kept: np.ndarray  # (m,) bool

    @property
    def orientations(self) -> int:
        return len(self.centers)

    @property
    def lines(self) -> int:
        return int(self.line_of.max()) + 1 if len(self.line_of) else 0


def _normalise(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)


def _greedy_centers(directions: np.ndarray, cos_limit: float) -> np.ndarray:
    """Rows in order (heaviest first); a row becomes a centre unless an earlier centre lies within
    the angle. Done one centre at a time, not one neuron at a time: the next centre is the first
    row no centre covers yet, so the cost is O(m D) per centre, not a Python step per neuron."""
    closest = np.full(len(directions), -np.inf)
    centers: list[np.ndarray] = []
    start = 0
    while True:
        uncovered = np.flatnonzero(closest[start:] < cos_limit)
        if len(uncovered) == 0:
            return np.stack(centers)
        start += int(uncovered[0])
        centers.append(directions[start])
        np.maximum(closest, directions @ directions[start], out=closest)


def _nearest(rows: np.ndarray, centers: np.ndarray, budget: int = 1 << 22) -> np.ndarray:
    """Index of each row's nearest centre (largest cosine), in blocks of at most `budget`
    cosines: with many centres (random directions early in training) a full rows x centres
    matrix would grow as m^2."""
    step = max(1, budget // max(1, len(centers)))
    if len(rows) <= step:
        return np.argmax(rows @ centers.T, axis=1)
    out = np.empty(len(rows), dtype=np.intp)
    for start in range(0, len(rows), step):
        out[start:start + step] = np.argmax(rows[start:start + step] @ centers.T, axis=1)
    return out


def _group_sums(groups: np.ndarray, rows: np.ndarray, count: int) -> np.ndarray:
    """sums[g] = sum of rows whose group is g (np.add.at's result, one bincount per column)."""
    return np.stack([np.bincount(groups, weights=rows[:, j], minlength=count)
                     for j in range(rows.shape[1])], axis=1).reshape(count, rows.shape[1])


def count_condensation(directions: np.ndarray, weights: np.ndarray, keep_fraction: float | None = None,
                       angle: float | None = None, min_mass: float | None = None) -> Condensation:
    keep_fraction = KEEP_FRACTION if keep_fraction is None else keep_fraction
    angle = ANGLE if angle is None else angle
    min_mass = MIN_MASS if min_mass is None else min_mass
    m = len(directions)
    labels = np.full(m, -1)
    if m == 0 or weights.max() <= 0:
        return Condensation(labels, np.zeros((0, directions.shape[1])), np.zeros(0), np.zeros(0, int),
                            np.zeros(m, bool))
    kept = weights >= keep_fraction * weights.max()
    idx = np.flatnonzero(kept)
    idx = idx[np.argsort(-weights[idx], kind="stable")]
    cos_limit = np.cos(angle)
    c = _greedy_centers(directions[idx], cos_limit)
    kept_dirs = directions[idx]
    weighted = kept_dirs * weights[idx, None]
    for _ in range(3):  # refine: assign, re-centre on weighted means, merge centres that met
        assign = _nearest(kept_dirs, c)
        sums = _group_sums(assign, weighted, len(c))
        mass = np.linalg.norm(sums, axis=1)
        moved = _normalise(sums[mass > 0])
        mass = mass[mass > 0]
        moved = _greedy_centers(moved[np.argsort(-mass, kind="stable")], cos_limit)  # merge
        settled = moved.shape == c.shape and np.array_equal(moved, c)
        c = moved
        if settled:  # the next rounds would repeat this one exactly
            break
    assign = _nearest(kept_dirs, c)
    mass = np.bincount(assign, weights=weights[idx], minlength=len(c)) / weights[idx].sum()
    significant = np.flatnonzero(mass >= min_mass)
    significant = significant[np.argsort(-mass[significant], kind="stable")]
    remap = np.full(len(c), -1)
    remap[significant] = np.arange(len(significant))
    labels[idx] = remap[assign]
    member = labels[idx] >= 0
    centers_out = _normalise(_group_sums(labels[idx][member], weighted[member], len(significant)))
    line_of = np.full(len(significant), -1)
    lines = 0
    for i in range(len(significant)):
        if line_of[i] >= 0:
            continue
        line_of[i] = lines
        for j in range(i + 1, len(significant)):
            if line_of[j] < 0 and centers_out[i] @ centers_out[j] <= -cos_limit:
                line_of[j] = lines
                break
        lines += 1
    return Condensation(labels, centers_out, mass[significant], line_of, kept)


def tightness(directions: np.ndarray, weights: np.ndarray, condensation: Condensation) -> np.ndarray:
    """Per counted orientation: the share of its members' amplitude within cos STRICT_COS of its
    centre (1: a tight bundle; lower: sub-lines the ANGLE merge has joined)."""
    k = condensation.orientations
    member = condensation.labels >= 0
    if k == 0 or not member.any():
        return np.zeros(k)
    labels = condensation.labels[member]
    cos = (directions[member] * condensation.centers[labels]).sum(axis=1)
    total = np.bincount(labels, weights=weights[member], minlength=k)
    close = np.bincount(labels, weights=weights[member] * (cos >= STRICT_COS), minlength=k)
    return np.divide(close, total, out=np.zeros(k), where=total > 0)
