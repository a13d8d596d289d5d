"""The live sweep view: the grid coloured by a measure, filling in as runs finish.

Rows come from the sweep thread (live.py) as messages; a 4 Hz timer redraws what changed, so a
burst of rows from one batch costs one redraw. Enter on a cell ends the view with the run to open
(opening.py); `q` asks the sweep to stop and ends the view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from .grid import MEASURES, Measure, SweepGrid
from .heat import cell_text, legend
from .opening import OpenRun, open_target
from .picker import PointPicker

if TYPE_CHECKING:
    from .live import LiveSweep
    from .plan import Point

REDRAW_S = 0.25
CELL_WIDTH = 6  # "0.94…" and a space: ten columns and their labels fit in 80


class RowArrived(Message):
    """A finished run's row (None: the sweep ended), posted from the sweep thread."""

    def __init__(self, row: dict[str, Any] | None) -> None:
        super().__init__()
        self.row = row


def axis_label(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "all" if value is None else str(value)


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}" if minutes >= 60 else f"{minutes}:{secs:02d}"


class SweepView(App[OpenRun | None]):
    TITLE = "condense-tui sweep"
    CSS = """
    #heading { height: auto; color: $text; }
    #progress { height: 1; text-style: bold; }
    #grid { height: 1fr; }
    #legend { height: auto; }
    """
    AUTO_FOCUS = "#grid"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_cell", "open", priority=True),  # priority: shown in the footer
        Binding("m", "next_measure", "measure"),
        Binding("g", "next_aggregation", "over"),
        Binding("r", "next_rows", "rows"),
        Binding("c", "next_columns", "cols"),
        Binding("q", "quit", "quit"),
        Binding("ctrl+c", "quit", "quit", show=False, priority=True),
    ]

    def __init__(self, live: LiveSweep, *, after: SweepView | None = None) -> None:
        """`after`: the view this one replaces (back from an opened run): same layout and cursor."""
        super().__init__()
        assert live.plan is not None, "start the sweep before opening its view"
        self.live = live
        self.grid: SweepGrid = after.grid if after else SweepGrid(live.plan.spec.axes, live.plan.points)
        self.measure_at: int = after.measure_at if after else 0
        self.how: str = after.how if after else MEASURES[0].aggregations[0]
        self._cursor = after.cursor if after else Coordinate(0, 0)
        self._widths: list[int] = []  # per column, set with the columns
        self._dirty = True
        self._ended = False

    @property
    def measure(self) -> Measure:
        return MEASURES[self.measure_at]

    def compose(self) -> ComposeResult:
        yield Static(id="heading")
        yield Static(id="progress")
        # no padding: coloured cells touch, as in a heatmap; each cell centres its own text
        yield DataTable(id="grid", cursor_type="cell", zebra_stripes=False, cell_padding=0)
        yield Static(id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self.live.listener = self.post_message_row
        for row in list(self.live.rows):  # rows that came before this view (or while a run was open)
            self.grid.add(row)
        self._ended = self.live.finished
        self._rebuild()
        self._main.query_one("#grid", DataTable).cursor_coordinate = self._cursor
        self.set_interval(REDRAW_S, self._redraw)

    def post_message_row(self, row: dict[str, Any] | None) -> None:
        self.post_message(RowArrived(row))  # thread-safe and never waits

    def on_unmount(self) -> None:
        self.live.listener = None

    def on_row_arrived(self, message: RowArrived) -> None:
        if message.row is None:
            self._ended = True
        else:
            self.grid.add(message.row)
        self._dirty = True

    # -- drawing ------------------------------------------------------------------------------------
    def _rebuild(self) -> None:
        """New columns and rows (the axes changed); cells are filled by `_fill`."""
        table = self._main.query_one("#grid", DataTable)
        table.clear(columns=True)
        table.show_row_labels = True
        cols, rows = self.grid.col_values(), self.grid.row_values()
        self._widths = []
        for j, value in enumerate(cols):
            label = axis_label(value) if self.grid.col_axis else self.measure.name
            width = max(len(label) + 2, CELL_WIDTH)
            self._widths.append(width)
            table.add_column(label.center(width), key=str(j), width=width)
        for i, value in enumerate(rows):
            table.add_row(*([""] * len(cols)), key=str(i), label=f" {axis_label(value)} ")
        self._dirty = True
        self._redraw()

    def _fill(self) -> None:
        table = self._main.query_one("#grid", DataTable)
        low, high = self.grid.scale(self.measure, self.how)
        at = table.cursor_coordinate
        for i in range(len(self.grid.row_values())):
            for j in range(len(self.grid.col_values())):
                cell = self.grid.cell(i, j, self.measure, self.how)
                shown = cell_text(cell, low, high, self.no_color, self._widths[j], cursor=(i, j) == tuple(at))
                table.update_cell_at(Coordinate(i, j), shown)
        self._main.query_one("#legend", Static).update(legend(self.measure, self.how, low, high, self.no_color))

    def _heading(self) -> str:
        grid, spec = self.grid, self.live.plan.spec  # type: ignore[union-attr]
        inside = ", ".join(f"{a} ({len(grid.axes[a])})" for a in grid.aggregated()) or "one run"
        return (f"{spec.name}: {self.measure.name} = {self.measure.meaning}\n"
                f"rows {grid.row_axis or '-'} · columns {grid.col_axis or '-'} · "
                f"cell = {self.how} over {inside}")

    def _progress(self) -> str:
        live = self.live
        done = f"{len(live.rows)}/{live.total} runs · elapsed {clock(live.elapsed())}"
        if live.error is not None:
            return f"{done} · failed: {' '.join(str(live.error).split())} (q to quit)"
        if live.should_stop() and not live.finished:
            return f"{done} · stopping…"
        if self._ended or live.finished:
            return f"{done} · finished" + ("" if live.out else " (rows not kept: pass --out DIR)")
        eta = live.eta()
        return f"{done} · ETA {clock(eta) if eta is not None else '…'}"

    @property
    def _main(self) -> Screen[Any]:
        """The grid's screen: query_one would search the active one, a picker while it is open."""
        return self.screen_stack[0]

    def _redraw(self) -> None:
        if not self.is_running or not self.screen_stack:  # a timer tick while the view closes
            return
        if self.live.should_stop() and not self.live.finished and self.return_code is None:
            self.exit(None)  # SIGTERM/SIGINT outside the app: the sweep stops, the view goes
        self._main.query_one("#progress", Static).update(self._progress())
        if self._dirty:
            self._dirty = False
            self._main.query_one("#heading", Static).update(self._heading())
            self._fill()

    # -- keys ---------------------------------------------------------------------------------------
    def action_next_measure(self) -> None:
        self.measure_at = (self.measure_at + 1) % len(MEASURES)
        self.how = self.measure.aggregations[0]
        self._rebuild()

    def action_next_aggregation(self) -> None:
        options = self.measure.aggregations
        self.how = options[(options.index(self.how) + 1) % len(options)]
        self._dirty = True
        self._redraw()

    def action_next_rows(self) -> None:
        self.grid.next_row_axis()
        self._rebuild()

    def action_next_columns(self) -> None:
        self.grid.next_col_axis()
        self._rebuild()

    async def action_quit(self) -> None:
        self.live.request_stop()
        self.exit(None)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._dirty = True
        self._redraw()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.open_cell(event.coordinate.row, event.coordinate.column)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter belongs to the grid's screen; over a picker it goes to the picker's list."""
        return action != "open_cell" or self.screen is self.screen_stack[0]

    def action_open_cell(self) -> None:
        at = self._main.query_one("#grid", DataTable).cursor_coordinate
        self.open_cell(at.row, at.column)

    def open_cell(self, row: int, column: int) -> None:
        """One run in the cell: open it; several: ask which."""
        points = self.grid.cell_points(row, column)
        if len(points) == 1:
            self.open_point(points[0])
        elif points:
            self.push_screen(PointPicker(points, self.grid.aggregated(), self.grid.rows),
                             lambda point: self.open_point(point) if point is not None else None)

    @property
    def cursor(self) -> Coordinate:
        """Where the cursor was when a run was opened (the next view starts there)."""
        return self._cursor

    def open_point(self, point: Point) -> None:
        self._cursor = self._main.query_one("#grid", DataTable).cursor_coordinate
        self.exit(open_target(point, self.live.out))

    def cell_shown(self, i: int, j: int) -> str:
        """The text of the cell at row i, column j as drawn now."""
        value = self._main.query_one("#grid", DataTable).get_cell_at(Coordinate(i, j))
        return value.plain if hasattr(value, "plain") else str(value)
