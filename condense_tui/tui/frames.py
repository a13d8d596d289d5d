"""The frame loop: on each UI tick, drain a snapshot source, hand the newest snapshot to the analyst,
and when its analysis comes back give every chart that snapshot.

The source is anything with `drain()` and `take_published()` (see SnapshotSource): the live run's
SnapshotFeed today; a stored run opened read-only plugs in the same way, through `attach`. Every
published snapshot goes to the recorder, which keeps the run's history (history.py); the timeline
(timeline.py) says whether the charts show the newest snapshot or a kept one. The UI never touches
live arrays and never waits for the training thread.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

import numpy as np
from textual.message import Message

from .analyst import Analyst
from .feed import LossHistory
from .history import SnapshotHistory
from .meter import FrameGate, RenderMeter, StepRate
from .recorder import Recorder
from .timeline import Timeline
from .view import ChartData

if TYPE_CHECKING:
    from ..analysis.report import Analysis
    from ..engine.snapshot import Snapshot

Chunks = list[tuple[np.ndarray, np.ndarray]]


class SnapshotSource(Protocol):
    def drain(self) -> tuple[Snapshot | None, Chunks, bool]:
        """(newest snapshot or None if nothing new, loss chunks since the last drain, whether the
        run restarted since then)."""
        ...

    def take_published(self) -> list[Snapshot]:
        """Every snapshot since the last take, oldest first (the history keeps what it wants)."""
        ...


class Analysed(Message):
    """The analyst finished `snapshot` (posted from its thread; the app hands it to the loop)."""

    def __init__(self, snapshot: Snapshot, analysis: Analysis | None, error: BaseException | None) -> None:
        super().__init__()
        self.snapshot, self.analysis, self.error = snapshot, analysis, error


class FrameHost(Protocol):
    """What the loop draws into: the app's charts, panes and status line."""

    def post_message(self, message: Message) -> bool: ...

    def draw_frame(self, data: ChartData) -> None: ...


class FrameLoop:
    """Newest-first frames from one source; `latest` is the newest drained snapshot, `shown` (with
    `analysis`) the one drawn: the newest analysed, or the kept snapshot the timeline views."""

    def __init__(self, host: FrameHost, meter: RenderMeter, *, marker: str, no_color: bool) -> None:
        self._host = host
        self.marker, self.no_color = marker, no_color
        self.source: SnapshotSource | None = None
        self.history = LossHistory()
        self.rate = StepRate()
        self.layer = 0
        self.watch_step = 0
        self.watch_steps: tuple[int, ...] = ()  # per hidden layer (Fig 3); empty: watch_step for all
        self.latest: Snapshot | None = None
        self.shown: Snapshot | None = None
        self.analysis: Analysis | None = None  # of `shown`
        self.frames = 0  # charts handed a new snapshot (tests and benchmarks read it)
        self._waiting: Snapshot | None = None  # drained, not yet handed to the analyst
        self._analysing = False
        self._gate = FrameGate(meter)
        self._analyst = Analyst(lambda snap, analysis, err: host.post_message(Analysed(snap, analysis, err)), meter)
        self.kept = SnapshotHistory()
        self.recorder = Recorder(self.kept, meter)
        self.timeline = Timeline(self.kept)
        self._view_copy: Snapshot | None = None  # the viewed kept snapshot as handed to the analyst

    # -- sources -------------------------------------------------------------------------------------
    def attach(self, source: SnapshotSource, *, fresh: bool = True) -> None:
        """Draw from `source`; `fresh`: a new run, so forget what the previous one showed."""
        self.source = source
        if fresh:
            self.history.clear()
            self.rate.clear()
            self._forget_history()
            self.latest = self.shown = self._waiting = self.analysis = None

    def _forget_history(self) -> None:
        self.recorder.clear()
        self.timeline.go_live()
        self._view_copy = None

    def detach(self) -> None:
        """Stop drawing (a run is being built); what is on screen stays."""
        self.source = None

    # -- each tick -----------------------------------------------------------------------------------
    def tick(self, unthrottled: bool) -> None:
        if self.source is None:
            return
        snapshot, chunks, restarted = self.source.drain()
        if restarted:
            self.history.clear()
            self.rate.clear()
            self._forget_history()
        self.recorder.offer(self.source.take_published())
        self.history.extend_chunks(chunks)
        if snapshot is not None:
            self.latest = snapshot
            self.rate.mark(snapshot.step)
            if self.timeline.live:
                self._waiting = snapshot
        self._submit(unthrottled)

    def _submit(self, unthrottled: bool) -> None:
        if self._waiting is not None and not self._analysing and self._gate.due(unthrottled):
            self._gate.opened()
            self._analysing = True
            self._analyst.submit(self._waiting)
            self._waiting = None

    # -- the timeline ---------------------------------------------------------------------------------
    @property
    def live_step(self) -> int | None:
        return self.latest.step if self.latest is not None else None

    def viewing(self) -> bool:
        return not self.timeline.live

    def move(self, by: int) -> bool:
        """Step through the kept snapshots (see Timeline.move); redraws at once."""
        changed = self.timeline.move(by, self.live_step or 0)
        if changed:
            self._view_changed()
        return changed

    def go_to(self, step: int) -> bool:
        changed = self.timeline.go_to(step)
        if changed:
            self._view_changed()
        return changed

    def go_live(self) -> None:
        if not self.timeline.live:
            self.timeline.go_live()
            self._view_changed()

    def _view_changed(self) -> None:
        kept = self.timeline.snapshot()
        if kept is None:  # live again (or nothing kept): draw the newest snapshot
            self.timeline.go_live()
            self._view_copy = None
            self._waiting = self.latest
        else:
            # a throwaway copy: the analysis the analyst caches on it goes when the view moves on
            self._view_copy = self._waiting = replace(kept)
        self._submit(unthrottled=False)

    def analysed(self, message: Analysed) -> BaseException | None:
        """Draw an analysed snapshot unless its run was replaced; returns the analysis error."""
        self._analysing = False
        if message.error is not None or message.analysis is None:
            return message.error
        snap = message.snapshot
        if self.source is None or snap.context is not (self.latest.context if self.latest else None):
            return None  # from a run that has been replaced
        if (snap is self._view_copy) == self.timeline.live:
            self._submit(unthrottled=False)  # the view moved while it was analysed: draw the new one
            return None
        self.show(snap, message.analysis)
        return None

    def show(self, snap: Snapshot, analysis: Analysis) -> None:
        self.shown, self.analysis = snap, analysis
        self.layer = min(self.layer, len(snap.layers) - 1)
        data = ChartData(snap, analysis, self.layer, self.history, self.history.version,
                         self.layer_watch_step(self.layer), self.marker, self.no_color,
                         live_step=None if self.timeline.live else self.live_step, kept=self.kept)
        self._host.draw_frame(data)
        self.frames += 1

    def layer_watch_step(self, layer: int) -> int:
        steps = self.watch_steps
        return steps[layer] if layer < len(steps) else self.watch_step

    def next_layer(self, depth: int) -> None:
        """Cycle the layer shown: the snapshot's layers (a CIFAR-10 run holds only its analysed FC
        layers), `depth` before the first snapshot."""
        count = len(self.shown.layers) if self.shown is not None else depth
        self.layer = (self.layer + 1) % count
        if self.shown is not None and self.analysis is not None:
            self.show(self.shown, self.analysis)

    def close(self) -> None:
        self._analyst.close()
        self.recorder.close()
