"""Dual numbers on arrays: value and exact first derivative of an expression in one pass.

A Dual carries (v, d) = (f(z), f'(z)) elementwise; each operation applies the chain rule with the
array namespace it is given (NumPy, or torch for CUDA and torch-cpu), so an expression activation
gets its slope exactly, without finite differences or an autograd graph. Plain Python floats are
constants (slope 0); the variable starts with slope 1.0, a scalar, so nothing is allocated for it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

Array = Any  # np.ndarray or torch.Tensor, or a float where the slope is constant


class Dual:
    __slots__ = ("d", "v", "xp")
    __array_priority__ = 1000  # NumPy operands defer to Dual's reflected operators

    def __init__(self, v: Array, d: Array, xp: ModuleType):
        self.v, self.d, self.xp = v, d, xp

    def _new(self, v: Array, d: Array) -> Dual:
        return Dual(v, d, self.xp)

    def __add__(self, other: Dual | float) -> Dual:
        if isinstance(other, Dual):
            return self._new(self.v + other.v, self.d + other.d)
        return self._new(self.v + other, self.d)

    __radd__ = __add__

    def __sub__(self, other: Dual | float) -> Dual:
        if isinstance(other, Dual):
            return self._new(self.v - other.v, self.d - other.d)
        return self._new(self.v - other, self.d)

    def __rsub__(self, other: float) -> Dual:
        return self._new(other - self.v, -self.d)

    def __neg__(self) -> Dual:
        return self._new(-self.v, -self.d)

    def __pos__(self) -> Dual:
        return self

    def __mul__(self, other: Dual | float) -> Dual:
        if isinstance(other, Dual):
            return self._new(self.v * other.v, self.d * other.v + self.v * other.d)
        return self._new(self.v * other, self.d * other)

    __rmul__ = __mul__

    def __truediv__(self, other: Dual | float) -> Dual:
        if isinstance(other, Dual):
            q = self.v / other.v
            return self._new(q, (self.d - q * other.d) / other.v)
        return self._new(self.v / other, self.d / other)

    def __rtruediv__(self, other: float) -> Dual:
        q = other / self.v
        return self._new(q, -q * self.d / self.v)

    def __pow__(self, other: Dual | float) -> Dual:
        if isinstance(other, Dual):
            v = self.v ** other.v
            return self._new(v, v * (other.d * self.xp.log(self.v) + other.v * self.d / self.v))
        c = float(other)
        if c == 0:
            return self._new(self.v * 0 + 1, self.d * 0)
        if c == 1:
            return self
        if c == 2:
            return self._new(self.v * self.v, 2 * self.v * self.d)
        return self._new(self.v ** c, c * self.v ** (c - 1) * self.d)

    def __rpow__(self, other: float) -> Dual:
        v = other ** self.v
        with np.errstate(all="ignore"):
            log_base = float(np.log(np.float64(other)))  # nan for a negative base, as the value is
        return self._new(v, v * log_base * self.d)

    def __mod__(self, other: Dual | float) -> Dual:
        if isinstance(other, Dual):
            return self._new(self.v % other.v, self.d - self.xp.floor(self.v / other.v) * other.d)
        return self._new(self.v % other, self.d)

    def __rmod__(self, other: float) -> Dual:
        return self._new(other % self.v, -self.xp.floor(other / self.v) * self.d)


def _unary(value: Callable[[ModuleType, Array], Array],
           slope: Callable[[ModuleType, Array, Array], Array]) -> Callable[[Dual], Dual]:
    """A function from its value and its derivative f'(v) given (xp, v, f(v))."""

    def apply(x: Dual) -> Dual:
        fv = value(x.xp, x.v)
        return x._new(fv, slope(x.xp, x.v, fv) * x.d)

    return apply


def _zero_slope(name: str) -> Callable[[Dual], Dual]:
    def apply(x: Dual) -> Dual:
        fv = getattr(x.xp, name)(x.v)
        return x._new(fv, fv * 0)

    return apply


def _choose(smaller: bool) -> Callable[[Dual | float, Dual | float], Dual]:
    """min / max: value and slope of the chosen branch (the first one on a tie)."""

    def apply(a: Dual | float, b: Dual | float) -> Dual:
        template = a if isinstance(a, Dual) else b
        assert isinstance(template, Dual)
        av, ad = (a.v, a.d) if isinstance(a, Dual) else (a, 0.0)
        bv, bd = (b.v, b.d) if isinstance(b, Dual) else (b, 0.0)
        first = (av <= bv) if smaller else (av >= bv)
        xp = template.xp
        value = xp.where(first, av, bv)
        zero = value * 0  # scalar slopes become arrays of the value's dtype first: torch.where
        return template._new(value, xp.where(first, zero + ad, zero + bd))  # of two floats is float32

    return apply


FUNCTIONS: dict[str, Callable[..., Dual]] = {
    "sin": _unary(lambda xp, v: xp.sin(v), lambda xp, v, f: xp.cos(v)),
    "cos": _unary(lambda xp, v: xp.cos(v), lambda xp, v, f: -xp.sin(v)),
    "tan": _unary(lambda xp, v: xp.tan(v), lambda xp, v, f: 1 + f * f),
    "exp": _unary(lambda xp, v: xp.exp(v), lambda xp, v, f: f),
    "log": _unary(lambda xp, v: xp.log(v), lambda xp, v, f: 1 / v),
    "sqrt": _unary(lambda xp, v: xp.sqrt(v), lambda xp, v, f: 0.5 / f),
    "abs": _unary(lambda xp, v: xp.abs(v), lambda xp, v, f: xp.sign(v)),
    "tanh": _unary(lambda xp, v: xp.tanh(v), lambda xp, v, f: 1 - f * f),
    "sinh": _unary(lambda xp, v: xp.sinh(v), lambda xp, v, f: xp.cosh(v)),
    "cosh": _unary(lambda xp, v: xp.cosh(v), lambda xp, v, f: xp.sinh(v)),
    "arctan": _unary(lambda xp, v: xp.arctan(v), lambda xp, v, f: 1 / (1 + v * v)),
    "arcsin": _unary(lambda xp, v: xp.arcsin(v), lambda xp, v, f: 1 / xp.sqrt(1 - v * v)),
    "arccos": _unary(lambda xp, v: xp.arccos(v), lambda xp, v, f: -1 / xp.sqrt(1 - v * v)),
    "sign": _zero_slope("sign"),
    "floor": _zero_slope("floor"),
    "ceil": _zero_slope("ceil"),
    "min": _choose(smaller=True),
    "max": _choose(smaller=False),
}
FUNCTIONS["atan"] = FUNCTIONS["arctan"]
