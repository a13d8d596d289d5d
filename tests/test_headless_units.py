"""Small pieces of the headless face: JSON safety, the npz store, the engine fix it relies on."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from condense_tui.config import load_preset
from condense_tui.runs import build_controller
from condense_tui.headless.jsonsafe import dumps, jsonable
from condense_tui.store import RunStore, StoreError, snapshot_key


def test_non_finite_numbers_become_null_and_numpy_values_plain():
    record = {"loss": float("nan"), "inf": -math.inf, "f32": np.float32(1.5), "i": np.int64(3),
              "b": np.bool_(True), "arr": np.array([1.0, np.nan]), "nested": [(np.float64(np.inf),)]}
    text = dumps(record)
    assert json.loads(text) == {"loss": None, "inf": None, "f32": 1.5, "i": 3, "b": True,
                                "arr": [1.0, None], "nested": [[None]]}
    assert "NaN" not in text and "Infinity" not in text


def test_unknown_objects_are_refused_not_silently_written():
    with pytest.raises(TypeError):
        jsonable(object())


def test_snapshot_keys():
    assert snapshot_key(100, "layer1") == "step_000100_layer1"
    assert snapshot_key(1234567, "output") == "step_1234567_output"


def test_store_appends_snapshots_and_stays_readable(tmp_path):
    config = load_preset("fig6-tanh").replace(steps=20, snapshot_every=10)
    snapshots = []
    trainer = build_controller(config)
    trainer.subscribe(snapshots.append)
    trainer.run()
    store = RunStore(tmp_path / "run", config)
    for snap in snapshots + snapshots[-1:]:  # a repeated step is stored once
        store.add_snapshot(snap)
    store.write_summary({"event": "summary"})
    store.write_npz()
    store.close()
    with np.load(tmp_path / "run" / "snapshots.npz") as npz:
        assert npz["steps"].tolist() == [0, 10, 20]
        np.testing.assert_array_equal(npz["step_000010_layer1"], snapshots[1].layers[0][0])
        np.testing.assert_array_equal(npz["step_000020_output"], snapshots[2].output[0])
    with pytest.raises(StoreError, match="not empty"):
        RunStore(tmp_path / "run", config)


def test_trainer_reports_a_loss_not_finite_at_step_0():
    """Engine fix: the trainer thread used to crash (UnboundLocalError) when the very first loss
    was not finite; now it publishes a finished snapshot with the initial weights."""
    config = load_preset("fig6-tanh").replace(target="1e30*x", steps=10)
    with np.errstate(over="ignore", invalid="ignore"):
        snap = build_controller(config).run()
    assert snap.finished and snap.diverged_at == 0 and snap.step == 0
    assert len(snap.losses) == 0
    assert np.isfinite(snap.layers[0]).all()
