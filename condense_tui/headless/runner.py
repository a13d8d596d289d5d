"""A headless run: the trainer in its thread, snapshots consumed here, in the main thread.

stdout gets JSON Lines only (one record per logged step, then the summary), flushed per record;
the run store gets the same records as they come. SIGINT and SIGTERM stop the trainer; the steps
it completed are still written, and the summary says the run was interrupted.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from ..analysis.expectation import evaluate, required_steps
from ..config import RunConfig
from .jsonsafe import dumps
from .progress import Progress
from .records import step_records, summary_record
from .store import RunStore, StoreError

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERRUPTED = 0, 2, 3, 130
POLL_S = 0.05  # how often the main thread looks at the signal flag while waiting for snapshots
# Snapshots waiting to be written. Analysing one costs more than training ten steps, so without a
# bound a long run would pile up snapshots (memory, and a long drain after Ctrl-C); when full,
# the training thread waits: a headless run trains no faster than it can record.
BACKLOG = 32
# Overrides that keep the preset's experiment (and so its expectation): which draw, how long, how
# often to look, where to compute. Any other flag changes the setup the paper's statement is about.
KEEPS_EXPECTATION = frozenset({"seed", "data_seed", "steps", "snapshot_every", "log_every", "device",
                               "dtype"})


class BadInput(ValueError):
    """The run cannot start; the message is one line for the user."""


def prepare(config: RunConfig, out: Path | None, force: bool) -> tuple[Any, RunStore | None]:
    """Build the trainer and open the run store, or raise BadInput before anything is written."""
    from ..engine import trainer as engine  # the engine loads lazily: `--help` stays instant

    try:
        trainer = engine.make_trainer(config)
    except ValueError as err:  # DeviceUnavailable, a target not finite on its domain
        raise BadInput(str(err)) from None
    try:
        store = RunStore(out, config, force) if out is not None else None
    except StoreError as err:
        raise BadInput(str(err)) from None
    return trainer, store


class _Signals:
    """SIGINT/SIGTERM set a flag the main loop reads (a second one stops at once); the previous
    handlers come back on exit."""

    def __init__(self) -> None:
        self.caught: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> "_Signals":
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:  # noqa: ARG002 - signal API
        if self.caught is not None:  # asked twice: stop now, without the summary
            raise KeyboardInterrupt
        self.caught = signum

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


class HeadlessRun:
    def __init__(self, config: RunConfig, trainer: Any, store: RunStore | None, *, quiet: bool = False,
                 plot: bool = False, overrides: dict[str, Any] | None = None,
                 stdout: TextIO | None = None, stderr: TextIO | None = None):
        self.config, self.trainer, self.store = config, trainer, store
        self.overrides = dict(overrides or {})
        self.quiet, self.plot = quiet, plot
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._stdout_open = True
        self.wanted_steps = required_steps(config.expect, config.watch_step)
        self.watched: dict[int, Any] = {}
        self.analysed: set[int] = set()
        self.last_good = None  # newest snapshot whose weights and analysis were reported
        self.last = None
        self.diverged_at: int | None = None
        self.loss_steps: list[np.ndarray] = []
        self.losses: list[np.ndarray] = []

    # -- output ----------------------------------------------------------------------------------
    def _emit(self, record: dict[str, Any]) -> None:
        line = dumps(record)
        if self._stdout_open:
            try:
                self.stdout.write(line + "\n")
                self.stdout.flush()
            except BrokenPipeError:  # the reader went away (`| head`): stop, keep the run store
                self._stdout_open = False
                self.trainer.stop(timeout=0)
        if self.store is not None:
            self.store.append(record)

    def _say(self, text: str) -> None:
        self.stderr.write(f"condense-tui: {text}\n")
        self.stderr.flush()

    # -- the run ---------------------------------------------------------------------------------
    def _consume(self, snapshot: Any) -> None:
        self.last = snapshot
        if snapshot.diverged_at is not None:
            self.diverged_at = snapshot.diverged_at
        # the snapshot's weights belong to its step only when that step is its newest loss
        steps = snapshot.loss_steps
        analysed = (snapshot.diverged_at is None and snapshot.step not in self.analysed
                    and len(steps) > 0 and int(steps[-1]) == snapshot.step)
        for record in step_records(snapshot, self.config.log_every, analysed):
            self._emit(record)
        if len(steps):
            self.loss_steps.append(steps)
            self.losses.append(snapshot.losses[:, 0])
            self.progress.update(int(steps[-1]), float(snapshot.losses[-1, 0]))
        if analysed:
            self.analysed.add(snapshot.step)
            self.last_good = snapshot
            if snapshot.step in self.wanted_steps:
                self.watched[snapshot.step] = snapshot
            if self.store is not None:
                self.store.add_snapshot(snapshot)

    def run(self) -> int:
        label = self.config.name or "run"
        inbox: "queue.Queue[Any]" = queue.Queue(maxsize=BACKLOG)
        self.trainer.subscribe(inbox.put)
        self.progress = Progress(self.trainer.total_steps or self.config.steps, label, enabled=not self.quiet,
                                 stream=self.stderr)
        finished = None
        with _Signals() as signals:
            self.trainer.start(exit_when_done=True)
            stop_sent = False
            while finished is None:
                if signals.caught is not None and not stop_sent:
                    self.trainer.stop(timeout=0)
                    stop_sent = True
                try:
                    snapshot = inbox.get(timeout=POLL_S)
                except queue.Empty:
                    if not self.trainer.running and inbox.empty():
                        break  # the thread ended without a final snapshot (it raised)
                    continue
                self._consume(snapshot)
                if snapshot.finished:
                    finished = snapshot
            self.trainer.join(1.0)
            interrupted = signals.caught is not None or not self._stdout_open or (
                finished is not None and finished.interrupted)
            return self._finish(finished, interrupted)

    def _finish(self, finished: Any, interrupted: bool) -> int:
        self.progress.close()
        if finished is None and not interrupted:
            self._say("error: the training thread stopped without finishing; see the message above")
            code = 1
        else:
            code = (EXIT_INTERRUPTED if interrupted else EXIT_DIVERGED if self.diverged_at is not None
                    else EXIT_OK)
        changed = sorted(set(self.overrides) - KEEPS_EXPECTATION)
        if changed and self.config.expect:
            verdict = {"met": None, "checks": [], "reason": "the command line changed the preset's "
                       f"setup ({', '.join(changed)}), so its expectation does not apply"}
        else:
            verdict = evaluate(self.config.expect, self.config.watch_step, self.watched)
        last_step = int(self.loss_steps[-1][-1]) if self.loss_steps else None
        summary = summary_record(self.config, self.last_good, self.last, self.watched, verdict,
                                 diverged_at=self.diverged_at, interrupted=interrupted,
                                 last_step=last_step, exit_code=code, overrides=self.overrides,
                                 budget=self.trainer.total_steps)
        self._emit(summary)
        if self.store is not None:
            self.store.finish(summary)
        if self.diverged_at == 0:
            self._say("the loss at step 0 is not finite, so there is nothing to train; try a smaller "
                      "target or --dtype float64")
        elif self.diverged_at is not None:
            self._say(f"run diverged at step {self.diverged_at} (loss not finite); steps 0 to "
                      f"{self.diverged_at - 1} are kept; try a smaller --lr or --init-std")
        elif interrupted:
            self._say(f"interrupted at step {last_step}; every completed step is written")
        if self.plot and self.last_good is not None:
            color = self.stderr.isatty() and not os.environ.get("NO_COLOR")  # no-color.org: non-empty disables
            from .charts import final_charts

            self.stderr.write(final_charts(self.last_good, np.concatenate(self.loss_steps),
                                           np.concatenate(self.losses), color))
            self.stderr.flush()
        return code


def run_headless(config: RunConfig, *, out: Path | None = None, force: bool = False, quiet: bool = False,
                 plot: bool = False, overrides: dict[str, Any] | None = None) -> int:
    """Run to the end (or to a signal); returns the exit code. Raises BadInput before starting.

    overrides: the settings the command line changed from the preset (reported in the summary)."""
    trainer, store = prepare(config, out, force)
    return HeadlessRun(config, trainer, store, quiet=quiet, plot=plot, overrides=overrides).run()
