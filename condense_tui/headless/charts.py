"""Text charts for `--plot`, rendered to strings (plotext.build, never plotext.show: stdout is
reserved for JSON Lines). Each chart is rebuilt from a cleared figure."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..engine.snapshot import Snapshot

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PI_TICKS = ([-math.pi, -math.pi / 2, 0.0, math.pi / 2, math.pi], ["-pi", "-pi/2", "0", "pi/2", "pi"])


def _finish(text: str, color: bool) -> str:
    return text if color else _ANSI.sub("", text)


def _figure(width: int, height: int, title: str, color: bool):  # noqa: ANN202 - the plotext module
    import plotext as plt

    plt.clear_figure()
    plt.plot_size(width, height)
    plt.theme("pro" if color else "clear")
    plt.title(title)
    return plt


def loss_chart(steps: np.ndarray, losses: np.ndarray, width: int = 72, height: int = 14,
               color: bool = False) -> str:
    """log10 of the loss against the step (plotted as values: plotext's log axis is fragile)."""
    keep = np.isfinite(losses) & (losses > 0)
    plt = _figure(width, height, "log10 loss", color)
    if keep.any():
        plt.plot(steps[keep].tolist(), np.log10(losses[keep]).tolist(), marker="hd")
    plt.xlabel("step")
    return _finish(plt.build(), color)


def histogram_chart(counts: np.ndarray, edges: np.ndarray, predicted: np.ndarray | None,
                    title: str, width: int = 72, height: int = 12, color: bool = False) -> str:
    """Amplitude-weighted orientation histogram over fixed bins, predicted orientations as lines."""
    centres = (edges[:-1] + edges[1:]) / 2
    nonzero = counts > 0  # empty bins would still draw a sliver
    plt = _figure(width, height, title, color)
    if nonzero.any():
        plt.bar(centres[nonzero].tolist(), counts[nonzero].tolist(), width=0.9, marker="hd")
    for angle in predicted if predicted is not None else ():
        plt.vline(float(angle))
    plt.xlim(-math.pi, math.pi)
    plt.xticks(*_PI_TICKS)
    return _finish(plt.build(), color)


def _rgb(value: float) -> tuple[int, int, int]:
    """Diverging scale: -1 blue, 0 white, +1 red."""
    v = max(-1.0, min(1.0, value))
    fade = int(round(255 * (1 - abs(v))))
    return (255, fade, fade) if v >= 0 else (fade, fade, 255)


def _symbol(value: float) -> str:
    return "#" if value >= 0.9 else "+" if value >= 0.5 else "=" if value <= -0.9 else "-" if value <= -0.5 else "."


def heatmap_chart(matrix: np.ndarray, title: str, color: bool = False, max_cells: int = 72) -> str:
    """Cosine-similarity matrix, already in block order; at most max_cells rows and columns."""
    m = len(matrix)
    if m > max_cells:
        pick = np.linspace(0, m - 1, max_cells).round().astype(int)
        matrix = matrix[np.ix_(pick, pick)]
        m = max_cells
    lines = [f"{title} ({len(matrix)} neurons shown)"]
    if color:  # two rows per character: upper half in the foreground, lower half in the background
        for top in range(0, m, 2):
            cells = []
            for j in range(m):
                upper = _rgb(matrix[top, j])
                lower = _rgb(matrix[top + 1, j]) if top + 1 < m else (0, 0, 0)
                cells.append("\x1b[38;2;%d;%d;%dm\x1b[48;2;%d;%d;%dm\u2580" % (*upper, *lower))
            lines.append("".join(cells) + "\x1b[0m")
        lines.append("red +1 (same orientation), white 0, blue -1 (opposite)")
    else:
        lines.extend("".join(_symbol(v) for v in row) for row in matrix)
        lines.append("# >= 0.9, + >= 0.5, . between, - <= -0.5, = <= -0.9 (cosine similarity)")
    return "\n".join(lines)


def final_charts(snapshot: Snapshot, steps: np.ndarray, losses: np.ndarray, color: bool,
                 width: int = 72) -> str:
    """The loss curve, then per hidden layer the orientation histogram (1-D input) or the
    similarity heatmap."""
    from ..analysis.geometry import cosine_matrix
    from .records import analysis_of

    parts = [loss_chart(steps, losses, width=width, color=color)]
    for layer in analysis_of(snapshot).layers:
        name = f"layer {layer.layer + 1} at step {snapshot.step}"
        if layer.histogram is not None:
            edges = np.linspace(-math.pi, math.pi, len(layer.histogram) + 1)
            predicted = layer.prediction.angles if layer.prediction is not None else None
            parts.append(histogram_chart(layer.histogram, edges, predicted,
                                         f"{name}: orientation atan2(b, w), amplitude weighted",
                                         width=width, color=color))
        else:
            d = cosine_matrix(layer.directions[layer.order])
            parts.append(heatmap_chart(d, f"{name}: cosine similarity", color=color,
                                       max_cells=min(width, 72)))
    return "\n".join(parts) + "\n"
