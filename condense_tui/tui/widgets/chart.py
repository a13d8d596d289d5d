"""Base for the plotext charts: rebuilt from its own data on every render, never incrementally.

plotext 5 keeps state between builds (a log axis crashes on the second build, a figure first
built empty keeps wrong axes), so each render clears the figure and draws from scratch. The
built lines are cached until the data, the size or the theme changes, so a paused run, or a
chart in a hidden tab, costs nothing. Lines are served through Textual's line API from plotext's
ANSI output (see ..ansi), which is much cheaper than rich Text for a chart that changes each frame.

Only textual-plotext's public API is used: the widget's `plt` figure and its `theme` (a named
plotext theme; "textual-default" draws in the terminal's own colours, so the chart takes the
widget's background and foreground from the app's theme).
"""

from __future__ import annotations

import math
import textwrap
from contextlib import nullcontext
from typing import Any, cast

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual_plotext import PlotextPlot

from ..ansi import PLAIN, ansi_to_strips, line_of
from ..view import ChartData


class SnapshotChart(PlotextPlot):
    DEFAULT_CSS = """
    SnapshotChart {
        width: 1fr;
        height: 1fr;
        min-height: 5;
    }
    """
    waiting = "waiting for the first snapshot"
    THEME = "textual-default"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.theme = cast(Any, self.THEME)  # a theme name textual-plotext registers
        self._data: ChartData | None = None
        self._cache_key: tuple[object, ...] | None = None
        self._strips: list[Strip] = []
        self.builds = 0  # how many times the figure was actually built (tests read it)

    # -- what subclasses provide -----------------------------------------------------------------
    def data_key(self, data: ChartData) -> tuple[object, ...]:
        """Everything the picture depends on besides size and theme."""
        return (id(data.snapshot), data.layer, data.marker, data.no_color)

    def draw(self, plt: Any, data: ChartData) -> None:
        raise NotImplementedError

    def notice(self, data: ChartData) -> str | None:
        """A sentence shown instead of the chart when this run has nothing it could draw."""
        return None

    # -- plumbing ---------------------------------------------------------------------------------
    def show(self, data: ChartData) -> None:
        key = self.data_key(data)
        self._data = data
        if self._cache_key is None or key != self._cache_key[0]:
            self.refresh()

    @property
    def text(self) -> str:
        """What the chart shows, as plain text (tests read it)."""
        return "\n".join(strip.text for strip in self._strips)

    def _build(self) -> None:
        data = self._data
        width, height = self.size.width, self.size.height
        key = (self.data_key(data) if data else None, width, height, self.app.theme)
        if key == self._cache_key:
            return
        meter = getattr(self.app, "render_meter", None)
        with meter.measure() if meter is not None else nullcontext():
            plt = self.plt
            plt.clear_figure()
            self.builds += 1
            try:
                notice = self.notice(data) if data is not None else None
                if notice is not None:
                    strips = notice_strips(notice, width)
                else:
                    if data is None:
                        plt.title(self.waiting)
                    else:
                        self.draw(plt, data)
                    # what PlotextPlot.render does, without its trip through rich Text
                    plt.plotsize(width, height)
                    plt.theme(self.theme)
                    strips = ansi_to_strips(plt.build())
            except Exception as err:  # noqa: BLE001 - a plotting glitch must never take the app down
                strips = [Strip([Segment(f"chart unavailable: {type(err).__name__}: {err}", Style(dim=True))])]
        self._cache_key, self._strips = key, strips

    def render_line(self, y: int) -> Strip:
        self._build()
        return line_of(self._strips, y, self.size.width)


def notice_strips(text: str, width: int) -> list[Strip]:
    """`text` word-wrapped to the chart's width under a blank line; paragraphs split on newlines."""
    strips = [Strip.blank(0, PLAIN)]
    for paragraph in text.split("\n"):
        for line in textwrap.wrap(paragraph, max(10, width - 2)) or [""]:
            strips.append(Strip([Segment(" " + line, PLAIN)]))
    return strips


# series colours as RGB, so each is drawn as the colour its legend names (a terminal's ANSI "blue"
# can be purple; Textual's themes remap the ANSI colours)
ORANGE = (255, 150, 30)
RED = (220, 40, 40)
GREY = (150, 150, 150)


def fitted(width: int, *titles: str) -> str:
    """The first (longest) of `titles` that fits a chart `width` columns wide: plotext leaves a
    title wider than its plot area (the width less the y tick labels, up to 8 columns, and the
    frame) as a blank row. The last one is returned cut if none fits."""
    room = max(8, width - 11)
    for title in titles:
        if len(title) <= room:
            return title
    return titles[-1][:room]


def as_list(values: Any) -> list[float]:
    """plotext wants plain lists of floats."""
    return [float(v) for v in values]


def log_ticks(low: float, high: float, rows: int) -> tuple[list[float], list[str]] | None:
    """Powers of ten between low and high as short labels ("1e-05"); None when the range spans
    less than a decade (plotext's own labels read better there)."""
    if not (low > 0 and high > low):
        return None
    first, last = math.ceil(math.log10(low)), math.floor(math.log10(high))
    if last - first < 1:
        return None
    every = max(1, math.ceil((last - first + 1) / max(2, rows // 2)))
    exps = list(range(first, last + 1, every))
    return [10.0**k for k in exps], [f"1e{k}" if k else "1" for k in exps]
