import time

import numpy as np
import pytest
import torch

from condense_tui.config import load_preset
from condense_tui.engine.datasets import DataFilesMissing, NotEnoughData
from condense_tui.engine.deep.data import crop_flip
from condense_tui.analysis.report import analysis_of
from condense_tui.engine.deep.model import CifarModel
from condense_tui.engine.deep.network import Backbone
from condense_tui.runs import build_controller
from realdata_files import write_cifar
from waiting import wait_until

CIFAR_PRESETS = ["fig1a", "fig1b-relu", "fig1c-xtanh"]


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def cifar_dir(tmp_path):
    write_cifar(tmp_path, per_batch=4, n_test=6)  # 20 training images, 6 test images
    return tmp_path


def tiny(name, cifar_dir, **changes):
    """The preset as it is, on the tiny files, with a narrow backbone and batch 8 (3 steps an epoch)."""
    values = dict(data_dir=str(cifar_dir), backbone_width=4, batch_size=8)
    values.update(changes)
    return load_preset(name).replace(**values)


def run(trainer):
    snaps = []
    trainer.subscribe(snaps.append)
    return trainer.run(), snaps


@pytest.mark.parametrize("name", CIFAR_PRESETS)
def test_cifar_presets_run_end_to_end_on_tiny_files(name, cifar_dir):
    cfg = tiny(name, cifar_dir)
    trainer = build_controller(cfg, max_steps=4)
    assert isinstance(trainer.model, CifarModel)
    assert trainer.model.steps_per_epoch == 3 and trainer.total_steps == 4
    last, snaps = run(trainer)
    assert snaps[0].step == 0 and len(snaps[0].losses) == 0  # step 0: weights, no mini-batch yet
    assert last.finished and not last.interrupted and last.step == 4
    np.testing.assert_array_equal(np.concatenate([s.loss_steps for s in snaps]), [1, 2, 3, 4])
    losses = np.concatenate([s.losses for s in snaps])
    assert losses.shape == (4, 1) and np.isfinite(losses).all()
    assert abs(losses[0, 0] - np.log(10)) < 0.05  # small FC init: near-uniform logits at the start
    # the first FC layer (1024 neurons, 8 * 4 backbone features + bias) and its outgoing norms
    assert last.layers[0].shape == (1, 1024, 33) and last.output.shape == (1, 1024)
    assert last.initial_layers[0].shape == (1, 1024, 33)
    assert not np.array_equal(last.layers[0], last.initial_layers[0])
    fc = trainer.model.net.head.hidden[0]
    np.testing.assert_array_equal(last.layers[0][0, :, :-1], fc.weight.detach().numpy())
    np.testing.assert_array_equal(last.layers[0][0, :, -1], fc.bias.detach().numpy())
    outgoing = trainer.model.net.head.hidden[1].weight.detach()  # (1024 out, 1024 in): column j leaves neuron j
    np.testing.assert_allclose(last.output[0], outgoing.norm(dim=0).numpy())
    acc = last.extras["accuracy"]
    assert acc["step"] == (3, 4) and acc["epoch"] == (1.0, 4 / 3)  # end of epoch 1, and the budget
    assert all(0.0 <= a <= 1.0 for a in acc["train"] + acc["test"])
    assert all(round(a * 6) == pytest.approx(a * 6) for a in acc["test"])  # k correct of 6
    extras = last.extras
    assert extras["total_steps"] == 4 and extras["steps_per_epoch"] == 3 and extras["fc_layers"] == (1,)
    assert extras["epoch"] == pytest.approx(4 / 3) and extras["eta_s"] == 0.0
    assert extras["lr"] == cfg.lr and extras["train_size"] == 20 and extras["test_size"] == 6


def test_epoch_budget_and_lr_drop(cifar_dir):
    cfg = tiny("fig1a", cifar_dir, epochs=2, lr_drop_epoch=1, width=16)
    trainer = build_controller(cfg)
    assert trainer.total_steps == 6
    last, snaps = run(trainer)
    assert last.step == 6 and last.extras["epoch"] == 2.0
    assert last.extras["accuracy"]["epoch"] == (1.0, 2.0)
    lr_at = {s.step: s.extras["lr"] for s in snaps}
    assert lr_at[0] == 1e-3 and lr_at[6] == 1e-4
    assert trainer.model.optimizer.param_groups[0]["lr"] == 1e-4


def test_analysis_of_the_fc_layer(cifar_dir):
    last, _ = run(build_controller(tiny("fig1c-xtanh", cifar_dir, width=24), max_steps=2))
    summary = analysis_of(last).summary()
    (layer,) = summary["layers"]
    assert layer["bound"] == 4 and "theory_error" not in layer  # x tanh: p = 2; no data-side theory
    assert 1.0 <= layer["effective_rank"] <= 24 and np.isfinite(summary["rd"])
    relu, _ = run(build_controller(tiny("fig1b-relu", cifar_dir, width=24, fc_layer=0), max_steps=1))
    assert [w.shape for w in relu.layers] == [(1, 24, 33), (1, 24, 25)]
    assert relu.extras["fc_layers"] == (1, 2) and analysis_of(relu).layers[1].bound is None


def test_fc_init_sets_the_initial_weights(cifar_dir):
    for scheme, std in (("inv_mout3", 1024 ** -1.5), ("glorot_normal", (2 / (32 + 1024)) ** 0.5)):
        trainer = build_controller(tiny("fig1a", cifar_dir, fc_init=scheme))
        assert trainer.latest is None  # nothing published before training starts
        initial = trainer.model.initial_weights()[0][0]
        assert np.std(initial) == pytest.approx(std, rel=0.03) and trainer.stds[0] == pytest.approx(std)


