"""The flow optimizer integrates gradient flow: it agrees with fine-step gradient descent over a fixed
time, its loss never rises, it runs in float64 only, and reset/reseed work through the controller.
Adam's second-moment statistic (extras["adam_sqrt_v"]) says when eps dominates."""

from __future__ import annotations

import numpy as np
import pytest
from waiting import run_reset_reseed

from condense_tui.config import RunConfig
from condense_tui.engine.activations import get_activation
from condense_tui.engine.backend import resolve_backend
from condense_tui.engine.controller import RunController
from condense_tui.engine.data import make_dataset
from condense_tui.engine.flow import GradientFlow
from condense_tui.engine.mlp.model import MlpModel
from condense_tui.engine.network import Architecture
from condense_tui.runs import build_controller

SMALL = RunConfig(data="custom", target="sin(3*x) + sin(6*x)/2", input_dim=1, n=20, low=-1.0, high=1.5,
                  width=8, init_std=0.3, lr=0.05, steps=10, snapshot_every=10, dtype="float64")


def _flat(snapshot) -> np.ndarray:
    return np.concatenate([snapshot.layers[0].ravel(), snapshot.output.ravel()])


def _run(config: RunConfig, device: str = "cpu", **changes):
    backend = resolve_backend(device, config.replace(**changes).dtype) if device != "cpu" else None
    return build_controller(config.replace(**changes), backend=backend).run()


def test_flow_matches_fine_step_gradient_descent_over_a_fixed_time():
    # time 0.5 = 10 flow steps of lr 0.05. GD with step h is first-order: it sits O(h) from the flow,
    # and Richardson's 2 GD(h/2) - GD(h) O(h^2), so the flow must match GD(lr/1000) to ~1e-6 and the
    # extrapolation far closer (measured: 2.6e-7 and 1e-12 with weights of size 0.7).
    flow = _flat(_run(SMALL, optimizer="flow"))
    coarse = _flat(_run(SMALL, optimizer="gd", lr=0.05 / 500, steps=5000, snapshot_every=5000))
    fine = _flat(_run(SMALL, optimizer="gd", lr=0.05 / 1000, steps=10000, snapshot_every=10000))
    assert np.abs(flow - _flat(_run(SMALL, optimizer="gd", steps=0))).max() > 0.01  # it moved
    assert np.abs(flow - fine).max() < 2e-6
    assert np.abs(flow - (2 * fine - coarse)).max() < 1e-9


def test_flow_loss_never_rises_and_counts_its_work():
    config = SMALL.replace(data="fig2", target=None, input_dim=None, n=None, low=None, high=None,
                           activation="xtanh", width=10, init_std=0.05, lr=0.5, steps=30, snapshot_every=30)
    last = _run(config, optimizer="flow")
    losses = last.losses[:, 0]
    assert len(losses) == 30 and np.isfinite(losses).all()
    assert (np.diff(losses) <= 1e-12 * losses[:-1]).all()
    assert losses[-1] < 0.9 * losses[0]
    flow = last.extras["flow"]
    assert flow["time"] == pytest.approx(30 * 0.5)
    assert flow["evaluations"] == 6 * (flow["substeps"] + flow["rejected"])
    assert flow["substeps"] >= 30


def test_flow_runs_in_float64_only():
    data = make_dataset("x", 1, 10, -1.0, 1.0, "grid", 0)
    arch = Architecture(1, (4,), (get_activation("tanh"),))
    with pytest.raises(ValueError, match="float64"):
        MlpModel(data, arch, resolve_backend("cpu", "float32"), optimizer="flow", lr=0.1, loss_scale=0.5,
                 seeds=(0,), stds=(0.1,))
    upcast = build_controller(SMALL.replace(optimizer="flow", dtype="float32"))  # the composer upcasts
    assert upcast.model.backend.dtype == "float64"
    assert upcast.run().layers[0].dtype == np.float64


