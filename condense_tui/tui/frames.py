"""The frame loop: on each UI tick, drain a snapshot source, hand the newest snapshot to the analyst,
and when its analysis comes back give every chart that snapshot.

The source is anything with `drain()` (see SnapshotSource): the live run's SnapshotFeed today; a
history of kept snapshots (showing a chosen one) or a stored run opened read-only plug in the same
way, through `attach`. The UI never touches live arrays and never waits for the training thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np
from textual.message import Message

from .analyst import Analyst
from .feed import LossHistory
from .meter import FrameGate, RenderMeter, StepRate
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
    `analysis`) the newest analysed and drawn."""

    def __init__(self, host: FrameHost, meter: RenderMeter, *, marker: str, no_color: bool) -> None:
        self._host = host
        self.marker, self.no_color = marker, no_color
        self.source: SnapshotSource | None = None
        self.history = LossHistory()
        self.rate = StepRate()
        self.layer = 0
        self.watch_step = 0
        self.latest: Snapshot | None = None
        self.shown: Snapshot | None = None
        self.analysis: Analysis | None = None  # of `shown`
        self.frames = 0  # charts handed a new snapshot (tests and benchmarks read it)
        self._waiting: Snapshot | None = None  # drained, not yet handed to the analyst
        self._analysing = False
        self._gate = FrameGate(meter)
        self._analyst = Analyst(lambda snap, analysis, err: host.post_message(Analysed(snap, analysis, err)), meter)

    # -- sources -------------------------------------------------------------------------------------
    def attach(self, source: SnapshotSource, *, fresh: bool = True) -> None:
        """Draw from `source`; `fresh`: a new run, so forget what the previous one showed."""
        self.source = source
        if fresh:
            self.history.clear()
            self.rate.clear()
            self.latest = self.shown = self._waiting = self.analysis = None

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
        self.history.extend_chunks(chunks)
        if snapshot is not None:
            self.latest = self._waiting = snapshot
            self.rate.mark(snapshot.step)
        if self._waiting is not None and not self._analysing and self._gate.due(unthrottled):
            self._gate.opened()
            self._analysing = True
            self._analyst.submit(self._waiting)
            self._waiting = None

    def analysed(self, message: Analysed) -> BaseException | None:
        """Draw an analysed snapshot unless its run was replaced; returns the analysis error."""
        self._analysing = False
        if message.error is not None or message.analysis is None:
            return message.error
        snap = message.snapshot
        if self.source is None or snap.context is not (self.latest.context if self.latest else None):
            return None  # from a run that has been replaced
        self.show(snap, message.analysis)
        return None

    def show(self, snap: Snapshot, analysis: Analysis) -> None:
        self.shown, self.analysis = snap, analysis
        self.layer = min(self.layer, len(snap.layers) - 1)
        data = ChartData(snap, analysis, self.layer, self.history, self.history.version, self.watch_step,
                         self.marker, self.no_color)
        self._host.draw_frame(data)
        self.frames += 1

    def next_layer(self, depth: int) -> None:
        """Cycle the layer shown: the snapshot's layers (a CIFAR-10 run holds only its analysed FC
        layers), `depth` before the first snapshot."""
        count = len(self.shown.layers) if self.shown is not None else depth
        self.layer = (self.layer + 1) % count
        if self.shown is not None and self.analysis is not None:
            self.show(self.shown, self.analysis)

    def close(self) -> None:
        self._analyst.close()
