"""Cosine-similarity heatmap of a layer's neurons: half-block cells, diverging colours.

With the default `hd` marker each terminal cell shows two matrix entries ('▀': the upper one is the
foreground colour, the lower one the background), neurons in the analysis' block-revealing order,
sampled down to the cells available so the cost never grows with m^2. A console without block
glyphs (`--marker braille|dot`) or without colour (NO_COLOR) gets plain ASCII glyphs instead, one
entry per row and two columns per entry (a square's shape), whose glyph carries the strength and
the sign, coloured unless NO_COLOR. Palette, glyphs and sampling are condense_tui.charts', shared
with the `--plot` heatmap.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import cache

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from ...charts import palette
from ...charts.sampling import heatmap_cells, heatmap_title
from ..ansi import PLAIN, line_of
from ..view import ChartData


@cache
def level_colour(level: int) -> str:
    return "rgb({},{},{})".format(*palette.level_rgb(level))


@cache
def cell_style(top: int, bottom: int) -> Style:
    return Style(color=level_colour(top), bgcolor=level_colour(bottom))


def glyph_strip(row: np.ndarray, no_color: bool) -> Strip:
    """One row of entries as doubled ASCII glyphs, each in its palette colour unless `no_color`."""
    if no_color:
        return Strip([Segment("".join(2 * palette.glyph(float(v), palette.ASCII) for v in row), PLAIN)])
    return Strip([Segment(2 * palette.glyph(float(v), palette.ASCII), Style(color=level_colour(int(lv))))
                  for v, lv in zip(row, palette.levels(row))]).simplify()


class CosineHeatmap(Widget):
    DEFAULT_CSS = """
    CosineHeatmap {
        width: auto;
        height: 1fr;
        min-height: 4;
        padding-left: 1;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._data: ChartData | None = None
        self._strips: list[Strip] = []
        self._key: tuple[object, ...] | None = None
        self.builds = 0
        self.shown_neurons = 0

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Two neurons per row (half blocks), so a square's worth of columns, never more than half
        the row it shares: asked at every layout, so it follows resizes and the control panel."""
        rows = max(4, container.height)
        return max(16, min(2 * (rows - 1), container.width // 2))

    def show(self, data: ChartData) -> None:
        self._data = data
        if self._key is None or self._key[0] != self._data_key(data):
            self.refresh()

    @staticmethod
    def _data_key(data: ChartData) -> tuple[object, ...]:
        return (id(data.snapshot), data.layer, data.no_color, data.marker)

    def _rebuild(self) -> None:
        width, height = self.size.width, self.size.height
        data = self._data
        key = (self._data_key(data) if data else None, width, height)
        if key == self._key:
            return
        self._key = key
        self.builds += 1
        meter = getattr(self.app, "render_meter", None)
        with meter.measure() if meter is not None else nullcontext():
            self._build(data, width, height)

    def _build(self, data: ChartData | None, width: int, height: int) -> None:
        if data is None or width < 2 or height < 3:
            self._strips = [Strip([Segment("waiting for the first snapshot", PLAIN)])]
            return
        la = data.layer_analysis
        glyphs = data.no_color or data.marker != "hd"  # no colour, or no block glyphs
        rows = height - 2  # two lines of title
        cells = min(width // 2, rows) if glyphs else min(width, 2 * rows)
        matrix, picked = heatmap_cells(la, cells)
        self.shown_neurons = len(picked)
        title = heatmap_title(data.layer, len(picked), len(la.order))
        legend = palette.glyph_legend(palette.ASCII) if glyphs else palette.COLOR_LEGEND
        strips = [Strip([Segment(title[:width], Style(bold=True))]), Strip([Segment(legend[:width], PLAIN)])]
        if glyphs:
            strips.extend(glyph_strip(row, data.no_color) for row in matrix)
        else:
            for top, bottom in palette.half_block_pairs(matrix):
                if bottom is None:  # odd count: the last row has no partner below
                    last_row = [Segment(palette.HALF, Style(color=level_colour(int(t)))) for t in top]
                    strips.append(Strip(last_row).simplify())
                else:
                    strips.append(Strip([Segment(palette.HALF, cell_style(int(t), int(b)))
                                         for t, b in zip(top, bottom)]).simplify())
        self._strips = strips

    def render_line(self, y: int) -> Strip:
        self._rebuild()
        return line_of(self._strips, y, self.size.width)