def test_replicas_share_the_time_grid_and_each_meets_the_tolerance():
    pair = build_controller(SMALL.replace(optimizer="flow"), seeds=(0, 5), stds=(0.3, 0.1)).run()
    alone = _run(SMALL, optimizer="flow", seed=5, init_std=0.1)
    np.testing.assert_allclose(pair.layers[0][1], alone.layers[0][0], rtol=0, atol=1e-8)
    np.testing.assert_allclose(pair.losses[:, 1], alone.losses[:, 0], rtol=1e-8)


def test_reset_and_reseed_through_the_controller():
    run = build_controller(SMALL.replace(optimizer="flow"), max_steps=None)
    run.set_snapshot_every(1)
    snaps = run_reset_reseed(run, 3)
    last = {r: max((s for s in snaps if s.run_id == r), key=lambda s: s.step) for r in (1, 2, 3)}
    np.testing.assert_array_equal(last[1].layers[0], last[2].layers[0])  # same start, same grid
    assert last[1].extras["flow"] == last[2].extras["flow"]
    assert not np.array_equal(last[1].layers[0], last[3].layers[0])


def test_a_blow_up_ends_the_run_as_a_divergence():
    model = build_controller(SMALL.replace(optimizer="flow")).model
    assert isinstance(model.optimizer, GradientFlow)
    model.batch.flat[...] = np.nan  # a non-finite point: every sub-step is rejected
    model.batch.loss_and_gradient()
    run = RunController(model, max_steps=5, snapshot_every=5)
    model.initial_losses = lambda: np.zeros((1, 1))  # start from the poisoned weights
    last = run.run()
    assert last.diverged_at == 1


@pytest.mark.parametrize("device", ["cpu", "torch-cpu"])
def test_adam_second_moment_says_when_eps_dominates(device):
    base = SMALL.replace(lr=1e-3, steps=5, snapshot_every=5, dtype="float32")
    moving = _run(base, device).extras["adam_sqrt_v"]
    stuck = _run(base, device, multiplicity=3, init_std=1e-5).extras["adam_sqrt_v"]  # gradients ~ std^3
    assert moving["eps"] == stuck["eps"] == 1e-8
    assert moving["median"] > 100 * moving["eps"] and moving["below_eps"] < 0.2
    assert stuck["median"] < moving["eps"] and stuck["below_eps"] > 0.5
    assert stuck["q10"] <= stuck["median"] <= stuck["q90"]
    assert "adam_sqrt_v" not in _run(base, device, steps=0).extras  # no update yet: no moment


@pytest.mark.parametrize(("twin", "adam", "lines"), [("fig2-xtanh-flow", "fig2-xtanh", 2),
                                                     ("fig2-x2tanh-flow", "fig2-x2tanh", 1)])
def test_flow_twin_presets_differ_from_adam_only_in_the_optimizer(twin, adam, lines):
    from condense_tui.analysis.report import analysis_of
    from condense_tui.config import load_preset

    flow, paper = load_preset(twin), load_preset(adam)
    assert (flow.optimizer, flow.dtype, paper.optimizer) == ("flow", "float64", "adam")
    same = ("activation", "width", "depth", "init_std", "data", "data_seed", "loss", "seed")
    assert all(getattr(flow, key) == getattr(paper, key) for key in same)
    snaps = {}
    run = build_controller(flow, max_steps=flow.watch_step)
    run.subscribe(lambda s: snaps.__setitem__(s.step, s))
    run.run()
    assert analysis_of(snaps[flow.watch_step]).layers[0].lines == flow.expect["lines"] == lines


def test_flow_on_the_torch_path_matches_numpy():
    numpy_run = _run(SMALL, optimizer="flow")
    torch_run = _run(SMALL, "torch-cpu", optimizer="flow")
    np.testing.assert_allclose(torch_run.layers[0], numpy_run.layers[0], rtol=0, atol=1e-9)
    assert torch_run.extras["flow"]["substeps"] == numpy_run.extras["flow"]["substeps"]
