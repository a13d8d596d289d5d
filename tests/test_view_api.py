"""load_run / run, and `condense-tui export`, on small stored runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from view_support import killed_store, one_d_config, stored_run

import condense_tui
from condense_tui import cli
from condense_tui.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "store_v1"


@pytest.fixture(scope="module")
def one_d(tmp_path_factory):
    return stored_run(tmp_path_factory.mktemp("view") / "one", one_d_config())


def test_load_run_arrays_equal_what_the_run_published(one_d):
    folder, published = one_d
    run = condense_tui.load_run(folder)
    assert run.status == "finished" and run.config.name == "fig6-tanh" and run.config.steps == 60
    assert run.snapshots.steps.tolist() == [s.step for s in published] == list(range(0, 70, 10))
    for i, snap in enumerate(published):
        np.testing.assert_array_equal(run.snapshots.layers[0][i], snap.layers[0][0])
        np.testing.assert_array_equal(run.snapshots.output[i], snap.output[0])
    np.testing.assert_array_equal(run.snapshots.initial_layers[0], published[0].initial_layers[0][0])
    steps = np.concatenate([s.loss_steps for s in published])
    np.testing.assert_array_equal(run.losses["step"], steps)
    np.testing.assert_array_equal(run.losses["loss"], np.concatenate([s.losses[:, 0] for s in published]))
    # the records as columns: step, loss and the counts per layer
    assert run.records["step"].tolist() == list(range(0, 70, 10))
    assert run.records["layer1.lines"].shape == run.records["step"].shape
    assert run.summary["final"]["layers"][0]["lines"] == run.records["layer1.lines"][-1]
    # a rebuilt snapshot is the published one
    rebuilt = run.snapshot(32)
    assert rebuilt.step == 30
    np.testing.assert_array_equal(rebuilt.layers[0], published[3].layers[0])
    np.testing.assert_array_equal(rebuilt.loss_steps, np.arange(31))


def test_run_trains_in_process_and_returns_the_same_kind_of_object():
    run = condense_tui.run("fig6-tanh", steps=20, snapshot_every=10)
    assert run.path is None and run.status == "finished"
    assert run.snapshots.steps.tolist() == [0, 10, 20] and run.snapshots.layers[0].shape == (3, 100, 2)
    assert type(run.snapshots.layers[0]) is np.ndarray  # in memory: the temporary store is gone
    with pytest.raises(condense_tui.RunFailed, match="unknown key"):
        condense_tui.run("fig6-tanh", stepz=3)


def test_import_stays_light():
    code = "import sys, condense_tui; print(sorted(m for m in ('numpy', 'textual', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_store_killed_mid_run_loads_every_snapshot_before_the_kill(tmp_path):
    out = killed_store(tmp_path / "killed")
    run = condense_tui.load_run(out)
    assert run.status == "killed" and run.summary is None
    steps = run.snapshots.steps.tolist()
    assert len(steps) >= 3 and steps == list(range(0, 10 * len(steps), 10))
    assert np.isfinite(np.asarray(run.snapshots.layers[0])).all()



def test_the_earlier_single_npz_store_still_loads():
    run = condense_tui.load_run(FIXTURE)
    assert run.status == "finished" and run.snapshots.steps.tolist() == [0, 10, 20, 30]


def _cli(*args: str) -> int:
    cli._TUI_OPENED = False  # set by an earlier test that opened the TUI: main() would os._exit
    try:
        main(list(args))
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def test_export_writes_every_kind_and_says_the_nearest_step(one_d, tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="export needs the figures extra (matplotlib)")
    folder, _ = one_d
    assert _cli("export", str(folder), "--step", "33", "--out", str(tmp_path / "figs")) == 0
    err = capsys.readouterr().err
    assert "nearest stored step 30" in err
    files = sorted(p.name for p in (tmp_path / "figs").iterdir())
    kinds = ("cosine", "scatter", "histogram", "fit", "field", "loss")
    assert files == sorted(f"fig-{k}-step30.png" for k in kinds)
    assert all((tmp_path / "figs" / f).stat().st_size > 1000 for f in files)
    # the default folder is the run's own; svg and pdf too
    assert _cli("export", str(folder), "--kind", "loss", "--format", "svg", "--format", "pdf") == 0
    for fmt in ("svg", "pdf"):
        assert (folder / "figures" / f"fig-loss-step60.{fmt}").stat().st_size > 1000


def test_export_and_view_refuse_bad_input_in_one_line(one_d, tmp_path, capsys):
    folder, _ = one_d
    for args in (("export", str(tmp_path / "none")), ("view", str(tmp_path)), ("export", str(folder), "--kind", "x"),
                 ("export", str(folder), "--layer", "3"), ("view", str(folder), str(folder), str(folder))):
        assert _cli(*args) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("condense-tui: ") and err.strip().splitlines()[-1].startswith("condense-tui: error: ")
        assert "Traceback" not in err
