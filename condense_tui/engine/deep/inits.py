"""Initializations of the FC head: the six of the paper's Table 1, plus `std` (N(0, std^2), the
engine's own rule). fan_in = m_in (inputs of the layer), fan_out = m_out (its neurons). Biases are
drawn from the same law as the weights (the paper draws every parameter; not stated for Table 1)."""

from __future__ import annotations

import math
from typing import Any

FC_INITS = {
    "std": "N(0, std^2), std from init_std or init_gamma",
    "glorot_uniform": "U(-l, l), l = sqrt(6 / (m_in + m_out))",
    "glorot_normal": "N(0, 2 / (m_in + m_out))",
    "inv_m": "N(0, 1/m_in)",
    "inv_m2": "N(0, 1/m_in^2)",
    "inv_mout3": "N(0, 1/m_out^3)",
    "inv_mout4": "N(0, 1/m_out^4)",
}


def fc_std(scheme: str, fan_in: int, fan_out: int, std: float) -> float:
    """Standard deviation of the law `scheme` for a layer with fan_in inputs and fan_out neurons."""
    variance = {
        "std": std * std,
        "glorot_uniform": 2.0 / (fan_in + fan_out),  # U(-l, l) has variance l^2/3
        "glorot_normal": 2.0 / (fan_in + fan_out),
        "inv_m": 1.0 / fan_in,
        "inv_m2": 1.0 / fan_in**2,
        "inv_mout3": 1.0 / fan_out**3,
        "inv_mout4": 1.0 / fan_out**4,
    }[scheme]
    return math.sqrt(variance)


def init_linear_(linear: Any, scheme: str, std: float, generator: Any = None) -> None:
    """Redraw a torch Linear's weight (and bias) in place from `scheme`."""
    fan_out, fan_in = linear.weight.shape
    sigma = fc_std(scheme, fan_in, fan_out, std)
    params = [linear.weight] + ([linear.bias] if linear.bias is not None else [])
    for p in params:
        if scheme == "glorot_uniform":
            limit = sigma * math.sqrt(3.0)
            p.data.uniform_(-limit, limit, generator=generator)
        else:
            p.data.normal_(0.0, sigma, generator=generator)
