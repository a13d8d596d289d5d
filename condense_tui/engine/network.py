"""Fully connected d-m-...-m-1 networks, K of them side by side, in one flat parameter buffer.

Layer l's input weights W_l have shape (K, m_l, in_l + 1): the last column is the bias, folded in
as in the paper (x -> (x, 1)). The output weights a have shape (K, m_L); there is no output bias.
All parameters live in one flat array, parameter-major, so the optimizer updates everything with a
handful of whole-buffer operations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation
from .backend import Array, Backend


@dataclass(frozen=True)
class Architecture:
    input_dim: int
    widths: tuple[int, ...]  # hidden layer widths
    activations: tuple[Activation, ...]  # one per hidden layer
    residual: bool = False  # h_{l+1} = sigma(W h_l) + h_l between equal-width hidden layers

    @property
    def depth(self) -> int:
        return len(self.widths)

    def layer_shapes(self) -> list[tuple[int, int]]:
        ins = (self.input_dim, *self.widths[:-1])
        return [(m, i + 1) for m, i in zip(self.widths, ins)]

    def has_skip(self, layer: int) -> bool:
        """Whether hidden layer `layer` (0-based) adds its input back."""
        return self.residual and layer > 0 and self.widths[layer] == self.widths[layer - 1]


class ParameterLayout:
    """Views into a flat buffer of K networks: W_1..W_L of shape (K, m, in+1) and a of (K, m_L)."""

    def __init__(self, arch: Architecture, replicas: int):
        self.arch = arch
        self.replicas = replicas
        self.slices: list[tuple[int, int, tuple[int, ...]]] = []
        offset = 0
        for m, i in arch.layer_shapes():
            size = replicas * m * i
            self.slices.append((offset, offset + size, (replicas, m, i)))
            offset += size
        size = replicas * arch.widths[-1]
        self.slices.append((offset, offset + size, (replicas, arch.widths[-1])))
        self.size = offset + size

    def views(self, flat: Array) -> tuple[list[Array], Array]:
        parts = [flat[a:b].reshape(shape) for a, b, shape in self.slices]
        return parts[:-1], parts[-1]


def initial_parameters(layout: ParameterLayout, stds: np.ndarray, seeds: list[int]) -> np.ndarray:
    """Flat float64 buffer: every parameter of replica k ~ N(0, stds[k]^2), drawn from seeds[k].

    Each replica draws its layers in order from its own generator, so replica k equals a single
    run with seed seeds[k] and std stds[k].
    """
    flat = np.empty(layout.size)
    per_replica = [np.random.default_rng(s) for s in seeds]
    for start, stop, shape in layout.slices:
        block = flat[start:stop].reshape(shape[0], -1)
        for k, rng in enumerate(per_replica):
            block[k] = rng.normal(0.0, stds[k], size=block.shape[1])
    return flat


def forward(arch: Architecture, backend: Backend, weights: list[Array], output: Array,
            inputs_t: Array) -> Array:
    """Plain forward pass without in-place work (autograd-safe): (K, n) outputs.

    inputs_t: (d + 1, n), the inputs with their trailing 1, transposed.
    """
    h = None
    for layer, (w, act) in enumerate(zip(weights, arch.activations)):
        z = backend.matmul(w, inputs_t) if layer == 0 else backend.matmul(w[..., :-1], h) + w[..., -1:]
        value = act(z, backend)
        h = value + h if arch.has_skip(layer) else value
    return backend.matmul(output[:, None, :], h)[:, 0, :]
