"""The compare screen's parts: one stored run seen at a step, and the overlaid loss chart."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.text import Text

from ..store.reader import RunReader
from ..tui.pace import watch_step
from ..tui.widgets.chart import SnapshotChart, as_list, log_ticks
from .rebuild import SnapshotRebuilder, config_of, context_of
from .status import status_words

if TYPE_CHECKING:
    from ..analysis.report import Analysis
    from ..engine.snapshot import Snapshot
    from ..store.reader import StoredRun

Frame = tuple["Snapshot", "Analysis"]
CACHED = 8  # analysed snapshots kept per run (moving back and forth costs nothing)
LOSS_POINTS = 400  # per series on the chart at most
FLOOR = 1e-30


class StoredSide:
    """One run of a comparison: its store (re-read while it is written) and analysed snapshots."""

    def __init__(self, path: Path, reader: RunReader | None = None, run: StoredRun | None = None) -> None:
        """reader, run: the store as already read (the view's own run), else read here."""
        self.path = Path(path)
        self.config = config_of(self.path)
        self.name = self.config.name or self.path.name
        self.watch_step = watch_step(self.config)
        self.reader = reader if reader is not None else RunReader(self.path)
        self.rebuilder = SnapshotRebuilder(context_of(self.config))
        self.run = run if run is not None else self.reader.refresh()
        self._cache: dict[int, Frame] = {}

    @property
    def status(self) -> str:
        return self.run.status

    def refresh(self) -> None:
        self.run = self.reader.refresh()

    def steps(self) -> list[int]:
        return [int(s) for s in self.run.snapshots.steps]

    def at(self, step: int) -> Frame | None:
        """The stored snapshot nearest `step`, analysed (None before the first snapshot lands)."""
        steps = self.run.snapshots.steps
        if not len(steps):
            return None
        i = int(np.searchsorted(steps, step))
        if i == len(steps) or (i > 0 and step - steps[i - 1] <= steps[i] - step):
            i -= 1
        if i not in self._cache:
            from ..analysis.report import analyze

            snapshot = self.rebuilder.snapshot(self.run, i)
            if len(self._cache) >= CACHED:
                self._cache.pop(next(iter(self._cache)))
            self._cache[i] = (snapshot, analyze(snapshot, replica=0))
        return self._cache[i]

    def loss_points(self) -> tuple[np.ndarray, np.ndarray]:
        steps, values = np.asarray(self.run.losses["step"]), np.asarray(self.run.losses["loss"], dtype=float)
        if len(steps) > LOSS_POINTS:
            pick = np.linspace(0, len(steps) - 1, LOSS_POINTS).round().astype(int)
            steps, values = steps[pick], values[pick]
        return steps, values

    def status_line(self, frame: Frame | None, colour: str) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{self.name} ", style=f"bold {colour}")
        if frame is None:
            line.append(f"no snapshot yet ({status_words(self.status)})")
            return line
        snapshot, analysis = frame
        line.append(f"step {snapshot.step}", style="bold")
        line.append(f" loss {snapshot.loss:.4g}" if len(snapshot.losses) else " loss -")
        la = analysis.layers[0]
        bound = "n/a" if la.bound is None else str(la.bound)
        over = la.bound is not None and la.orientations > la.bound
        line.append(" | ")
        line.append(f"{la.lines} lines {la.orientations} orient (2p={bound})", style="bold red" if over else "bold")
        line.append(f" erank {la.effective_rank:.2f} | {status_words(self.status)}")
        return line


@dataclass(frozen=True, eq=False)
class LossFrame:
    series: tuple[tuple[str, np.ndarray, np.ndarray, str], ...]  # name, steps, losses, colour
    step: int
    marker: str


class CompareLoss(SnapshotChart):
    """Both runs' loss curves on one log axis, the compared step marked."""

    waiting = "no loss stored yet"

    def data_key(self, data: Any) -> tuple:
        return (data.step, data.marker, *(len(s[1]) for s in data.series),
                *(float(s[2][-1]) if len(s[2]) else 0.0 for s in data.series))

    def draw(self, plt: Any, data: Any) -> None:
        plt.title(f"loss (log) | step {data.step}")
        drawn = [(name, steps, np.maximum(values, FLOOR), colour)
                 for name, steps, values, colour in data.series if len(steps)]
        if not drawn:
            return
        low = min(float(v.min()) for _, _, v, _ in drawn)
        high = max(float(v.max()) for _, _, v, _ in drawn)
        if high > low * 1.0001:
            plt.yscale("log")
            ticks = log_ticks(low, high, self.size.height - 3)
            if ticks:
                plt.yticks(*ticks)
        for name, steps, values, colour in drawn:
            plt.plot(as_list(steps), as_list(values), marker=data.marker, color=colour, label=name)
        plt.vline(data.step, "white")
