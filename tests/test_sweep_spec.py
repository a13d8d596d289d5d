"""Sweep definitions: axis syntax, the grid, batching, and one-line errors with exit 2."""

from __future__ import annotations

import pytest

from condense_tui.sweep.__main__ import main
from condense_tui.sweep.plan import grid_points, plan_batches
from condense_tui.sweep.spec import (
    SweepError,
    SweepSpec,
    load_sweep,
    parse_values,
    sweep_names,
    with_flags,
)


def test_axis_syntax_lists_ranges_log_and_whole_numbers():
    assert parse_values("init_gamma", "0.5:4:8", "t") == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
    assert parse_values("init_std", "0.001:0.1:3:log", "t") == pytest.approx([0.001, 0.01, 0.1])
    assert parse_values("seed", "0-4", "t") == [0, 1, 2, 3, 4]
    assert parse_values("width", "10,20", "t") == [10, 20]
    assert parse_values("activation", "tanh, xtanh", "t") == ["tanh", "xtanh"]
    assert parse_values("residual", "true,false", "t") == [True, False]


def test_grid_is_the_product_and_shapes_share_batches():
    spec = with_flags(SweepSpec(), "fig6-x2tanh", ["init_gamma=1:2:3", "activation=tanh,xtanh"], "0-3", [])
    points = grid_points(spec)
    assert len(points) == 3 * 2 * 4 and len({p.key for p in points}) == 24
    batches = plan_batches(points, workers=1)
    assert sorted(len(b.points) for b in batches) == [12, 12]  # one batch per activation
    assert all(len({p.config.activations for p in b.points}) == 1 for b in batches)
    assert len(plan_batches(points, workers=4)) == 4  # split so that every worker has work


def test_activation_axis_drops_the_presets_multiplicity():
    spec = with_flags(SweepSpec(), "fig5-x2tanh", ["multiplicity=1,2"], None, [])
    assert [p.config.activations for p in grid_points(spec)] == [("tanh",), ("xtanh",)]


def test_shipped_sweep_presets_load():
    assert {"sweep-2p", "sweep-init-scale", "sweep-seeds"} <= set(sweep_names())
    for name in sweep_names():
        spec = load_sweep(name)
        assert spec.size() > 1
    with pytest.raises(SweepError, match="unknown sweep preset"):
        load_sweep("sweep-nope")


@pytest.mark.parametrize("args, words", [
    (["--axis", "widht=10,20"], ["--axis widht", "unknown setting", "did you mean 'width'"]),
    (["--axis", "init_gamma=1:2:0"], ["init_gamma", "empty"]),
    (["--seeds", "4-1"], ["--seeds", "empty"]),
    (["--axis", "width=ten"], ["--axis width", "whole numbers", "'ten'"]),
    (["--axis", "lr=fast"], ["lr", "numbers"]),
    (["--axis", "activation=0.5:1:3"], ["activation", "list of values"]),
    (["--axis", "activation=tanh,nope"], ["activation='nope'", "unknown activation"]),
    (["--axis", "width=0,10"], ["width=0", "out of range"]),
    (["--axis", "noequals"], ["KEY=VALUES"]),
    (["--set", "steps=1,2", "--seeds", "0-1"], ["--set steps", "one value"]),
    (["--preset", "fig6-x2tanh"], ["no axes"]),
    (["--resume", "--seeds", "0-1", "--out", "x"], ["--resume", "drop --seeds"]),
    (["--bogus"], ["No such option"]),
])
def test_bad_axes_give_one_line_and_exit_2(capsys, args, words):
    assert main(args) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("condense-tui: error: "), captured.err
    for word in words:
        assert word in lines[0]
    assert captured.out == ""
