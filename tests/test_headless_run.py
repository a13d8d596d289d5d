"""Real headless runs: JSONL on stdout, the run store, reproduction, divergence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clihelp import invoke, losses, records
from condense_tui.config import load_preset
from condense_tui.store import FILES


@pytest.fixture(scope="module")
def fig2_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "fig2"
    result = invoke("--no-tui", "--preset", "fig2-tanh", "--out", str(out))
    return result, out


def test_fig2_tanh_run_is_pure_jsonl_and_meets_the_paper(fig2_run):
    result, _ = fig2_run
    assert result.exit_code == 0, result.stderr
    lines = records(result.stdout)
    steps = [r["step"] for r in lines if "event" not in r]
    assert steps == list(range(101))  # log_every 1: every step, once, in order
    summary = lines[-1]
    assert summary["event"] == "summary" and sum("event" in r for r in lines) == 1
    assert summary["final"]["layers"][0]["lines"] == 1
    assert summary["bound"] == [2]
    assert summary["expect"] == {"lines": 1}
    assert summary["met"] is True
    assert summary["at_watch"]["100"][0]["lines"] == 1
    assert (summary["diverged"], summary["interrupted"], summary["exit_code"]) == (False, False, 0)


def test_snapshot_records_carry_the_analysis(fig2_run):
    result, _ = fig2_run
    by_step = {r["step"]: r for r in records(result.stdout) if "event" not in r}
    assert set(by_step[5]) == {"step", "loss"}
    for step in range(0, 101, 10):
        layer = by_step[step]["layers"][0]
        assert {"lines", "orientations", "bound", "effective_rank", "theory_error"} <= set(layer)
        assert "rd" in by_step[step]
    assert by_step[0]["rd"] < 1e-6 < by_step[100]["rd"]


def test_run_store_holds_the_four_files(fig2_run):
    result, out = fig2_run
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert (out / "metrics.jsonl").read_text() == result.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary == records(result.stdout)[-1]
    with np.load(out / "snapshots.npz") as npz:
        assert npz["steps"].tolist() == list(range(0, 101, 10))
        assert npz["step_000100_layer1"].shape == (50, 6)  # 50 neurons, 5 inputs + bias
        assert npz["step_000100_output"].shape == (50,)
        assert not np.array_equal(npz["step_000000_layer1"], npz["step_000100_layer1"])


def test_config_toml_reproduces_the_run_exactly(fig2_run, tmp_path):
    result, out = fig2_run
    assert load_preset(str(out / "config.toml")).name == "fig2-tanh"
    again = invoke("--no-tui", "-q", "--preset", str(out / "config.toml"))
    assert again.exit_code == 0, again.stderr
    assert losses(again.stdout) == losses(result.stdout)
    # a directory works as the preset too
    assert losses(invoke("--no-tui", "-q", "--preset", str(out)).stdout) == losses(result.stdout)


def test_flags_override_the_preset_and_are_reported():
    result = invoke("--no-tui", "-q", "--preset", "fig2-tanh", "--steps", "20", "--seed", "3",
                    "--log-every", "7")
    assert result.exit_code == 0, result.stderr
    lines = records(result.stdout)
    steps = [r["step"] for r in lines if "event" not in r]
    assert steps == [0, 7, 10, 14, 20]  # multiples of 7, plus the analysed snapshot steps
    summary = lines[-1]
    assert summary["overrides"] == {"steps": 20, "seed": 3, "log_every": 7}
    assert summary["met"] is None  # the paper's step 100 is beyond this run
    assert "no snapshot at step 100" in summary["met_reason"]


def test_a_different_seed_gives_different_losses():
    first = invoke("--no-tui", "-q", "-p", "fig2-tanh", "--steps", "5")
    second = invoke("--no-tui", "-q", "-p", "fig2-tanh", "--steps", "5", "--seed", "1")
    assert losses(first.stdout) != losses(second.stdout)


def test_divergence_keeps_its_steps_and_exits_3(tmp_path):
    out = tmp_path / "run"
    result = invoke("--no-tui", "-q", "-p", "fig2-tanh", "--optimizer", "gd", "--lr", "50",
                    "--out", str(out))
    assert result.exit_code == 3
    lines = records(result.stdout)
    summary = lines[-1]
    steps = [r["step"] for r in lines if "event" not in r]
    assert summary["diverged"] is True
    assert summary["diverged_at"] == steps[-1] + 1 == summary["last_step"] + 1
    assert steps == list(range(summary["diverged_at"]))
    assert all(np.isfinite(r["loss"]) for r in lines[:-1])
    assert summary["exit_code"] == 3
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"condense-tui: run diverged at step {summary['diverged_at']}")
    assert (out / "metrics.jsonl").read_text() == result.stdout
    with np.load(out / "snapshots.npz") as npz:
        assert 0 in npz["steps"].tolist()


def test_a_loss_not_finite_at_step_0_is_reported_not_crashed():
    result = invoke("--no-tui", "-q", "--target", "1e30*x")  # (f - y)^2 overflows float32
    assert result.exit_code == 3, result.stderr
    assert "Traceback" not in result.stderr
    summary = records(result.stdout)[-1]
    assert summary["diverged_at"] == 0 and summary["final"] is None
    assert "loss at step 0 is not finite" in result.stderr


def test_plot_draws_on_stderr_and_keeps_stdout_pure():
    result = invoke("--no-tui", "-q", "-p", "fig6-tanh", "--steps", "30", "--plot")
    assert result.exit_code == 0, result.stderr
    records(result.stdout)  # every line JSON
    assert "log10 loss" in result.stderr
    assert "orientation atan2(b, w)" in result.stderr
    assert "\x1b[" not in result.stderr  # not a terminal: no colour codes


def test_plot_headings_give_measured_bound_and_theory_counts():
    result = invoke("--no-tui", "-q", "-p", "fig2-x2tanh-paper", "--steps", "60", "--plot")
    assert result.exit_code == 0, result.stderr
    summary = records(result.stdout)[-1]
    layer = summary["final"]["layers"][0]
    heading = next(line for line in result.stderr.splitlines() if line.startswith("layer 1 at step 60: "))
    measured = f"{layer['lines']} lines measured" if layer["condensed"] else "not condensed (no count)"
    assert heading == (f"layer 1 at step 60: {measured}, bound 2p = {layer['bound']}, "
                       f"theory {summary['predicted_lines']} lines")
    assert summary["predicted_lines"] == 3 and layer["bound"] == 6


def test_plot_draws_a_similarity_heatmap_for_several_inputs():
    result = invoke("--no-tui", "-q", "-p", "fig2-tanh", "--steps", "100", "--plot")
    assert result.exit_code == 0, result.stderr
    assert "cosine similarity (50 neurons shown)" in result.stderr
    heatmap = result.stderr.split("cosine similarity (50 neurons shown)")[1].splitlines()[1:51]
    assert all(len(row) == 50 for row in heatmap)
    assert sum(row.count("#") for row in heatmap) > 0 and sum(row.count("=") for row in heatmap) > 0


def test_progress_goes_to_stderr_only():
    result = invoke("--no-tui", "-p", "fig2-tanh", "--steps", "10")
    assert result.exit_code == 0
    records(result.stdout)
    assert "fig2-tanh" in result.stderr and "10/10" in result.stderr


def test_changing_the_setup_sets_the_expectation_aside():
    result = invoke("--no-tui", "-q", "-p", "fig2-tanh", "--activation", "xtanh", "--steps", "100")
    assert result.exit_code == 0, result.stderr
    summary = records(result.stdout)[-1]
    assert summary["met"] is None and summary["checks"] == []
    assert "changed the preset's setup (activation)" in summary["met_reason"]
    assert summary["expect"] == {"lines": 1}  # still shown, for reference
