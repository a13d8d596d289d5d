"""Two stored runs side by side at the same step: `condense-tui view DIR1 DIR2`, or `o` in a view.

One timeline moves both: the place is a step, each run shows its stored snapshot nearest to it.
The loss curves share one chart (two named series); below, each run's orientation histogram (a
layer fed by one input) or similarity heatmap, and on the two-line status each run's step, loss and
counts against its own bound. At 80 columns the two runs' charts are 40 columns each.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from ..tui.feed import LossHistory
from ..tui.timeline_keys import TIMELINE_BINDINGS
from ..tui.view import ChartData
from ..tui.widgets.heatmap import CosineHeatmap
from ..tui.widgets.histogram import OrientationHistogram
from .compare_parts import CompareLoss, LossFrame, StoredSide
from .status import fit_lines

if TYPE_CHECKING:
    from textual.app import ComposeResult

REFRESH_S = 1.0
COLOURS = ("cyan", "magenta")  # names both rich and plotext know


class CompareScreen(Screen[None]):
    DEFAULT_CSS = """
    CompareScreen #compare-status { height: 2; padding: 0 1; background: $panel; }
    CompareScreen #compare-loss { height: 1fr; min-height: 6; }
    CompareScreen #compare-sides { height: 1fr; }
    CompareScreen .side { width: 1fr; height: 1fr; }
    CompareScreen .side-name { height: 1; width: 1fr; text-style: bold; }
    CompareScreen .side SnapshotChart, CompareScreen .side CosineHeatmap { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *TIMELINE_BINDINGS,  # the same keys as the live timeline; "live" is the newest stored step
        Binding("escape", "close", "back"),
    ]

    def __init__(self, sides: tuple[StoredSide, StoredSide]) -> None:
        super().__init__()
        self.sides = sides
        self.steps: list[int] = []
        self.step = 0
        self.status_plain = ""
        self._union()
        self.step = self.steps[-1] if self.steps else 0

    def compose(self) -> ComposeResult:
        yield Static(id="compare-status")
        yield CompareLoss(id="compare-loss")
        with Horizontal(id="compare-sides"):
            for i, side in enumerate(self.sides):
                with Vertical(classes="side"):
                    yield Label(Text(side.name, style=COLOURS[i]), classes="side-name")
                    yield OrientationHistogram(id=f"histogram-{i}")
                    yield CosineHeatmap(id=f"heatmap-{i}", classes="heatmap")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.set_interval(REFRESH_S, self._refresh_running)
        self.draw()
        self.call_after_refresh(self.draw)  # the status lines are cut to the laid-out width

    def on_resize(self) -> None:
        self.call_after_refresh(self.draw)

    # -- the shared timeline -------------------------------------------------------------------------
    def _union(self) -> None:
        self.steps = sorted(set().union(*(side.steps() for side in self.sides)))

    def action_history_move(self, by: int) -> None:
        if not self.steps:
            return
        i = bisect.bisect_left(self.steps, self.step)
        self.go_to(self.steps[max(0, min(len(self.steps) - 1, i + by))])

    def action_history_start(self) -> None:
        self.go_to(0)

    def action_history_live(self) -> None:
        self.go_to(self.steps[-1] if self.steps else 0)

    def action_history_watch(self) -> None:
        self.go_to(self.sides[0].watch_step)

    def action_close(self) -> None:
        self.dismiss()

    def go_to(self, step: int) -> None:
        self.step = int(step)
        self.draw()

    def _refresh_running(self) -> None:
        """Follow runs still being written: their new snapshots join the timeline."""
        if not any(side.status == "running" for side in self.sides):
            return
        at_end = not self.steps or self.step >= self.steps[-1]
        for side in self.sides:
            side.refresh()
        self._union()
        if at_end and self.steps:
            self.step = self.steps[-1]
        self.draw()

    # -- drawing ---------------------------------------------------------------------------------------
    def draw(self) -> None:
        lines, series = [], []
        for i, side in enumerate(self.sides):
            series.append((side.name, *side.loss_points(), COLOURS[i]))
            frame = side.at(self.step)
            lines.append(side.status_line(frame, COLOURS[i]))
            if frame is None:
                continue
            snapshot, analysis = frame
            data = ChartData(snapshot, analysis, 0, LossHistory(), 0, side.watch_step, self.app_marker,
                             self.app.no_color)
            one_d = snapshot.layers[0].shape[2] == 2
            histogram, heatmap = self.query_one(f"#histogram-{i}"), self.query_one(f"#heatmap-{i}")
            histogram.display, heatmap.display = one_d, not one_d
            (histogram if one_d else heatmap).show(data)  # type: ignore[attr-defined]
        status_widget = self.query_one("#compare-status", Static)
        fit_lines(status_widget.content_size.width, *lines)
        status = Text("\n").join(lines)
        self.status_plain = status.plain  # what the two lines say (tests read it)
        status_widget.update(status)
        # the chart draws a LossFrame, not one run's ChartData (see CompareLoss.data_key/draw)
        self.query_one(CompareLoss).show(LossFrame(tuple(series), self.step, self.app_marker))  # type: ignore[arg-type]

    @property
    def app_marker(self) -> str:
        marker: Any = getattr(self.app, "marker", "hd")
        return str(marker)


