"""RunController: one run of a TrainableModel in a background thread, published as Snapshots.

Commands (pause, resume, step k, reset, reseed, stop, rate cap, snapshot cadence; engine.commands)
are thread-safe and take effect between chunks of updates; a chunk is short (at most CHUNK updates,
fewer under a rate cap, cut at snapshot steps and at the model's epoch ends), so stop answers
quickly. A run stops at its first non-finite loss and keeps the weights of its last finite snapshot.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence

import numpy as np

from .commands import Commands
from .denormals import flush_denormals
from .model import TrainableModel
from .publisher import Listener, Publisher
from .snapshot import RunContext, Snapshot


def _first_non_finite(losses: np.ndarray) -> int | None:
    """Row of the first non-finite loss. One reduction per chunk; the row search only when the sum
    is off (a sum of huge finite losses can overflow, so it is a hint, not the verdict)."""
    if math.isfinite(losses.sum()):
        return None
    bad = ~np.isfinite(losses).all(axis=1)
    return int(np.argmax(bad)) if bad.any() else None


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
        self._commands = Commands()
        self._publisher = Publisher()
        self._thread: threading.Thread | None = None
        self._exit_when_done = False
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
        acts = self.model.activations
        self.context = RunContext(self.config, self.model.inputs, self.model.targets,
                                  tuple(a.name for a in acts), tuple(a.multiplicity for a in acts),
                                  self.model.seeds, self.model.stds)
        self._publisher.begin(self.run_id, self.context, self.model.initial_weights())

    # -- consumers -------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """listener(snapshot) runs on the training thread: keep it short (store or enqueue)."""
        self._publisher.listeners.append(listener)

    @property
    def latest(self) -> Snapshot | None:
        """The newest snapshot published (None before the run starts)."""
        return self._publisher.latest

    def _publish(self, finished: bool = False, interrupted: bool = False) -> Snapshot:
        return self._publisher.publish(self.model, self.step_count, self.elapsed, self.diverged_at,
                                       self.max_steps, finished, interrupted)

    # -- commands (any thread) ------------------------------------------------------------------
    def pause(self) -> None:
        self._commands.update(paused=True)

    def resume(self) -> None:
        self._commands.update(paused=False)

    def toggle_pause(self) -> None:
        self._commands.toggle_pause()

    @property
    def paused(self) -> bool:
        return self._commands.paused

    def step(self, k: int = 1) -> None:
        """Queue k updates; they run even while paused (stepping), then the run waits again."""
        self._commands.queue_steps(k)

    def reset(self) -> None:
        """Back to step 0 with the same initial weights."""
        self._commands.update(reset=True)

    def reseed(self, seeds: Sequence[int] | None = None) -> None:
        """New initial weights: the next seeds, or the ones given."""
        new = tuple(seeds) if seeds is not None else tuple(s + self.replicas for s in self.seeds)
        self._commands.update(reseed=new)

    def set_max_rate(self, steps_per_second: float | None) -> None:
        self._commands.update(max_rate=steps_per_second)

    @property
    def max_rate(self) -> float | None:
        return self._commands.max_rate

    def set_snapshot_every(self, every: int | None) -> None:
        """Publish every `every` steps from now on (None: the run's own cadence). A throttled run
        (the TUI at a watching pace) publishes more often than a cadence sized for full speed."""
        if every is not None and every < 1:
            raise ValueError("snapshot cadence must be at least 1 step")
        self._commands.update(snapshot_every=every)

    def _snapshot_every(self) -> int:
        return self._commands.snapshot_every or self.snapshot_every

    def stop(self, timeout: float = 1.0) -> None:
        self._commands.update(stop=True)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- running ---------------------------------------------------------------------------------
    def start(self, paused: bool = False, exit_when_done: bool = False) -> RunController:
        """Train in a background thread. exit_when_done: end the thread at the budget or on
        divergence (headless); otherwise it waits for commands (reset, reseed, stop)."""
        self._commands.update(paused=paused)
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
        while True:
            done = self.diverged_at is not None or self._at_budget()
            order = self._commands.next_order(done, self._exit_when_done, self._chunk_size)
            if order.stop:
                return
            if order.restart:
                self.model.restart(order.seeds)
                self._begin_run()
                self._record_initial()
                continue
            started = time.perf_counter()
            self._train(order.steps, order.stepping, publish=order.last_queued)
            if order.rate is not None and order.rate > 0:
                wait = order.steps / order.rate - (time.perf_counter() - started)
                if wait > 0:
                    self._commands.rest(wait)

    def _chunk_size(self, chunk: int, rate: float | None) -> int:
        """At most `chunk` updates, ending at the budget, the next snapshot step or epoch end, and
        about 1/20 s of updates under a rate cap."""
        every = self._snapshot_every()
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
        commands = self._commands
        boundary = self.model.steps_to_boundary()
        started = time.perf_counter()
        losses = self.model.train(count, lambda: commands.interrupted(stepping))
        done = len(losses)
        first = self.step_count + 1
        self.step_count += done
        bad = _first_non_finite(losses)
        at_boundary = boundary is not None and done == boundary
        if bad is None and done == count and (at_boundary or self._at_budget()):
            self.model.measure(self.step_count)
        self.elapsed += time.perf_counter() - started
        cut_short = done < count and not commands.stop  # paused, reset or reseed mid-chunk: show where it is
        self._record(np.arange(first, first + done), losses, publish or at_boundary or cut_short, bad)

    def _record(self, steps: np.ndarray, losses: np.ndarray, publish: bool, bad: int | None) -> None:
        """Keep the losses for the next snapshot and publish when due; bad: the row of the first
        non-finite loss, which ends the run there."""
        if bad is not None:
            self.diverged_at = int(steps[bad])
            self.step_count = self.diverged_at  # the steps after it in this chunk do not count
            self._publisher.add(steps[:bad], losses[:bad])
            self._publish(finished=True)
            return
        self._publisher.add(steps, losses)
        at_budget = self._at_budget()
        if publish or at_budget or self.step_count % self._snapshot_every() == 0:
            self._publish(finished=at_budget)
