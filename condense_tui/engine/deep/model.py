"""CifarModel: Fig 1 (CIFAR-10, a ResNet18-like backbone + FC head) as a TrainableModel.

One update is one mini-batch of Adam (or SGD) on the cross-entropy; the training step is
`CifarModel.train`. Per-update losses stay on the device and reach the host once per call. Train and
test accuracy are measured at the end of every epoch and at the budget (`measure`).

What snapshots hold: the analysed FC hidden layers' input weights with the bias as the last column,
(1, m, in + 1); as output, for each neuron of the last analysed layer, the norm of its outgoing
weights (the next FC layer's column), so amplitude = ||w_j|| * ||out_j|| plays |a_j| ||w_j||. The
loss at step s is the s-th mini-batch's, computed in that update; step 0 has none.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ..activations import get_activation
from ..model import HostWeights, never
from .accuracy import AccuracyLog
from .data import CifarTensors
from .inits import fc_std
from .network import STAGES, Fig1Net


@dataclass(frozen=True)
class CifarSpec:
    """Everything a CIFAR-10 run is made of, in the engine's own terms."""

    data_dir: str | None  # None: the default data folder (engine.datasets.resolve_data_dir)
    n: int | None  # first n training images (None: all)
    n_test: int | None
    batch_size: int
    backbone_width: int  # 64: ResNet18's 64-128-256-512 channels
    width: int  # neurons per FC hidden layer
    activations: tuple[str, ...]  # one per FC hidden layer
    fc_layer: int  # the analysed FC hidden layer, 1-based; 0: all of them
    fc_init: str  # a scheme of engine.deep.inits.FC_INITS
    std: float  # for fc_init "std"
    optimizer: str  # "adam", or anything else for SGD
    lr: float
    lr_drop_epoch: int | None  # from this epoch on, lr_drop_to
    lr_drop_to: float | None
    augment: bool  # random crops and flips
    device: str  # torch device: "cpu" or "cuda"
    dtype: str  # "float32" or "float64"


