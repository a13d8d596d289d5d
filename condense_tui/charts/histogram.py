"""The orientation histogram as both faces draw it: fixed bins over (-pi, pi], bar heights as
shares of the total amplitude, bars as one filled step outline (each bar exactly as wide as its
bin), pi-labelled x ticks."""

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


@dataclass(frozen=True)
class Bars:
    xs: list[float]  # step outline: every bin edge twice, so a bar spans exactly its bin
    ys: list[float]
    y_top: float  # upper y limit, a little above the tallest bar

    @property
    def x_range(self) -> tuple[float, float]:
        return (-math.pi, math.pi)


def bar_outline(counts: np.ndarray) -> Bars:
    """The bars of `counts` (one per fixed bin) as one series to plot with fill to the x axis."""
    share = shares(counts)
    edges = bin_edges(len(share))
    xs = np.repeat(edges, 2)[1:-1]
    ys = np.repeat(share, 2)
    top = max(float(share.max()) * 1.1 if len(share) else 0.0, 1e-12)
    return Bars([float(x) for x in xs], [float(y) for y in ys], top)


def histogram_title(layer: int, has_theory: bool, no_color: bool) -> str:
    """Says only what is drawn: the theory mark appears when there are predicted orientations."""
    title = f"L{layer + 1} orientation atan2(b,w), amplitude-weighted"
    if not has_theory:
        return title
    return title + (" | theory" if no_color else " | theory: red a>0, blue a<0")
