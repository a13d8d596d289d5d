"""TrainableModel: what the run controller drives. Two implementations: engine.mlp.model.MlpModel
(K fully connected networks on a synthetic or MNIST data set) and engine.deep.model.CifarModel (the
Fig 1 conv backbone + FC head on CIFAR-10).

The controller owns everything about a run's control (thread, commands, chunking, rate cap,
snapshots, divergence); a model owns its live arrays and knows how to take update steps. A model
never publishes and never reads commands: `train` is handed an `interrupted` test instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from .activations import Activation

HostWeights = tuple[tuple[np.ndarray, ...], np.ndarray]  # per-layer [W | b] (K, m, in + 1), output (K, m)


def never() -> bool:
    """The default `interrupted` test: nothing interrupts."""
    return False


class TrainableModel(Protocol):
    replicas: int  # K networks trained side by side
    seeds: tuple[int, ...]  # one per replica: where the current initial weights came from
    stds: tuple[float, ...]  # initial standard deviation per replica
    activations: tuple[Activation, ...]  # one per layer that snapshots hold
    inputs: np.ndarray  # (n, d) the data points analysis may use; (0, d) when it has none
    targets: np.ndarray  # (n,)

    def restart(self, seeds: tuple[int, ...] | None = None) -> None:
        """Back to step 0: new initial weights drawn from `seeds`, or (None) the same initial weights
        again. Optimizer state, data order and counters start over."""

    def initial_losses(self) -> np.ndarray:
        """Losses at step 0, before any update: (1, K), or (0, K) for a model whose loss is only
        known inside an update (a mini-batch loss). Called once after every restart, before train."""

    def train(self, count: int, interrupted: Callable[[], bool] = never) -> np.ndarray:
        """THE training step: `count` updates; returns their losses on the host, (count, K), row i
        the loss recorded under the (i + 1)-th new step. It may return fewer rows when a slow model
        sees interrupted() turn true between updates, or finds a non-finite loss it can see cheaply."""

    def steps_to_boundary(self) -> int | None:
        """Updates left before the model's next natural snapshot point (the end of an epoch), or None.
        The controller never asks for more in one train call and publishes when it gets there."""

    def measure(self, step: int) -> None:
        """Measure what is measured at snapshot points (an epoch end, the budget): CIFAR's accuracy."""

    def weights(self) -> HostWeights:
        """Host copies of the current weights, sharing nothing with the live arrays."""

    def initial_weights(self) -> HostWeights:
        """Read-only host copies of this run's initial weights (shared by all its snapshots)."""

    def extras(self, step: int, total_steps: int | None, rate: float) -> dict[str, Any]:
        """JSON-ready numbers a snapshot carries besides weights and losses ({} for none)."""
