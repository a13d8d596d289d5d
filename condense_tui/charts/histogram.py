"""The orientation histogram as both faces draw it: fixed bins over (-pi, pi], bar heights as
shares of the total amplitude, bars as filled step outlines (each bar exactly as wide as its bin,
empty bins blank), pi-labelled x ticks."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

PI_TICKS = ([-math.pi, -math.pi / 2, 0.0, math.pi / 2, math.pi], ["-pi", "-pi/2", "0", "pi/2", "pi"])
Y_LABEL = "share"


def bin_edges(bins: int) -> np.ndarray:
    """The analysis' fixed edges for `bins` bins over (-pi, pi]."""
    return np.linspace(-math.pi, math.pi, bins + 1)


def shares(counts: np.ndarray) -> np.ndarray:
    """Amplitude per bin as a share of the total (all zeros stays all zeros)."""
    counts = np.asarray(counts, dtype=float)
    total = float(counts.sum())
    return counts / total if total > 0 else counts


Outline = tuple[list[float], list[float]]  # (xs, ys) of one run of adjacent non-empty bins


@dataclass(frozen=True)
class Bars:
    runs: tuple[Outline, ...]  # one filled step outline per run of non-empty bins
    y_top: float  # upper y limit, a little above the tallest bar

    @property
    def x_range(self) -> tuple[float, float]:
        return (-math.pi, math.pi)


def bar_outline(counts: np.ndarray) -> Bars:
    """The bars of `counts` (one per fixed bin): each run of adjacent non-empty bins is one series
    whose x values are its bin edges, each twice, so a bar spans exactly its bin; plot each with
    fill to the x axis. Empty bins are left out, so they draw nothing (not a floor of half blocks)."""
    share = shares(counts)
    edges = bin_edges(len(share))
    filled = np.flatnonzero(share > 0)
    runs = np.split(filled, np.flatnonzero(np.diff(filled) > 1) + 1) if len(filled) else []
    outlines = tuple((np.repeat(edges[r[0]:r[-1] + 2], 2)[1:-1].tolist(), np.repeat(share[r], 2).tolist())
                     for r in runs)
    top = max(float(share.max()) * 1.1 if len(share) else 0.0, 1e-12)
    return Bars(outlines, top)


# the theory's orientations: a > 0 neurons go to one colour, a < 0 to the other; without colour
# each sign has its own glyph (the lines are drawn with it)
THEORY_RGB = {1: (220, 40, 40), -1: (40, 110, 235)}  # red, blue (as named: not the terminal's "blue")
THEORY_GLYPH = {1: "+", -1: "-"}


def theory_legend(no_color: bool, short: bool = False) -> str:
    if no_color:
        return "+ a>0 - a<0" if short else "theory: + a>0, - a<0"
    return "red a>0 blue a<0" if short else "theory: red a>0, blue a<0"


def histogram_titles(layer: int, has_theory: bool, no_color: bool) -> tuple[str, ...]:
    """The title from longest to shortest: a chart takes the longest that fits, so the legend
    stays when space is short. The theory legend only when theory lines are drawn."""
    name = f"L{layer + 1}"
    heads = (f"{name} orientation atan2(b,w), amplitude-weighted", f"{name} orientation, amplitude-weighted",
             f"{name} orientation")
    if not has_theory:
        return (*heads, name)
    long, short = theory_legend(no_color), theory_legend(no_color, short=True)
    return (*(f"{head} | {long}" for head in heads), f"{name} | {short}", short)


def histogram_title(layer: int, has_theory: bool, no_color: bool) -> str:
    """Says only what is drawn: the theory legend appears when there are predicted orientations."""
    return histogram_titles(layer, has_theory, no_color)[0]
