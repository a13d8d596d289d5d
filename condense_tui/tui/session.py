"""The live run behind the app: built off the UI thread, swapped, paused, paced.

A run is built on a Textual thread worker of the host (the app) (measuring an activation can take seconds the first
time) and arrives as a RunBuilt message that the app hands to `RunSession.built`. While a new run
is being built the current one is paused, not stopped: if the build fails (a preset whose data
files are missing, a setting the engine refuses) the current run resumes where it was, with its
own config and pace, and nothing is lost. It is stopped only when its successor is ready.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from .. import config as run_config
from ..engine.names import OPTIMIZERS
from .feed import SnapshotFeed
from .pace import Pace
from .run_build import BuiltRun, apply_pace, build_run

AUTO_SLACK = 0.03  # relative change of the automatic rate worth a new command to the trainer

if TYPE_CHECKING:
    from concurrent.futures import Future

    from textual.dom import DOMNode

    from ..config import RunConfig
    from ..engine.controller import RunController


class RunBuilt(Message):
    """A run finished building on its worker: `trainer` and `feed`, or the `error` that stopped it."""

    def __init__(self, generation: int, config: RunConfig, trainer: RunController | None, feed: SnapshotFeed | None,
                 error: BaseException | None = None) -> None:
        super().__init__()
        self.generation, self.config, self.trainer, self.feed, self.error = generation, config, trainer, feed, error


@dataclass(frozen=True)
class Standby:
    """The run that keeps its place while a successor is built."""

    trainer: RunController
    feed: SnapshotFeed
    config: RunConfig
    pace: Pace
    was_paused: bool


class RunSession:
    """Owns the trainer: which config runs, at which pace, paused or not."""

    def __init__(self, host: DOMNode, config: RunConfig, *, paused: bool, fps: float, auto_pace: bool = False,
                 first_build: Future[BuiltRun] | None = None) -> None:
        """first_build: `config`'s run, already being built and started (run_build.start_first_run),
        taken by the first launch of that same config instead of building it again."""
        self._host = host
        self._first_build = (config, first_build) if first_build is not None else None
        self.config = config
        self.pace = Pace.default_for(config) if auto_pace else Pace.for_config(config)
        self.fps = fps
        self.trainer: RunController | None = None
        self.feed: SnapshotFeed | None = None
        self.building: str | None = None  # name of the run being built, for the status line
        self.ran = False  # some run has started (a first failure ends the app, later ones do not)
        self._want_paused = paused
        self._generation = 0
        self._standby: Standby | None = None

    def preset_config(self, name: str) -> RunConfig:
        """The config of preset `name`; --data-dir (where this machine keeps the data files) carries
        over to every preset picked here. Raises ConfigError, OSError or ImportError."""
        config = run_config.load_preset(name)
        if config.data_dir is None and self.config.data_dir is not None:
            config = config.replace(data_dir=self.config.data_dir)
        return config

    # -- building and swapping ---------------------------------------------------------------------
    def launch(self, config: RunConfig, pace: Pace | None = None) -> None:
        """Build a run for `config` (with `pace`, default: the current one) on a worker; the current
        run pauses now and is replaced when the new one is ready, or resumes if it fails."""
        self._generation += 1
        generation = self._generation
        if self.trainer is not None and self.feed is not None:
            self._standby = Standby(self.trainer, self.feed, self.config, self.pace, self.trainer.paused)
            self.trainer.pause()
        self.trainer, self.feed = None, None
        self.config = config
        self.pace = pace or self.pace
        self.building = config.name or "run"
        host = self._host
        prebuilt, self._first_build = self._first_build, None
        first = prebuilt[1] if prebuilt is not None and prebuilt[0] == config else None

        def build() -> None:
            try:
                run = first.result() if first is not None else build_run(config)
            except Exception as err:  # noqa: BLE001 - reported in the UI
                host.post_message(RunBuilt(generation, config, None, None, err))
                return
            host.post_message(RunBuilt(generation, config, run.trainer, run.feed))

        if first is not None and first.done():
            build()  # started before the app opened and ready: no worker, so it arrives before the first paint
        else:
            host.run_worker(build, name="condense-build", group="build", thread=True, exit_on_error=False)

    def built(self, message: RunBuilt) -> bool | None:
        """Take a built run: True when it now runs, False when it failed and the previous run (if
        any) is back, None when a later launch superseded it."""
        if message.generation != self._generation:
            return None  # superseded by a later choice; this trainer never started
        self.building = None
        standby, self._standby = self._standby, None
        if message.trainer is None or message.feed is None:
            if standby is not None:
                self._resume(standby)
            return False
        if standby is not None:
            standby.trainer.stop(timeout=0.0)  # a daemon thread: it ends within a chunk
        self.apply_pace(message.trainer)
        if not message.trainer.running:
            message.trainer.start(paused=self._want_paused)
        elif message.trainer.paused != self._want_paused:  # started early; space was pressed since
            message.trainer.toggle_pause()
        self.trainer, self.feed = message.trainer, message.feed
        self.ran = True
        return True

    def _resume(self, standby: Standby) -> None:
        self.trainer, self.feed = standby.trainer, standby.feed
        self.config, self.pace = standby.config, standby.pace
        if not (standby.was_paused or self._want_paused):
            standby.trainer.resume()

    # -- pace ----------------------------------------------------------------------------------------
    def apply_pace(self, trainer: RunController, step: int = 0) -> None:
        apply_pace(trainer, self.pace, self.fps, step)

    def set_pace(self, pace: Pace, step: int = 0) -> None:
        self.pace = pace
        if self.trainer is not None:
            self.apply_pace(self.trainer, step)

    def follow(self, step: int) -> None:
        """The automatic pace at the run's newest step (called on every UI tick): the cap is
        re-sent only when it moved by more than AUTO_SLACK, so commands stay rare."""
        trainer = self.trainer
        if trainer is None or not self.pace.auto:
            return
        rate, current = self.pace.rate_at(step), trainer.max_rate
        if rate is not None and (current is None or abs(rate - current) > AUTO_SLACK * current):
            self.apply_pace(trainer, step)

    def pace_label(self, step: int) -> str:
        return self.pace.label_at(step)

    # -- run controls --------------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        return self.trainer.paused if self.trainer is not None else self._want_paused

    def toggle_pause(self) -> None:
        if self.trainer is not None:
            self.trainer.toggle_pause()
            self._want_paused = self.trainer.paused
        else:
            self._want_paused = not self._want_paused

    def one_step(self) -> None:
        if self.trainer is None:
            return
        if not self.trainer.paused:
            self.trainer.pause()
            self._want_paused = True
        self.trainer.step(1)

    def reset(self) -> None:
        if self.trainer is not None:
            self.trainer.reset()

    def reseed(self) -> bool:
        """Start over from the next unused seed; False when no run is there to reseed."""
        if self.trainer is None:
            return False
        new_seed = self.trainer.seeds[0] + self.trainer.replicas
        self.trainer.reseed((new_seed,))
        self.config = self.config.replace(seed=new_seed)
        return True

    def next_optimizer(self) -> str:
        """The optimizer after the current one in adam -> flow -> gd -> adam (CIFAR-10 has no flow).
        Only the optimizer changes, so the next run starts from the same seed and initial weights."""
        cycle = [name for name in OPTIMIZERS if name != "flow" or self.config.data != "cifar10"]
        current = self.config.optimizer
        return cycle[(cycle.index(current) + 1) % len(cycle)] if current in cycle else cycle[0]

    def stop(self) -> None:
        """Stop every run this session holds; a run still being built is dropped when it arrives."""
        self._generation += 1
        for trainer in (self.trainer, self._standby.trainer if self._standby else None):
            if trainer is not None:
                trainer.stop(timeout=1.0)
        self._standby = None
