"""Activation registry.

Each activation is written once against a Backend, as a function returning (sigma(z), sigma'(z))
so the training step shares work between them (tanh is computed once). Multiplicity, sigma(0)
and sigma^(p)(0) are measured from the function itself with nested autograd in float64, never
typed in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cached_property, lru_cache
from typing import Callable

from .backend import Array, Backend, Ops

ValueAndSlope = Callable[[Array, Backend], tuple[Array, Array]]
# In-place form for the training step: (z, scratch, ops) -> slope. Overwrites z with sigma(z) and
# returns sigma'(z) in one of the three scratch buffers (each shaped like z); allocates nothing.
InPlace = Callable[[Array, tuple[Array, Array, Array], Ops], Array]

MAX_ORDER = 12  # highest derivative examined when measuring multiplicity


class UnknownActivation(ValueError):
    pass


@dataclass(frozen=True)
class Multiplicity:
    p: int | None  # None: not defined (sigma is not smooth at 0 or all derivatives vanish)
    sigma0: float
    derivative_p: float | None  # sigma^(p)(0)
    smooth: bool


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str
    value_and_slope: ValueAndSlope = field(repr=False, compare=False)
    in_place: InPlace | None = field(default=None, repr=False, compare=False)

    def __call__(self, z: Array, backend: Backend) -> Array:
        return self.value_and_slope(z, backend)[0]

    @cached_property
    def multiplicity(self) -> Multiplicity:
        return measure_multiplicity(self)

    @property
    def p(self) -> int | None:
        return self.multiplicity.p


def _derivatives_at(act: Activation, z0: float, order: int):  # noqa: ANN202 - generator
    """Yield sigma(z0), sigma'(z0), ..., sigma^(order)(z0) by repeated autograd in float64."""
    import torch

    backend = Backend("torch", "cpu", "float64")
    z = torch.tensor(z0, dtype=torch.float64, requires_grad=True)
    y = act(z, backend)
    yield y.item()
    for _ in range(order):
        grad = torch.autograd.grad(y, z, create_graph=True, allow_unused=True)[0] if y.requires_grad else None
        if grad is None:  # constant from here on
            y = torch.zeros((), dtype=torch.float64)
        else:
            y = grad
        yield y.item()


# Measuring takes seconds (nested autograd to order 12); an activation's (name, formula) fixes the
# answer, so every model built after the first (the TUI rebuilds on each setting) reuses it.
@lru_cache(maxsize=None)
def measure_multiplicity(act: Activation, tol: float = 1e-9) -> Multiplicity:
    at0: list[float] = []
    p = None
    for k, value in enumerate(_derivatives_at(act, 0.0, MAX_ORDER)):
        at0.append(value)
        if k >= 1 and abs(value) > tol:
            p = k
            break
    # Smooth at 0 up to order p: every derivative up to p must agree from both sides.
    h = 1e-6
    top = p if p is not None else 2
    left = list(_derivatives_at(act, -h, top))
    right = list(_derivatives_at(act, h, top))
    smooth = all(abs(right[k] - left[k]) < 1e-3 for k in range(top + 1))
    if not smooth:
        return Multiplicity(None, at0[0], None, False)
    return Multiplicity(p, at0[0], at0[p] if p is not None else None, True)


# -- the functions ------------------------------------------------------------------------------

def _tanh(z: Array, b: Backend) -> tuple[Array, Array]:
    t = b.tanh(z)
    slope = t * t
    slope *= -1
    slope += 1
    return t, slope


def _tanh_in_place(z: Array, scratch: tuple[Array, Array, Array], ops: Ops) -> Array:
    slope = scratch[0]
    ops.tanh(z, out=z)
    ops.mul(z, z, out=slope)
    ops.one_minus(slope, out=slope)
    return slope


def _sigmoid(z: Array, b: Backend) -> tuple[Array, Array]:
    s = (b.tanh(z * 0.5) + 1) * 0.5  # overflow-free logistic
    return s, s * (1 - s)


def _softplus(z: Array, b: Backend) -> tuple[Array, Array]:
    value = b.softplus(z)
    slope = (b.tanh(z * 0.5) + 1) * 0.5
    return value, slope


def _relu(z: Array, b: Backend) -> tuple[Array, Array]:
    mask = b.positive(z)
    return z * mask, mask


_GELU_C = math.sqrt(2.0 / math.pi)


def _gelu(z: Array, b: Backend) -> tuple[Array, Array]:
    # tanh form of GELU: 0.5 z (1 + tanh(c (z + 0.044715 z^3)))
    inner = _GELU_C * (z + 0.044715 * z * z * z)
    t = b.tanh(inner)
    value = 0.5 * z * (1 + t)
    slope = 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * _GELU_C * (1 + 3 * 0.044715 * z * z)
    return value, slope


