"""Trainer: owns the live arrays, runs the hot loop in a background thread, publishes Snapshots.

Commands (pause, resume, step k, reset, reseed, stop, rate cap) are thread-safe and take effect
between chunks of steps; a chunk is short (at most CHUNK steps or a few milliseconds), so stop
answers quickly. The loop itself does no per-step host work beyond the array operations.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..config import RunConfig
from .activations import get_activation
from .backend import Backend, resolve_backend
from .data import Dataset, make_dataset
from .gradients import NetworkBatch
from .network import Architecture, ParameterLayout, initial_parameters
from .optimizers import make_optimizer
from .snapshot import RunContext, Snapshot

CHUNK = 64  # most steps between two looks at the command state
Listener = Callable[[Snapshot], None]


def build_dataset(config: RunConfig) -> Dataset:
    if config.data == "mnist":  # real files (issue 6); DataFilesError says which and where
        from .datasets import mnist_dataset, resolve_data_dir

        return mnist_dataset(resolve_data_dir(config.data_dir), config.n, config.mnist_target)
    d = config.resolved_data()
    return make_dataset(d["target"], d["input_dim"], d["n"], d["low"], d["high"], config.sampling,
                        config.data_seed)


def build_architecture(config: RunConfig, input_dim: int) -> Architecture:
    acts = tuple(get_activation(name) for name in config.activations)
    return Architecture(input_dim, (config.width,) * config.depth, acts, config.residual)


def _flush_denormals() -> None:
    """Subnormal floats (x^2 tanh at small init) make float math ~5x slower; flush them to zero.

    The flag lives in the CPU's per-thread control register, so it covers NumPy in this thread.
    """
    try:
        import torch

        torch.set_flush_denormal(True)
    except Exception:  # pragma: no cover - CPUs without FTZ/DAZ keep working, only slower
        pass


def _joined(parts: list[np.ndarray], empty: np.ndarray) -> np.ndarray:
    """The pieces end to end; one piece (a snapshot per chunk) is taken as it is."""
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else empty


@dataclass
class _Commands:
    paused: bool = False
    pending_steps: int = 0
    reset: bool = False
    reseed: tuple[int, ...] | None = None
    stop: bool = False
    max_rate: float | None = None  # steps per second; None = as fast as possible
    snapshot_every: int | None = None  # overrides config.snapshot_every while set


class Trainer:
    def __init__(self, config: RunConfig, seeds: Sequence[int] | None = None,
                 stds: Sequence[float] | None = None, max_steps: int | None = -1,
                 backend: Backend | None = None):
        """max_steps: -1 = config.steps, None = no limit (the TUI trains on past the budget)."""
        self.config = config
        self.seeds = tuple(seeds) if seeds is not None else (config.seed,)
        self.stds = tuple(stds) if stds is not None else (config.std,) * len(self.seeds)
        if len(self.stds) != len(self.seeds):
            raise ValueError("give one init std per seed")
        self.max_steps = config.steps if max_steps == -1 else max_steps
        self.backend = backend or resolve_backend(config.device, config.dtype)
        self.dataset = build_dataset(config)
        self.arch = build_architecture(config, self.dataset.input_dim)
        self.replicas = len(self.seeds)
        self.batch = NetworkBatch(self.arch, self.backend, self.dataset.with_bias(), self.dataset.y,
                                  self.replicas, config.loss_scale)
        self.layout: ParameterLayout = self.batch.layout
        self.optimizer = make_optimizer(config.optimizer, self.backend, self.layout.size, config.lr)
        self._init_control()
        self._start_run(self.seeds)

    def _init_control(self) -> None:
        """Command state, listeners and thread bookkeeping shared by every trainer."""
        self._commands = _Commands()
        self._cond = threading.Condition()
        self._listeners: list[Listener] = []
        self._thread: threading.Thread | None = None
        self.latest: Snapshot | None = None
        self._exit_when_done = False
        self.run_id = 0

    @property
    def total_steps(self) -> int | None:
        """The step budget (None: unbounded), for progress bars and ETAs."""
        return self.max_steps

    # -- state -----------------------------------------------------------------------------------
    def _start_run(self, seeds: tuple[int, ...]) -> None:
        self.seeds = seeds
        self.initial_flat = initial_parameters(self.layout, np.asarray(self.stds), list(seeds))
        self._restart()

    def _restart(self) -> None:
        self.batch.load(self.initial_flat)
        self.optimizer.reset()
        self.step_count = 0
        self.elapsed = 0.0
        self.diverged_at: int | None = None
        self.run_id += 1
        init_w, init_a = self.layout.views(self.initial_flat)
        self._initial = (tuple(np.array(w, copy=True) for w in init_w), np.array(init_a, copy=True))
        for a in (*self._initial[0], self._initial[1]):
            a.setflags(write=False)
        acts = self.arch.activations
        self.context = RunContext(self.config, self.dataset.x, self.dataset.y,
                                  tuple(a.name for a in acts), tuple(a.multiplicity for a in acts),
                                  self.seeds, self.stds)
        self._pending_steps: list[np.ndarray] = []
        self._pending_losses: list[np.ndarray] = []
        self._last_snapshot: Snapshot | None = None

    # -- consumers -------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """listener(snapshot) runs on the training thread: keep it short (store or enqueue)."""
        self._listeners.append(listener)

    def _publish(self, finished: bool = False, interrupted: bool = False) -> Snapshot:
        b = self.backend
        if self.diverged_at is not None and self._last_snapshot is not None:
            good = self._last_snapshot
            layers, output, step = good.layers, good.output, good.step
        else:  # also a run whose very first loss is not finite: its weights are the initial ones
            layers = tuple(b.to_numpy(w) for w in self.batch.weights)
            output = b.to_numpy(self.batch.output)
            step = self.step_count
        steps = _joined(self._pending_steps, np.zeros(0, int))
        losses = _joined(self._pending_losses, np.zeros((0, self.replicas)))
        self._pending_steps, self._pending_losses = [], []
        rate = self.step_count / self.elapsed if self.elapsed > 0 else 0.0
        return self._emit(Snapshot(self.run_id, step, steps, losses, layers, output, self._initial[0],
                                   self._initial[1], self.context, self.elapsed, rate, self.diverged_at,
                                   finished, interrupted))

    def _emit(self, snap: Snapshot) -> Snapshot:
        """Hand a new snapshot to every listener; keep it as the last finite one unless diverged."""
        if self.diverged_at is None:
            self._last_snapshot = snap
        self.latest = snap
        for listener in self._listeners:
            listener(snap)
        return snap

    # -- commands (any thread) ------------------------------------------------------------------
    def _command(self, **changes: object) -> None:
        with self._cond:
            for key, value in changes.items():
                setattr(self._commands, key, value)
            self._cond.notify_all()

    def pause(self) -> None:
        self._command(paused=True)

    def resume(self) -> None:
        self._command(paused=False)

    def toggle_pause(self) -> None:
        with self._cond:
            self._commands.paused = not self._commands.paused
            self._cond.notify_all()

    @property
    def paused(self) -> bool:
        return self._commands.paused

    def step(self, k: int = 1) -> None:
        with self._cond:
            self._commands.pending_steps += k
            self._cond.notify_all()

    def reset(self) -> None:
        """Back to step 0 with the same initial weights."""
        self._command(reset=True)

    def reseed(self, seeds: Sequence[int] | None = None) -> None:
        """New initial weights: the next seeds, or the ones given."""
        new = tuple(seeds) if seeds is not None else tuple(s + self.replicas for s in self.seeds)
        self._command(reseed=new)

    def set_max_rate(self, steps_per_second: float | None) -> None:
        self._command(max_rate=steps_per_second)

    @property
    def max_rate(self) -> float | None:
        return self._commands.max_rate

    def set_snapshot_every(self, every: int | None) -> None:
        """Publish every `every` steps from now on (None: config.snapshot_every). A throttled run
        (the TUI at a watching pace) publishes more often than the config's cadence, which is sized
        for full speed."""
        if every is not None and every < 1:
            raise ValueError("snapshot cadence must be at least 1 step")
        self._command(snapshot_every=every)

    def _snapshot_every(self) -> int:
        return self._commands.snapshot_every or self.config.snapshot_every

    def stop(self, timeout: float = 1.0) -> None:
        self._command(stop=True)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the loop ----------------------------------------------------------------------------------
    def start(self, paused: bool = False, exit_when_done: bool = False) -> "Trainer":
        """Train in a background thread. exit_when_done: end the thread at the budget or on
        divergence (headless); otherwise it waits for commands (reset, reseed, stop)."""
        self._commands.paused = paused
        self._exit_when_done = exit_when_done
        self._thread = threading.Thread(target=self._loop, name="condense-trainer", daemon=True)
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> Snapshot:
        """Train in the calling thread until the budget, divergence or stop; return the last snapshot."""
        self._exit_when_done = True
        self._loop()
        assert self.latest is not None
        return self.latest

    def _at_budget(self) -> bool:
        return self.max_steps is not None and self.step_count >= self.max_steps

    def _loop(self) -> None:
        _flush_denormals()
        with np.errstate(all="ignore"):  # overflow is expected in a diverging run; _record handles it
            self._loop_body()

    def _loop_body(self) -> None:
        self._evaluate_first()
        while True:
            with self._cond:
                c = self._commands
                done = self.diverged_at is not None or self._at_budget()
                while not c.stop and not c.reset and c.reseed is None and (
                    done or (c.paused and c.pending_steps == 0)
                ):
                    if done and self._exit_when_done:
                        break
                    self._cond.wait()
                if c.stop or (done and self._exit_when_done):
                    break
                if c.reset or c.reseed is not None:
                    seeds, c.reset, c.reseed = c.reseed, False, None
                    c.pending_steps = 0
                    if seeds is not None:
                        self._start_run(seeds)
                    else:
                        self._restart()
                    self._evaluate_first()
                    continue
                stepping = c.paused
                chunk = min(CHUNK, c.pending_steps) if stepping else CHUNK
                rate = c.max_rate
                every = c.snapshot_every or self.config.snapshot_every
            if self.max_steps is not None:
                chunk = min(chunk, self.max_steps - self.step_count)
            chunk = min(chunk, every - self.step_count % every)  # land on every snapshot step
            if rate is not None and rate > 0:
                chunk = max(1, min(chunk, int(rate * 0.05)))  # ~20 chunks a second when capped
            started = time.perf_counter()
            with self._cond:
                if stepping:
                    self._commands.pending_steps = max(0, self._commands.pending_steps - chunk)
                    last_single = self._commands.pending_steps == 0
                else:
                    last_single = False
            self._train(chunk, publish=last_single)
            if rate is not None and rate > 0:
                wait = chunk / rate - (time.perf_counter() - started)
                if wait > 0:
                    with self._cond:
                        self._cond.wait_for(lambda: self._commands.stop or self._commands.reset
                                            or self._commands.reseed is not None
                                            or self._commands.paused, timeout=wait)
        if self.latest is None or not self.latest.finished:
            self._publish(finished=True, interrupted=not self._at_budget())

    def _evaluate_first(self) -> None:
        """Loss and gradient of the initial weights: step 0, published at once."""
        loss = self.batch.loss_and_gradient()
        self._record(np.zeros(1, dtype=np.int64), self.backend.to_numpy(loss)[None, :], publish=True)

    def _train(self, count: int, publish: bool = False) -> None:
        """`count` updates. After each, the new weights' loss and gradient are computed and the
        loss recorded under the new step, so a snapshot at step s holds the weights and loss of s."""
        # Bound once: the loop body is two calls and one device-side copy of K losses.
        apply, evaluate = self.optimizer.apply, self.batch.loss_and_gradient
        params, grad = self.batch.flat, self.batch.grad
        started = time.perf_counter()
        losses = self.backend.zeros(count, self.replicas)
        for i in range(count):
            apply(params, grad)
            losses[i] = evaluate()
        self.elapsed += time.perf_counter() - started
        first = self.step_count + 1
        self.step_count += count
        self._record(np.arange(first, first + count), self.backend.to_numpy(losses), publish)

    def _record(self, steps: np.ndarray, losses: np.ndarray, publish: bool) -> None:
        # One reduction per chunk; the row search only when something is off (a sum of huge
        # finite losses can overflow, so a non-finite sum is a hint, not the verdict).
        bad = None if math.isfinite(losses.sum()) else ~np.isfinite(losses).all(axis=1)
        if bad is not None and bad.any():
            j = int(np.argmax(bad))
            self.diverged_at = int(steps[j])
            self.step_count = self.diverged_at  # the steps after it in this chunk do not count
            self._pending_steps.append(steps[:j])
            self._pending_losses.append(losses[:j])
            self._publish(finished=True)
            return
        self._pending_steps.append(steps)
        self._pending_losses.append(losses)
        at_budget = self._at_budget()
        if publish or at_budget or self.step_count % self._snapshot_every() == 0:
            self._publish(finished=at_budget)


def make_trainer(config: RunConfig, **kwargs: object) -> Trainer:
    """The trainer for config.data: the MLP engine, or for cifar10 the deep trainer (conv backbone +
    FC head, engine/deep), which has the same interface. kwargs as for Trainer."""
    if config.data == "cifar10":
        from .deep.trainer import DeepTrainer

        return DeepTrainer(config, **kwargs)  # type: ignore[arg-type]
    return Trainer(config, **kwargs)  # type: ignore[arg-type]
