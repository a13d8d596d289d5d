"""The collapse against step for a layer with wider input (d > 1, deep layers): counted lines and
orientations, effective rank and the top eigenvalue's share (right axis) over a log step axis,
with 2p, the layer's watch step and the viewed step marked. Drawn from the history's rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...charts.timeline import log_position, step_label
from ..view import ChartData
from .chart import SnapshotChart, as_list


class HistoryCurves(SnapshotChart):
    def data_key(self, data: ChartData) -> tuple[object, ...]:
        kept = data.kept
        return (id(data.snapshot), kept.version if kept else -1, data.layer, data.live_step, data.watch_step,
                data.marker, data.no_color)

    def draw(self, plt: Any, data: ChartData) -> None:
        kept, layer = data.kept, data.layer
        if kept is None:
            return
        with kept.lock:
            steps = list(kept.steps)
            rows = [r.layers[layer] for r in kept.rows if layer < len(r.layers)]
            described = kept.describe()
        plt.title(f"L{layer + 1} lines, orientations, erank; top share (right) vs step (log) | {described}")
        if not rows or len(rows) != len(steps):
            return
        x = as_list(log_position(np.asarray(steps)))
        marker = data.marker
        plt.plot(x, [r.orientations for r in rows], marker=marker, color="red", label="orient")
        plt.plot(x, [r.lines for r in rows], marker=marker, color="cyan", label="lines")
        plt.plot(x, [r.effective_rank for r in rows], marker=marker, color="green", label="erank")
        plt.plot(x, [r.top_share for r in rows], marker=marker, color="magenta", label="top share",
                 yside="right")
        bound = rows[-1].bound
        if bound is not None:
            plt.hline(bound, "orange")
        newest = max(steps[-1], data.live_step or data.snapshot.step, 1)
        top = float(log_position(newest))
        plt.vline(float(log_position(data.watch_step)), "orange")
        if data.viewing:
            plt.vline(float(log_position(data.snapshot.step)), "white")
        ticks, labels, power = [0.0], ["0"], 1
        while power <= newest:
            ticks.append(float(log_position(power)))
            labels.append(step_label(power))
            power *= 10
        plt.xticks(ticks, labels)
        plt.xlim(0, max(top, float(log_position(data.watch_step))) * 1.02)
        plt.ylim(0, max(*(r.orientations for r in rows), bound or 0, 1) + 1)
        plt.ylim(0, 1.05, yside="right")
        plt.xlabel(f"2p={bound if bound is not None else 'n/a'} (orange), watch step {data.watch_step}")
