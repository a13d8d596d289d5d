"""What every chart is given on a frame: one snapshot, its analysis and the UI's choices, nothing live."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..analysis.report import Analysis, LayerAnalysis
    from ..engine.snapshot import Snapshot
    from .feed import LossHistory
    from .history import SnapshotHistory


@dataclass(frozen=True, eq=False)
class ChartData:
    snapshot: Snapshot
    analysis: Analysis  # of `snapshot`, computed off the UI thread
    layer: int  # hidden layer shown (0-based), cycled with `l`
    history: LossHistory
    history_version: int
    watch_step: int
    marker: str  # plotext marker: "hd", "braille" or "dot"
    no_color: bool
    live_step: int | None = None  # the run's newest step while an older kept snapshot is viewed
    kept: SnapshotHistory | None = None  # the run's kept snapshots and their rows (history chart)

    @property
    def viewing(self) -> bool:
        """An older snapshot is shown, not the live one."""
        return self.live_step is not None

    @property
    def layer_analysis(self) -> LayerAnalysis:
        return self.analysis.layers[self.layer]
