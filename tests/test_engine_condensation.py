"""The paper's numbers on small, fast configurations."""

import numpy as np
import pytest

from condense_tui.analysis.report import analysis_of
from condense_tui.runs import build_controller


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fig2_tanh_condenses_onto_one_line(make_config, seed):
    # Fig 2 setting: d = 5, m = 50, std 0.005, Adam lr 1e-3, 100 steps
    config = make_config(data="fig2", width=50, activation="tanh", init_std=0.005, lr=1e-3, steps=100,
                         seed=seed)
    layer = analysis_of(build_controller(config).run()).layers[0]
    assert layer.lines == 1
    assert layer.orientations <= layer.bound == 2
    assert layer.top_eigen_fraction > 0.9


def test_fig2_at_initialisation_is_not_condensed(make_config):
    config = make_config(data="fig2", width=50, init_std=0.005, steps=0)
    layer = analysis_of(build_controller(config).run()).layers[0]
    assert layer.lines > 1
    assert layer.top_eigen_fraction < 0.5


def test_gradient_descent_aligns_tanh_neurons_with_the_predicted_line(make_config):
    """p = 1 theory: u -> +-z/||z||, z = sum_i y_i (x_i, 1), on the side sign(a) z."""
    config = make_config(data="fig2", width=50, activation="tanh", init_std=0.005, optimizer="gd",
                         lr=0.01, steps=200, seed=3)
    snapshot = build_controller(config).run()
    initial = float(snapshot.context.y @ snapshot.context.y) / (2 * len(snapshot.context.y))
    assert snapshot.loss > 0.9 * initial  # still in the initial stage
    layer = analysis_of(snapshot).layers[0]
    z = layer.prediction.directions[0]
    cosines = layer.directions @ z
    assert np.abs(cosines).mean() > 0.9
    assert np.mean(np.cos(layer.neuron_error)) > 0.9
    # a neuron sits on the side sign(a) z (sigma'(0) > 0)
    assert np.mean(np.sign(cosines) == np.sign(snapshot.output[0])) > 0.95


@pytest.mark.parametrize("activation,p", [("tanh", 1), ("xtanh", 2), ("x2tanh", 3)])
def test_one_dimensional_orientations_match_the_theory(make_config, activation, p):
    """Fig 5/6 data, 200 Adam steps, still in the initial stage (lr 2.5e-4): at most 2p
    orientations, and each counted orientation within 0.2 rad of a maximum or minimum of F."""
    config = make_config(data="fig5", sampling="grid", width=100, activation=activation,
                         init_std=0.005, lr=2.5e-4, steps=200, seed=0)
    layer = analysis_of(build_controller(config).run()).layers[0]
    assert layer.bound == 2 * p
    assert 1 <= layer.orientations <= 2 * p
    assert len(layer.prediction.directions) <= 2 * p
    assert np.all(layer.peak_error < 0.2)
    # the amplitude-weighted histogram's tallest bin sits on a predicted orientation too
    centres = np.linspace(-np.pi, np.pi, len(layer.histogram) + 1)[:-1] + np.pi / len(layer.histogram)
    top = centres[np.argmax(layer.histogram)]
    gap = np.abs((layer.prediction.angles - top + np.pi) % (2 * np.pi) - np.pi).min()
    assert gap < 0.2


def test_the_1d_prediction_has_at_most_2p_extrema_and_they_alternate():
    from condense_tui.analysis.theory import objective, predict_orientations

    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1.5, (40, 1))
    y = np.sin(3 * x[:, 0]) + np.sin(6 * x[:, 0]) / 2
    for p in range(1, 6):
        pred = predict_orientations(x, y, p, derivative_p=1.0)
        assert 1 <= len(pred.directions) <= 2 * p
        xb = np.c_[x, np.ones(len(x))]
        f = objective(pred.directions, xb, y, p)
        # maxima beat their neighbours, minima fall below them
        for d, kind, value in zip(pred.directions, pred.kinds, f):
            theta = np.arctan2(d[1], d[0])
            for delta in (-0.02, 0.02):
                u = np.array([[np.cos(theta + delta), np.sin(theta + delta)]])
                assert kind * (value - objective(u, xb, y, p)[0]) >= -1e-9


def test_p1_growth_rate_matches_the_linearised_dynamics():
    """lambda = sigma'(0) ||z/n||: GD with a tiny init grows the aligned component like exp(lambda t)."""
    from condense_tui.analysis.theory import predict_orientations

    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (30, 2))
    y = x[:, 0] - 0.5 * x[:, 1] + 0.3
    pred = predict_orientations(x, y, 1, derivative_p=1.0, sigma_slope0=1.0, loss_scale=0.5)
    z = np.c_[x, np.ones(30)].T @ y
    assert pred.growth_rate == pytest.approx(np.linalg.norm(z / 30))
