"""The pure pieces behind the TUI's charts: network as a function, the (w, b) field, neuron
views, the speed ladder, the snapshot feed and the runtime snapshot cadence."""

from __future__ import annotations

import numpy as np
import pytest

from condense_tui.analysis.field import direction_field, field_available
from condense_tui.analysis.function import network_output, polynomial_fit, residuals
from condense_tui.analysis.neurons import neuron_points, ordered_cosines
from condense_tui.analysis.report import analysis_of
from condense_tui.runs import build_controller
from condense_tui.tui.feed import LossHistory, SnapshotFeed
from condense_tui.tui.pace import Pace
from tui_support import five_d, one_d


@pytest.fixture(scope="module")
def trained_1d():
    return build_controller(one_d(activation="xtanh", width=12, steps=150)).run()


@pytest.fixture(scope="module")
def trained_5d():
    return build_controller(five_d(width=10, steps=40, depth=2)).run()


def test_network_output_reproduces_the_trainers_loss(trained_1d, trained_5d) -> None:
    for snap in (trained_1d, trained_5d):
        e = residuals(snap)
        assert 0.5 * np.mean(e**2) == pytest.approx(snap.loss, rel=1e-5)
    x = trained_1d.context.x[:, 0]
    assert np.allclose(network_output(trained_1d, x), network_output(trained_1d, x[:, None]))


def test_polynomial_fit_is_least_squares() -> None:
    x = np.linspace(-1, 1.5, 40)
    y = 2 - x + 0.5 * x**3
    assert np.allclose(polynomial_fit(x, y, 3)(x), y)
    line = polynomial_fit(x, y, 1)(x)
    design = np.stack([np.ones_like(x), x], axis=1)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert np.allclose(line, design @ coef)


def test_field_is_minus_the_gradient_over_the_output_weight(trained_1d) -> None:
    """-dR/dw_j = a_j * field(w_j) for the paper's loss R = 1/(2n) sum e^2: checked against finite
    differences of the loss computed through network_output."""
    snap = trained_1d
    assert field_available(snap)
    w = snap.layers[0][0]
    a = snap.output[0]
    field_w, field_b = direction_field(snap, w[:, 0], w[:, 1])
    y = snap.context.y
    x = snap.context.x

    def loss(layer: np.ndarray) -> float:
        moved = type(snap)(snap.run_id, snap.step, snap.loss_steps, snap.losses, (layer[None],), snap.output,
                           snap.initial_layers, snap.initial_output, snap.context, 0.0, 0.0)
        return 0.5 * float(np.mean((network_output(moved, x) - y) ** 2))

    h = 1e-6
    for j in (0, 5, 11):
        for col, field in ((0, field_w), (1, field_b)):
            up, down = w.astype(float).copy(), w.astype(float).copy()
            up[j, col] += h
            down[j, col] -= h
            grad = (loss(up) - loss(down)) / (2 * h)
            assert -grad == pytest.approx(a[j] * field[j], rel=1e-3, abs=1e-9)


def test_field_needs_a_two_layer_net_with_one_input(trained_5d) -> None:
    assert not field_available(trained_5d)
    with pytest.raises(ValueError):
        direction_field(trained_5d, np.zeros(3), np.zeros(3))


def test_neuron_points(trained_1d, trained_5d) -> None:
    pts = neuron_points(trained_1d, 0)
    la = analysis_of(trained_1d).layers[0]
    assert np.allclose(pts.position, la.angles) and np.allclose(pts.amplitude, la.amplitudes)
    assert pts.amplitude.max() > pts.initial_amplitude.max()  # the neurons grew
    deep = neuron_points(trained_5d, 1)  # second layer: amplitude carries |a|, angle in [0, pi]
    assert deep.position.min() >= 0 and deep.position.max() <= np.pi
    assert np.allclose(deep.amplitude, analysis_of(trained_5d).layers[1].amplitudes)
    # the analysis' leading direction (computed off the UI thread) gives the same positions
    lead = analysis_of(trained_5d).layers[1].lead
    assert lead is not None and np.isclose(np.linalg.norm(lead), 1.0)
    given = neuron_points(trained_5d, 1, lead=lead)
    assert np.allclose(given.position, deep.position) and np.allclose(given.initial_position, deep.initial_position)


def test_ordered_cosines_subsamples_along_the_block_order(trained_1d) -> None:
    la = analysis_of(trained_1d).layers[0]
    matrix, picked = ordered_cosines(la.directions, la.order, 5)
    assert matrix.shape == (5, 5) and np.allclose(np.diag(matrix), 1.0)
    positions = [list(la.order).index(p) for p in picked]
    assert positions == sorted(positions) and positions[0] == 0 and positions[-1] == len(la.order) - 1
    full, picked_all = ordered_cosines(la.directions, la.order, 1000)
    assert full.shape == (12, 12) and list(picked_all) == list(la.order)


