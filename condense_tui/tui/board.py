"""The chart tabs: what each tab holds, which panes a run shows, and handing a frame to every chart.

Tab 1 holds the loss (and accuracy) curves with the orientation histogram for a layer fed by one
input, or with the similarity heatmap for wider inputs; tab 2 the neuron scatter and heatmap; tab 3
the fit; tab 4 the (w, b) field; tab 5 the run's history (the orientation histogram over log step
for a layer fed by one input, the counts, effective rank and top share against step otherwise).
A viewed older snapshot and stored-run views draw through `ChartBoard.draw` too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical
from textual.widgets import TabbedContent, TabPane

from ..analysis.accuracy import accuracy_history
from .widgets.accuracy_chart import AccuracyChart
from .widgets.banner import DivergedBanner
from .widgets.chart import SnapshotChart
from .widgets.field_chart import FieldChart
from .widgets.function_chart import FunctionChart
from .widgets.heatmap import CosineHeatmap
from .widgets.histogram import OrientationHistogram
from .widgets.history_curves import HistoryCurves
from .widgets.history_map import HistoryMap
from .widgets.loss_chart import LossChart
from .widgets.scatter import OrientationScatter

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

    from .view import ChartData


def compose_tabs() -> ComposeResult:
    with TabbedContent(id="charts", initial="tab-1"):
        with TabPane("1 Loss+orient", id="tab-1"), Vertical(classes="pane"):
            with Horizontal(classes="row"):
                with Vertical(id="curves"):
                    yield LossChart(id="loss")
                    yield AccuracyChart(id="accuracy")
                yield CosineHeatmap(id="heatmap-1", classes="heatmap")
            yield OrientationHistogram(id="histogram")
        with TabPane("2 Neurons", id="tab-2"), Horizontal(classes="pane"):
            yield OrientationScatter(id="scatter")
            yield CosineHeatmap(id="heatmap-2", classes="heatmap")
        with TabPane("3 Fit", id="tab-3"):
            yield FunctionChart(id="function")
        with TabPane("4 Field", id="tab-4"):
            yield FieldChart(id="field")
        with TabPane("5 History", id="tab-5"):
            yield HistoryMap(id="history-map")
            yield HistoryCurves(id="history-curves")


class ChartBoard:
    """The charts of the main screen, held once: app.query_one searches the active screen, which
    is a modal one while the help, the picker or the palette is open, and frames keep coming."""

    def __init__(self, main: Screen[object]) -> None:
        self.tabs = main.query_one(TabbedContent)
        self.banner = main.query_one(DivergedBanner)
        self._charts = list(main.query(SnapshotChart))
        self._heatmaps = list(main.query(CosineHeatmap))
        self._histogram = main.query_one("#histogram")
        self._heatmap_1 = main.query_one("#heatmap-1")
        self._accuracy = main.query_one("#accuracy")
        self._accuracy.display = False  # until a snapshot says the run measures accuracy
        self._history_map = main.query_one(HistoryMap)
        self._history_curves = main.query_one(HistoryCurves)
        self._history_curves.display = False  # until a snapshot shows a layer with wider input

    def place_panes(self, one_d: bool, accuracy: bool | None = None) -> None:
        """A layer fed by one input: loss over the orientation histogram on tab 1. Wider inputs
        have no angle to histogram: the loss shares tab 1 with the heatmap instead. A run that
        measures accuracy gets its accuracy curve under the loss (None: keep as it is)."""
        accuracy = self._accuracy.display if accuracy is None else accuracy
        if (self._histogram.display == one_d and self._heatmap_1.display != one_d
                and self._accuracy.display == accuracy):
            return  # unchanged: touching styles would relayout the screen every frame
        self._histogram.display = one_d
        self._heatmap_1.display = not one_d
        self._accuracy.display = accuracy

    def draw(self, data: ChartData) -> None:
        """Give every chart the frame's snapshot (each redraws only if its picture changed)."""
        snap = data.snapshot
        one_d = snap.layers[data.layer].shape[2] == 2
        self.place_panes(one_d, accuracy_history(snap.extras) is not None)
        if self._history_map.display != one_d:  # the map for a layer fed by one input, curves otherwise
            self._history_map.display = one_d
            self._history_curves.display = not one_d
        self._history_map.show(data)
        for chart in self._charts:
            chart.show(data)
        for heatmap in self._heatmaps:
            heatmap.show(data)
        self.banner.show_divergence(snap.diverged_at)
