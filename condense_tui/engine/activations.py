"""Activation registry, and activations written as expressions in z.

Each named activation is written once against a Backend, as a function returning (sigma(z),
sigma'(z)) so the training step shares work between them (tanh is computed once). An expression
activation ("z**2*sin(z)") is evaluated with dual numbers, which give the slope exactly.
Multiplicity, sigma(0) and sigma^(p)(0) are measured from the function itself with Taylor jets in
float64 (jets.py), never typed in, and without importing torch.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cached_property
from typing import Any, Protocol

import numpy as np

from . import dual, jet_kinks, jets
from .backend import Array, Ops
from .expressions import Expression, UnsafeExpression, parse_expression
from .multiplicity import Multiplicity, measure_multiplicity

__all__ = ["Activation", "Multiplicity", "UnknownActivation", "activation_names", "expression_activation",
           "get_activation", "power_tanh_name", "split_activations"]


class Elementwise(Protocol):
    """What the activation functions ask of a backend (Backend, or jets for measuring)."""

    @property
    def name(self) -> str: ...

    def tanh(self, x: Any) -> Any: ...
    def softplus(self, x: Any) -> Any: ...
    def positive(self, x: Any) -> Any: ...


ValueAndSlope = Callable[[Array, Elementwise], tuple[Array, Array]]
# In-place form for the training step: (z, scratch, ops) -> slope. Overwrites z with sigma(z) and
# returns sigma'(z) in one of the three scratch buffers (each shaped like z); allocates nothing.
InPlace = Callable[[Array, tuple[Array, Array, Array], Ops], Array]
Series = Callable[[jets.Jet], jets.Jet]

class UnknownActivation(ValueError):
    pass


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str
    value_and_slope: ValueAndSlope = field(repr=False, compare=False)
    in_place: InPlace | None = field(default=None, repr=False, compare=False)
    series: Series | None = field(default=None, repr=False, compare=False)  # sigma on a jet

    def __call__(self, z: Array, backend: Elementwise) -> Array:
        return self.value_and_slope(z, backend)[0]

    @cached_property
    def multiplicity(self) -> Multiplicity:
        return measure_multiplicity(self)  # cached per (name, formula)

    @property
    def p(self) -> int | None:
        return self.multiplicity.p

    def on_jet(self, z: jets.Jet) -> jets.Jet:
        """sigma applied to a Taylor jet (raises jets.NotSmooth / jets.Undefined)."""
        if self.series is not None:
            return self.series(z)
        value: jets.Jet = self.value_and_slope(z, _JET_ELEMENTWISE)[0]
        return value


class _JetElementwise:
    name = "jet"
    tanh = staticmethod(jets.tanh)
    softplus = staticmethod(jets.softplus)
    positive = staticmethod(jet_kinks.positive)


_JET_ELEMENTWISE = _JetElementwise()


# -- the functions ------------------------------------------------------------------------------

def _tanh(z: Array, b: Elementwise) -> tuple[Array, Array]:
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


def _sigmoid(z: Array, b: Elementwise) -> tuple[Array, Array]:
    s = (b.tanh(z * 0.5) + 1) * 0.5  # overflow-free logistic
    return s, s * (1 - s)


def _softplus(z: Array, b: Elementwise) -> tuple[Array, Array]:
    value = b.softplus(z)
    slope = (b.tanh(z * 0.5) + 1) * 0.5
    return value, slope


def _relu(z: Array, b: Elementwise) -> tuple[Array, Array]:
    mask = b.positive(z)
    return z * mask, mask


_GELU_C = math.sqrt(2.0 / math.pi)


def _gelu(z: Array, b: Elementwise) -> tuple[Array, Array]:
    # tanh form of GELU: 0.5 z (1 + tanh(c (z + 0.044715 z^3)))
    inner = _GELU_C * (z + 0.044715 * z * z * z)
    t = b.tanh(inner)
    value = 0.5 * z * (1 + t)
    slope = 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * _GELU_C * (1 + 3 * 0.044715 * z * z)
    return value, slope


def _silu(z: Array, b: Elementwise) -> tuple[Array, Array]:
    s = (b.tanh(z * 0.5) + 1) * 0.5
    return z * s, s * (1 + z * (1 - s))


def _power_tanh(k: int) -> ValueAndSlope:
    """x^k tanh(x): multiplicity k + 1."""

    def value_and_slope(z: Array, b: Elementwise) -> tuple[Array, Array]:
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
    return [*_FIXED, "x3tanh", "x4tanh"]


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def get_activation(name: str) -> Activation:
    """A registered activation by name (tanh, x2tanh, "x^2*tanh", ...) or an expression in z.

    Raises UnknownActivation (a ValueError) with a one-line message.
    """
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
    if not _IDENTIFIER.match(name.strip().lower()) or name.strip() == "z":
        return expression_activation(name)
    close = get_close_matches(key, activation_names(), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise UnknownActivation(
        f"unknown activation {name!r}{hint}; choose one of {', '.join(activation_names())}, "
        f"x<k>tanh for k up to {MAX_POWER_TANH_P - 1}, or an expression in z such as 'z**2*sin(z)'"
    )


def split_activations(text: str) -> list[str]:
    """One activation per hidden layer from "tanh, z**2*sin(z), min(z, 0)": commas inside
    parentheses belong to the expression."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def expression_activation(text: str) -> Activation:
    """sigma given as an expression in z, over the same whitelist as target expressions.

    Its name and formula are the expression as written back from its parse tree: only letters,
    digits, spaces, operators, parentheses, commas and dots, so it is safe in TOML and Rich markup.
    """
    try:
        expression = parse_expression(text, "activation expression", lambda n: n == "z", "z")
    except UnsafeExpression as err:
        raise UnknownActivation(str(err)) from None
    if not expression.variables:
        raise UnknownActivation(f"activation expression {expression.text!r} does not use z "
                                "(write sigma as a function of z, e.g. 'z**2*sin(z)')")
    return Activation(expression.text, expression.text, _expression_value_and_slope(expression),
                      series=lambda z: expression.evaluate({"z": z}, jet_kinks.FUNCTIONS))


def _expression_value_and_slope(expression: Expression) -> ValueAndSlope:
    def value_and_slope(z: Array, backend: Elementwise) -> tuple[Array, Array]:
        if backend.name == "numpy":
            xp: Any = np
        else:
            import torch

            xp = torch
        with np.errstate(all="ignore"):  # log(-1) is NaN in the run, not a warning per step
            result = expression.evaluate({"z": dual.Dual(z, 1.0, xp)}, dual.FUNCTIONS)
        slope = result.d
        if not hasattr(slope, "shape") or slope.shape != z.shape:  # constant slope: 2*z + 1
            slope = z * 0 + slope
        return result.v, slope

    return value_and_slope
