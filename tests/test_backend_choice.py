"""`--backend numpy|torch`: the same run on either array library, chosen by one setting."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from clihelp import invoke, losses

from condense_tui.config import ConfigError, load_preset
from condense_tui.engine.backend import resolve_backend
from condense_tui.runs import build_controller


def _losses(config) -> np.ndarray:
    return build_controller(config).run().losses[:, 0]


@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-10), ("float32", 2e-3)])
def test_numpy_and_torch_backends_give_the_same_losses(dtype, rtol):
    config = load_preset("fig2-x2tanh").replace(width=20, steps=40, dtype=dtype, snapshot_every=40)
    numpy_losses = _losses(config)
    torch_losses = _losses(config.replace(backend="torch"))
    assert len(numpy_losses) == 40 and numpy_losses[-1] < numpy_losses[0]
    np.testing.assert_allclose(torch_losses, numpy_losses, rtol=rtol)


def test_the_backend_setting_picks_the_array_library():
    assert resolve_backend("cpu", "float32").name == "numpy"
    assert resolve_backend("cpu", "float32", "torch") == resolve_backend("torch-cpu", "float32")
    config = load_preset("fig6-tanh").replace(backend="torch")
    assert build_controller(config).model.backend.name == "torch"
    with pytest.raises(ConfigError, match="backend"):
        config.replace(backend="jax")


def test_backend_flag_runs_headless_and_keeps_the_expectation():
    numpy_run = invoke("--preset", "fig6-tanh", "--no-tui", "--steps", "5", "--dtype", "float64")
    torch_run = invoke("--preset", "fig6-tanh", "--no-tui", "--steps", "5", "--dtype", "float64",
                       "--backend", "torch")
    assert numpy_run.exit_code == torch_run.exit_code == 0, torch_run.stderr
    ours, theirs = losses(numpy_run.stdout), losses(torch_run.stdout)
    assert [s for s, _ in ours] == [s for s, _ in theirs] and len(ours) == 6
    np.testing.assert_allclose([v for _, v in theirs], [v for _, v in ours], rtol=1e-10)
    assert '"met_reason": "the command line changed' not in torch_run.stdout


def test_the_numpy_backend_never_imports_torch():
    code = ("import sys; from condense_tui.config import load_preset; from condense_tui.runs import "
            "build_controller; build_controller(load_preset('fig6-tanh').replace(steps=5)).run(); "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
