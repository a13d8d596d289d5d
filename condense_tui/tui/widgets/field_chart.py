"""The paper's Fig 6: the direction field in the (w, b) plane, neurons as dots on it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...analysis.field import direction_field, field_available, output_signs
from ...analysis.function import has_inputs
from ..view import ChartData
from .chart import SnapshotChart, as_list
from .function_chart import synthetic_names

ARROWS = "→↗↑↖←↙↓↘"
CELL_ASPECT = 2.0  # a terminal cell is about twice as tall as wide


class FieldChart(SnapshotChart):
    def data_key(self, data: ChartData) -> tuple[object, ...]:
        return (id(data.snapshot), data.marker, data.no_color)

    def notice(self, data: ChartData) -> str | None:
        snap = data.snapshot
        if not has_inputs(snap):
            return (f"Field (the (w, b) direction field, paper Fig 6) needs the synthetic data "
                    f"({synthetic_names()}) with a 1-D input and one hidden layer.\nThis "
                    f"{snap.context.config.data} run has no input points: the field is driven by the "
                    "data, and its analysed layer is fed by features the backbone learns.")
        if not field_available(snap):
            d = snap.layers[0].shape[2] - 1
            return (f"Field (the (w, b) direction field, paper Fig 6) needs one hidden layer and a 1-D "
                    f"input; this run has d = {d} and {len(snap.layers)} hidden layer(s).")
        return None

    def draw(self, plt: Any, data: ChartData) -> None:
        snap = data.snapshot
        weights = snap.layers[0][0]
        reach = 1.15 * max(float(np.abs(weights).max()), 1e-12)
        cols = max(8, self.size.width - 10)  # plot area, less the axis labels
        rows = max(4, self.size.height - 4)
        nx, ny = max(5, cols // 4), max(3, rows // 2)
        gw, gb = np.meshgrid(np.linspace(-reach, reach, nx), np.linspace(-reach, reach, ny))
        dw, db = direction_field(snap, gw, gb)
        # the arrow must point where the field points on screen, so scale by the plot's aspect
        sx = dw / (2 * reach) * cols
        sy = db / (2 * reach) * rows * CELL_ASPECT
        size = np.hypot(dw, db)
        heading = np.round(np.arctan2(sy, sx) / (np.pi / 4)).astype(int) % 8
        still = size <= 1e-6 * (size.max() or 1.0)
        for k, glyph in enumerate(ARROWS):
            pick = (heading == k) & ~still
            if pick.any():
                plt.scatter(as_list(gw[pick]), as_list(gb[pick]), marker=glyph, color="gray")
        if still.any():
            plt.scatter(as_list(gw[still]), as_list(gb[still]), marker="·", color="gray")
        signs = output_signs(snap)
        for sign, color, glyph in ((1, "red", "+"), (-1, "blue", "o")):
            pick = signs == sign
            if pick.any():
                plt.scatter(as_list(weights[pick, 0]), as_list(weights[pick, 1]),
                            marker=glyph if data.no_color else data.marker, color=color,
                            label="a>0 follows" if sign > 0 else "a<0 against")
        plt.title(f"(w, b) field -(1/n) sum e_i x_i s'(w.x_i) at step {snap.step}")
        plt.xlim(-reach, reach)
        plt.ylim(-reach, reach)
