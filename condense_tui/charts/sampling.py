"""Which neurons a heatmap shows: at most as many as it has cells, evenly along the block order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..analysis.neurons import ordered_cosines

if TYPE_CHECKING:
    from ..analysis.report import LayerAnalysis


def heatmap_cells(layer: LayerAnalysis, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """(cosine matrix, neuron indices) for at most `cells` neurons: sampled before the matrix is
    built, so the cost is cells^2 however wide the layer is."""
    return ordered_cosines(layer.directions, layer.order, cells)


def heatmap_title(layer: int, shown: int, total: int) -> str:
    return f"cos sim L{layer + 1}, {shown}/{total} neurons"
