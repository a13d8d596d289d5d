"""RunController: one run of a TrainableModel in a background thread, published as Snapshots.

Commands (pause, resume, step k, reset, reseed, stop, rate cap, snapshot cadence) are thread-safe
and take effect between chunks of updates; a chunk is short (at most CHUNK updates, fewer under a
rate cap, cut at snapshot steps and at the model's epoch ends), so stop answers quickly. A run stops
at its first non-finite loss and keeps the weights of its last finite snapshot.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .model import TrainableModel
from .snapshot import RunContext, Snapshot

CHUNK = 64  # most updates between two looks at the command state
Listener = Callable[[Snapshot], None]


def flush_denormals() -> None:
    """Subnormal floats (x^2 tanh at small init) make float math ~5x slower; flush them to zero.

    The flag lives in the CPU's per-thread control register, so it covers NumPy in this thread.
    """
    with contextlib.suppress(Exception):  # no torch, no FTZ/DAZ: everything works, only slower
        import torch

        torch.set_flush_denormal(True)


def _joined(parts: list[np.ndarray], empty: np.ndarray) -> np.ndarray:
    """The pieces end to end; one piece (a snapshot per chunk) is taken as it is."""
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else empty


def _first_non_finite(losses: np.ndarray) -> int | None:
    """Row of the first non-finite loss. One reduction per chunk; the row search only when the sum
    is off (a sum of huge finite losses can overflow, so it is a hint, not the verdict)."""
    if math.isfinite(losses.sum()):
        return None
    bad = ~np.isfinite(losses).all(axis=1)
    return int(np.argmax(bad)) if bad.any() else None


@dataclass
class _Commands:
    paused: bool = False
    pending_steps: int = 0
    reset: bool = False
    reseed: tuple[int, ...] | None = None
    stop: bool = False
    max_rate: float | None = None  # steps per second; None = as fast as possible
    snapshot_every: int | None = None  # overrides the run's cadence while set


class RunController:
    def __init__(self, model: TrainableModel, *, max_steps: int | None, snapshot_every: int,
                 config: object = None):
        """max_steps: the step budget (None: no limit, the TUI trains on past it); snapshot_every:
        publish every that many steps; config: the composer's description of the run, carried
        unread into every RunContext for the consumers."""
        self.model = model
        self.max_steps = max_steps
        self.snapshot_every = snapshot_every
        self.config = config
        self._commands = _Commands()
        self._cond = threading.Condition()
        self._listeners: list[Listener] = []
        self._thread: threading.Thread | None = None
        self._exit_when_done = False
        self.latest: Snapshot | None = None
        self.run_id = 0
        self._begin_run()

    @property
    def seeds(self) -> tuple[int, ...]:
        return self.model.seeds

    @property
    def stds(self) -> tuple[float, ...]:
        return self.model.stds

    @property
    def replicas(self) -> int:
        return self.model.replicas

    @property
    def total_steps(self) -> int | None:
        """The step budget (None: unbounded), for progress bars and ETAs."""
        return self.max_steps

    def _begin_run(self) -> None:
        """Bookkeeping of a new run (the model already holds its step-0 weights)."""
        self.step_count = 0
        self.elapsed = 0.0
        self.diverged_at: int | None = None
        self.run_id += 1
        self._initial = self.model.initial_weights()
        acts = self.model.activations
        self.context = RunContext(self.config, self.model.inputs, self.model.targets,
                                  tuple(a.name for a in acts), tuple(a.multiplicity for a in acts),
                                  self.model.seeds, self.model.stds)
        self._pending_steps: list[np.ndarray] = []
        self._pending_losses: list[np.ndarray] = []
        self._last_snapshot: Snapshot | None = None

    # -- consumers -------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """listener(snapshot) runs on the training thread: keep it short (store or enqueue)."""
        self._listeners.append(listener)

    def _publish(self, finished: bool = False, interrupted: bool = False) -> Snapshot:
        if self.diverged_at is not None and self._last_snapshot is not None:
            good = self._last_snapshot
            (layers, output), step = (good.layers, good.output), good.step
        else:  # also a run whose very first loss is not finite: its weights are the initial ones
            (layers, output), step = self.model.weights(), self.step_count
        steps = _joined(self._pending_steps, np.zeros(0, np.int64))
        losses = _joined(self._pending_losses, np.zeros((0, self.replicas)))
        self._pending_steps, self._pending_losses = [], []
        rate = self.step_count / self.elapsed if self.elapsed > 0 else 0.0
        snap = Snapshot(self.run_id, step, steps, losses, layers, output, self._initial[0],
                        self._initial[1], self.context, self.elapsed, rate, self.diverged_at,
                        finished, interrupted, self.model.extras(self.step_count, self.max_steps, rate))
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
        """Queue k updates; they run even while paused (stepping), then the run waits again."""
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
        """Publish every `every` steps from now on (None: the run's own cadence). A throttled run
        (the TUI at a watching pace) publishes more often than a cadence sized for full speed."""
        if every is not None and every < 1:
            raise ValueError("snapshot cadence must be at least 1 step")
        self._command(snapshot_every=every)

    def stop(self, timeout: float = 1.0) -> None:
        self._command(stop=True)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- running ---------------------------------------------------------------------------------
    def start(self, paused: bool = False, exit_when_done: bool = False) -> RunController:
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
        flush_denormals()
        with np.errstate(all="ignore"):  # overflow is expected in a diverging run; _record handles it
            self._command_loop()
            if self.latest is None or not self.latest.finished:
                self._publish(finished=True, interrupted=not self._at_budget())

    def _command_loop(self) -> None:
        self._record_initial()
        c = self._commands
        while True:
            with self._cond:
                done = self.diverged_at is not None or self._at_budget()
                while not c.stop and not c.reset and c.reseed is None and (
                    done or (c.paused and c.pending_steps == 0)
                ):
                    if done and self._exit_when_done:
                        break
                    self._cond.wait()
                if c.stop or (done and self._exit_when_done):
                    return
                if c.reset or c.reseed is not None:
                    seeds, c.reset, c.reseed, c.pending_steps = c.reseed, False, None, 0
                    self.model.restart(seeds)
                    self._begin_run()
                    self._record_initial()
                    continue
                stepping = c.paused
                chunk = min(CHUNK, c.pending_steps) if stepping else CHUNK
                rate = c.max_rate
                every = c.snapshot_every or self.snapshot_every
                chunk = self._chunk_size(chunk, every, rate)
                if stepping:
                    c.pending_steps = max(0, c.pending_steps - chunk)
                last_single = stepping and c.pending_steps == 0
            started = time.perf_counter()
            self._train(chunk, stepping, publish=last_single)
            if rate is not None and rate > 0:
                wait = chunk / rate - (time.perf_counter() - started)
                if wait > 0:
                    with self._cond:
                        self._cond.wait_for(lambda: c.stop or c.reset or c.reseed is not None or c.paused,
                                            timeout=wait)

    def _chunk_size(self, chunk: int, every: int, rate: float | None) -> int:
        if self.max_steps is not None:
            chunk = min(chunk, self.max_steps - self.step_count)
        chunk = min(chunk, every - self.step_count % every)  # land on every snapshot step
        boundary = self.model.steps_to_boundary()
        if boundary is not None:
            chunk = min(chunk, boundary)
        if rate is not None and rate > 0:
            chunk = max(1, min(chunk, int(rate * 0.05)))  # ~20 chunks a second when capped
        return chunk

    def _record_initial(self) -> None:
        """Step 0: the initial weights (and their loss when the model knows it), published at once."""
        losses = self.model.initial_losses()
        self._record(np.zeros(len(losses), np.int64), losses, True, _first_non_finite(losses))

    def _train(self, count: int, stepping: bool, publish: bool) -> None:
        c = self._commands
        boundary = self.model.steps_to_boundary()
        started = time.perf_counter()
        losses = self.model.train(
            count, lambda: c.stop or c.reset or c.reseed is not None or (c.paused and not stepping))
        done = len(losses)
        first = self.step_count + 1
        self.step_count += done
        bad = _first_non_finite(losses)
        at_boundary = boundary is not None and done == boundary
        if bad is None and done == count and (at_boundary or self._at_budget()):
            self.model.measure(self.step_count)
        self.elapsed += time.perf_counter() - started
        cut_short = done < count and not c.stop  # paused, reset or reseed mid-chunk: show where it is
        self._record(np.arange(first, first + done), losses, publish or at_boundary or cut_short, bad)

    def _record(self, steps: np.ndarray, losses: np.ndarray, publish: bool, bad: int | None) -> None:
        """Keep the losses for the next snapshot and publish when due; bad: the row of the first
        non-finite loss, which ends the run there."""
        if bad is not None:
            self.diverged_at = int(steps[bad])
            self.step_count = self.diverged_at  # the steps after it in this chunk do not count
            self._pending_steps.append(steps[:bad])
            self._pending_losses.append(losses[:bad])
            self._publish(finished=True)
            return
        self._pending_steps.append(steps)
        self._pending_losses.append(losses)
        at_budget = self._at_budget()
        every = self._commands.snapshot_every or self.snapshot_every
        if publish or at_budget or self.step_count % every == 0:
            self._publish(finished=at_budget)
