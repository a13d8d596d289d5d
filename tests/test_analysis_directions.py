"""DirectionWatch over a run, the max_direction_error expectation, the Adam-eps rule, and the new
keys in the headless records."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from clihelp import invoke

from condense_tui.analysis.adam_eps import eps_dominates, step_fraction
from condense_tui.analysis.directions import DirectionWatch
from condense_tui.analysis.expectation import check_expect, evaluate
from condense_tui.config import load_preset
from condense_tui.runs import build_controller


def _analysis(step: int, condensed: bool, error: float | None):
    layer = SimpleNamespace(condensed=condensed, max_peak_error=error)
    return SimpleNamespace(step=step, layers=(layer,))


def test_direction_watch_judges_from_arrival_and_remembers_the_first_loss():
    watch = DirectionWatch(0.15)
    for step, condensed, error in [(0, False, 1.0), (10, True, 0.4), (20, True, 0.1), (30, True, 0.12),
                                   (40, True, 0.3), (50, True, 0.05)]:
        watch.observe(_analysis(step, condensed, error))
    assert watch.fields() == {"direction_tolerance": 0.15, "direction_reached_at": 20,
                              "direction_ok_until": 30, "direction_lost_at": 40}
    never = DirectionWatch()
    never.observe(_analysis(0, False, 0.0))  # not condensed: not judged
    never.observe(_analysis(10, True, None))  # no prediction: not judged
    assert never.fields()["direction_reached_at"] is None


def test_adam_eps_rule():
    assert step_fraction(1e-8, 1e-8) == pytest.approx(0.5)
    assert eps_dominates(1e-19, 1e-8) and eps_dominates(1e-8, 1e-8)
    assert not eps_dominates(3e-4, 1e-8)
    # the median coordinate decides, not the largest
    assert eps_dominates(np.array([1e-20, 1e-20, 1.0]), 1e-8)
    assert not eps_dominates(np.array([1e-20, 1.0, 1.0]), 1e-8)
    with pytest.raises(ValueError):
        step_fraction(float("nan"), 1e-8)


def test_max_direction_error_is_validated():
    check_expect({"max_direction_error": 0.15}, 1)
    for bad in (0, -0.1, True, "0.1", 4.0):
        with pytest.raises(ValueError, match="max_direction_error"):
            check_expect({"max_direction_error": bad}, 1)


@pytest.fixture(scope="module")
def xtanh_1d():
    trainer = build_controller(load_preset("fig6-xtanh").replace(steps=200, snapshot_every=100))
    by_step: dict = {}
    trainer.subscribe(lambda s: by_step.setdefault(s.step, s))
    trainer.run()
    return by_step


def test_direction_check_at_the_watch_step(xtanh_1d):
    # at lr 5e-4 the a > 0 line of x*tanh has left its predicted orientation by step 200 (~0.56 rad)
    verdict = evaluate({"lines": 2, "max_direction_error": 0.15}, 200, xtanh_1d)
    direction = verdict["checks"][1]
    assert direction["check"] == "max_direction_error" and direction["met"] is False
    assert 0.3 < direction["measured"] < 0.8
    assert evaluate({"max_direction_error": 1.0}, 200, xtanh_1d)["met"] is True


def test_count_checks_fail_on_a_layer_that_has_not_condensed(xtanh_1d):
    verdict = evaluate({"lines": 4}, 0, xtanh_1d)  # step 0: random directions, no count
    assert verdict["met"] is False
    assert verdict["checks"][0]["measured"] is None
    assert verdict["checks"][0]["reason"] == "the layer has not condensed"
    assert evaluate({"max_direction_error": 3.0}, 0, xtanh_1d)["met"] is False


def test_headless_records_carry_the_new_keys():
    result = invoke("--no-tui", "-q", "-p", "fig6-x2tanh", "--steps", "60", "--snapshot-every", "20")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    summary = rows[-1]
    assert summary["predicted_lines"] == 3 and summary["predicted_orientations"] == 6
    assert {"direction_tolerance", "direction_reached_at", "direction_ok_until",
            "direction_lost_at"} <= summary.keys()
    first = next(r for r in rows if "layers" in r)["layers"][0]
    assert first["condensed"] is False and first["lines"] is None
    last = summary["final"]["layers"][0]
    for key in ("condensed", "growth", "lines_strict", "orientations_strict", "tightness", "sign_index",
                "sign_index_baseline", "predicted_lines", "predicted_orientations"):
        assert key in last
    assert last["sign_index_baseline"] == pytest.approx(2 * np.sqrt(2) / np.pi)