def _silu(z: Array, b: Backend) -> tuple[Array, Array]:
    s = (b.tanh(z * 0.5) + 1) * 0.5
    return z * s, s * (1 + z * (1 - s))


def _power_tanh(k: int) -> ValueAndSlope:
    """x^k tanh(x): multiplicity k + 1."""

    def value_and_slope(z: Array, b: Backend) -> tuple[Array, Array]:
        t = b.tanh(z)
        # z^(k-1) by products: power() is several times slower for small exponents
        zk1 = None if k == 1 else (z if k == 2 else (z * z if k == 3 else z ** (k - 1)))
        zk = z if zk1 is None else zk1 * z
        value = zk * t
        # k z^(k-1) t + z^k (1 - t^2), arranged as z^(k-1) (k t + z - z t^2) with in-place steps
        slope = z * t
        slope *= t
        slope -= z
        slope *= -1
        slope += k * t
        if zk1 is not None:
            slope *= zk1
        return value, slope

    return value_and_slope


def _power_tanh_in_place(k: int) -> InPlace:
    """x^k tanh(x) in place: slope = z^(k-1) (k t + z (1 - t^2)), value = z^(k-1) (z t).

    Products only (power() is slow); each line is one pass over an (m, n) array, and the pass
    count is the cost, so x^2 tanh gets its own six-pass form.
    """

    def in_place(z: Array, scratch: tuple[Array, Array, Array], ops: Ops) -> Array:
        t, p, q = scratch
        if k == 2:  # the common x^2 tanh: slope = p (2 - p) + z^2 with p = z t, six passes
            ops.tanh(z, out=t)
            ops.mul(z, t, out=t)  # p
            ops.sub(ops.const(2.0), t, out=p)
            ops.mul(p, t, out=p)
            ops.mul(z, z, out=q)
            ops.add(p, q, out=p)
            ops.mul(z, t, out=z)  # z p = z^2 t
            return p
        ops.tanh(z, out=t)
        ops.mul(z, t, out=p)  # z t
        ops.mul(p, t, out=q)
        ops.sub(z, q, out=q)  # z (1 - t^2)
        if k == 1:
            ops.add(q, t, out=q)
            ops.mul(z, t, out=z)
            return q
        ops.mul(t, ops.const(k), out=t)
        ops.add(q, t, out=q)  # k t + z (1 - t^2)
        ops.mul(z, z, out=t)
        for _ in range(k - 3):
            ops.mul(t, z, out=t)  # z^(k-1)
        ops.mul(q, t, out=q)
        ops.mul(t, p, out=z)
        return q

    return in_place


_FIXED: dict[str, tuple[str, ValueAndSlope, InPlace | None]] = {
    "tanh": ("tanh(x)", _tanh, _tanh_in_place),
    "sigmoid": ("1/(1+exp(-x))", _sigmoid, None),
    "softplus": ("log(1+exp(x))", _softplus, None),
    "relu": ("max(x, 0)", _relu, None),
    "gelu": ("x/2 (1+tanh(sqrt(2/pi)(x+0.044715x^3)))", _gelu, None),
    "silu": ("x/(1+exp(-x))", _silu, None),
    "xtanh": ("x*tanh(x)", _power_tanh(1), _power_tanh_in_place(1)),
    "x2tanh": ("x^2*tanh(x)", _power_tanh(2), _power_tanh_in_place(2)),
}
_POWER = re.compile(r"^x(\d+)tanh$")
MAX_POWER_TANH_P = 9


def power_tanh_name(p: int) -> str:
    """Name of x^(p-1) tanh(x), the family with multiplicity p."""
    if p < 1:
        raise ValueError("multiplicity must be >= 1")
    return {1: "tanh", 2: "xtanh", 3: "x2tanh"}.get(p, f"x{p - 1}tanh")


def activation_names() -> list[str]:
    return list(_FIXED) + ["x3tanh", "x4tanh"]


def get_activation(name: str) -> Activation:
    key = name.strip().lower().replace("*", "").replace("^", "").replace("(x)", "")
    if key in _FIXED:
        formula, fn, in_place = _FIXED[key]
        return Activation(key, formula, fn, in_place)
    match = _POWER.match(key)
    if match:
        k = int(match.group(1))
        if 1 <= k <= MAX_POWER_TANH_P - 1:
            return Activation(key if k > 2 else ("xtanh" if k == 1 else "x2tanh"), f"x^{k}*tanh(x)",
                              _power_tanh(k), _power_tanh_in_place(k))
    close = get_close_matches(key, activation_names(), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise UnknownActivation(
        f"unknown activation {name!r}{hint}; choose one of {', '.join(activation_names())}, "
        f"or x<k>tanh for k up to {MAX_POWER_TANH_P - 1}"
    )
