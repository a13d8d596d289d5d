"""The run controller's contract, the same for both models: pause, step, resume, reset (same initial
weights: same losses), reseed (different weights), stop, and divergence (stop at the first non-finite
loss, keep the last finite snapshot). Models are built with the engine's own API, no RunConfig."""

from __future__ import annotations

import time

import numpy as np
import pytest

from condense_tui.engine.activations import get_activation
from condense_tui.engine.backend import resolve_backend
from condense_tui.engine.controller import RunController
from condense_tui.engine.data import make_dataset
from condense_tui.engine.mlp.model import MlpModel
from condense_tui.engine.network import Architecture
from realdata_files import write_cifar
from waiting import run_reset_reseed, wait_until

KINDS = ["mlp", "cifar"]


@pytest.fixture(scope="module")
def cifar_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cifar")
    write_cifar(folder, per_batch=4, n_test=6)  # 20 training images: 3 updates an epoch at batch 8
    return folder


def mlp_model(lr: float = 1e-3, std: float = 0.05, optimizer: str = "adam") -> MlpModel:
    data = make_dataset("sin(3*x) + sin(6*x)/2", 1, 20, -1.0, 1.5, "grid", 0)
    arch = Architecture(1, (8,), (get_activation("tanh"),))
    return MlpModel(data, arch, resolve_backend("cpu", "float32"), optimizer=optimizer, lr=lr,
                    loss_scale=0.5, seeds=(0,), stds=(std,))


def cifar_model(cifar_dir, lr: float = 1e-3, activation: str = "relu", fc_init: str = "inv_mout3"):
    from condense_tui.engine.deep.model import CifarModel, CifarSpec

    spec = CifarSpec(data_dir=str(cifar_dir), n=None, n_test=None, batch_size=8, backbone_width=4,
                     width=16, activations=(activation, activation), fc_layer=1, fc_init=fc_init,
                     std=0.01, optimizer="adam", lr=lr, lr_drop_epoch=None, lr_drop_to=None,
                     augment=False, device="cpu", dtype="float32")
    return CifarModel(spec, seed=0)


@pytest.fixture(params=KINDS)
def make(request, cifar_dir):
    """make(**model changes) -> a model of this test's kind."""
    if request.param == "cifar":
        request.getfixturevalue("one_torch_thread")
        return lambda **changes: cifar_model(cifar_dir, **changes)
    return mlp_model


def _wait(predicate) -> bool:
    return wait_until(predicate, 10.0)


def _settled(run: RunController) -> int:
    """The step count once it has held still for 0.2 s (the update in flight has ended)."""
    last, since, give_up = run.step_count, time.monotonic(), time.monotonic() + 10.0
    while time.monotonic() - since < 0.2 and time.monotonic() < give_up:
        time.sleep(0.01)
        if run.step_count != last:
            last, since = run.step_count, time.monotonic()
    return last


def _losses(snaps, run_id: int) -> np.ndarray:
    return np.concatenate([s.losses for s in snaps if s.run_id == run_id])


def test_pause_step_resume_stop(make):
    run = RunController(make(), max_steps=None, snapshot_every=1).start(paused=True)
    try:
        assert _wait(lambda: run.latest is not None)
        time.sleep(0.05)
        assert run.latest.step == 0 and run.step_count == 0  # paused: nothing moves
        run.step(2)
        assert _wait(lambda: run.latest.step == 2)
        time.sleep(0.05)
        assert run.step_count == 2 and run.paused  # paused again after the two steps
        run.resume()
        assert _wait(lambda: run.latest.step >= 5)  # past an epoch end (CIFAR), no budget
        run.pause()
        held = _settled(run)
        time.sleep(0.1)
        assert run.step_count == held and run.latest.step == held
    finally:
        run.stop(timeout=5.0)
    assert not run.running and run.latest.finished and run.latest.interrupted


def test_reset_repeats_the_run_and_reseed_draws_new_weights(make):
    run = RunController(make(), max_steps=None, snapshot_every=1)
    snaps = run_reset_reseed(run, 4)
    first, again, reseeded = ({s.step: s for s in snaps if s.run_id == r} for r in (1, 2, 3))
    np.testing.assert_array_equal(first[0].layers[0], again[0].layers[0])
    np.testing.assert_array_equal(_losses(snaps, 1), _losses(snaps, 2))  # same weights, same losses
    np.testing.assert_array_equal(first[4].layers[0], again[4].layers[0])
    assert not np.array_equal(first[0].layers[0], reseeded[0].layers[0])
    assert not np.array_equal(_losses(snaps, 1), _losses(snaps, 3))
    assert reseeded[0].context.seeds == run.seeds == (1,) and first[0].context.seeds == (0,)


def test_budget_publishes_every_loss_once(make):
    snaps = []
    run = RunController(make(), max_steps=4, snapshot_every=2)
    run.subscribe(snaps.append)
    last = run.run()
    assert last.finished and not last.interrupted and last.step == run.step_count == 4
    steps = np.concatenate([s.loss_steps for s in snaps])
    assert steps.tolist() == sorted(set(steps.tolist())) and steps[-1] == 4 and steps[0] in (0, 1)
    assert {0, 2, 4} <= {s.step for s in snaps}  # every 2 steps (and CIFAR's epoch end at 3)


@pytest.mark.parametrize("kind", KINDS)
def test_divergence_stops_and_keeps_the_last_finite_snapshot(kind, cifar_dir, request):
    if kind == "cifar":
        request.getfixturevalue("one_torch_thread")  # x^3 tanh: x^4 growth per layer overflows
        model = cifar_model(cifar_dir, lr=100.0, activation="x3tanh", fc_init="glorot_uniform")
        every = 1
    else:
        model = mlp_model(lr=10.0, std=1.0, optimizer="gd")  # 1-D tanh: diverges at step 12
        every = 5
    snaps = []
    run = RunController(model, max_steps=40, snapshot_every=every)
    run.subscribe(snaps.append)
    last = run.run()
    assert last.diverged_at is not None and last.finished and not last.interrupted
    assert run.step_count == last.diverged_at < 40  # the run stopped there
    assert np.isfinite(np.concatenate([s.losses for s in snaps])).all()
    assert np.concatenate([s.loss_steps for s in snaps]).max() < last.diverged_at
    finite = [s for s in snaps if s.diverged_at is None]
    assert last.step == finite[-1].step < last.diverged_at
    np.testing.assert_array_equal(last.layers[0], finite[-1].layers[0])
    assert np.isfinite(last.layers[0]).all()


def test_a_new_rate_cap_wakes_a_long_rest() -> None:
    """At a slow cap the trainer rests seconds between chunks; raising the cap must end the rest."""
    import time

    from condense_tui.config import RunConfig
    from condense_tui.runs import build_controller

    controller = build_controller(RunConfig(width=8, n=8, steps=10_000), max_steps=None)
    controller.set_max_rate(0.2)  # one step every 5 s
    controller.set_snapshot_every(1)
    controller.start()
    try:
        deadline = time.monotonic() + 10
        while (controller.latest is None or controller.latest.step < 1) and time.monotonic() < deadline:
            time.sleep(0.01)
        controller.set_max_rate(None)
        raised = time.monotonic()
        while controller.latest.step < 50 and time.monotonic() - raised < 3:
            time.sleep(0.01)
        assert controller.latest.step >= 50, "the rest at 0.2 steps/s kept going after the cap was lifted"
    finally:
        controller.stop()
