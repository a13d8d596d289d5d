"""A headless run: the trainer in its thread, snapshots consumed here, in the main thread.

Each record goes to the run store first, then to stdout (JSON Lines, from a writer thread, see
output.py). SIGINT, SIGTERM and SIGHUP stop the trainer; so do a full disk, an unwritable stdout
and a reader that goes away. Whatever stops it, the completed steps are kept and the summary
says what happened (exit codes: EXIT_* below, documented in docs/readme/store.md).
"""

from __future__ import annotations

import os
import queue
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from ..analysis.directions import TOLERANCE, DirectionWatch
from ..analysis.expectation import evaluate, required_steps
from ..analysis.report import analysis_of
from ..config import RunConfig
from ..store import RunStore, StoreError
from ..store.jsonsafe import dumps
from .losses import LossHistory
from .output import SafeStderr, StdoutPipe
from .progress import Progress
from .records import step_records, summary_record
from .signals import Signals

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_IO, EXIT_INTERRUPTED = 0, 1, 2, 3, 74, 130
POLL_S = 0.05  # how often the main thread looks at the signal flag while waiting for snapshots
STDOUT_DRAIN_S = 0.25  # after a signal or a fault: how long the last lines may wait for stdout
# Snapshots waiting to be written. Analysing one costs more than training ten steps, so without a
# bound a long run would pile up snapshots (memory, and a long drain after Ctrl-C); when full,
# the training thread waits: a headless run trains no faster than it can record.
BACKLOG = 32
# Overrides that keep the preset's experiment (and so its expectation): which draw, how long, how
# often to look, where to compute. Any other flag changes the setup the paper's statement is about.
KEEPS_EXPECTATION = frozenset({"seed", "data_seed", "steps", "snapshot_every", "log_every", "device", "max_memory",
                               "dtype", "backend"})


class BadInput(ValueError):
    """The run cannot start; the message is one line for the user."""


def build_trainer(config: RunConfig) -> Any:
    """The training controller for `config`: the one place the headless face builds it."""
    from ..runs import build_controller  # the engine loads lazily: `--help` stays instant

    return build_controller(config)


def prepare(config: RunConfig, out: Path | None, force: bool) -> tuple[Any, RunStore | None]:
    """Build the trainer and open the run store, or raise BadInput before anything is written."""
    try:
        trainer = build_trainer(config)
    except ValueError as err:  # DeviceUnavailable, a target not finite on its domain
        raise BadInput(str(err)) from None
    try:
        store = RunStore(out, config, force) if out is not None else None
    except StoreError as err:
        raise BadInput(str(err)) from None
    return trainer, store


