"""What every chart is given on a frame: one snapshot and the UI's choices, nothing live."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.report import analysis_of
from ..engine.snapshot import Snapshot
from .feed import LossHistory


@dataclass(frozen=True, eq=False)
class ChartData:
    snapshot: Snapshot
    layer: int  # hidden layer shown (0-based), cycled with `l`
    history: LossHistory
    history_version: int
    watch_step: int
    marker: str  # plotext marker: "hd", "braille" or "dot"
    no_color: bool

    @property
    def analysis(self):  # noqa: ANN201 - analysis.report.Analysis (computed off the UI thread)
        return analysis_of(self.snapshot)

    @property
    def layer_analysis(self):  # noqa: ANN201 - analysis.report.LayerAnalysis
        return analysis_of(self.snapshot).layers[self.layer]
