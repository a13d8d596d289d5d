import time

import numpy as np
import pytest

from condense_tui.runs import build_controller
from waiting import wait_until


def _wait(predicate, timeout=5.0):
    return wait_until(predicate, timeout)


@pytest.fixture
def small(make_config):
    return make_config(data="fig5", width=20, init_std=0.005, lr=5e-4, steps=100, snapshot_every=5)


def test_run_publishes_every_step_loss_once(small):
    snaps = []
    trainer = build_controller(small)
    trainer.subscribe(snaps.append)
    last = trainer.run()
    steps = np.concatenate([s.loss_steps for s in snaps])
    np.testing.assert_array_equal(steps, np.arange(101))
    assert [s.step for s in snaps] == list(range(0, 101, 5))
    assert last.finished and not last.interrupted and last.step == 100


def test_same_seed_same_losses_other_seed_other_losses(small):
    a = build_controller(small).run()
    b = build_controller(small).run()
    c = build_controller(small.replace(seed=1)).run()
    np.testing.assert_array_equal(a.layers[0], b.layers[0])
    assert a.loss == b.loss
    assert a.loss != c.loss


def test_snapshots_are_read_only_copies(small):
    trainer = build_controller(small)
    snap = trainer.run()
    with pytest.raises(ValueError):
        snap.layers[0][0, 0, 0] = 1.0
    assert not np.shares_memory(snap.layers[0], trainer.model.batch.flat)


def test_pause_step_resume_stop_from_another_thread(small):
    trainer = build_controller(small, max_steps=None).start(paused=True)
    try:
        assert _wait(lambda: trainer.latest is not None)
        time.sleep(0.1)
        assert trainer.latest.step == 0  # paused: nothing moves
        trainer.step(3)
        assert _wait(lambda: trainer.latest.step == 3)
        time.sleep(0.05)
        assert trainer.latest.step == 3
        trainer.resume()
        assert _wait(lambda: trainer.latest.step > 200)  # no budget: trains on past config.steps
        trainer.pause()
        time.sleep(0.1)
        held = trainer.step_count
        time.sleep(0.1)
        assert trainer.step_count == held
        trainer.resume()
    finally:
        started = time.monotonic()
        trainer.stop(timeout=1.0)
        assert not trainer.running
        assert time.monotonic() - started < 1.0
    assert trainer.latest.interrupted


def test_reset_returns_to_the_same_initial_weights_and_reseed_changes_them(small):
    starts = {}  # run_id -> its step-0 snapshot
    trainer = build_controller(small, max_steps=None)
    trainer.subscribe(lambda s: starts.setdefault(s.run_id, s) if s.step == 0 else None)
    trainer.start()
    try:
        assert _wait(lambda: 1 in starts)
        trainer.reset()
        assert _wait(lambda: 2 in starts)
        np.testing.assert_array_equal(starts[1].layers[0], starts[2].layers[0])
        assert starts[1].loss == starts[2].loss
        trainer.reseed()
        assert _wait(lambda: 3 in starts)
        assert not np.array_equal(starts[1].layers[0], starts[3].layers[0])
        assert starts[3].context.seeds != starts[1].context.seeds
    finally:
        trainer.stop()


def test_diverging_run_stops_at_the_first_non_finite_loss(make_config):
    config = make_config(data="fig2", width=50, init_std=1.0, lr=50.0, optimizer="gd", steps=500,
                         snapshot_every=10)
    snaps = []
    trainer = build_controller(config)
    trainer.subscribe(snaps.append)
    last = trainer.run()
    assert last.diverged_at is not None and last.finished
    steps = np.concatenate([s.loss_steps for s in snaps])
    losses = np.concatenate([s.losses[:, 0] for s in snaps])
    assert np.all(np.isfinite(losses))
    assert steps[-1] == last.diverged_at - 1  # every finite step kept, nothing after
    assert np.all(np.isfinite(last.layers[0]))  # weights of the last finite snapshot
    assert last.step <= last.diverged_at
    assert trainer.step_count == last.diverged_at


def test_rate_cap_slows_training(small):
    trainer = build_controller(small, max_steps=None)
    trainer.set_max_rate(100.0)
    trainer.start()
    time.sleep(0.5)
    trainer.stop()
    assert trainer.step_count < 100


def test_batched_replicas_equal_single_runs(make_config):
    config = make_config(data="fig2", width=10, init_std=0.01, lr=1e-3, steps=30, dtype="float64")
    batched = build_controller(config, seeds=[4, 5], stds=[0.01, 0.1]).run()
    for k, (seed, std) in enumerate([(4, 0.01), (5, 0.1)]):
        single = build_controller(config.replace(seed=seed, init_std=std)).run()
        np.testing.assert_allclose(batched.layers[0][k], single.layers[0][0], rtol=1e-12)
        np.testing.assert_allclose(batched.losses[:, k], single.losses[:, 0], rtol=1e-12)


def test_torch_backend_trains_like_numpy(make_config):
    from condense_tui.engine.backend import resolve_backend

    config = make_config(data="fig5", width=16, init_std=0.01, lr=1e-3, steps=40, dtype="float64",
                         activation="x2tanh")
    a = build_controller(config).run()
    b = build_controller(config, backend=resolve_backend("torch-cpu", "float64")).run()
    np.testing.assert_allclose(a.layers[0], b.layers[0], rtol=1e-9, atol=1e-14)


def test_cuda_without_a_gpu_is_a_clear_error(make_config):
    from condense_tui.engine.backend import DeviceUnavailable, cuda_available

    if cuda_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(DeviceUnavailable, match="no CUDA GPU"):
        build_controller(make_config(device="cuda"))