def test_same_seed_repeats_other_seed_differs(cifar_dir):
    cfg = tiny("fig1b-relu", cifar_dir, width=16, augment=True)
    a = run(build_controller(cfg, max_steps=3))[0]
    b = run(build_controller(cfg, max_steps=3))[0]
    c = run(build_controller(cfg.replace(seed=1), max_steps=3))[0]
    np.testing.assert_array_equal(a.layers[0], b.layers[0])
    assert a.loss == b.loss and a.extras["accuracy"] == b.extras["accuracy"]
    assert not np.array_equal(a.initial_layers[0], c.initial_layers[0])


def _wait(predicate, timeout=10.0):
    return wait_until(predicate, timeout)


def test_commands_from_another_thread(cifar_dir):
    trainer = build_controller(tiny("fig1b-relu", cifar_dir, width=16), max_steps=None).start(paused=True)
    try:
        assert _wait(lambda: trainer.latest is not None)
        first = trainer.latest
        trainer.step(2)
        assert _wait(lambda: trainer.latest.step == 2)
        time.sleep(0.05)
        assert trainer.latest.step == 2  # paused again after the two steps
        trainer.resume()
        assert _wait(lambda: trainer.latest.step >= 5)  # past the end of an epoch, unbounded
        trainer.pause()
        assert _wait(lambda: trainer.paused and trainer.latest.step == trainer.step_count)
        trainer.reset()
        assert _wait(lambda: trainer.latest.run_id != first.run_id and trainer.latest.step == 0)
        np.testing.assert_array_equal(trainer.latest.layers[0], first.layers[0])  # same initial weights
        assert trainer.latest.extras["accuracy"]["step"] == ()
        trainer.reseed()
        assert _wait(lambda: trainer.latest.run_id == first.run_id + 2)
        assert trainer.seeds == (1,) and not np.array_equal(trainer.latest.layers[0], first.layers[0])
    finally:
        trainer.stop(timeout=5.0)
    assert not trainer.running and trainer.latest.finished and trainer.latest.interrupted


def test_divergence_keeps_the_last_finite_weights(cifar_dir):
    cfg = tiny("fig1a", cifar_dir, width=16, fc_init="glorot_uniform", lr=100.0,
               activation="x3tanh", snapshot_every=1)  # x^3 tanh: x^4 growth per layer overflows
    last, snaps = run(build_controller(cfg, max_steps=6))
    assert last.diverged_at is not None and last.finished
    assert np.isfinite(np.concatenate([s.losses for s in snaps])).all()
    assert np.isfinite(last.layers[0]).all() and last.step < last.diverged_at


def test_missing_or_too_few_cifar_files(tmp_path, cifar_dir):
    expected = "expected cifar-10-batches-py/ holding data_batch_1..data_batch_5 and test_batch in"
    with pytest.raises(DataFilesMissing, match=expected):
        build_controller(tiny("fig1a", tmp_path / "none"))
    with pytest.raises(NotEnoughData, match="n = 21 asks for more than the 20 CIFAR-10 training images"):
        build_controller(tiny("fig1a", cifar_dir, n=21))
    trainer = build_controller(tiny("fig1a", cifar_dir, n=10, n_test=4, batch_size=4))
    assert (trainer.model.data.n_train, trainer.model.data.n_test, trainer.model.steps_per_epoch) == (10, 4, 3)


def test_backbone_is_resnet18s_convolutional_part():
    net = Backbone(64)
    assert net.out_features == 512
    # ResNet18 for CIFAR has 11,173,962 parameters, 5,130 of them in its 512-10 classifier
    assert sum(p.numel() for p in net.parameters()) == 11_173_962 - 5_130
    assert net(torch.zeros(2, 3, 32, 32)).shape == (2, 512)


def test_crop_flip_moves_whole_images():
    x = torch.randn(6, 3, 32, 32)
    out = crop_flip(x, torch.Generator().manual_seed(0))
    padded = torch.nn.functional.pad(x, (4, 4, 4, 4))
    for i in range(6):
        candidates = [padded[i, :, dy:dy + 32, dx:dx + 32] for dy in range(9) for dx in range(9)]
        candidates += [c.flip(-1) for c in candidates]
        assert any(torch.equal(out[i], c) for c in candidates)


@pytest.mark.slow
def test_it_learns_a_learnable_task(tmp_path):
    """Classes the backbone can see (class c brightens channel c % 3 by 20 c): test accuracy, measured
    on held-out images in eval mode, climbs far above chance once batch norm's running stats settle."""
    import pickle

    from realdata_files import cifar_batch

    rng = np.random.default_rng(0)

    def make(k):
        labels = rng.integers(0, 10, size=k)
        images = rng.integers(0, 20, size=(k, 3, 32, 32))
        images[np.arange(k), labels % 3] += 20 * labels[:, None, None]
        return images.astype(np.uint8), labels

    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for i in range(1, 6):
        (folder / f"data_batch_{i}").write_bytes(pickle.dumps(cifar_batch(*make(16), "b"), protocol=2))
    (folder / "test_batch").write_bytes(pickle.dumps(cifar_batch(*make(50), "t"), protocol=2))
    cfg = tiny("fig1a", tmp_path, batch_size=16, width=64, fc_init="glorot_uniform", epochs=12)
    last = build_controller(cfg).run()
    acc = last.extras["accuracy"]
    assert last.step == 60 and len(acc["test"]) == 12
    assert acc["test"][0] < 0.4 and acc["test"][-1] >= 0.7  # chance is 0.1
    assert np.mean(acc["train"][-5:]) >= 0.6
