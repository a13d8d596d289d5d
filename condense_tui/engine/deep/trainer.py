"""DeepTrainer: Fig 1 (CIFAR-10, ResNet18-like backbone + FC head) behind the engine's Trainer interface.

It reuses Trainer's command loop (pause, resume, step k, reset, reseed, stop, rate cap, publishing on
budget, divergence and stop) and replaces what a step is: one mini-batch of Adam (or SGD) on the
cross-entropy. Per-step losses stay on the device and reach the host once per chunk. Test accuracy is
measured at the end of every epoch (and at the budget when it falls inside an epoch).

Snapshots: `layers` holds the analysed FC hidden layers' input weights with the bias as the last
column, (1, m, in + 1); `output` holds, for each neuron of the last analysed layer, the norm of its
outgoing weights (the next FC layer's column), so amplitude = ||w_j|| * ||out_j|| as |a_j| ||w_j|| for
the one-output MLP. `losses` at step s is the loss of the s-th mini-batch, computed in that update
(on the weights after s - 1 updates); the step-0 snapshot has no loss. `extras` carries epochs,
accuracy history, lr and an ETA basis (see `_extras`).
"""

from __future__ import annotations

import math
import time
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from ...config import RunConfig
from ..activations import get_activation
from ..backend import Backend, resolve_backend
from ..snapshot import RunContext, Snapshot
from ..trainer import Trainer
from .data import CifarTensors
from .inits import fc_std
from .model import STAGES, Fig1Net

EVAL_BATCH = 500  # test images per forward pass when measuring accuracy


