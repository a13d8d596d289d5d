"""Sweep rows are the single runs of the same settings: batched replicas measure like lone runs."""

from __future__ import annotations

import io
import json

import pytest

from condense_tui.headless.runner import HeadlessRun, prepare
from condense_tui.sweep.plan import grid_points
from condense_tui.sweep.runner import run_sweep
from condense_tui.sweep.spec import SweepSpec, with_flags
from condense_tui.sweep.store import csv_cell

FIXED = ["steps=60", "snapshot_every=10", "watch_step=60", "dtype=float64"]


def _single(config) -> dict:
    trainer, _ = prepare(config, None, False)
    out = io.StringIO()
    HeadlessRun(config, trainer, None, quiet=True, stdout=out).run()
    return json.loads(out.getvalue().splitlines()[-1])


@pytest.fixture(scope="module")
def sweep_rows():
    spec = with_flags(SweepSpec(name="t"), "fig6-x2tanh", ["init_gamma=0.8,1.2", "activation=tanh,x2tanh"],
                      "0-1", FIXED)
    return spec, run_sweep(spec, workers=1)


def test_batched_rows_equal_single_runs(sweep_rows):
    spec, rows = sweep_rows
    points = grid_points(spec)
    assert sorted(r["point"] for r in rows) == sorted(p.key for p in points)
    assert {r["replicas"] for r in rows} == {4}  # seeds x init scales share a trainer per activation
    by_key = {r["point"]: r for r in rows}
    for point in points:
        row, single = by_key[point.key], _single(point.config)
        final = single["final"]
        assert row["final_loss"] == pytest.approx(final["loss"], rel=1e-9, abs=1e-15)
        assert row["orientations"] == [layer["orientations"] for layer in final["layers"]]
        assert row["lines"] == [layer["lines"] for layer in final["layers"]]
        assert row["bound"] == single["bound"]
        assert row["rd"] == pytest.approx(final["rd"], rel=1e-6)
        assert row["watch_orientations"] == [layer["orientations"] for layer in single["at_watch"]["60"]]
        assert row["std"] == pytest.approx(point.config.std)


def test_seed_only_sweep_keeps_the_presets_verdict():
    spec = with_flags(SweepSpec(name="t"), "fig2-tanh", [], "0-1", ["dtype=float64"])
    rows = run_sweep(spec, workers=1)
    for row, point in zip(sorted(rows, key=lambda r: r["seed"]), grid_points(spec)):
        single = _single(point.config)
        assert row["met"] == single["met"] and row["met"] is not None
        assert row["orientations"] == [layer["orientations"] for layer in single["final"]["layers"]]


def test_settled_step_is_a_checkpoint_within_the_run(sweep_rows):
    _, rows = sweep_rows
    for row in rows:
        assert row["settled_step"] is not None and 0 <= row["settled_step"] <= 60
        assert row["settled_step"] % 10 == 0


def test_csv_cells():
    assert csv_cell([3, 2]) == "3;2"
    assert csv_cell(None) == ""
    assert csv_cell({"seed": 1, "width": 10}) == "seed=1 width=10"


def test_summary_table_takes_runs_that_have_not_condensed() -> None:
    """A run whose layer never condensed has no count: the table leaves it out of the ranges and
    says how many condensed, instead of failing on the missing number."""
    from condense_tui.sweep.table import summarize

    def row(seed: int, count: int | None) -> dict:
        return {"settings": {"seed": seed}, "watch_orientations": [count], "orientations": [count],
                "condensed": [count is not None], "bound": [2], "within_bound": None if count is None else True,
                "met": None, "rd": 1.0, "effective_rank": [1.5], "settled_step": None, "final_loss": 0.1}

    line, = summarize([row(0, 2), row(1, None), row(2, 3)], {"seed": [0, 1, 2]})
    assert line["orientations"] == "2-3" and line["at end"] == "2-3" and line["condensed"] == "2/3"
