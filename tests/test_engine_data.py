import numpy as np
import pytest

from condense_tui.engine.data import DATA_PRESETS, make_dataset


def _preset(name, sampling="uniform", seed=0):
    p = DATA_PRESETS[name]
    return make_dataset(p.target, p.input_dim, p.n, p.low, p.high, sampling, seed)


def test_fig2_target_domain_and_size():
    data = _preset("fig2")
    assert data.x.shape == (80, 5) and data.y.shape == (80,)
    assert data.x.min() >= -4 and data.x.max() <= 2
    np.testing.assert_allclose(data.y, (3.5 * np.sin(5 * data.x + 1)).sum(axis=1))


def test_fig5_grid_covers_the_interval():
    data = _preset("fig5", sampling="grid")
    assert data.x.shape == (40, 1)
    assert data.x[0, 0] == -1 and data.x[-1, 0] == 1.5
    np.testing.assert_allclose(data.y, np.sin(3 * data.x[:, 0]) + np.sin(6 * data.x[:, 0]) / 2)


def test_sampling_is_seeded():
    a, b, c = _preset("fig3", seed=1), _preset("fig3", seed=1), _preset("fig3", seed=2)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)


def test_bias_column_is_appended():
    data = _preset("fig4a")
    xb = data.with_bias()
    assert xb.shape == (80, 6) and np.all(xb[:, -1] == 1)


def test_target_needing_more_inputs_than_given_is_refused():
    with pytest.raises(ValueError, match="x3"):
        make_dataset("x1 + x3", 2, 10, 0, 1, "uniform", 0)
