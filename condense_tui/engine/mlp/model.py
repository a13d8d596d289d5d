"""MlpModel: K fully connected networks trained side by side on one data set, full batch.

The weights of all K networks live in one flat buffer (engine.network), gradients are closed form
(engine.gradients) and the optimizer updates the whole buffer at once (engine.optimizers); the
training step is `MlpModel.train`. Replica k equals a single run with seed seeds[k] and std stds[k].
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..backend import Backend
from ..data import Dataset
from ..flow import GradientFlow
from ..gradients import NetworkBatch
from ..model import HostWeights, never
from ..network import Architecture, ParameterLayout, initial_parameters
from ..optimizers import Adam, Optimizer, make_optimizer


def _read_only(weights: HostWeights) -> HostWeights:
    for a in (*weights[0], weights[1]):
        a.setflags(write=False)
    return weights


class MlpModel:
    def __init__(self, dataset: Dataset, arch: Architecture, backend: Backend, *, optimizer: str,
                 lr: float, loss_scale: float, seeds: Sequence[int], stds: Sequence[float]):
        """optimizer: a name engine.optimizers knows ("flow": gradient flow, one step = time lr, which
        needs a float64 backend); loss_scale: the loss is loss_scale * sum of squared errors / n."""
        if len(stds) != len(seeds):
            raise ValueError("give one init std per seed")
        self.dataset, self.arch, self.backend = dataset, arch, backend
        self.seeds, self.stds = tuple(seeds), tuple(stds)
        self.replicas = len(self.seeds)
        self.activations = arch.activations
        self.inputs, self.targets = dataset.x, dataset.y
        self.batch = NetworkBatch(arch, backend, dataset.with_bias(), dataset.y, self.replicas, loss_scale)
        self.layout: ParameterLayout = self.batch.layout
        self.optimizer: Optimizer | GradientFlow = (
            GradientFlow(self.batch, lr) if optimizer == "flow"
            else make_optimizer(optimizer, backend, self.layout.size, lr))
        self.restart(self.seeds)

    def restart(self, seeds: tuple[int, ...] | None = None) -> None:
        if seeds is not None:
            self.seeds = tuple(seeds)
            self.initial_flat = initial_parameters(self.layout, np.asarray(self.stds), list(self.seeds))
            init_w, init_a = self.layout.views(self.initial_flat)
            self._initial = _read_only((tuple(np.array(w, copy=True) for w in init_w),
                                        np.array(init_a, copy=True)))
        self.batch.load(self.initial_flat)
        self.optimizer.reset()

    def initial_losses(self) -> np.ndarray:
        """The initial weights' loss; their gradient is computed with it, ready for the first update."""
        return self.backend.to_numpy(self.batch.loss_and_gradient())[None, :]

    def train(self, count: int, interrupted: Callable[[], bool] = never) -> np.ndarray:
        """`count` full-batch updates (a chunk is milliseconds: `interrupted` is not consulted).
        After each, the new weights' loss and gradient are computed and the loss kept under the new
        step, so a snapshot at step s holds the weights and loss of s. No host sync inside."""
        losses = self.backend.zeros(count, self.replicas)
        if isinstance(self.optimizer, GradientFlow):  # it leaves the new point's loss evaluated
            advance = self.optimizer.advance
            for i in range(count):
                losses[i] = advance()
            return self.backend.to_numpy(losses)
        apply, evaluate = self.optimizer.apply, self.batch.loss_and_gradient  # bound once
        params, grad = self.batch.flat, self.batch.grad
        for i in range(count):
            apply(params, grad)
            losses[i] = evaluate()
        return self.backend.to_numpy(losses)

    def steps_to_boundary(self) -> int | None:
        return None  # full batch: no epochs

    def measure(self, step: int) -> None:
        """Nothing beyond the loss to measure."""

    def weights(self) -> HostWeights:
        to_numpy = self.backend.to_numpy
        return tuple(to_numpy(w) for w in self.batch.weights), to_numpy(self.batch.output)

    def initial_weights(self) -> HostWeights:
        return self._initial

    def extras(self, step: int, total_steps: int | None, rate: float) -> dict[str, Any]:
        """Publish-time only. "adam_sqrt_v" (Adam, after its first update): sqrt of the bias-corrected
        second moment over all parameters against eps (Adam.sqrt_second_moment), what says whether eps
        dominates the update; "flow" (gradient flow): the integrator's time and counters."""
        optimizer = self.optimizer
        if isinstance(optimizer, GradientFlow):
            return {"flow": optimizer.extras()}
        if isinstance(optimizer, Adam):
            stats = optimizer.sqrt_second_moment()
            return {} if stats is None else {"adam_sqrt_v": stats}
        return {}
