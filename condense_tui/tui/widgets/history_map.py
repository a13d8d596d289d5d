"""The collapse in one picture (1-D input): the amplitude-weighted orientation histogram of every kept
snapshot, angle across and step down on a log axis, so the initial stage gets as much room as the
long tail. Each row is the state at the end of its slice of the axis, coloured relative to its own
peak (blue: a little of the row's amplitude, white: more, red: the peak; blank: none). Marks: the
theory's orientations above the map (red a>0, blue a<0), the layer's watch step (`w` on the axis)
and the viewed step (`◀` at the right edge). Rows come precomputed from the history (history.py),
so a frame only indexes and colours them."""

from __future__ import annotations

from contextlib import nullcontext
from functools import cache

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from ...charts import palette
from ...charts.timeline import (
    column_of_angle,
    rebin,
    share_levels,
    slot_of_step,
    slot_rows,
    step_label,
)
from ..ansi import PLAIN, line_of
from ..view import ChartData

AXIS = 6  # columns of step labels left of the map
MARK = {True: Style(color="red", bold=True), False: Style(color="blue", bold=True)}


@cache
def _colour(level: int) -> str:
    return "rgb({},{},{})".format(*palette.level_rgb(level))


@cache
def _cell(top: int, bottom: int) -> tuple[str, Style]:
    """One half-block cell: top slot in the foreground, bottom in the background; -1 is empty."""
    if top < 0 and bottom < 0:
        return " ", PLAIN
    if top < 0:
        return "\u2584", Style(color=_colour(bottom))
    return palette.HALF, Style(color=_colour(top), bgcolor=_colour(bottom) if bottom >= 0 else None)


def _glyph(level: int) -> str:
    return " " if level < 0 else palette.glyph(max(level, 1) / (palette.LEVELS - 1), palette.BLOCKS)


class HistoryMap(Widget):
    DEFAULT_CSS = """
    HistoryMap {
        width: 1fr;
        height: 1fr;
        min-height: 6;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._data: ChartData | None = None
        self._strips: list[Strip] = []
        self._key: tuple[object, ...] | None = None
        self.builds = 0

    @staticmethod
    def _data_key(data: ChartData) -> tuple[object, ...]:
        kept = data.kept
        return (id(data.snapshot), kept.version if kept else -1, data.layer, data.live_step, data.watch_step,
                data.no_color)

    def show(self, data: ChartData) -> None:
        self._data = data
        if self._key is None or self._key[0] != self._data_key(data):
            self.refresh()

    @property
    def text(self) -> str:
        return "\n".join(strip.text for strip in self._strips)

    def render_line(self, y: int) -> Strip:
        width, height, data = self.size.width, self.size.height, self._data
        key = (self._data_key(data) if data else None, width, height)
        if key != self._key:
            self._key = key
            self.builds += 1
            meter = getattr(self.app, "render_meter", None)
            with meter.measure() if meter is not None else nullcontext():
                self._strips = self._build(data, width, height)
        return line_of(self._strips, y, width)

    def _build(self, data: ChartData | None, width: int, height: int) -> list[Strip]:
        if data is None or data.kept is None or width < AXIS + 12 or height < 5:
            return [Strip([Segment("waiting for the first snapshot", PLAIN)])]
        kept, layer = data.kept, data.layer
        with kept.lock:
            steps = list(kept.steps)
            rows = list(kept.rows)
            described = kept.describe()
        if not steps:
            return [Strip([Segment("history: no snapshot kept yet", PLAIN)])]
        columns = width - AXIS - 1
        body = height - 3  # title, theory marks, angle ticks
        per_row = 1 if data.no_color else 2
        newest = max(steps[-1], data.live_step or data.snapshot.step)
        slots = slot_rows(steps, body * per_row, newest)
        levels: dict[int, np.ndarray] = {}
        for index in set(slots.tolist()) - {-1}:
            shares = rows[index].layers[layer].shares if layer < len(rows[index].layers) else None
            levels[index] = share_levels(rebin(shares, columns)) if shares is not None else np.full(columns, -1)
        empty = np.full(columns, -1)

        def slot_levels(slot: int) -> np.ndarray:
            return levels.get(int(slots[slot]), empty) if slot < len(slots) else empty

        title = f"L{layer + 1} orientation share, step down (log) | {described}"
        strips = [Strip([Segment(title[:width], Style(bold=True))]), self._theory_row(data, columns)]
        watch_row = slot_of_step(data.watch_step, len(slots), newest) // per_row if data.watch_step <= newest else -1
        viewed_row = slot_of_step(data.snapshot.step, len(slots), newest) // per_row
        labels = self._labels(body, per_row, len(slots), newest)
        for r in range(body):
            label = labels.get(r, "")
            if r == watch_row:
                label = (label + "w") if len(label) < AXIS - 1 else "w"
            segments = [Segment(f"{label:>{AXIS - 1}} ", Style(color="orange1") if r == watch_row else PLAIN)]
            if per_row == 1:
                segments.append(Segment("".join(_glyph(int(v)) for v in slot_levels(r)), PLAIN))
            else:
                top, bottom = slot_levels(2 * r), slot_levels(2 * r + 1)
                segments.extend(Segment(*_cell(int(t), int(b))) for t, b in zip(top, bottom))
            viewed = data.viewing and r == viewed_row
            mark = Style(color="magenta", bold=True) if viewed else PLAIN
            segments.append(Segment("\u25c0" if viewed else "\u2502", mark))
            strips.append(Strip(segments).simplify())
        strips.append(self._angle_ticks(columns, data.no_color, width))
        return strips

    @staticmethod
    def _labels(body: int, per_row: int, slots: int, newest: int) -> dict[int, str]:
        """Step ticks: 0 on the first row, then 1, 10, 100 ... on the row whose slice holds them."""
        labels = {0: "0"}
        power = 1
        while power <= newest:
            row = slot_of_step(power, slots, newest) // per_row
            if row not in labels and row - 1 not in labels:
                labels[row] = step_label(power)
            power *= 10
        last = body - 1
        if last not in labels and last - 1 not in labels:
            labels[last] = step_label(newest)
        return labels

    @staticmethod
    def _theory_row(data: ChartData, columns: int) -> Strip:
        cells = [" "] * columns
        styles: list[Style] = [PLAIN] * columns
        prediction = data.layer_analysis.prediction if data.layer < len(data.analysis.layers) else None
        if prediction is not None:
            for angle, kind in zip(prediction.angles, prediction.kinds):
                c = column_of_angle(float(angle), columns)
                cells[c] = "v" if data.no_color else "\u25bc"
                styles[c] = MARK[kind > 0]
        head = "theory" if prediction is not None else "step"
        row = [Segment(f"{head:>{AXIS - 1}} ", PLAIN), *(Segment(c, s) for c, s in zip(cells, styles))]
        return Strip(row).simplify()

    @staticmethod
    def _angle_ticks(columns: int, no_color: bool, width: int) -> Strip:
        line = [" "] * columns
        legend = "blue low, red peak per row" if not no_color else "share per row: " + "".join(palette.BLOCKS.positive)
        marks = [("-pi", 0), ("0", columns // 2), ("pi", columns - 2)]
        if len(legend) + 8 < columns // 2:
            marks.append((legend, (columns // 2 - len(legend)) // 2))
        for text, at in marks:
            line[at:at + len(text)] = list(text)
        row = " " * AXIS + "".join(line)[:columns]
        return Strip([Segment(row[:width], PLAIN)])
