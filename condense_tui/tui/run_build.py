"""Building a run for the TUI: the trainer, the feed it publishes into, and the pace it trains at.

Textual-free on purpose: `condense-tui` starts the first run with `start_first_run` on a plain
thread before it imports Textual, so the run's step-0 snapshot is usually waiting in the feed when
the screen first draws. Later runs are built on the app's workers (session.py) with `build_run`.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..runs import build_controller
from .feed import SnapshotFeed
from .pace import Pace

if TYPE_CHECKING:
    from ..config import RunConfig
    from ..engine.controller import RunController


@dataclass(frozen=True)
class BuiltRun:
    trainer: RunController  # running already when it came from start_first_run
    feed: SnapshotFeed  # subscribed before the trainer started: it holds every snapshot


def apply_pace(trainer: RunController, pace: Pace, fps: float, step: int = 0) -> None:
    """The pace's rate cap and snapshot interval at `step`, sent to the trainer."""
    trainer.set_max_rate(pace.rate_at(step))
    trainer.set_snapshot_every(pace.snapshot_every(fps, trainer.snapshot_every, step))


def build_run(config: RunConfig) -> BuiltRun:
    """A trainer for `config` (no step budget: the TUI trains on past it), not started, with its feed.
    Its pace is set by whoever starts it."""
    trainer = build_controller(config, max_steps=None)
    feed = SnapshotFeed()
    trainer.subscribe(feed)
    return BuiltRun(trainer, feed)


def start_first_run(config: RunConfig, *, paused: bool, fps: float) -> Future[BuiltRun]:
    """Build and start `config`'s run at the automatic pace on a daemon thread; the future holds
    the run or the error that stopped it (the app reports it as it would a build of its own)."""
    future: Future[BuiltRun] = Future()

    def build() -> None:
        try:
            run = build_run(config)
            apply_pace(run.trainer, Pace.default_for(config), fps)
            run.trainer.start(paused=paused)
            future.set_result(run)
        except BaseException as err:  # noqa: BLE001 - handed to the app, which shows it
            future.set_exception(err)

    threading.Thread(target=build, name="condense-first-run", daemon=True).start()
    return future
