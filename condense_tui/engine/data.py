"""The paper's synthetic targets and domains, seeded sampling, and user target expressions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .expressions import parse_target


@dataclass(frozen=True)
class DataPreset:
    name: str
    target: str  # expression in x or x1..xd
    input_dim: int
    n: int
    low: float
    high: float
    figure: str


def _sum_of_sines(amplitude: float, frequency: float, dim: int) -> str:
    return " + ".join(f"{amplitude}*sin({frequency}*x{k} + 1)" for k in range(1, dim + 1))


DATA_PRESETS: dict[str, DataPreset] = {
    p.name: p
    for p in [
        DataPreset("fig2", _sum_of_sines(3.5, 5, 5), 5, 80, -4.0, 2.0, "Fig 2"),
        DataPreset("fig3", _sum_of_sines(4, 12, 3), 3, 80, -4.0, 2.0, "Fig 3"),
        DataPreset("fig4a", _sum_of_sines(3.5, 2, 5), 5, 80, -4.0, 2.0, "Fig 4a"),
        DataPreset("fig5", "sin(3*x) + sin(6*x)/2", 1, 40, -1.0, 1.5, "Fig 5 and 6"),
    ]
}


@dataclass(frozen=True)
class Dataset:
    x: np.ndarray  # (n, d) float64
    y: np.ndarray  # (n,) float64
    target: str

    @property
    def n(self) -> int:
        return self.x.shape[0]

    @property
    def input_dim(self) -> int:
        return self.x.shape[1]

    def with_bias(self) -> np.ndarray:
        """(n, d + 1): each input with a trailing 1, so a neuron's bias is its last weight."""
        return np.concatenate([self.x, np.ones((self.n, 1))], axis=1)


def sample_inputs(n: int, dim: int, low: float, high: float, sampling: str, seed: int) -> np.ndarray:
    if sampling == "grid":
        if dim != 1:
            raise ValueError("sampling 'grid' needs input_dim 1; use 'uniform'")
        return np.linspace(low, high, n)[:, None]
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=(n, dim))


def make_dataset(target: str, input_dim: int, n: int, low: float, high: float, sampling: str,
                 seed: int) -> Dataset:
    expression = parse_target(target)
    if expression.input_dim_needed > input_dim:
        raise ValueError(
            f"target uses x{expression.input_dim_needed} but input_dim is {input_dim}; "
            f"set input_dim >= {expression.input_dim_needed}"
        )
    x = sample_inputs(n, input_dim, low, high, sampling, seed)
    y = expression(x)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"target {target!r} is not finite on the domain [{low}, {high}]")
    return Dataset(x, y, expression.text)
