"""Has a layer condensed at all? The rule, in one place.

A neuron's direction is its learned one, not its random start, once its input weight has grown
away from where it began: with w = w0 + dw and ||w|| = g ||w0||, the angle between w and the learned
part dw is at most asin(1/g). GROWTH = 3 puts that angle under 0.34 rad (cos 0.94), about the strict
counting resolution (cos 0.95), so neurons grown 3x point where training sent them.

A layer is condensed when the amplitude-weighted median growth g_j = ||w_j|| / ||w_j(0)|| of its
kept neurons (those the counting rule keeps: the heavy ones) is at least GROWTH. At step 0 every g
is 1. Measured on the synthetic presets (seeds 0 and 1): the median is 1.00 at step 0 and 5.9-108
at their watch steps (the lowest: fig2-relu); it stays at 1.00 for 300 steps for x^2*tanh at
--init-gamma 4 (Adam's eps swamps the gradients, the loss does not move) and at 0.98-1.01 for a
large init (std 0.5: the loss falls but the weights stay near their start, the lazy regime).
Neither effective rank nor RD separates these: random 2-D directions already have effective rank
near 2, and RD grows in the lazy regime too.
"""

from __future__ import annotations

import numpy as np

GROWTH = 3.0


def neuron_growth(weights: np.ndarray, initial_weights: np.ndarray) -> np.ndarray:
    """||w_j|| / ||w_j(0)|| per neuron (input weight with bias); inf for a neuron that started at 0."""
    now = np.linalg.norm(weights, axis=1)
    start = np.linalg.norm(initial_weights, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(start > 0, now / np.where(start > 0, start, 1.0), np.where(now > 0, np.inf, 1.0))


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The value at which half the weight lies below (nan when there is no weight)."""
    if len(values) == 0 or weights.sum() <= 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])])


def layer_growth(growth: np.ndarray, amplitudes: np.ndarray, kept: np.ndarray) -> float:
    """The amplitude-weighted median growth of the kept neurons."""
    return weighted_median(growth[kept], amplitudes[kept])


def is_condensed(median_growth: float) -> bool:
    """nan (a layer with no weight) is not condensed."""
    return bool(median_growth >= GROWTH)
