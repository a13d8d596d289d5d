"""The --plot loss curve stays bounded however long the run, and evenly spaced."""

from __future__ import annotations

import numpy as np

from condense_tui.headless.losses import LossHistory


def test_loss_history_is_bounded_and_evenly_thinned():
    history = LossHistory(capacity=100)
    for start in range(0, 100_000, 10):  # a snapshot's worth of losses at a time
        steps = np.arange(start, start + 10)
        history.add(steps, steps * 0.5)
    steps, losses = history.arrays()
    assert 50 <= len(steps) <= 100
    assert steps[0] == 0 and len(set(np.diff(steps).tolist())) == 1  # one spacing, a power of two
    assert history.stride & (history.stride - 1) == 0 and steps[-1] > 99_000 - history.stride
    np.testing.assert_array_equal(losses, steps * 0.5)
