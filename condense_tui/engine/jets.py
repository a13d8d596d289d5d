"""Truncated Taylor series ("jets") in float64: derivatives at a point without autograd or torch.

A Jet holds c_0..c_K, the Taylor coefficients f^(k)(a) / k! of a function at a point a. Arithmetic
and the elementary functions propagate them by the usual recurrences (products are Cauchy sums,
exp/log/sin/tanh solve u' = h(u) a' term by term), so evaluating a formula on the jet of the
identity, [a, 1, 0, ...], gives every derivative up to order K exactly up to rounding: a zero
derivative comes out as an exact 0 in most formulas.

Where a function is not smooth at the point (relu, abs or sqrt at 0, min of two branches that
cross) the operation raises NotSmooth; where it is not defined (log 0, 1/0) it raises Undefined.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


class NotSmooth(ArithmeticError):
    """The function has no Taylor expansion at the point (a kink, a jump, a cusp)."""


class Undefined(ArithmeticError):
    """The function has no finite value at the point."""


Number = float | int


class Jet:
    """Taylor coefficients c_0..c_K of a function at a point; immutable by convention."""

    __slots__ = ("c",)
    __array_priority__ = 1000  # numpy scalars defer to Jet's reflected operators

    def __init__(self, coefficients: np.ndarray):
        self.c = coefficients

    @classmethod
    def variable(cls, at: float, order: int) -> Jet:
        c = np.zeros(order + 1)
        c[0] = at
        if order >= 1:
            c[1] = 1.0
        return cls(c)

    @property
    def value(self) -> float:
        return float(self.c[0])

    def derivatives(self) -> list[float]:
        """f(a), f'(a), ..., f^(K)(a)."""
        return [float(ck) * math.factorial(k) for k, ck in enumerate(self.c)]

    def _lift(self, other: Jet | Number) -> Jet:
        if isinstance(other, Jet):
            return other
        c = np.zeros_like(self.c)
        c[0] = float(other)
        return Jet(c)

    def _constant(self) -> bool:
        return not np.any(self.c[1:])

    # -- arithmetic -----------------------------------------------------------------------------
    def __add__(self, other: Jet | Number) -> Jet:
        return Jet(self.c + self._lift(other).c)

    __radd__ = __add__

    def __sub__(self, other: Jet | Number) -> Jet:
        return Jet(self.c - self._lift(other).c)

    def __rsub__(self, other: Number) -> Jet:
        return Jet(self._lift(other).c - self.c)

    def __neg__(self) -> Jet:
        return Jet(-self.c)

    def __pos__(self) -> Jet:
        return self

    def __mul__(self, other: Jet | Number) -> Jet:
        if not isinstance(other, Jet):
            return Jet(self.c * float(other))
        return Jet(np.convolve(self.c, other.c)[: len(self.c)])

    __rmul__ = __mul__

    def __truediv__(self, other: Jet | Number) -> Jet:
        if not isinstance(other, Jet):
            if float(other) == 0.0:
                raise Undefined("division by zero")
            return Jet(self.c / float(other))
        return _divide(self.c, other.c)

    def __rtruediv__(self, other: Number) -> Jet:
        return _divide(self._lift(other).c, self.c)

    def __pow__(self, exponent: Jet | Number) -> Jet:
        if isinstance(exponent, Jet):
            if exponent._constant():
                return self ** exponent.value
            return exp(exponent * log(self))
        e = float(exponent)
        if e == int(e) and abs(e) <= 64:
            return _integer_power(self, int(e))
        if self.value > 0:
            return exp(log(self) * e)
        if self._constant() and self.value != 0:
            return self._lift(self.value ** e)  # a negative base to a real power: NaN, as in NumPy
        raise NotSmooth(f"z**{e:g} has no Taylor expansion at 0")

    def __rpow__(self, base: Number) -> Jet:
        b = float(base)
        if b > 0:
            return exp(self * math.log(b))
        if self._constant():
            return self._lift(b ** self.value)
        raise NotSmooth(f"{b:g}**z is not smooth")

    def __mod__(self, other: Jet | Number) -> Jet:
        d = self._lift(other)
        if not d._constant():
            raise NotSmooth("mod by a varying divisor")
        if d.value == 0:
            raise Undefined("mod by zero")
        rest = self.value % d.value  # Python's and NumPy's sign convention: that of the divisor
        if rest == 0 and not self._constant():
            raise NotSmooth("mod jumps at a multiple of its divisor")
        return self - (self.value - rest)

    def __rmod__(self, other: Number) -> Jet:
        return self._lift(other) % self

    # `a *= b` falls back to the operators above: a Jet is never modified in place


