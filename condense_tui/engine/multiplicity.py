"""Multiplicity of an activation at 0, measured on a float64 Taylor jet of the function itself.

p is the order of the first nonzero derivative sigma^(k)(0), k >= 1 (paper: sigma^(k)(0) = 0 for
k = 1..p-1, sigma^(p)(0) != 0); an activation with no Taylor expansion at 0 (relu) has none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from . import jets

if TYPE_CHECKING:
    from .activations import Activation

MAX_ORDER = 12  # highest derivative examined when measuring multiplicity
# A Taylor coefficient counts as zero below this share of the largest one, after z is rescaled so
# that the coefficients are of one size (see measure_multiplicity): scale-free, and far above the
# rounding of a float64 jet (~1e-15), far below any coefficient a formula means to have.
RELATIVE_TOLERANCE = 1e-10
# ... and a floor for rounding left where sigma is flat (exp(z)*exp(-z) - 1): |c_k| at most this
# times max(1, |sigma(0)|) is zero too.
ROUNDING_FLOOR = 1e-13


@dataclass(frozen=True)
class Multiplicity:
    p: int | None  # None: not defined (sigma is not smooth at 0 or all derivatives vanish)
    sigma0: float
    derivative_p: float | None  # sigma^(p)(0)
    smooth: bool


# An activation's (name, formula) fixes the answer, so every run built after the first (the
# TUI rebuilds on each setting) reuses it.
@cache
def measure_multiplicity(act: Activation) -> Multiplicity:
    """p = the order of the first nonzero derivative of sigma at 0 (k >= 1), from a jet of order 12.

    Zero is judged relative to the coefficients' size: with c_k = sigma^(k)(0)/k! and
    r = 1 / max_k |c_k|^(1/k) (the root test's radius, so sigma(r t) has coefficients of size <= 1
    with one equal to 1), c_k is zero when |c_k| r^k <= RELATIVE_TOLERANCE. That is the same for
    sigma(z) and sigma(a z), for any scale of sigma, and for every p up to MAX_ORDER. Rounding
    where every coefficient should vanish is caught by the absolute ROUNDING_FLOOR.
    """
    try:
        c = act.on_jet(jets.Jet.variable(0.0, MAX_ORDER)).c
    except jets.NotSmooth:
        return Multiplicity(None, _value_at_zero(act), None, False)
    except jets.Undefined:
        return Multiplicity(None, math.nan, None, False)
    sigma0 = float(c[0])
    if not np.all(np.isfinite(c)):
        return Multiplicity(None, sigma0, None, False)
    k = np.arange(1, MAX_ORDER + 1)
    size = np.abs(c[1:])
    size[size <= ROUNDING_FLOOR * max(1.0, abs(sigma0))] = 0.0
    if not np.any(size):
        return Multiplicity(None, sigma0, None, True)
    radius = 1.0 / np.max(size ** (1.0 / k))
    significant = np.flatnonzero(size * radius ** k > RELATIVE_TOLERANCE)
    p = int(significant[0]) + 1
    return Multiplicity(p, sigma0, float(c[p]) * math.factorial(p), True)


def _value_at_zero(act: Activation) -> float:
    """sigma(0) of a function that is not smooth there: an order-0 jet is just a number."""
    try:
        return act.on_jet(jets.Jet.variable(0.0, 0)).value
    except ArithmeticError:
        return math.nan
