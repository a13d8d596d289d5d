"""Sweeps: a grid of runs over settings, batched where shapes agree, on local cores or Dask."""

from __future__ import annotations

from .spec import (
    SweepError,
    SweepSpec,
    load_sweep,
    parse_axis_flag,
    sweep_names,
    with_flags,
)

__all__ = ["SweepError", "SweepSpec", "load_sweep", "parse_axis_flag", "sweep_names", "with_flags"]
