import numpy as np
import pytest

from condense_tui.analysis.report import THEORY_MAX_ENTRIES, analysis_of, first_layer_prediction
from condense_tui.config import load_preset
from condense_tui.engine.activations import get_activation
from condense_tui.engine.datasets import DATA_DIR_ENV, DataFilesMissing
from condense_tui.engine.snapshot import RunContext
from condense_tui.engine.mlp.model import MlpModel
from condense_tui.runs import build_controller
from realdata_files import write_mnist


@pytest.fixture
def mnist_dir(tmp_path):
    written = write_mnist(tmp_path / "mnist-files", n_train=40, n_test=5)
    return tmp_path / "mnist-files", written


def test_fig4b_runs_on_mnist_format_files(mnist_dir):
    folder, written = mnist_dir
    cfg = load_preset("fig4b").replace(data_dir=str(folder))
    trainer = build_controller(cfg)
    assert type(trainer.model) is MlpModel and trainer.total_steps == 100
    np.testing.assert_allclose(trainer.model.dataset.x, written["train"][0].reshape(40, 784) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(trainer.model.dataset.y, written["train"][1])
    snaps = []
    trainer.subscribe(snaps.append)
    last = trainer.run()
    assert last.finished and last.step == 100 and last.diverged_at is None
    np.testing.assert_array_equal(np.concatenate([s.loss_steps for s in snaps]), np.arange(101))
    losses = np.concatenate([s.losses for s in snaps])
    assert np.isfinite(losses).all() and losses[-1, 0] < losses[0, 0]
    assert last.layers[0].shape == (1, 30, 785) and last.output.shape == (1, 30)
    layer = analysis_of(last).layers[0]
    assert layer.bound == 6 and layer.lines >= 1
    assert layer.prediction is None  # 40 x 785 entries: the sphere search would take too long


def test_fig4b_reads_the_environment_variable(mnist_dir, monkeypatch):
    folder, _ = mnist_dir
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    trainer = build_controller(load_preset("fig4b").replace(steps=2, n=10))
    assert trainer.model.dataset.n == 10 and trainer.run().step == 2


def test_fig4b_without_files_stops_with_the_clear_message(tmp_path, monkeypatch):
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    with pytest.raises(DataFilesMissing) as info:
        build_controller(load_preset("fig4b").replace(data_dir=str(tmp_path / "empty")))
    text = str(info.value)
    assert "\n" not in text and "train-images-idx3-ubyte[.gz]" in text and str(tmp_path / "empty") in text
    assert "--data-dir" in text and DATA_DIR_ENV in text


def test_scaled_digit_target(mnist_dir):
    folder, written = mnist_dir
    trainer = build_controller(load_preset("fig4b").replace(data_dir=str(folder), mnist_target="digit/9"))
    np.testing.assert_allclose(trainer.model.dataset.y, written["train"][1] / 9.0)


def test_sphere_theory_is_skipped_on_mnist_sized_data_only():
    def context(n, act):
        m = get_activation(act).multiplicity
        return RunContext(load_preset("fig4b"), np.full((n, 784), 0.5), np.arange(n) % 10 * 1.0,
                          (act,), (m,), (0,), (0.001,))

    big = THEORY_MAX_ENTRIES // 785 + 1
    assert first_layer_prediction(context(big, "x2tanh")) is None  # p = 3 on the sphere: too slow
    assert first_layer_prediction(context(big, "tanh")) is not None  # p = 1: closed form, any size
    empty = RunContext(load_preset("fig4b"), np.zeros((0, 513)), np.zeros(0), ("relu",),
                       (get_activation("xtanh").multiplicity,), (0,), (0.001,))
    assert first_layer_prediction(empty) is None  # deep runs carry no data
