"""The live sweep view, driven by a tiny real sweep (2 init scales x 2 activations x 2 seeds)."""

from __future__ import annotations

import threading

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from condense_tui.sweep import command
from condense_tui.sweep.grid import MEASURES, SweepGrid
from condense_tui.sweep.live import LiveSweep
from condense_tui.sweep.opening import open_target
from condense_tui.sweep.plan import grid_points
from condense_tui.sweep.runner import run_sweep
from condense_tui.sweep.spec import SweepSpec, with_flags
from condense_tui.sweep.view import SweepView
from tests.tui_support import wait_for

FIXED = ["steps=200", "snapshot_every=50", "watch_step=200"]  # long enough to condense: counts, not nulls


def tiny_spec() -> SweepSpec:
    return with_flags(SweepSpec(name="tiny"), "fig6-x2tanh", ["init_gamma=1.2,1.6", "activation=tanh,x2tanh"],
                      "0-1", FIXED)


@pytest.fixture(scope="module")
def finished():
    """The tiny sweep run to the end: a live sweep whose rows are all in."""
    live = LiveSweep(tiny_spec(), workers=1)
    live.start()
    assert live.join(120) and live.error is None and len(live.rows) == 8
    return live


def held_back(gate: threading.Event):
    """run_sweep whose rows wait for `gate`: the view opens on an empty grid, then rows arrive."""
    def runner(spec, *, on_row, **kwargs):
        def late_row(row):
            gate.wait(60)
            on_row(row)
        return run_sweep(spec, on_row=late_row, **kwargs)
    return runner


def expected_text(live: LiveSweep, i: int, j: int, measure_at: int = 0) -> str:
    grid = SweepGrid(live.plan.spec.axes, live.plan.points)
    for row in live.rows:
        grid.add(row)
    measure = MEASURES[measure_at]
    return grid.cell(i, j, measure, measure.aggregations[0]).text


async def test_rows_from_the_sweep_thread_fill_the_table() -> None:
    gate = threading.Event()
    live = LiveSweep(tiny_spec(), workers=1, runner=held_back(gate))
    assert live.start() is not None
    app = SweepView(live)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one("#grid", DataTable)
        assert (table.row_count, len(table.columns)) == (2, 2)  # init_gamma rows x activation columns
        assert all(app.cell_shown(i, j).strip() == "·" for i in range(2) for j in range(2))
        gate.set()
        await wait_for(pilot, lambda: live.finished, 60, "the sweep to end")
        await pilot.pause(0.6)
        for i in range(2):
            for j in range(2):
                shown = app.cell_shown(i, j)
                assert shown.strip() == expected_text(live, i, j) and "…" not in shown
        progress = str(app.query_one("#progress").render())
        assert "8/8 runs" in progress and "finished" in progress
        assert "mean over seed (2)" in str(app.query_one("#heading").render())
    live.join(30)


async def test_measure_key_changes_the_cells(finished: LiveSweep) -> None:
    app = SweepView(finished)
    async with app.run_test(size=(80, 24)) as pilot:
        before = [app.cell_shown(i, j).strip() for i in range(2) for j in range(2)]
        assert before == [expected_text(finished, i, j, 0) for i in range(2) for j in range(2)]
        await pilot.press("m")
        after = [app.cell_shown(i, j).strip() for i in range(2) for j in range(2)]
        assert after == [expected_text(finished, i, j, 1) for i in range(2) for j in range(2)]
        assert after != before and "count/2p" in str(app.query_one("#heading").render())
        await pilot.press("right")  # the cursor's cell is drawn reversed, so it shows on coloured cells
        await pilot.pause(0.1)
        table = app.query_one("#grid", DataTable)
        assert "reverse" in str(table.get_cell_at(Coordinate(0, 1)).style)
        assert "reverse" not in str(table.get_cell_at(Coordinate(0, 0)).style)
        await pilot.press("m", "m")  # to `met`: fractions over the two seeds
        assert all(app.cell_shown(i, j).strip() in ("n/a", "0/2", "1/2", "2/2") for i in range(2) for j in range(2))


