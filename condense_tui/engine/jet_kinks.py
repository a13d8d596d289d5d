"""Taylor jets of the functions that are not smooth everywhere (abs, sign, floor, ceil, min, max,
the relu step), and the table of every jet function by its name in the expression whitelist.

Each is exact where it is smooth at the point and raises NotSmooth at a kink or a jump, which is how
a multiplicity measurement learns that an activation has none (relu)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .jets import (
    Jet,
    NotSmooth,
    Number,
    arccos,
    arcsin,
    arctan,
    cos,
    cosh,
    exp,
    log,
    sin,
    sinh,
    sqrt,
    tan,
    tanh,
)


def _piecewise_constant(x: Jet, value: float, jumps: bool, name: str) -> Jet:
    if jumps and not x._constant():
        raise NotSmooth(f"{name} jumps at {x.value:g}")
    return x._lift(value)


def absolute(x: Jet) -> Jet:
    if x.value == 0:
        if x._constant():
            return x
        raise NotSmooth("abs has a kink at 0")
    return x if x.value > 0 else -x


def sign(x: Jet) -> Jet:
    return _piecewise_constant(x, float(np.sign(x.value)), x.value == 0, "sign")


def floor(x: Jet) -> Jet:
    return _piecewise_constant(x, math.floor(x.value), x.value == math.floor(x.value), "floor")


def ceil(x: Jet) -> Jet:
    return _piecewise_constant(x, math.ceil(x.value), x.value == math.ceil(x.value), "ceil")


def _choose(a: Jet, b: Jet, smaller: bool) -> Jet:
    """min (smaller=True) or max of two series: smooth unless the branches cross at the point.

    Where they first differ at an even order k, one of them stays below the other on both sides.
    """
    difference = a.c - b.c
    nonzero = np.flatnonzero(difference)
    if len(nonzero) == 0:
        return a
    k = int(nonzero[0])
    if k % 2 == 1:
        raise NotSmooth("min/max of two branches that cross at the point")
    return a if (difference[k] < 0) == smaller else b


def minimum(a: Jet | Number, b: Jet | Number) -> Jet:
    ja, jb = _pair(a, b)
    return _choose(ja, jb, smaller=True)


def maximum(a: Jet | Number, b: Jet | Number) -> Jet:
    ja, jb = _pair(a, b)
    return _choose(ja, jb, smaller=False)


def _pair(a: Jet | Number, b: Jet | Number) -> tuple[Jet, Jet]:
    template = a if isinstance(a, Jet) else b
    assert isinstance(template, Jet)
    return template._lift(a), template._lift(b)


def positive(x: Jet) -> Jet:
    """1 where x > 0 else 0: a step, smooth only away from 0."""
    return _piecewise_constant(x, float(x.value > 0), x.value == 0, "the step (relu)")


# Functions by the names the expression whitelist uses.
FUNCTIONS: dict[str, Callable[..., Jet]] = {
    "sin": sin, "cos": cos, "tan": tan, "exp": exp, "log": log, "sqrt": sqrt, "abs": absolute,
    "tanh": tanh, "sinh": sinh, "cosh": cosh, "arctan": arctan, "atan": arctan, "arcsin": arcsin,
    "arccos": arccos, "sign": sign, "floor": floor, "ceil": ceil, "min": minimum, "max": maximum,
}