class HeadlessRun:
    def __init__(self, config: RunConfig, trainer: Any, store: RunStore | None, *, quiet: bool = False,
                 plot: bool = False, overrides: dict[str, Any] | None = None,
                 stdout: TextIO | None = None, stderr: TextIO | None = None):
        self.config, self.trainer, self.store = config, trainer, store
        self.overrides = dict(overrides or {})
        self.quiet, self.plot = quiet, plot
        self.stdout = StdoutPipe(stdout if stdout is not None else sys.stdout)
        self.stderr = SafeStderr(stderr if stderr is not None else sys.stderr)
        self.signals = Signals()
        self.store_error: OSError | None = None
        self.wanted_steps = required_steps(config.expect, config.watch_step)
        self.watched: dict[int, Any] = {}
        self.analysed_step: int | None = None  # steps are analysed in increasing order
        self.last_good = None  # newest snapshot whose weights and analysis were reported
        self.last = None
        self.directions = DirectionWatch(config.expect.get("max_direction_error", TOLERANCE))
        self.diverged_at: int | None = None
        self.last_step: int | None = None
        self.loss_curve = LossHistory() if plot else None

    # -- output: the store first, then stdout -----------------------------------------------------
    def _store(self, method: str, *args: Any) -> None:
        if self.store is None or self.store_error is not None:
            return
        try:
            getattr(self.store, method)(*args)
        except OSError as err:  # a full disk, a file-size limit, the directory gone
            self.store_error = err

    def _emit(self, records: list[dict[str, Any]]) -> None:
        lines = [dumps(record) for record in records]
        if lines:
            self._store("append_lines", lines)
            self.stdout.put("\n".join(lines), give_up=lambda: self.stop_reason is not None)

    def _say(self, text: str) -> None:
        self.stderr.write(f"condense-tui: {text}\n")

    @property
    def stop_reason(self) -> str | None:
        """Why the run must stop before its budget (None: it need not)."""
        if self.store_error is not None:
            return f"run store not writable: {self.store_error.strerror or self.store_error}"
        if self.stdout.state == "failed" and self.stdout.error is not None:
            return f"stdout not writable: {self.stdout.error.strerror or self.stdout.error}"
        if self.signals.caught is not None:
            return f"signal {self.signals.name}"
        if self.stdout.state == "closed" and self.store is None:
            return "stdout closed"  # nobody reads the records and nothing stores them
        if self.stdout.state == "closed" and self.stdout.error is not None:
            return "stdout closed"  # the reader left (`| head`); a stdout closed from the start
        return None                 # with --out runs on into the store

    # -- the run ---------------------------------------------------------------------------------
    def _consume(self, snapshot: Any) -> None:
        self.last = snapshot
        if snapshot.diverged_at is not None:
            self.diverged_at = snapshot.diverged_at
        # the snapshot's weights belong to its step only when that step is its newest loss
        steps = snapshot.loss_steps
        owns_weights = snapshot.diverged_at is None and len(steps) > 0 and int(steps[-1]) == snapshot.step
        # once the run must stop, the snapshots still queued are stored unmeasured: measuring up
        # to BACKLOG of them would hold the answer to a signal for a second or more
        analysed = owns_weights and snapshot.step != self.analysed_step and self.stop_reason is None
        self._emit(list(step_records(snapshot, self.config.log_every, analysed)))
        if len(steps):
            losses = snapshot.losses[:, 0]
            self._store("add_losses", steps, losses)
            if self.loss_curve is not None:
                self.loss_curve.add(steps, losses)
            self.last_step = int(steps[-1])
            self.progress.update(self.last_step, float(losses[-1]))
        if analysed:
            self.analysed_step = snapshot.step
            self.last_good = snapshot
            self.directions.observe(analysis_of(snapshot))
            if snapshot.step in self.wanted_steps:
                self.watched[snapshot.step] = snapshot
        if owns_weights:
            self._store("add_snapshot", snapshot)

    def run(self) -> int:
        inbox: queue.Queue[Any] = queue.Queue(maxsize=BACKLOG)
        self.trainer.subscribe(inbox.put)
        self.progress = Progress(self.trainer.total_steps or self.config.steps, self.config.name or "run",
                                 enabled=not self.quiet and not self.stderr.broken, stream=self.stderr)
        finished = None
        with self.signals:
            self.trainer.start(exit_when_done=True)
            stop_sent = False
            while finished is None:
                if self.stop_reason is not None and not stop_sent:
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
            return self._finish(finished)

    def _exit_code(self, finished: Any) -> int:
        reason = self.stop_reason
        if reason is not None and not reason.startswith(("signal", "stdout closed")):
            return EXIT_IO
        if reason is not None and reason.startswith("signal"):
            return EXIT_INTERRUPTED
        if reason is None and finished is None:
            return EXIT_FAILED
        if reason is None and finished.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_DIVERGED if self.diverged_at is not None else EXIT_OK

    def _summary(self, finished: Any, code: int) -> dict[str, Any]:
        changed = sorted(set(self.overrides) - KEEPS_EXPECTATION)
        if changed and self.config.expect:
            verdict: dict[str, Any] = {"met": None, "checks": [], "reason": "the command line changed the preset's "
                       f"setup ({', '.join(changed)}), so its expectation does not apply"}
        else:
            verdict = evaluate(self.config.expect, self.config.watch_step, self.watched)
        reason = self.stop_reason
        interrupted = reason is not None or (finished is not None and finished.interrupted)
        summary = summary_record(self.config, self.last_good, self.last, self.watched, verdict,
                                 diverged_at=self.diverged_at, interrupted=interrupted,
                                 last_step=self.last_step, exit_code=code, overrides=self.overrides,
                                 budget=self.trainer.total_steps, directions=self.directions)
        summary["stopped_by"] = reason  # None: the run ended by itself (budget or divergence)
        return summary

    def _finish(self, finished: Any) -> int:
        self.progress.close()
        code = self._exit_code(finished)
        summary = self._summary(finished, code)
        self._store("append_lines", [dumps(summary)])
        if self.store is not None:  # tried after a fault too: a small file may still fit
            try:
                self.store.write_summary(summary)
            except OSError as err:
                self.store_error = self.store_error or err
        if self.store_error is not None and code != EXIT_IO:  # the end itself hit the full disk
            code = summary["exit_code"] = EXIT_IO
            summary["stopped_by"] = self.stop_reason
        self.stdout.put(dumps(summary), give_up=lambda: True)
        self._report(code)
        if self.store is not None:
            self._write_npz(self.store)
            self.store.close()
        self.stdout.close(self._give_up_stdout())
        return code

    def _give_up_stdout(self) -> Callable[[], bool]:
        """A plain end waits for a slow reader to take every line; a signal (now or while
        waiting) or a fault leaves STDOUT_DRAIN_S for it."""
        deadline: list[float] = []

        def give_up() -> bool:
            if self.stop_reason is None:
                return False
            deadline[:] = deadline or [time.monotonic() + STDOUT_DRAIN_S]
            return time.monotonic() >= deadline[0]
        return give_up

    def _write_npz(self, store: RunStore) -> None:
        """The redundant snapshots.npz: a failure or a second signal costs that copy only."""
        if self.store_error is not None:
            return
        try:
            store.write_npz()
        except OSError as err:
            self._say(f"snapshots.npz not written ({err.strerror or err}); the snapshots are all in "
                      f"{store.path / 'snapshots'}")
        except KeyboardInterrupt:
            self._say(f"snapshots.npz skipped; the snapshots are all in {store.path / 'snapshots'}")

    def _report(self, code: int) -> None:
        """One line on stderr for anything but a plain end; the charts if asked for."""
        if code == EXIT_FAILED:
            self._say("error: the training thread stopped without finishing; see the message above")
        elif code == EXIT_IO:
            self._say(f"error: {self.stop_reason} (every step before it is kept"
                      f"{' in ' + str(self.store.path) if self.store is not None else ''}; free space or "
                      "choose another --out, or send stdout somewhere writable)")
        elif self.diverged_at == 0:
            self._say("the loss at step 0 is not finite, so there is nothing to train; try a smaller "
                      "target or --dtype float64")
        elif self.diverged_at is not None:
            self._say(f"run diverged at step {self.diverged_at} (loss not finite); steps 0 to "
                      f"{self.diverged_at - 1} are kept; try a smaller --lr or --init-std")
        elif code == EXIT_INTERRUPTED:
            self._say(f"interrupted at step {self.last_step}; every completed step is written")
        if self.plot and self.last_good is not None and self.loss_curve is not None:
            from .charts import final_charts

            color = self.stderr.isatty() and not os.environ.get("NO_COLOR")  # no-color.org: non-empty disables
            self.stderr.write(final_charts(self.last_good, *self.loss_curve.arrays(), color))


def run_headless(config: RunConfig, *, out: Path | None = None, force: bool = False, quiet: bool = False,
                 plot: bool = False, overrides: dict[str, Any] | None = None) -> int:
    """Run to the end (or to a signal or fault); returns the exit code. Raises BadInput before starting.

    overrides: the settings the command line changed from the preset (reported in the summary)."""
    trainer, store = prepare(config, out, force)
    return HeadlessRun(config, trainer, store, quiet=quiet, plot=plot, overrides=overrides).run()
