"""The [expect] vocabulary: validation and the verdict on real snapshots."""

from __future__ import annotations

import dataclasses

import pytest

from condense_tui.analysis.expectation import check_expect, evaluate
from condense_tui.analysis.report import analysis_of
from condense_tui.config import ConfigError, load_preset
from condense_tui.runs import build_controller


def _snapshots(name: str, **changes) -> dict:
    config = load_preset(name).replace(**changes)
    trainer = build_controller(config)
    by_step: dict = {}
    trainer.subscribe(lambda s: by_step.setdefault(s.step, s))
    trainer.run()
    return by_step


@pytest.fixture(scope="module")
def tanh_1d():
    return _snapshots("fig6-tanh", steps=100, snapshot_every=50)


def test_count_checks_compare_the_counted_lines(tanh_1d):
    lines = analysis_of(tanh_1d[100]).layers[0].lines
    assert evaluate({"lines": lines}, 100, tanh_1d)["met"] is True
    verdict = evaluate({"lines": lines + 1}, 100, tanh_1d)
    assert verdict["met"] is False
    assert verdict["checks"][0] == {"check": "lines", "layer": 1, "step": 100, "expected": lines + 1,
                                    "measured": lines, "met": False}
    orientations = analysis_of(tanh_1d[100]).layers[0].orientations
    assert evaluate({"min_orientations": orientations}, 100, tanh_1d)["met"] is True
    assert evaluate({"min_orientations": orientations + 1}, 100, tanh_1d)["met"] is False


def test_bounds_on_the_counts(tanh_1d):
    layer = analysis_of(tanh_1d[100]).layers[0]
    assert evaluate({"max_lines": layer.lines}, 100, tanh_1d)["met"] is True
    assert evaluate({"max_lines": layer.lines - 1}, 100, tanh_1d)["met"] is False
    assert evaluate({"max_orientations": layer.orientations - 1}, 100, tanh_1d)["met"] is False


def test_test_accuracy_is_read_from_the_snapshot_extras(tanh_1d):
    verdict = evaluate({"test_accuracy": [0.8, 0.9]}, 100, tanh_1d)
    assert verdict["met"] is None and verdict["checks"][0]["reason"] == "this run reports no test accuracy"
    reported = dataclasses.replace(tanh_1d[100], extras={"accuracy": {"test": (0.5, 0.85)}})
    assert evaluate({"test_accuracy": [0.8, 0.9]}, 100, {100: reported})["met"] is True
    assert evaluate({"test_accuracy": [0.9, 1.0]}, 100, {100: reported})["met"] is False


def test_a_step_the_run_did_not_reach_leaves_the_verdict_open(tanh_1d):
    verdict = evaluate({"lines": 1}, 200, tanh_1d)
    assert verdict["met"] is None and "step 200" in verdict["reason"]
    assert evaluate({}, 100, tanh_1d)["met"] is None


def test_per_layer_checks_use_their_own_steps(tanh_1d):
    lines = analysis_of(tanh_1d[50]).layers[0].lines
    verdict = evaluate({"lines_per_layer": [lines], "watch_steps": [50]}, 100, tanh_1d)
    assert verdict["met"] is True and verdict["checks"][0]["step"] == 50


def test_polynomial_checks_on_a_tanh_network(tanh_1d):
    """Early on, a small-init tanh network is close to the linear least-squares fit of the data."""
    verdict = evaluate({"polynomial_degree": 1}, 100, tanh_1d)
    check = verdict["checks"][0]
    assert verdict["met"] is True and check["measured"] == 1
    assert check["distances"]["1"] < check["tolerance"] < check["distances"]["2"]
    assert evaluate({"polynomial_degree": 3}, 100, tanh_1d)["met"] is False
    assert evaluate({"not_polynomial_degrees": [1, 2]}, 100, tanh_1d)["met"] is False


@pytest.mark.parametrize("expect,fragment", [
    ({"line": 1}, "did you mean 'lines'"),
    ({"lines": -1}, "expect.lines must be a whole number >= 0"),
    ({"lines": "one"}, "expect.lines must be a whole number"),
    ({"lines_per_layer": [1, 1]}, "lists 2 layers but depth is 1"),
    ({"watch_steps": [10]}, "needs lines_per_layer"),
    ({"test_accuracy": [0.9, 0.8]}, "must be \\[low, high\\]"),
    ({"test_accuracy": 0.9}, "must be \\[low, high\\]"),
])
def test_bad_expectations_are_refused(expect, fragment):
    with pytest.raises(ValueError, match=fragment):
        check_expect(expect, depth=1)
    with pytest.raises(ConfigError, match=fragment):
        load_preset("fig6-tanh").replace(expect=expect)
