"""Snapshot: an immutable host copy of a run's state, the only thing the faces ever see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .multiplicity import Multiplicity


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Snapshot:
    """State of K networks after `step` updates.

    loss_steps[i] is the step whose loss is losses[i] (the loss of the weights at that step,
    before its update); together they cover every step since the previous snapshot, up to and
    including `step`. layers[l] holds layer l's input weights with the bias as the last column,
    shape (K, m_l, in_l + 1); output holds the output weights, (K, m_L).

    Deep (CIFAR-10) runs: layers are the analysed FC hidden layers (K = 1), and output[0, j] is the
    norm of neuron j's outgoing weights into the next (10-way or hidden) layer, so the amplitude
    ||w_j|| * output[0, j] plays the role of |a_j| ||w_j||. Their losses are per mini-batch (step s:
    the s-th batch, computed in that update), context.x and context.y are empty, and extras holds
    epoch, steps_per_epoch, total_steps, eta_s, lr and the accuracy history (engine.deep.model).

    Analysis is not here: consumers compute it (analysis.report.analysis_of).
    """

    run_id: int  # changes on reset/reseed/new config, so consumers can drop old history
    step: int
    loss_steps: np.ndarray  # (s,) int
    losses: np.ndarray  # (s, K)
    layers: tuple[np.ndarray, ...]
    output: np.ndarray
    initial_layers: tuple[np.ndarray, ...]  # shared by every snapshot of a run: no copy per snapshot
    initial_output: np.ndarray
    context: RunContext
    elapsed: float  # seconds of training (pauses excluded) so far
    steps_per_second: float
    diverged_at: int | None = None  # first step with a non-finite loss; weights are the last finite
    finished: bool = False  # the run reached its step budget or was stopped
    interrupted: bool = False
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for a in (self.loss_steps, self.losses, self.output, *self.layers):
            _frozen(a)

    @property
    def replicas(self) -> int:
        return self.output.shape[0]

    @property
    def loss(self) -> float:
        """Loss of replica 0 at the newest logged step (nan if none)."""
        return float(self.losses[-1, 0]) if len(self.losses) else float("nan")


@dataclass(frozen=True, eq=False)
class RunContext:
    """What a run is, shared by all its snapshots: the config, the data and the activations."""

    config: Any  # the composer's RunConfig, carried for the faces; the engine never reads it
    x: np.ndarray  # (n, d)
    y: np.ndarray  # (n,)
    activation_names: tuple[str, ...]
    multiplicities: tuple[Multiplicity, ...]  # per hidden layer
    seeds: tuple[int, ...]
    stds: tuple[float, ...]