class CifarModel:
    def __init__(self, spec: CifarSpec, seed: int):
        self.spec = spec
        self.seeds: tuple[int, ...] = (seed,)
        self.replicas = 1
        self.device = torch.device(spec.device)
        self.dtype = getattr(torch, spec.dtype)
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True  # fixed input shapes: let cuDNN pick its kernels
        self.data = CifarTensors(spec.data_dir, spec.n, spec.n_test, self.device, self.dtype)
        self.batch_size = spec.batch_size
        self.steps_per_epoch = math.ceil(self.data.n_train / self.batch_size)
        self.all_activations = tuple(get_activation(name) for name in spec.activations)
        self.widths = (spec.width,) * len(spec.activations)
        depth = len(self.widths)
        self.analysed = tuple(range(depth)) if spec.fc_layer == 0 else (spec.fc_layer - 1,)
        self.activations = tuple(self.all_activations[i] for i in self.analysed)
        first = self.analysed[0]
        fan_in = spec.backbone_width * STAGES[-1] if first == 0 else self.widths[first - 1]
        self.stds: tuple[float, ...] = (fc_std(spec.fc_init, fan_in, self.widths[first], spec.std),)
        self.inputs, self.targets = np.zeros((0, fan_in)), np.zeros(0)  # no data-side theory
        self.accuracy = AccuracyLog(self.device)
        self.restart(self.seeds)

    # -- state -----------------------------------------------------------------------------------
    def restart(self, seeds: tuple[int, ...] | None = None) -> None:
        if seeds is not None:
            if len(seeds) != 1:
                raise ValueError("the CIFAR-10 model trains one network: give one seed")
            self.seeds = tuple(seeds)
            s = self.spec
            with torch.random.fork_rng(devices=[]):  # the same weights on every device, global RNG untouched
                torch.manual_seed(self.seeds[0])
                net = Fig1Net(s.backbone_width, self.widths, self.all_activations, s.fc_init, s.std)
            self.net = net.to(self.device, self.dtype)
            self._initial_state = {k: v.detach().clone() for k, v in self.net.state_dict().items()}
            self._initial = self.weights()
            for a in (*self._initial[0], self._initial[1]):
                a.setflags(write=False)
        self.net.load_state_dict(self._initial_state)
        self.net.train()
        params = self.net.parameters()
        self.optimizer = (torch.optim.Adam(params, lr=self.spec.lr) if self.spec.optimizer == "adam"
                          else torch.optim.SGD(params, lr=self.spec.lr))
        self._generator = torch.Generator().manual_seed(self.seeds[0])  # order and augmentation
        self._epoch = 0  # completed epochs
        self._order: torch.Tensor | None = None
        self._position = 0
        self.accuracy.clear()
        self._set_lr()

    def _set_lr(self) -> None:
        s = self.spec
        dropped = s.lr_drop_epoch is not None and self._epoch >= s.lr_drop_epoch
        self.lr = s.lr_drop_to if dropped and s.lr_drop_to is not None else s.lr
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr

    def weights(self) -> HostWeights:
        """Analysed layers' [W | b] as (1, m, in + 1), and the outgoing-weight norms (1, m)."""
        fc = self.net.head.layers()
        with torch.no_grad():
            layers = tuple(
                torch.cat([fc[i].weight, fc[i].bias[:, None]], dim=1)[None].cpu().numpy().copy()
                for i in self.analysed
            )
            output = fc[self.analysed[-1] + 1].weight.norm(dim=0)[None].cpu().numpy().copy()
        return layers, output

    def initial_weights(self) -> HostWeights:
        return self._initial

    # -- training ----------------------------------------------------------------------------------
    def initial_losses(self) -> np.ndarray:
        return np.zeros((0, 1))  # a mini-batch loss exists only inside an update

    def train(self, count: int, interrupted: Callable[[], bool] = never) -> np.ndarray:
        """Up to `count` mini-batch updates, returning early when interrupted() turns true (a CPU
        update can take seconds) or, on the CPU where the value is already there, at a non-finite
        loss. An epoch ends inside a call only as its last update (the controller cuts there)."""
        losses = torch.zeros(count, dtype=torch.float64, device=self.device)
        done = 0
        while done < count and not interrupted():
            losses[done] = self._update()
            done += 1
            if self.device.type == "cpu" and not math.isfinite(losses[done - 1].item()):
                break
            if self._position >= self.data.n_train:  # end of an epoch
                self._epoch += 1
                self._order = None
                self._set_lr()
        return losses[:done].cpu().numpy()[:, None]

    def _update(self) -> torch.Tensor:
        """One mini-batch: forward, cross-entropy, backward, optimizer step; the loss stays on the device."""
        if self._order is None:
            self._order = torch.randperm(self.data.n_train, generator=self._generator).to(self.device)
            self._position = 0
        idx = self._order[self._position:self._position + self.batch_size]
        self._position += self.batch_size
        x = self.data.prepare(self.data.train_x[idx], self.spec.augment, self._generator)
        y = self.data.train_y[idx]
        logits = self.net(x)
        loss = F.cross_entropy(logits, y)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        self.accuracy.count(logits, y)
        return loss.detach()

    def steps_to_boundary(self) -> int | None:
        """Updates left in this epoch."""
        done = 0 if self._order is None else self._position // self.batch_size
        return self.steps_per_epoch - done

    def measure(self, step: int) -> None:
        """Train and test accuracy at `step` (a host sync, about once per epoch)."""
        if self.accuracy.seen:
            self.accuracy.evaluate(step, step / self.steps_per_epoch, self.net, self.data)

    def extras(self, step: int, total_steps: int | None, rate: float) -> dict[str, Any]:
        """Plain numbers (JSON-ready) for progress bars and the accuracy curve.

        epoch: fractional epochs done; total_steps: the budget (None: unbounded); eta_s: seconds left
        at the measured rate, which includes the test evaluations; accuracy: per evaluation, the
        step, epoch, train accuracy (running, over that epoch's mini-batches in training mode) and
        test accuracy; fc_layers: 1-based FC hidden layers held in snapshot.layers."""
        eta = (total_steps - step) / rate if total_steps is not None and rate > 0 else None
        return {
            "data": "cifar10",
            "epoch": step / self.steps_per_epoch,
            "steps_per_epoch": self.steps_per_epoch,
            "total_steps": total_steps,
            "eta_s": eta,
            "lr": self.lr,
            "batch_size": self.batch_size,
            "train_size": self.data.n_train,
            "test_size": self.data.n_test,
            "fc_layers": tuple(i + 1 for i in self.analysed),
            "accuracy": self.accuracy.history(),
            "device": str(self.device),
        }
