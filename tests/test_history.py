"""The kept history: which snapshots stay, its bounds, the timeline over it, the automatic pace."""

from __future__ import annotations

import math

import numpy as np
import pytest

from condense_tui.engine.snapshot import RunContext, Snapshot
from condense_tui.tui.history import CAP, EARLY_STEPS, HistoryRow, LayerRow, SnapshotHistory, snapshot_bytes
from condense_tui.tui.pace import AUTO_TAU, Pace, auto_rate, auto_seconds, layer_watch_steps
from condense_tui.tui.timeline import Timeline
from tui_support import one_d

CONTEXT = RunContext(None, np.zeros((0, 1)), np.zeros(0), ("tanh",), (None,), (0,), (0.01,))
LAYER = np.zeros((1, 100, 2), dtype=np.float32)
OUTPUT = np.zeros((1, 100), dtype=np.float32)
ROW = HistoryRow(0, 0.0, (LayerRow(1, 2, 2, 1.0, 0.9, np.zeros(72, dtype=np.float32)),))


LOSSES, LOSS_STEPS = np.zeros((1, 1)), np.zeros(1, dtype=np.int64)


def snapshot(step: int, run_id: int = 1) -> Snapshot:
    return Snapshot(run_id, step, LOSS_STEPS, LOSSES, (LAYER,), OUTPUT, (LAYER,), OUTPUT, CONTEXT, 0.0, 0.0)


def test_every_early_snapshot_is_kept_then_log_spaced() -> None:
    history = SnapshotHistory()
    for step in range(0, 20_000, 2):
        history.add(snapshot(step), ROW)
    steps = np.array(history.steps)
    assert list(steps[steps <= EARLY_STEPS]) == list(range(0, EARLY_STEPS + 1, 2))
    tail = steps[steps > EARLY_STEPS]
    gaps = np.diff(tail) / tail[1:]
    assert 0.002 < np.median(gaps[-100:]) < 0.01  # about one per 0.4 % of the step, far out
    assert history.thinned and "then log-spaced" in history.describe()


def test_memory_stays_bounded_over_a_hundred_thousand_snapshots() -> None:
    per = snapshot_bytes(snapshot(0)) + ROW.nbytes
    history = SnapshotHistory(cap=512, byte_cap=300 * per)
    most = 0
    for step in range(0, 1_000_000, 10):  # 10^5 snapshots, 10^6 steps
        history.add(snapshot(step), ROW)
        most = max(most, history.nbytes)
        assert len(history) <= 512
    assert most <= 300 * per
    assert history.steps[0] == 0 and history.steps == sorted(history.steps)
    assert len(history) > 150  # the bound thins, it does not empty
    assert history.width > 1 and "thinned to cells" in history.describe()
    default = SnapshotHistory()
    for step in range(0, 1_000_000, 100):
        default.add(snapshot(step), ROW)
    assert len(default) <= CAP and default.width == 1  # the defaults keep every early snapshot


def test_older_steps_are_refused_and_the_copy_has_no_cached_analysis() -> None:
    history = SnapshotHistory()
    first = snapshot(5)
    assert history.add(first, ROW) and not history.add(snapshot(3), ROW)
    assert history.snapshots[0] is not first and history.snapshots[0].layers[0] is first.layers[0]


def test_timeline_moves_through_kept_snapshots_and_back_to_live() -> None:
    history = SnapshotHistory()
    for step in (0, 1, 2, 5, 9):
        history.add(snapshot(step), ROW)
    timeline = Timeline(history)
    assert not timeline.move(1, live_step=9)  # forward from live: nowhere to go
    assert timeline.move(-1, live_step=9) and timeline.step == 5  # the newest kept before live
    assert timeline.move(-10, live_step=9) and timeline.step == 0  # clamped at the start
    assert timeline.move(2, live_step=9) and timeline.step == 2
    assert timeline.snapshot().step == 2
    assert timeline.move(10, live_step=9) and timeline.live  # past the newest kept: live again
    assert timeline.go_to(4) and timeline.step == 5
    history.clear()
    assert timeline.snapshot() is None


def test_automatic_pace_grows_with_the_step_and_hands_over_to_the_ladder() -> None:
    assert auto_rate(0) == pytest.approx(1 / AUTO_TAU) and auto_rate(99) == pytest.approx(100 / AUTO_TAU)
    assert auto_seconds(9) == pytest.approx(AUTO_TAU * math.log(10))
    # every tenfold of steps gets the same screen time
    assert auto_seconds(999) - auto_seconds(99) == pytest.approx(auto_seconds(99) - auto_seconds(9), rel=0.01)
    pace = Pace.default_for(one_d(watch_step=150))
    assert pace.auto and pace.label_at(9) == "auto 2.0/s" and pace.rate_at(9) == pytest.approx(2.0)
    assert pace.faster(step=9).rate == 5 and pace.slower(step=9).rate == 1  # the rungs beside 2/s
    assert not pace.faster(step=9).auto and pace.faster(step=9).automatic().auto
    assert pace.rungs[pace.watch] == 10  # the preset's rung stays on the ladder


def test_layer_watch_steps_come_from_the_preset() -> None:
    from condense_tui.config import load_preset

    assert layer_watch_steps(load_preset("fig3")) == (1000, 900, 900, 1400, 1400)
    assert layer_watch_steps(one_d(watch_step=150)) == (150,)
