"""The sweep as a two-axis grid of cells: which points fall in a cell, and one number per cell.

Two chosen axes are the rows and columns; every other axis (seeds included) is aggregated inside a
cell, with the aggregation named on screen. Pure data: the live view draws it, tests read it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .plan import Point

Row = dict[str, Any]


def _count(row: Row) -> float | None:
    """Orientations of the first layer where the paper looked (the watch step), else at the end."""
    counts = row.get("watch_orientations") or row.get("orientations") or []
    return float(counts[0]) if counts and counts[0] is not None else None


def _over_bound(row: Row) -> float | None:
    count, bound = _count(row), (row.get("bound") or [None])[0]
    return count / bound if count is not None and bound else None


def _flag(key: str) -> Callable[[Row], float | None]:
    def value(row: Row) -> float | None:
        flag = row.get(key)
        return None if flag is None else float(bool(flag))
    return value


def _rd(row: Row) -> float | None:
    rd = row.get("rd")
    return float(rd) if rd is not None else None


@dataclass(frozen=True)
class Measure:
    name: str  # what the key cycles through and the header shows
    meaning: str
    value: Callable[[Row], float | None]
    aggregations: tuple[str, ...]  # the first is the default
    spec: str  # format of a cell's number
    bounds: tuple[float, float] | None = None  # fixed colour scale; None: the range seen so far


MEASURES = (
    Measure("count", "layer-1 orientations at the watch step (else the end)", _count, ("mean", "max", "min"), ".1f"),
    Measure("count/2p", "orientations over the bound 2p (above 1: bound broken)", _over_bound,
            ("max", "mean", "min"), ".2f", (0.0, 1.5)),
    Measure("RD", "relative distance of the weights from their start, at the end", _rd, ("mean", "max", "min"),
            ".3g"),
    Measure("met", "the preset's statement held (n/a: an axis changes its setup)", _flag("met"),
            ("fraction",), "", (0.0, 1.0)),
    Measure("within 2p", "orientations at most 2p on every layer", _flag("within_bound"), ("fraction",), "",
            (0.0, 1.0)),
)


def aggregate(values: list[float], how: str) -> float:
    if how == "max":
        return max(values)
    if how == "min":
        return min(values)
    return statistics.fmean(values)  # mean, and fraction of 0/1 flags


@dataclass(frozen=True)
class Cell:
    value: float | None  # None: no finished run in the cell has this measure
    text: str  # the number as shown (no colour, no glyph)
    finished: int
    total: int


def _text(measure: Measure, how: str, values: list[float], finished: int) -> str:
    if not finished:
        return "·"
    if not values:
        return "n/a"
    if how == "fraction":
        return f"{int(sum(values))}/{len(values)}"
    number = aggregate(values, how)
    if measure.name == "count" and how != "mean":
        return f"{number:.0f}"
    return format(number, measure.spec)


class SweepGrid:
    """The sweep's points laid out on two of its axes; rows are added as runs finish."""

    def __init__(self, axes: dict[str, list[Any]], points: list[Point]) -> None:
        self.axes = {name: list(values) for name, values in axes.items()}
        self.points = points
        self.rows: dict[str, Row] = {}  # point key -> its row
        self._members: dict[tuple[int, int], list[Point]] = {}  # cell -> points, for the current layout
        swept = [a for a in self.axes if a != "seed" and len(self.axes[a]) > 1]
        others = [a for a in self.axes if a not in swept]
        order = swept + others
        self.row_axis: str | None = order[0] if order else None
        self.col_axis: str | None = order[1] if len(order) > 1 else None

    # -- layout -------------------------------------------------------------------------------------
    def choices(self, exclude: str | None) -> list[str | None]:
        """The axes one side may show: any but the other side's, or none."""
        return [a for a in self.axes if a != exclude] + [None]

    def next_row_axis(self) -> None:
        self.row_axis = self._after(self.row_axis, self.choices(self.col_axis))
        self._members.clear()

    def next_col_axis(self) -> None:
        self.col_axis = self._after(self.col_axis, self.choices(self.row_axis))
        self._members.clear()

    @staticmethod
    def _after(current: str | None, options: list[str | None]) -> str | None:
        return options[(options.index(current) + 1) % len(options)] if current in options else options[0]

    def row_values(self) -> list[Any]:
        return list(self.axes[self.row_axis]) if self.row_axis else [None]

    def col_values(self) -> list[Any]:
        return list(self.axes[self.col_axis]) if self.col_axis else [None]

    def aggregated(self) -> list[str]:
        """Axes inside a cell (more than one value and not on screen)."""
        return [a for a, v in self.axes.items() if a not in (self.row_axis, self.col_axis) and len(v) > 1]

    # -- content ------------------------------------------------------------------------------------
    def add(self, row: Row) -> None:
        self.rows[row["point"]] = row

    def cell_points(self, i: int, j: int) -> list[Point]:
        if (i, j) not in self._members:
            self._members[i, j] = self._select(i, j)
        return self._members[i, j]

    def _select(self, i: int, j: int) -> list[Point]:
        wanted = {axis: str(values[k]) for axis, values, k in
                  ((self.row_axis, self.row_values(), i), (self.col_axis, self.col_values(), j)) if axis}
        return [p for p in self.points if all(str(p.settings.get(a)) == v for a, v in wanted.items())]

    def cell(self, i: int, j: int, measure: Measure, how: str) -> Cell:
        points = self.cell_points(i, j)
        finished = [self.rows[p.key] for p in points if p.key in self.rows]
        values = [v for v in (measure.value(r) for r in finished) if v is not None]
        value = aggregate(values, how) if values else None
        return Cell(value, _text(measure, how, values, len(finished)), len(finished), len(points))

    def scale(self, measure: Measure, how: str) -> tuple[float, float]:
        """The colour scale: fixed for ratios and fractions, else the range of the cells so far."""
        if measure.bounds is not None:
            return measure.bounds
        values = [c.value for i in range(len(self.row_values())) for j in range(len(self.col_values()))
                  if (c := self.cell(i, j, measure, how)).value is not None]
        return (min(values), max(values)) if values else (0.0, 1.0)
