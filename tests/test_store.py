"""The run store package: the append-only writer, the lock, and the reader of every layout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from condense_tui.config import RunConfig, load_preset
from condense_tui.engine.snapshot import Snapshot
from condense_tui.runs import build_controller
from condense_tui.store import RunReader, RunStore, StoreError, read_run
from condense_tui.store.lock import live_writer

FIXTURE = Path(__file__).parent / "fixtures" / "store_v1"  # written by the one-npz writer


@pytest.fixture(scope="module")
def published():
    config = load_preset("fig6-tanh").replace(steps=40, snapshot_every=10)
    snapshots = []
    trainer = build_controller(config)
    trainer.subscribe(snapshots.append)
    trainer.run()
    return config, snapshots


def _write(path: Path, config: RunConfig, snapshots: list[Snapshot], finish: bool = True) -> RunStore:
    store = RunStore(path, config)
    for snap in snapshots:
        store.append_lines([json.dumps({"step": int(s), "loss": float(v)})
                            for s, v in zip(snap.loss_steps, snap.losses[:, 0])])
        store.add_losses(snap.loss_steps, snap.losses[:, 0])
        store.add_snapshot(snap)
        store.add_snapshot(snap)  # a step already stored is skipped
    if finish:
        store.write_summary({"event": "summary", "interrupted": False, "diverged": False})
        store.write_npz()
        store.close()
    return store


def test_the_earlier_single_npz_layout_still_opens():
    run = read_run(FIXTURE)
    assert run.layout == "npz" and run.status == "finished" and run.writer_pid is None
    assert run.snapshots.steps.tolist() == [0, 10, 20, 30]
    assert run.snapshots.layers[0].shape == (4, 100, 2) and run.snapshots.output.shape == (4, 100)
    with np.load(FIXTURE / "snapshots.npz") as npz:
        np.testing.assert_array_equal(run.snapshots.layers[0][2], npz["step_000020_layer1"])
        np.testing.assert_array_equal(run.snapshots.initial_layers[0], npz["step_000000_layer1"])
    assert run.records["step"].tolist() == [0, 5, 10, 15, 20, 25, 30]
    assert run.records["layer1.lines"][0] == 4 and np.isnan(run.records["layer1.lines"][1])
    assert run.losses["step"].tolist() == [0, 5, 10, 15, 20, 25, 30]
    assert run.config["name"] == "fig6-tanh" and run.summary["event"] == "summary"


def test_an_earlier_npz_cut_by_a_kill_gives_no_snapshots_but_its_records(tmp_path):
    copy = tmp_path / "old"
    shutil.copytree(FIXTURE, copy)
    data = (copy / "snapshots.npz").read_bytes()
    (copy / "snapshots.npz").write_bytes(data[: len(data) // 2])  # no zip directory
    (copy / "summary.json").unlink()
    run = read_run(copy)
    assert len(run.snapshots) == 0 and run.status == "killed"
    assert run.records["step"].tolist() == [0, 5, 10, 15, 20, 25, 30]


def test_stored_arrays_equal_what_the_run_published(tmp_path, published):
    config, snapshots = published
    _write(tmp_path / "run", config, snapshots)
    run = read_run(tmp_path / "run")
    assert run.layout == "streams" and run.status == "finished"
    assert run.snapshots.steps.tolist() == [s.step for s in snapshots] == [0, 10, 20, 30, 40]
    for i, snap in enumerate(snapshots):
        np.testing.assert_array_equal(run.snapshots.layers[0][i], snap.layers[0][0])
        np.testing.assert_array_equal(run.snapshots.output[i], snap.output[0])
    np.testing.assert_array_equal(run.snapshots.initial_layers[0], snapshots[0].initial_layers[0][0])
    assert run.losses["step"].tolist() == list(range(41))
    np.testing.assert_allclose(run.losses["loss"], np.concatenate([s.losses[:, 0] for s in snapshots]))
    with np.load(tmp_path / "run" / "snapshots.npz") as npz:  # the earlier format, for old scripts
        assert npz["steps"].tolist() == [0, 10, 20, 30, 40]
        np.testing.assert_array_equal(npz["step_000030_layer1"], snapshots[3].layers[0][0])
    assert np.load(tmp_path / "run" / "snapshots" / "layer1.npy").shape == (5, 100, 2)


def test_half_written_rows_and_lines_are_ignored(tmp_path, published):
    config, snapshots = published
    store = _write(tmp_path / "run", config, snapshots, finish=False)  # still "running"
    folder = tmp_path / "run" / "snapshots"
    with open(folder / "layer1.npy", "ab") as handle:  # a kill in the middle of the next snapshot
        handle.write(b"\0" * 300)
    with open(tmp_path / "run" / "losses.npy", "ab") as handle:
        handle.write(b"\0" * 9)
    with open(tmp_path / "run" / "metrics.jsonl", "a") as handle:
        handle.write('{"step": 41, "lo')
    run = read_run(tmp_path / "run")
    assert run.status == "running" and run.writer_pid is not None
    assert run.snapshots.steps.tolist() == [0, 10, 20, 30, 40] and len(run.snapshots.layers[0]) == 5
    assert len(run.losses["step"]) == 41 and run.records["step"][-1] == 40
    store.close()
    assert read_run(tmp_path / "run").status == "killed"  # no summary, no writer


def test_a_follower_sees_snapshots_as_they_land(tmp_path, published):
    config, snapshots = published
    store = RunStore(tmp_path / "run", config)
    reader = RunReader(tmp_path / "run")
    seen = []
    for snap in snapshots:
        store.append_lines([json.dumps({"step": snap.step, "loss": snap.loss})])
        store.add_snapshot(snap)
        run = reader.refresh()
        seen.append((run.snapshots.steps.tolist(), run.records["step"].tolist()))
    store.close()
    assert seen[0] == ([0], [0]) and seen[2] == ([0, 10, 20], [0, 10, 20])
    assert seen[-1][0] == [0, 10, 20, 30, 40]


def test_a_second_writer_is_refused_while_the_first_lives(tmp_path, published):
    config, snapshots = published
    first = _write(tmp_path / "run", config, snapshots[:2], finish=False)
    for force in (False, True):
        with pytest.raises(StoreError, match=r"being written by another run \(pid \d+\)"):
            RunStore(tmp_path / "run", config, force=force)
    assert read_run(tmp_path / "run").snapshots.steps.tolist() == [0, 10]  # untouched
    first.close()
    assert live_writer(tmp_path / "run") is None
    with pytest.raises(StoreError, match="not empty"):
        RunStore(tmp_path / "run", config)
    RunStore(tmp_path / "run", config, force=True).close()  # a finished run may be replaced
    assert read_run(tmp_path / "run").snapshots.steps.tolist() == []


def test_not_a_run_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a condense-tui run directory"):
        read_run(tmp_path)
