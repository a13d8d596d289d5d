"""The chart tabs: what each tab holds, which panes a run shows, and handing a frame to every chart.

Tab 1 holds the loss (and accuracy) curves with the orientation histogram for a layer fed by one
input, or with the similarity heatmap for wider inputs; tab 2 the neuron scatter and heatmap; tab 3
the fit; tab 4 the (w, b) field; tab 5 the run's history (the orientation histogram over log step
for a layer fed by one input, the counts, effective rank and top share against step otherwise).

Charts are made when their tab is first shown, tab 1 right after the first paint, and their modules
(plotext among them) are imported then: the screen, with the run's `step N` on its status line,
comes first, and a chart nobody has looked at costs nothing. A viewed older snapshot and stored-run
views draw through `ChartBoard.draw` too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from textual.containers import Horizontal, Vertical
from textual.widgets import TabbedContent, TabPane

from ..analysis.accuracy import accuracy_history
from .widgets.banner import DivergedBanner

if TYPE_CHECKING:
    from textual.app import ComposeResult, RenderResult
    from textual.screen import Screen
    from textual.widget import Widget

    from .view import ChartData
    from .widgets.history_curves import HistoryCurves
    from .widgets.history_map import HistoryMap

TABS = (("tab-1", "1 Loss+orient"), ("tab-2", "2 Neurons"), ("tab-3", "3 Fit"), ("tab-4", "4 Field"),
        ("tab-5", "5 History"))

# Each tab: (what to mount in its pane, the charts among them)
Made = tuple[list["Widget"], list["Widget"]]


class Drawable(Protocol):
    def show(self, data: ChartData) -> None: ...


def _losses() -> Made:
    from .widgets.accuracy_chart import AccuracyChart
    from .widgets.heatmap import CosineHeatmap
    from .widgets.histogram import OrientationHistogram
    from .widgets.loss_chart import LossChart

    loss, accuracy = LossChart(id="loss"), AccuracyChart(id="accuracy")
    heatmap, histogram = CosineHeatmap(id="heatmap-1", classes="heatmap"), OrientationHistogram(id="histogram")
    accuracy.display = False  # until a snapshot says the run measures accuracy
    row = Horizontal(Vertical(loss, accuracy, id="curves"), heatmap, classes="row")
    return [Vertical(row, histogram, classes="pane")], [loss, accuracy, heatmap, histogram]


def _neurons() -> Made:
    from .widgets.heatmap import CosineHeatmap
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
    charts[1].display = False  # until a frame shows a layer with wider input
    return charts, charts


MAKE_TAB: dict[str, Callable[[], Made]] = {"tab-1": _losses, "tab-2": _neurons, "tab-3": _fit, "tab-4": _field,
                                           "tab-5": _history}


class ChartPane(TabPane):
    """A tab whose charts come later (ChartBoard.fill): blank until then, not Textual's name tag."""

    def render(self) -> RenderResult:
        return ""


def compose_tabs() -> ComposeResult:
    with TabbedContent(id="charts", initial="tab-1"):
        for pane_id, title in TABS:
            yield ChartPane(title, id=pane_id)


class ChartBoard:
    """The charts of the main screen, held once: app.query_one searches the active screen, which
    is a modal one while the help, the picker or the palette is open, and frames keep coming."""

    def __init__(self, main: Screen[object]) -> None:
        self.tabs = main.query_one(TabbedContent)
        self.banner = main.query_one(DivergedBanner)
        self._charts: list[Drawable] = []  # plotext charts and heatmaps, once made
        self._histogram: Widget | None = None  # tab 1's, once made
        self._heatmap_1: Widget | None = None
        self._accuracy: Widget | None = None
        self._history_map: HistoryMap | None = None  # tab 5's, once shown
        self._history_curves: HistoryCurves | None = None
        self._panes = (True, False)  # (one_d, accuracy) to show once tab 1 is made
        self._filled: set[str] = set()
        self._last: ChartData | None = None

    def show_tab(self, pane_id: str) -> None:
        self.fill(pane_id)
        self.tabs.active = pane_id

    def fill(self, pane_id: str) -> None:
        """Give tab `pane_id` its charts, once, drawing the frame on screen."""
        make = MAKE_TAB.get(pane_id)
        if make is None or pane_id in self._filled:
            return
        self._filled.add(pane_id)
        roots, charts = make()
        self.tabs.get_pane(pane_id).mount_all(roots)
        by_id = {chart.id: chart for chart in charts}
        if pane_id == "tab-1":
            self._histogram, self._heatmap_1, self._accuracy = by_id["histogram"], by_id["heatmap-1"], by_id["accuracy"]
            self.place_panes(*self._panes)
        elif pane_id == "tab-5":  # the map is drawn on its own (see draw)
            self._history_map = cast("HistoryMap", by_id.pop("history-map"))
            self._history_curves = cast("HistoryCurves", by_id["history-curves"])
        self._charts.extend(cast(Drawable, chart) for chart in by_id.values())
        if self._last is not None:
            self.draw(self._last)

    def place_panes(self, one_d: bool, accuracy: bool | None = None) -> None:
        """A layer fed by one input: loss over the orientation histogram on tab 1. Wider inputs
        have no angle to histogram: the loss shares tab 1 with the heatmap instead. A run that
        measures accuracy gets its accuracy curve under the loss (None: keep as it is)."""
        accuracy = self._panes[1] if accuracy is None else accuracy
        self._panes = (one_d, accuracy)
        histogram, heatmap, curve = self._histogram, self._heatmap_1, self._accuracy
        if histogram is None or heatmap is None or curve is None:
            return  # tab 1 is made right after the first paint and takes these then
        if histogram.display == one_d and heatmap.display != one_d and curve.display == accuracy:
            return  # unchanged: touching styles would relayout the screen every frame
        histogram.display = one_d
        heatmap.display = not one_d
        curve.display = accuracy

    def draw(self, data: ChartData) -> None:
        """Give every chart the frame's snapshot (each redraws only if its picture changed)."""
        self._last = data
        if "tab-1" not in self._filled:  # a frame before the first paint's callback: tab 1 now
            self.fill("tab-1")  # (it draws this frame)
            return
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
        self.banner.show_divergence(snap.diverged_at)
