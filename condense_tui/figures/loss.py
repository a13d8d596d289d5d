"""The loss against the step, on a log axis (the run's whole history when the caller has it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from .canvas import FigureSource, new_figure, run_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..engine.snapshot import Snapshot


def loss_history(snapshots: Iterable[Snapshot], replica: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(steps, losses) of one replica over a run's snapshots in order, each contributing the steps
    since the previous one (the loss_history write_figures takes)."""
    snaps = list(snapshots)
    if not snaps:
        return np.zeros(0, dtype=int), np.zeros(0)
    return (np.concatenate([s.loss_steps for s in snaps]),
            np.concatenate([s.losses[:, replica] for s in snaps]))


def loss_series(source: FigureSource) -> tuple[np.ndarray, np.ndarray]:
    """(steps, losses) up to the snapshot's step: the given history, else the snapshot's own
    (which covers only the steps since the previous snapshot)."""
    if source.loss_history is not None:
        steps, losses = (np.asarray(a).reshape(-1) for a in source.loss_history)
    else:
        steps = np.asarray(source.snapshot.loss_steps)
        losses = np.asarray(source.snapshot.losses)[:, source.replica]
    keep = (steps <= source.snapshot.step) & np.isfinite(losses) & (losses > 0)
    return steps[keep], losses[keep]


def unavailable(source: FigureSource) -> str | None:
    if len(loss_series(source)[0]) == 0:
        return "no finite positive loss recorded up to this step"
    return None


def build(source: FigureSource) -> Figure:
    steps, losses = loss_series(source)
    fig = new_figure((6.4, 3.8))
    ax = fig.add_subplot()
    ax.plot(steps, losses, color="tab:red", linewidth=1.5, marker="." if len(steps) < 40 else None)
    ax.set_yscale("log")
    if losses.max() < 10 * losses.min():  # under a decade: plain numbers read better than 2.4x10^-1
        ax.yaxis.set_major_formatter("{x:.3g}")
        ax.yaxis.set_minor_formatter("{x:.3g}")
    ax.axvline(source.snapshot.step, color="0.4", linestyle=":", linewidth=1)
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log)")
    partial = "" if source.loss_history is not None or steps[0] <= 1 else f", steps {steps[0]}-{steps[-1]}"
    ax.set_title(f"{run_label(source)}\ntraining loss{partial}", fontsize=10)
    ax.grid(alpha=0.25, which="both")
    return fig