def _divide(a: np.ndarray, b: np.ndarray) -> Jet:
    if b[0] == 0:
        raise Undefined("division by a series that is 0 at the point")
    c = np.zeros_like(a)
    for k in range(len(a)):
        c[k] = (a[k] - np.dot(b[1:k + 1], c[k - 1::-1][:k])) / b[0] if k else a[0] / b[0]
    return Jet(c)


def _integer_power(x: Jet, n: int) -> Jet:
    if n < 0:
        return 1.0 / _integer_power(x, -n)
    result = x._lift(1.0)
    base = x
    while n:
        if n & 1:
            result = result * base
        n >>= 1
        if n:
            base = base * base
    return result


def _integrate(a: np.ndarray, u0: float, h_coefficient: Callable[[np.ndarray, int], float]) -> Jet:
    """Solve u' = h a' term by term: k u_k = sum_{j=1..k} j a_j h_{k-j}.

    h_coefficient(u, m) returns h_m from u_0..u_m (already known when it is asked for).
    """
    u = np.zeros_like(a)
    h = np.zeros_like(a)
    u[0] = u0
    for k in range(1, len(a)):
        h[k - 1] = h_coefficient(u, k - 1)
        j = np.arange(1, k + 1)
        u[k] = np.dot(j * a[1:k + 1], h[k - 1::-1][:k]) / k
    return Jet(u)


def _square_coefficient(u: np.ndarray, m: int) -> float:
    """(u^2)_m."""
    return float(np.dot(u[: m + 1], u[m::-1]))


def exp(x: Jet) -> Jet:
    return _integrate(x.c, math.exp(x.value), lambda u, m: u[m])


def log(x: Jet) -> Jet:
    if x.value <= 0:
        raise Undefined(f"log of {x.value:g}")
    return _integrate(x.c, math.log(x.value), _reciprocal_coefficients(x))


def _reciprocal_coefficients(x: Jet) -> Callable[[np.ndarray, int], float]:
    inverse = (1.0 / x).c
    return lambda u, m: float(inverse[m])


def _pair_of(x: Jet, s0: float, c0: float, sign: float) -> tuple[Jet, Jet]:
    """(s, c) with s' = c a' and c' = sign s a': sin/cos (sign -1) and sinh/cosh (sign +1)."""
    a = x.c
    s, c = np.zeros_like(a), np.zeros_like(a)
    s[0], c[0] = s0, c0
    for k in range(1, len(a)):
        ja = np.arange(1, k + 1) * a[1:k + 1]
        s[k] = np.dot(ja, c[k - 1::-1][:k]) / k
        c[k] = sign * np.dot(ja, s[k - 1::-1][:k]) / k
    return Jet(s), Jet(c)


def _sin_cos(x: Jet) -> tuple[Jet, Jet]:
    return _pair_of(x, math.sin(x.value), math.cos(x.value), -1.0)


def _sinh_cosh(x: Jet) -> tuple[Jet, Jet]:
    return _pair_of(x, math.sinh(x.value), math.cosh(x.value), 1.0)


def sin(x: Jet) -> Jet:
    return _sin_cos(x)[0]


def cos(x: Jet) -> Jet:
    return _sin_cos(x)[1]


def tan(x: Jet) -> Jet:
    # u' = (1 + u^2) a'
    return _integrate(x.c, math.tan(x.value), lambda u, m: (m == 0) + _square_coefficient(u, m))


def sinh(x: Jet) -> Jet:
    return _sinh_cosh(x)[0]


def cosh(x: Jet) -> Jet:
    return _sinh_cosh(x)[1]


def tanh(x: Jet) -> Jet:
    # u' = (1 - u^2) a'
    return _integrate(x.c, math.tanh(x.value), lambda u, m: (m == 0) - _square_coefficient(u, m))


def sqrt(x: Jet) -> Jet:
    if x.value < 0:
        raise Undefined(f"sqrt of {x.value:g}")
    if x.value == 0:
        if x._constant():
            return x
        raise NotSmooth("sqrt has no Taylor expansion at 0")
    a = x.c
    u = np.zeros_like(a)
    u[0] = math.sqrt(x.value)
    for k in range(1, len(a)):
        u[k] = (a[k] - np.dot(u[1:k], u[k - 1:0:-1])) / (2 * u[0])
    return Jet(u)


def arctan(x: Jet) -> Jet:
    return _integrate(x.c, math.atan(x.value), _reciprocal_coefficients(1.0 + x * x))


def arcsin(x: Jet) -> Jet:
    if abs(x.value) >= 1:
        raise NotSmooth("arcsin has no Taylor expansion at +-1")
    return _integrate(x.c, math.asin(x.value), _reciprocal_coefficients(sqrt(1.0 - x * x)))


def arccos(x: Jet) -> Jet:
    return math.pi / 2 - arcsin(x)


def softplus(x: Jet) -> Jet:
    return log(1.0 + exp(x))
