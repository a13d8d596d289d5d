"""What every figure shares: the lazy matplotlib import, one page size, the run's name for titles,
and the inputs a builder gets.

matplotlib is an optional extra and slow to import, so nothing imports it until a figure is drawn.
Figures are made with matplotlib.figure.Figure directly (no pyplot): no global state, no GUI
backend, safe off the main thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..analysis.report import Analysis, LayerAnalysis
    from ..engine.snapshot import Snapshot

MISSING_MATPLOTLIB = "figures need matplotlib: pip install 'condense-tui[figures]'"
SIZE = (6.4, 4.6)  # inches: one column of a paper at 150 dpi, readable on a README page
DPI = 150


class FigureError(Exception):
    """A figure could not be made or written; the message is one line a CLI can print as is."""


@dataclass(frozen=True, eq=False)
class FigureSource:
    """One network of a snapshot, its analysis, the layer a layered figure draws, and optionally the
    run's whole loss history (a snapshot carries only the losses since the previous one)."""

    snapshot: Snapshot
    analysis: Analysis
    layer: int = 0
    replica: int = 0
    loss_history: tuple[np.ndarray, np.ndarray] | None = None  # (steps, losses of this replica)

    @property
    def layer_analysis(self) -> LayerAnalysis:
        return self.analysis.layers[self.layer]

    @property
    def top(self) -> bool:
        """Whether the layer feeds the output (its neurons have an output weight a)."""
        return self.layer == len(self.snapshot.layers) - 1


def new_figure(size: tuple[float, float] = SIZE) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise FigureError(MISSING_MATPLOTLIB) from exc
    return Figure(figsize=size, dpi=DPI, layout="constrained")


def require_matplotlib() -> None:
    """Fail early, with the install hint, before any folder is made or analysis is run."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise FigureError(MISSING_MATPLOTLIB) from exc


def run_label(source: FigureSource) -> str:
    """preset, activation, step: what names a run in every title."""
    config = source.snapshot.context.config
    name = getattr(config, "name", "") or f"custom {getattr(config, 'data', 'data')} run"
    acts = source.snapshot.context.activation_names
    act = acts[0] if len(set(acts)) == 1 else ",".join(acts)
    return f"{name} · {act} · step {source.snapshot.step}"


def counted(la: LayerAnalysis) -> str:
    """The analysis' count, as a title says it."""
    limit = f" (bound 2p = {la.bound})" if la.bound is not None else ""
    return f"{la.orientations} orientations on {la.lines} lines{limit}"


def layer_name(source: FigureSource) -> str:
    return f"layer {source.layer + 1}"


PI_TICKS = (np.array([-np.pi, -np.pi / 2, 0.0, np.pi / 2, np.pi]), ["-π", "-π/2", "0", "π/2", "π"])
