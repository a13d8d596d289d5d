"""The history chart's geometry, shared by every face: which kept row each screen row shows on a
log-step axis, the orientation shares rebinned to the columns available, and the colour level of
a share. Pure NumPy: the TUI widget draws it, a viewer or an export can too."""

from __future__ import annotations

import math

import numpy as np

from .palette import LEVELS


def log_position(steps: np.ndarray | float) -> np.ndarray:
    """Where a step sits on the history's step axis: log10(1 + step), so step 0 has room."""
    return np.log10(1.0 + np.asarray(steps, dtype=float))


def slot_rows(steps: list[int] | np.ndarray, slots: int, last_step: int) -> np.ndarray:
    """For each of `slots` equal slices of the log-step axis from 0 to `last_step`, the index of the
    newest kept step at or before the slice's end (-1: none yet), so each row shows the state the
    run was in at that time."""
    steps = np.asarray(steps)
    if not len(steps) or slots < 1:
        return np.full(max(slots, 0), -1)
    top = max(float(log_position(max(last_step, int(steps[-1])))), 1e-9)
    ends = 10.0 ** (top * np.arange(1, slots + 1) / slots) - 1.0
    return np.searchsorted(steps, ends + 1e-9, side="right") - 1


def slot_of_step(step: int, slots: int, last_step: int) -> int:
    """The slot (row) whose slice holds `step`."""
    top = max(float(log_position(max(last_step, 1))), 1e-9)
    return min(slots - 1, max(0, math.ceil(float(log_position(step)) / top * slots) - 1))


def rebin(shares: np.ndarray, columns: int) -> np.ndarray:
    """Histogram shares over equal bins of (-pi, pi] summed into `columns` equal columns (area kept)."""
    bins = len(shares)
    cumulative = np.concatenate([[0.0], np.cumsum(shares, dtype=float)])
    edges = np.linspace(0, bins, columns + 1)
    return np.diff(np.interp(edges, np.arange(bins + 1), cumulative))


def share_levels(row: np.ndarray) -> np.ndarray:
    """Each column's share relative to the row's largest, as a palette level from the middle
    (white) down to blue for a little and up to red for the peak; -1 where the share is zero."""
    peak = float(row.max()) if len(row) else 0.0
    if peak <= 0:
        return np.full(len(row), -1)
    t = np.sqrt(row / peak)  # sqrt: a spread-out row still shows where its mass is
    levels = np.round(t * (LEVELS - 1)).astype(int)
    return np.where(row > 0, np.maximum(levels, 0), -1)


def column_of_angle(angle: float, columns: int) -> int:
    return min(columns - 1, max(0, int((angle + math.pi) / (2 * math.pi) * columns)))


def step_label(step: int) -> str:
    """Short tick text: 0, 10, 200, 1.4k, 25k, 1.2M."""
    if step < 1000:
        return str(step)
    if step < 1_000_000:
        return f"{step / 1000:.3g}k"
    return f"{step / 1e6:.3g}M"