async def test_enter_on_a_cell_opens_that_points_config(finished: LiveSweep) -> None:
    app = SweepView(finished)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")  # init_gamma 1.6, tanh: two seeds, so a picker
        await pilot.pause(0.2)
        await pilot.press("down", "enter")  # the second seed
        await pilot.pause(0.2)
    target = app.return_value
    assert target is not None
    assert target.point.settings == {"init_gamma": 1.6, "activation": "tanh", "seed": 1}
    assert target.config == target.point.config and target.config.seed == 1 and target.config.init_gamma == 1.6


def test_open_target_gives_the_config_the_sweep_trained() -> None:
    for point in grid_points(tiny_spec()):
        target = open_target(point, None)
        assert target.config is point.config and target.store is None


async def test_axis_keys_move_seeds_onto_the_screen(finished: LiveSweep) -> None:
    app = SweepView(finished)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")  # rows: the next axis not on the columns -> seed
        table = app.query_one("#grid", DataTable)
        assert app.grid.row_axis == "seed" and table.row_count == 2
        assert "mean over init_gamma (2)" in str(app.query_one("#heading").render())
        seen = []
        for _ in range(3):  # columns cycle over the axes not on the rows, and none (one column)
            await pilot.press("c")
            seen.append(app.grid.col_axis)
        assert seen == [None, "init_gamma", "activation"]
        await pilot.press("c")
        assert len(app.query_one("#grid", DataTable).columns) == 1
        assert "mean over init_gamma (2), activation (2)" in str(app.query_one("#heading").render())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_draws_at_both_sizes_without_colour(finished: LiveSweep, size: tuple[int, int],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = SweepView(finished)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        assert app.no_color
        table, legend = app.query_one("#grid", DataTable), app.query_one("#legend")
        assert table.region.height >= 4 and legend.region.bottom <= size[1]
        assert legend.region.width == size[0] and "▁" in str(legend.render())
        # without colour the level is a leading glyph on each finished cell
        assert all(app.cell_shown(i, j).strip()[0] in "▁▃▅▆█" for i in range(2) for j in range(2))
        assert all(line.strip() for line in app.export_screenshot().splitlines()[:1])


def test_the_view_needs_a_terminal_on_both_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(command.sys.stdout, "isatty", lambda: False, raising=False)
    assert not command.wants_view(False)
    monkeypatch.setattr(command.sys.stdout, "isatty", lambda: True, raising=False)
    assert command.wants_view(False) and not command.wants_view(True)


def test_a_bad_store_is_one_line_and_exit_2_before_any_screen(tmp_path, finished: LiveSweep) -> None:
    from condense_tui.sweep.watch import watch_sweep

    (tmp_path / "something").write_text("not a sweep store")
    lines: list[str] = []
    code = watch_sweep(tiny_spec(), workers=1, scheduler=None, out=tmp_path, resume=False, force=False,
                       quiet=True, stop=lambda: False, report=lines.append)
    assert code == 2 and len(lines) == 1 and "--force" in lines[0]


def test_cells_aggregate_the_hidden_axes_as_named(finished: LiveSweep) -> None:
    grid = SweepGrid(finished.plan.spec.axes, finished.plan.points)
    for row in finished.rows:
        grid.add(row)
    count, within = MEASURES[0], MEASURES[4]
    members = [finished.rows[k] for k in range(8)
               if finished.rows[k]["settings"] == {"init_gamma": 1.2, "activation": "tanh",
                                                   "seed": finished.rows[k]["settings"]["seed"]}]
    counts = [(r["watch_orientations"] or r["orientations"])[0] for r in members]
    assert len(members) == 2  # the two seeds of the cell (0, 0)
    assert grid.cell(0, 0, count, "max").text == str(max(counts))
    assert grid.cell(0, 0, count, "mean").value == pytest.approx(sum(counts) / 2)
    flags = [r["within_bound"] for r in members]
    assert grid.cell(0, 0, within, "fraction").text == f"{sum(map(bool, flags))}/2"
