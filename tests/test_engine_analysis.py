import numpy as np
import pytest

from condense_tui.analysis.counting import count_condensation
from condense_tui.analysis.geometry import (angles_1d, block_order, effective_rank, relative_distance,
                                            spectrum, unit_rows)


def _cluster(rng, centre, count, spread):
    v = centre + rng.normal(scale=spread, size=(count, len(centre)))
    return unit_rows(v)


def test_counts_separated_orientations_and_pairs_opposite_ones_into_lines():
    rng = np.random.default_rng(0)
    a, b = np.array([1.0, 0.2, 0.0]), np.array([0.0, 1.0, 0.5])
    dirs = np.vstack([_cluster(rng, a, 30, 0.03), _cluster(rng, -a, 20, 0.03), _cluster(rng, b, 25, 0.03)])
    weights = rng.uniform(0.5, 1.0, len(dirs))
    c = count_condensation(dirs, weights)
    assert c.orientations == 3
    assert c.lines == 2
    assert set(c.labels) == {0, 1, 2}


def test_light_neurons_and_light_clusters_do_not_count():
    rng = np.random.default_rng(1)
    a = np.array([1.0, 0.0])
    heavy = _cluster(rng, a, 40, 0.02)
    noise = unit_rows(rng.normal(size=(60, 2)))
    dirs = np.vstack([heavy, noise])
    weights = np.r_[np.ones(40), np.full(60, 0.05)]  # noise below 10% of the heaviest
    c = count_condensation(dirs, weights)
    assert c.orientations == 1 and c.lines == 1
    assert not c.kept[40:].any()


def test_effective_rank_is_one_for_a_line_and_k_for_k_orthogonal_groups():
    line = np.array([[1.0, 0, 0], [-1.0, 0, 0], [1.0, 0, 0]])
    assert effective_rank(spectrum(line)) == pytest.approx(1.0)
    groups = np.eye(3).repeat(4, axis=0)
    assert effective_rank(spectrum(groups)) == pytest.approx(3.0)


def test_block_order_groups_clusters_together():
    labels = np.array([1, 0, -1, 1, 0])
    dirs = unit_rows(np.array([[0, 1.0], [1, 0], [1, 1], [0, 1], [1, 0.01]]))
    order = block_order(dirs, labels)
    assert list(labels[order]) == [0, 0, 1, 1, -1]


def test_angles_and_relative_distance():
    w = np.array([[1.0, 1.0], [-1.0, 0.0], [0.0, -2.0]])
    np.testing.assert_allclose(angles_1d(w), [np.pi / 4, np.pi, -np.pi / 2])
    rd = relative_distance((w * 2,), np.ones(3) * 2, (w,), np.ones(3))
    assert rd == pytest.approx(1.0)
