"""Accuracy in the headless face: the shared reader of snapshot.extras, the JSONL records at snapshot
steps, and the summary, on a tiny CIFAR-10-format set."""

from __future__ import annotations

import json
import math

import pytest
import torch

from clihelp import invoke, records
from condense_tui.analysis.accuracy import accuracy_fields, accuracy_history
from realdata_files import write_cifar


def test_reader_of_the_extras():
    assert accuracy_history(None) is None and accuracy_history({"epoch": 1.0}) is None
    assert accuracy_fields({}) == {}  # an MLP run: no accuracy keys at all
    empty = {"epoch": 0.5, "accuracy": {"step": (), "epoch": (), "train": (), "test": ()}}
    assert accuracy_fields(empty) == {"epoch": 0.5, "train_accuracy": None, "test_accuracy": None,
                                      "accuracy_step": None}
    two = {"epoch": 2.5, "accuracy": {"step": (3, 6), "epoch": (1.0, 2.0), "train": (0.25, 0.5),
                                      "test": (0.125, float("nan"))}}
    history = accuracy_history(two)
    assert len(history) == 2 and history.epoch == 2.5
    assert history.latest() == {"step": 6, "epoch": 2.0, "train": 0.5, "test": None}  # nan: no test set
    assert accuracy_fields(two) == {"epoch": 2.5, "train_accuracy": 0.5, "test_accuracy": None,
                                    "accuracy_step": 6}


@pytest.fixture(scope="module")
def cifar_run(tmp_path_factory):
    """fig1b-relu on 20 training and 10 test images, a narrow backbone, batch 8: 3 steps an epoch,
    2 epochs, a snapshot every 2 steps (so one falls inside an epoch, before any evaluation)."""
    folder = tmp_path_factory.mktemp("cifar")
    write_cifar(folder, per_batch=4, n_test=10)
    out = folder / "run"
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny convolutions: one thread beats two fighting over two cores
    try:
        result = invoke("--no-tui", "--preset", "fig1b-relu", "--data-dir", str(folder),
                        "--backbone-width", "4", "--batch-size", "8", "--n-test", "10", "--epochs", "2",
                        "--snapshot-every", "2", "--quiet", "--out", str(out))
    finally:
        torch.set_num_threads(before)
    return result, out


def test_snapshot_records_carry_the_newest_accuracy(cifar_run):
    result, _ = cifar_run
    assert result.exit_code == 0, result.stderr
    lines = records(result.stdout)  # every line is JSON
    by_step = {r["step"]: r for r in lines if "event" not in r}
    assert sorted(by_step) == [1, 2, 3, 4, 5, 6]
    assert "test_accuracy" not in by_step[1]  # not a snapshot step: step and loss only
    # step 2: a snapshot inside epoch 1, nothing evaluated yet
    assert by_step[2]["epoch"] == pytest.approx(2 / 3)
    assert by_step[2]["test_accuracy"] is None and by_step[2]["train_accuracy"] is None
    assert by_step[2]["accuracy_step"] is None and "layers" in by_step[2]
    # the ends of epochs 1 and 2 evaluate; step 4 repeats the newest evaluation (from step 3)
    for step, evaluated in ((3, 3), (4, 3), (6, 6)):
        record = by_step[step]
        assert record["accuracy_step"] == evaluated and record["epoch"] == pytest.approx(step / 3)
        for key in ("train_accuracy", "test_accuracy"):
            assert 0.0 <= record[key] <= 1.0
        assert math.isclose(record["test_accuracy"] * 10, round(record["test_accuracy"] * 10))  # k of 10
    assert by_step[4]["test_accuracy"] == by_step[3]["test_accuracy"]


def test_summary_carries_the_final_test_accuracy(cifar_run):
    result, out = cifar_run
    lines = records(result.stdout)
    summary = lines[-1]
    last = [r for r in lines if "event" not in r][-1]
    assert summary["event"] == "summary" and summary["steps"] == 6 and summary["last_step"] == 6
    assert summary["test_accuracy"] == last["test_accuracy"] and 0.0 <= summary["test_accuracy"] <= 1.0
    assert summary["accuracy"] == {"evaluations": 2, "step": 6, "epoch": 2.0,
                                   "train": last["train_accuracy"], "test": last["test_accuracy"]}
    assert json.loads((out / "summary.json").read_text()) == summary
    assert (out / "metrics.jsonl").read_text() == result.stdout


def test_synthetic_runs_report_no_accuracy():
    result = invoke("--no-tui", "--preset", "fig6-tanh", "--steps", "10", "--snapshot-every", "5", "--quiet")
    assert result.exit_code == 0, result.stderr
    lines = records(result.stdout)
    assert all("test_accuracy" not in r and "epoch" not in r for r in lines[:-1])
    assert lines[-1]["test_accuracy"] is None and lines[-1]["accuracy"] is None
    assert lines[-1]["steps"] == 10
