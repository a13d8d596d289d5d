"""The condensed rule, the two resolutions, tightness and the sign index (analysis/growth, counting,
signs), on hand-made directions and on short preset runs."""

from __future__ import annotations

import numpy as np
import pytest

from condense_tui.analysis.counting import STRICT_ANGLE, count_condensation, tightness
from condense_tui.analysis.geometry import unit_rows
from condense_tui.analysis.growth import (
    GROWTH,
    is_condensed,
    neuron_growth,
    weighted_median,
)
from condense_tui.analysis.report import analyze
from condense_tui.analysis.signs import sign_index, sign_index_baseline
from condense_tui.config import load_preset, preset_names
from condense_tui.runs import build_controller

REAL_DATA = ("cifar10", "mnist")


def _run(name: str, **changes) -> dict:
    trainer = build_controller(load_preset(name).replace(**changes))
    by_step: dict = {}
    trainer.subscribe(lambda s: by_step.setdefault(s.step, s))
    trainer.run()
    return by_step


def test_growth_and_its_weighted_median():
    start = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]])
    now = np.array([[3.0, 0.0], [0.0, 2.0], [0.0, 50.0]])
    np.testing.assert_allclose(neuron_growth(now, start), [3.0, 1.0, 10.0])
    assert weighted_median(np.array([1.0, 3.0, 10.0]), np.array([1.0, 1.0, 5.0])) == 10.0
    assert weighted_median(np.array([1.0, 3.0, 10.0]), np.array([5.0, 1.0, 1.0])) == 1.0
    assert is_condensed(GROWTH) and not is_condensed(GROWTH * 0.99) and not is_condensed(float("nan"))


SYNTHETIC = [n for n in preset_names() if load_preset(n).data not in REAL_DATA]


@pytest.mark.parametrize("name", SYNTHETIC)
def test_no_synthetic_preset_reads_as_condensed_at_step_0(name):
    step0 = _run(name, steps=1, snapshot_every=1)[0]
    for layer in analyze(step0).summary()["layers"]:
        assert layer["condensed"] is False and layer["growth"] == pytest.approx(1.0)
        assert layer["lines"] is None and layer["orientations"] is None
        assert layer["lines_strict"] is None and layer["tightness"] is None


@pytest.mark.parametrize("name", ["fig2-tanh", "fig6-x2tanh"])
def test_presets_that_condense_read_as_condensed_at_their_watch_step(name):
    config = load_preset(name)
    snap = _run(name, snapshot_every=config.watch_step)[config.watch_step]
    layer = analyze(snap).summary()["layers"][0]
    assert layer["condensed"] is True and layer["growth"] > 2 * GROWTH
    assert layer["lines"] == config.expect["lines"]
    assert len(layer["tightness"]) == len(layer["sign_index"]) == layer["orientations"]


def test_a_run_whose_gradients_sit_below_adams_eps_never_condenses():
    snaps = _run("fig2-x2tanh", init_gamma=4.0, steps=60, snapshot_every=60)
    layer = analyze(snaps[60]).layers[0]
    assert not layer.condensed and layer.growth == pytest.approx(1.0, abs=1e-3)
    assert layer.orientations > 1  # what the old rule would have reported as condensation


def _bundle(rng, centre, count, spread):
    return unit_rows(centre + rng.normal(scale=spread, size=(count, len(centre))))


def test_strict_resolution_splits_sub_lines_the_merge_joins_and_tightness_shows_it():
    rng = np.random.default_rng(3)
    a = np.array([1.0, 0.0, 0.0])
    b = np.array([np.cos(0.45), np.sin(0.45), 0.0])  # 0.45 rad: one orientation at 0.5 rad, two at cos 0.95
    c = np.array([0.0, 0.0, 1.0])
    dirs = np.vstack([_bundle(rng, a, 30, 0.003), _bundle(rng, b, 30, 0.003), _bundle(rng, c, 30, 0.003)])
    weights = np.r_[np.full(30, 3.0), np.ones(30), np.full(30, 2.0)]  # the merged centre sits near a
    merged = count_condensation(dirs, weights)
    strict = count_condensation(dirs, weights, angle=STRICT_ANGLE)
    assert (merged.orientations, strict.orientations) == (2, 3)
    tight = tightness(dirs, weights, merged)
    split, alone = 0, 1  # heaviest first: a + b carry 120 of 180
    assert tight[alone] == pytest.approx(1.0)
    assert tight[split] == pytest.approx(0.75, abs=0.01)  # b (a quarter of it) lies beyond cos 0.95


def test_sign_index_of_sign_vectors_axes_and_its_random_baseline():
    assert sign_index(np.full((1, 6), 1 / np.sqrt(6)))[0] == pytest.approx(1.0)
    assert sign_index(np.eye(4))[0] == pytest.approx(0.5)
    rng = np.random.default_rng(0)
    for dim in (2, 3, 6, 11):
        u = unit_rows(rng.normal(size=(40_000, dim)))
        values = sign_index(u)
        sem = values.std() / np.sqrt(len(values))
        assert abs(values.mean() - sign_index_baseline(dim)) < 4 * sem
    assert sign_index_baseline(2) == pytest.approx(2 * np.sqrt(2) / np.pi)
    assert sign_index_baseline(10_000) == pytest.approx(np.sqrt(2 / np.pi), abs=1e-4)
