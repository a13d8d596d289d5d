"""The real-data flags on the command line: --data-dir and the CIFAR settings."""

import json

from clihelp import assert_one_line_error, invoke, records
from realdata_files import write_mnist


def test_fig4b_without_files_is_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.delenv("CONDENSE_TUI_DATA_DIR", raising=False)
    result = invoke("--no-tui", "--preset", "fig4b", "--data-dir", str(tmp_path / "none"), "--quiet")
    assert_one_line_error(result, "MNIST files not found", str(tmp_path / "none"), "--data-dir")


def test_fig4b_headless_on_mnist_format_files(tmp_path):
    write_mnist(tmp_path / "m", n_train=30, n_test=5)
    out = tmp_path / "run"
    result = invoke("--no-tui", "--preset", "fig4b", "--data-dir", str(tmp_path / "m"), "--steps", "3",
                    "--quiet", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    lines = records(result.stdout)
    summary = lines[-1]
    assert summary["event"] == "summary"
    assert [r["step"] for r in lines if "event" not in r] == [0, 1, 2, 3]
    assert 'data_dir = "' in (out / "config.toml").read_text()
    assert json.loads((out / "summary.json").read_text())["event"] == "summary"


def test_cifar_only_setting_on_synthetic_data_is_refused():
    result = invoke("--no-tui", "--preset", "fig2-tanh", "--batch-size", "32", "--quiet")
    assert_one_line_error(result, "batch_size applies to data 'cifar10' only")


def test_steps_replaces_an_epoch_budget(tmp_path):
    from condense_tui.cli import _build_config

    config, _ = _build_config("fig1b-relu", {"steps": 5})
    assert config.steps == 5 and config.epochs is None