class DeepTrainer(Trainer):
    """Trainer's interface and command loop over a torch model; Trainer.__init__ is not called
    because it builds the MLP's arrays: the command state is set up here the same way."""

    def __init__(self, config: RunConfig, seeds: Sequence[int] | None = None,
                 stds: Sequence[float] | None = None, max_steps: int | None = -1,
                 backend: Backend | None = None):
        """max_steps: -1 = the config's budget (epochs x steps per epoch, or steps), None = no limit."""
        if seeds is not None and len(seeds) != 1:
            raise ValueError("the CIFAR-10 trainer trains one network: give one seed")
        if stds is not None:
            raise ValueError("the CIFAR-10 trainer takes its FC init from fc_init; stds do not apply")
        self.config = config
        self.seeds = tuple(seeds) if seeds is not None else (config.seed,)
        self.replicas = 1
        self.backend = backend or resolve_backend(config.device, config.dtype)
        self.device = torch.device(self.backend.device)
        self.dtype = getattr(torch, config.dtype)
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True  # fixed input shapes: let cuDNN pick its kernels
        self.data = CifarTensors(config.data_dir, config.n, config.n_test, self.device, self.dtype)
        assert config.batch_size is not None  # validate() requires it for cifar10
        self.batch_size = config.batch_size
        self.steps_per_epoch = math.ceil(self.data.n_train / self.batch_size)
        budget = config.steps if config.epochs is None else config.epochs * self.steps_per_epoch
        self.max_steps = budget if max_steps == -1 else max_steps
        self.activations = tuple(get_activation(name) for name in config.activations)
        self.widths = (config.width,) * config.depth
        self.analysed = tuple(range(config.depth)) if config.fc_layer == 0 else (config.fc_layer - 1,)
        first = self.analysed[0]
        fan_in = config.backbone_width * STAGES[-1] if first == 0 else self.widths[first - 1]
        self.stds = (fc_std(config.fc_init, fan_in, self.widths[first], config.std),)
        self._init_control()
        self._start_run(self.seeds)

    # -- state -----------------------------------------------------------------------------------
    def _start_run(self, seeds: tuple[int, ...]) -> None:
        self.seeds = tuple(seeds)
        c = self.config
        with torch.random.fork_rng(devices=[]):  # the same weights on every device, global RNG untouched
            torch.manual_seed(self.seeds[0])
            model = Fig1Net(c.backbone_width, self.widths, self.activations, c.fc_init, c.std)
        self.model = model.to(self.device, self.dtype)
        self._initial_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        self._restart()

    def _restart(self) -> None:
        c = self.config
        self.model.load_state_dict(self._initial_state)
        self.model.train()
        params = self.model.parameters()
        self.optimizer = (torch.optim.Adam(params, lr=c.lr) if c.optimizer == "adam"
                          else torch.optim.SGD(params, lr=c.lr))
        self.step_count = 0
        self.elapsed = 0.0
        self.diverged_at: int | None = None
        self.run_id += 1
        self._generator = torch.Generator().manual_seed(self.seeds[0])  # order and augmentation
        self._epoch = 0  # completed epochs
        self._order: torch.Tensor | None = None
        self._position = 0
        self._correct = torch.zeros((), dtype=torch.int64, device=self.device)
        self._seen = 0
        self._history: dict[str, list[float]] = {"step": [], "epoch": [], "train": [], "test": []}
        self._set_lr()
        layers, output = self._host_weights()
        for a in (*layers, output):
            a.setflags(write=False)
        self._initial = (layers, output)
        in_features = layers[0].shape[2] - 1
        self.context = RunContext(c, np.zeros((0, in_features)), np.zeros(0),
                                  tuple(self.activations[i].name for i in self.analysed),
                                  tuple(self.activations[i].multiplicity for i in self.analysed),
                                  self.seeds, self.stds)
        self._pending_steps: list[np.ndarray] = []
        self._pending_losses: list[np.ndarray] = []
        self._last_snapshot: Snapshot | None = None

    def _set_lr(self) -> None:
        c = self.config
        dropped = c.lr_drop_epoch is not None and self._epoch >= c.lr_drop_epoch
        self.lr = c.lr_drop_to if dropped else c.lr
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr

    def _host_weights(self) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
        """Host copies: analysed layers' [W | b] as (1, m, in + 1), and the outgoing-weight norms."""
        fc = self.model.head.layers()
        with torch.no_grad():
            layers = tuple(
                torch.cat([fc[i].weight, fc[i].bias[:, None]], dim=1)[None].cpu().numpy().copy()
                for i in self.analysed
            )
            output = fc[self.analysed[-1] + 1].weight.norm(dim=0)[None].cpu().numpy().copy()
        return layers, output

    # -- publishing ----------------------------------------------------------------------------
    def _extras(self, rate: float) -> dict:
        """Plain numbers (JSON-ready) for progress bars and the accuracy curve.

        epoch: fractional epochs done; total_steps: the budget (None: unbounded); eta_s: seconds left
        at the measured rate, which includes the test evaluations; accuracy: per evaluation, the
        step, epoch, train accuracy (running, over that epoch's mini-batches in training mode) and
        test accuracy; fc_layers: 1-based FC hidden layers held in snapshot.layers."""
        total = self.max_steps
        eta = (total - self.step_count) / rate if total is not None and rate > 0 else None
        return {
            "data": "cifar10",
            "epoch": self.step_count / self.steps_per_epoch,
            "steps_per_epoch": self.steps_per_epoch,
            "total_steps": total,
            "eta_s": eta,
            "lr": self.lr,
            "batch_size": self.batch_size,
            "train_size": self.data.n_train,
            "test_size": self.data.n_test,
            "fc_layers": tuple(i + 1 for i in self.analysed),
            "accuracy": {k: tuple(v) for k, v in self._history.items()},
            "device": str(self.device),
        }

    def _publish(self, finished: bool = False, interrupted: bool = False) -> Snapshot:
        good = self._last_snapshot if self.diverged_at is not None else None
        if good is not None:
            layers, output, step = good.layers, good.output, good.step
        else:
            (layers, output), step = self._host_weights(), self.step_count
        steps = np.concatenate(self._pending_steps) if self._pending_steps else np.zeros(0, np.int64)
        losses = np.concatenate(self._pending_losses) if self._pending_losses else np.zeros((0, 1))
        self._pending_steps, self._pending_losses = [], []
        rate = self.step_count / self.elapsed if self.elapsed > 0 else 0.0
        return self._emit(Snapshot(self.run_id, step, steps, losses, layers, output, self._initial[0],
                                   self._initial[1], self.context, self.elapsed, rate, self.diverged_at,
                                   finished, interrupted, self._extras(rate)))

    # -- training ----------------------------------------------------------------------------------
    def _evaluate_first(self) -> None:
        """Step 0: the initial weights, published at once (no mini-batch loss yet)."""
        self._record(np.zeros(0, np.int64), np.zeros((0, 1)), publish=True)

    def _one_step(self) -> torch.Tensor:
        if self._order is None:
            self._order = torch.randperm(self.data.n_train, generator=self._generator).to(self.device)
            self._position = 0
        idx = self._order[self._position:self._position + self.batch_size]
        self._position += self.batch_size
        x = self.data.prepare(self.data.train_x[idx], self.config.augment, self._generator)
        y = self.data.train_y[idx]
        logits = self.model(x)
        loss = F.cross_entropy(logits, y)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        with torch.no_grad():
            self._correct += (logits.argmax(dim=1) == y).sum()
        self._seen += len(idx)
        return loss.detach()

    def _test_accuracy(self) -> float:
        if self.data.n_test == 0:
            return float("nan")
        self.model.eval()
        correct = torch.zeros((), dtype=torch.int64, device=self.device)
        with torch.no_grad():
            for start in range(0, self.data.n_test, EVAL_BATCH):
                x = self.data.prepare(self.data.test_x[start:start + EVAL_BATCH])
                correct += (self.model(x).argmax(dim=1) == self.data.test_y[start:start + EVAL_BATCH]).sum()
        self.model.train()
        return correct.item() / self.data.n_test

    def _evaluate(self) -> None:
        """Append train and test accuracy at the current step (a host sync, once per epoch)."""
        train = self._correct.item() / self._seen if self._seen else float("nan")
        self._history["step"].append(self.step_count)
        self._history["epoch"].append(self.step_count / self.steps_per_epoch)
        self._history["train"].append(train)
        self._history["test"].append(self._test_accuracy())
        self._correct.zero_()
        self._seen = 0

    def _train(self, count: int, publish: bool = False) -> None:
        """Up to `count` mini-batch updates; returns early when stop, reset, reseed or pause comes in
        (a CPU step can take seconds). Ends of epochs evaluate and publish; so does an early return."""
        c = self._commands
        stepping = c.paused  # a paused trainer runs only on `step k`
        losses = torch.zeros(count, dtype=torch.float64, device=self.device)
        clock = time.perf_counter()
        flushed = done = 0

        def flush(publish_now: bool) -> None:
            nonlocal clock, flushed
            now = time.perf_counter()
            self.elapsed += now - clock
            clock = now
            steps = np.arange(self.step_count - (done - flushed) + 1, self.step_count + 1)
            values = losses[flushed:done].cpu().numpy()[:, None]
            flushed = done
            self._record(steps, values, publish_now)

        while done < count:
            if c.stop or c.reset or c.reseed is not None or (c.paused and not stepping):
                flush(publish_now=not c.stop)
                return
            losses[done] = self._one_step()
            done += 1
            self.step_count += 1
            if self.device.type == "cpu" and not math.isfinite(losses[done - 1].item()):
                flush(publish_now=True)  # on the CPU the value is already there: stop at once
                return
            end_of_epoch = self._position >= self.data.n_train
            if end_of_epoch:
                self._epoch += 1
                self._order = None
                self._set_lr()
            if end_of_epoch or (self._at_budget() and self._seen):
                self._evaluate()
                flush(publish_now=True)
                if self.diverged_at is not None:
                    return
        if flushed < done or publish:
            flush(publish)
