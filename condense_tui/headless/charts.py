"""Text charts for `--plot`, rendered to strings (plotext.build, never plotext.show: stdout is
reserved for JSON Lines). Each chart is rebuilt from a cleared figure."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

from ..charts import palette
from ..charts.histogram import PI_TICKS, Y_LABEL, bar_outline
from ..analysis.report import analysis_of
from ..analysis.theory import predicted_counts
from ..charts.sampling import heatmap_cells

if TYPE_CHECKING:
    from ..analysis.report import LayerAnalysis
    from ..engine.snapshot import Snapshot

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _finish(text: str, color: bool) -> str:
    return text if color else _ANSI.sub("", text)


def _figure(width: int, height: int, title: str, color: bool) -> Any:
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


def histogram_chart(counts: np.ndarray, predicted: np.ndarray | None, title: str, width: int = 72,
                    height: int = 12, color: bool = False) -> str:
    """Amplitude-weighted orientation histogram as shares over the fixed bins (bars exactly as wide
    as their bins, as in the TUI), predicted orientations as lines."""
    bars = bar_outline(counts)
    plt = _figure(width, height, title, color)
    for xs, ys in bars.runs:
        plt.plot(xs, ys, marker="hd", fillx=True, color="cyan")
    for angle in predicted if predicted is not None else ():
        plt.vline(float(angle))
    plt.xlim(*bars.x_range)
    plt.ylim(0, bars.y_top)
    plt.xticks(*PI_TICKS)
    plt.ylabel(Y_LABEL)
    return _finish(plt.build(), color)


def _colour_rows(matrix: np.ndarray) -> list[str]:
    """Two rows per character: the upper entry in the foreground, the lower in the background."""
    rows = []
    for top, bottom in palette.half_block_pairs(matrix):
        cells = []
        for j, t in enumerate(top):
            upper = palette.level_rgb(int(t))
            lower = palette.level_rgb(int(bottom[j])) if bottom is not None else (0, 0, 0)
            cells.append("\x1b[38;2;{};{};{}m\x1b[48;2;{};{};{}m{}".format(*upper, *lower, palette.HALF))
        rows.append("".join(cells) + "\x1b[0m")
    return rows


def heatmap_chart(layer: LayerAnalysis, title: str, color: bool = False, max_cells: int = 72) -> str:
    """Cosine similarity of at most max_cells neurons sampled along the block order (never the full
    m x m matrix); the TUI's palette in colour, its ASCII glyphs without (a file may lack blocks)."""
    matrix, picked = heatmap_cells(layer, max_cells)
    lines = [f"{title} ({len(picked)} neurons shown)"]
    if color:
        lines.extend(_colour_rows(matrix))
        lines.append(f"{palette.COLOR_LEGEND} (cosine similarity)")
    else:
        lines.extend(palette.glyph_row(row, palette.ASCII) for row in matrix)
        lines.append(f"{palette.glyph_legend(palette.ASCII)} (cosine similarity)")
    return "\n".join(lines)


def _lines(count: int) -> str:
    return f"{count} line" + ("" if count == 1 else "s")


def count_heading(layer: LayerAnalysis, step: int) -> str:
    """What the chart below shows, in numbers: the measured line count, the bound 2p and the
    theory's count for the data in use ("-" where a number does not exist)."""
    measured = f"{_lines(layer.condensation.lines)} measured" if layer.condensed else "not condensed (no count)"
    bound = "-" if layer.bound is None else str(layer.bound)
    theory = "-" if layer.prediction is None else _lines(predicted_counts(layer.prediction)["predicted_lines"])
    return f"layer {layer.layer + 1} at step {step}: {measured}, bound 2p = {bound}, theory {theory}"


def final_charts(snapshot: Snapshot, steps: np.ndarray, losses: np.ndarray, color: bool, width: int = 72) -> str:
    """The loss curve, then per hidden layer a heading with its counts (measured, bound, theory)
    over the orientation histogram (1-D input) or the similarity heatmap."""
    parts = [loss_chart(steps, losses, width=width, color=color)]
    for layer in analysis_of(snapshot).layers:
        name = f"layer {layer.layer + 1} at step {snapshot.step}"
        parts.append(count_heading(layer, snapshot.step))
        if layer.histogram is not None:
            predicted = layer.prediction.angles if layer.prediction is not None else None
            parts.append(histogram_chart(layer.histogram, predicted,
                                         f"{name}: orientation atan2(b, w), amplitude weighted",
                                         width=width, color=color))
        else:
            parts.append(heatmap_chart(layer, f"{name}: cosine similarity", color=color,
                                       max_cells=min(width, 72)))
    return "\n".join(parts) + "\n"
