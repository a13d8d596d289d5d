"""The chart tabs: what each tab holds, which panes a run shows, and handing a frame to every chart.

Tab 1 holds the loss (and accuracy) curves with the orientation histogram for a layer fed by one
input, or with the similarity heatmap for wider inputs; tab 2 the neuron scatter and heatmap; tab 3
the fit; tab 4 the (w, b) field; tab 5 the run's history (the orientation histogram over log step
for a layer fed by one input, the counts, effective rank and top share against step otherwise).
Tabs 2-5 get their charts the first time they are shown (their modules are imported then too): the
first frame has only tab 1 to build, and a chart nobody has looked at costs nothing.
A viewed older snapshot and stored-run views draw through `ChartBoard.draw` too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical
from textual.widgets import TabbedContent, TabPane

from ..analysis.accuracy import accuracy_history
from .widgets.accuracy_chart import AccuracyChart
from .widgets.banner import DivergedBanner
from .widgets.chart import SnapshotChart
from .widgets.heatmap import CosineHeatmap
from .widgets.histogram import OrientationHistogram
from .widgets.loss_chart import LossChart

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen
    from textual.widget import Widget

    from .view import ChartData
    from .widgets.history_curves import HistoryCurves
    from .widgets.history_map import HistoryMap

TABS = (("tab-1", "1 Loss+orient"), ("tab-2", "2 Neurons"), ("tab-3", "3 Fit"), ("tab-4", "4 Field"),
        ("tab-5", "5 History"))


# Each later tab: (what to mount in its pane, the charts among them)
Made = tuple[list["Widget"], list["Widget"]]


def _neurons() -> Made:
    from .widgets.scatter import OrientationScatter

    charts: list[Widget] = [OrientationScatter(id="scatter"), CosineHeatmap(id="heatmap-2", classes="heatmap")]
    return [Horizontal(*charts, classes="pane")], charts


def _fit() -> Made:
    from .widgets.function_chart import FunctionChart

    chart = FunctionChart(id="function")
    return [chart], [chart]


def _field() -> Made:
    from .widgets.field_chart import FieldChart

    chart = FieldChart(id="field")
    return [chart], [chart]


def _history() -> Made:
    from .widgets.history_curves import HistoryCurves
    from .widgets.history_map import HistoryMap

    charts: list[Widget] = [HistoryMap(id="history-map"), HistoryCurves(id="history-curves")]
    return charts, charts


LATER_TABS: dict[str, Callable[[], Made]] = {"tab-2": _neurons, "tab-3": _fit, "tab-4": _field, "tab-5": _history}


def compose_tabs() -> ComposeResult:
    with TabbedContent(id="charts", initial="tab-1"):
        with TabPane(TABS[0][1], id="tab-1"), Vertical(classes="pane"):
            with Horizontal(classes="row"):
                with Vertical(id="curves"):
                    yield LossChart(id="loss")
                    yield AccuracyChart(id="accuracy")
                yield CosineHeatmap(id="heatmap-1", classes="heatmap")
            yield OrientationHistogram(id="histogram")
        for pane_id, title in TABS[1:]:
            yield TabPane(title, id=pane_id)  # filled by ChartBoard.fill when first shown


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
        self._history_map: HistoryMap | None = None  # tab 5, once shown
        self._history_curves: HistoryCurves | None = None
        self._filled = {"tab-1"}
        self._last: ChartData | None = None

    def show_tab(self, pane_id: str) -> None:
        self.fill(pane_id)
        self.tabs.active = pane_id

    def fill(self, pane_id: str) -> None:
        """Give tab `pane_id` its charts the first time it is shown, drawing the frame on screen."""
        make = LATER_TABS.get(pane_id)
        if make is None or pane_id in self._filled:
            return
        self._filled.add(pane_id)
        roots, charts = make()
        self.tabs.get_pane(pane_id).mount_all(roots)
        for chart in charts:  # held as made: a container's children reach queries only once mounted
            if isinstance(chart, CosineHeatmap):
                self._heatmaps.append(chart)
            elif isinstance(chart, SnapshotChart):
                self._charts.append(chart)
        if pane_id == "tab-5":
            from .widgets.history_curves import HistoryCurves
            from .widgets.history_map import HistoryMap

            self._history_map = next(w for w in charts if isinstance(w, HistoryMap))
            self._history_curves = next(w for w in charts if isinstance(w, HistoryCurves))
            self._history_curves.display = False  # until a frame shows a layer with wider input
        if self._last is not None:
            self.draw(self._last)

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
        self._last = data
        snap = data.snapshot
        one_d = snap.layers[data.layer].shape[2] == 2
        self.place_panes(one_d, accuracy_history(snap.extras) is not None)
        if self._history_map is not None and self._history_curves is not None:
            if self._history_map.display != one_d:  # the map for a layer fed by one input, curves otherwise
                self._history_map.display = one_d
                self._history_curves.display = not one_d
            self._history_map.show(data)
        for chart in self._charts:
            chart.show(data)
        for heatmap in self._heatmaps:
            heatmap.show(data)
        self.banner.show_divergence(snap.diverged_at)
