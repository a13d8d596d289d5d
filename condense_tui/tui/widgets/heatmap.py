"""Cosine-similarity heatmap of a layer's neurons: half-block cells, diverging colours.

Each terminal cell shows two matrix entries ('▀': the upper one is the foreground colour, the
lower one the background), neurons in the analysis' block-revealing order, sampled down to the
cells available so the cost never grows with m^2. Without colour (NO_COLOR) each cell holds one
entry drawn as a shade character whose glyph also carries the sign.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import lru_cache

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from ...analysis.neurons import ordered_cosines
from ..ansi import PLAIN, line_of
from ..view import ChartData

LEVELS = 33  # colour steps from -1 to +1
NEGATIVE = (33, 102, 172)  # blue
ZERO = (247, 247, 247)  # white
POSITIVE = (178, 24, 43)  # red
HALF = "▀"
# no colour: |D| in shades, sign in the glyph family (blocks for +, rules for -)
SHADES_POS = ("░", "▒", "▓", "█")
SHADES_NEG = ("·", "-", "=", "≡")


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b))
    return f"rgb({r},{g},{bl})"


@lru_cache(maxsize=None)
def level_colour(level: int) -> str:
    v = 2.0 * level / (LEVELS - 1) - 1.0
    return _mix(ZERO, POSITIVE, v) if v >= 0 else _mix(ZERO, NEGATIVE, -v)


@lru_cache(maxsize=None)
def cell_style(top: int, bottom: int) -> Style:
    return Style(color=level_colour(top), bgcolor=level_colour(bottom))


def levels(values: np.ndarray) -> np.ndarray:
    return np.clip(np.round((values + 1.0) / 2.0 * (LEVELS - 1)), 0, LEVELS - 1).astype(int)


def shade(value: float) -> str:
    size = abs(value)
    if size < 0.15:
        return " "
    family = SHADES_POS if value > 0 else SHADES_NEG
    return family[min(3, int((size - 0.15) / 0.85 * 4))]


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
        self._key: tuple | None = None
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
    def _data_key(data: ChartData) -> tuple:
        return (id(data.snapshot), data.layer, data.no_color)

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
        m = len(la.order)
        no_color = data.no_color
        rows = height - 2  # two lines of title
        cells = min(width, rows if no_color else 2 * rows)
        matrix, picked = ordered_cosines(la.directions, la.order, cells)
        k = len(picked)
        self.shown_neurons = k
        title = f"cos sim L{data.layer + 1}, {k}/{m} neurons"
        legend = "+1 █▓▒░ 0 ·-=≡ -1" if no_color else "blue -1  white 0  red +1"
        strips = [Strip([Segment(title[:width], Style(bold=True))]), Strip([Segment(legend[:width], PLAIN)])]
        if no_color:
            for i in range(k):
                strips.append(Strip([Segment("".join(shade(v) for v in matrix[i]), PLAIN)]))
        else:
            lv = levels(matrix)
            for r in range(0, k, 2):
                top = lv[r]
                if r + 1 < k:
                    bottom = lv[r + 1]
                    strips.append(Strip([Segment(HALF, cell_style(int(t), int(b)))
                                         for t, b in zip(top, bottom)]).simplify())
                else:  # odd count: the last row has no partner below
                    strips.append(Strip([Segment(HALF, Style(color=level_colour(int(t))))
                                         for t in top]).simplify())
        self._strips = strips

    def render_line(self, y: int) -> Strip:
        self._rebuild()
        return line_of(self._strips, y, self.size.width)