def test_pace_ladder() -> None:
    pace = Pace.for_config(one_d(watch_step=200))
    assert pace.rate == pytest.approx(13.3)
    assert pace.slower().rate == 10 and pace.faster().rate == 20
    top = pace.fastest()
    assert top.unthrottled and top.faster() == top and top.label == "max"
    assert pace.at(0).slower().rate == 1
    # slow paces publish often enough to move every frame; full speed keeps the config's cadence
    assert pace.snapshot_every(fps=4, config_every=10) == 1
    assert pace.at(pace.rungs.index(50)).snapshot_every(fps=4, config_every=10) == 6
    assert pace.at(pace.rungs.index(100)).snapshot_every(fps=4, config_every=10) is None
    assert top.snapshot_every(fps=4, config_every=10) is None


def test_loss_history_thins_evenly_and_keeps_the_newest() -> None:
    history = LossHistory(cap=100)
    for start in range(0, 1000, 50):
        steps = np.arange(start, start + 50)
        history.extend(steps, steps * 1.0)
    assert len(history.steps) <= 100 and history.stride > 1
    assert np.all(history.steps % history.stride == 0)
    steps, values = history.points(10)
    assert len(steps) == 10 and steps[-1] == 999 and values[-1] == 999.0


def test_feed_restarts_history_on_a_new_run() -> None:
    trainer = build_controller(one_d(width=8, steps=30, snapshot_every=10))
    feed = SnapshotFeed()
    trainer.subscribe(feed)
    trainer.run()
    latest, chunks, restarted = feed.drain()
    assert restarted and latest.step == 30
    assert np.concatenate([c[0] for c in chunks]).tolist() == list(range(31))
    assert feed.drain() == (None, [], False)


def test_runtime_snapshot_cadence() -> None:
    trainer = build_controller(one_d(width=8, steps=12, snapshot_every=10))
    seen: list[int] = []
    trainer.subscribe(lambda s: seen.append(s.step))
    trainer.set_snapshot_every(3)
    trainer.run()
    assert seen == [0, 3, 6, 9, 12]
    with pytest.raises(ValueError):
        trainer.set_snapshot_every(0)


def test_frame_gate_spends_a_share_of_wall_time_only_at_full_speed() -> None:
    from condense_tui.tui.meter import FrameGate, RenderMeter

    meter = RenderMeter()
    gate = FrameGate(meter, budget=0.05)
    gate.opened(now=100.0)
    meter.add(0.02)  # the frame just drawn cost 20 ms of CPU
    gate.opened(now=100.0)
    assert not gate.due(unthrottled=True, now=100.3)  # 20 ms / 0.05 = 0.4 s between frames
    assert gate.due(unthrottled=True, now=100.41)
    assert gate.due(unthrottled=False, now=100.01)  # throttled: the fps timer alone decides
    meter.add(1.0)  # one very costly frame (a resize) delays the next by at most MAX_GAP
    gate.opened(now=200.0)
    assert not gate.due(unthrottled=True, now=201.0) and gate.due(unthrottled=True, now=202.01)


def test_ansi_to_strips_matches_rich() -> None:
    """The chart's fast ANSI path gives the same characters and colours as rich's parser."""
    from rich.console import Console
    from rich.text import Text
    from textual_plotext.plot import Plot

    from condense_tui.tui.ansi import ansi_to_strips

    plot = Plot()
    plot.plotsize(50, 12)
    plot.yscale("log")
    plot.plot([1, 2, 3, 4], [1, 10, 100, 1000], marker="hd", color="red")
    plot.vline(2.5, "orange")
    plot.title("t")
    built = plot.build()
    ours = ansi_to_strips(built)
    console = Console(width=200, color_system="truecolor")
    theirs = Text.from_ansi(built).split("\n")
    assert len(ours) == len(theirs)
    for strip, line in zip(ours, theirs):
        expected = [(seg.text, seg.style) for seg in line.render(console) if seg.text]
        cells = [(ch, seg.style) for seg in strip for ch in seg.text]
        want = [(ch, style) for text, style in expected for ch in text]
        assert "".join(c for c, _ in cells) == "".join(c for c, _ in want)
        for (_, a), (_, b) in zip(cells, want):
            assert (a.color, a.bgcolor, bool(a.bold)) == (b.color, b.bgcolor, bool(b.bold))
