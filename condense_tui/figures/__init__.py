"""Paper-style figures of a run's snapshot, drawn with matplotlib (an optional extra, imported
only when a figure is drawn): see write_figures.

Names load on first use, so the figure modules can import their siblings without running this
package's own imports first (no import cycle)."""

from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    "MISSING_MATPLOTLIB": "canvas", "FigureError": "canvas", "FigureSource": "canvas",
    "FORMATS": "export", "KINDS": "export", "FigureFiles": "export", "build_figure": "export",
    "figure_name": "export", "make_source": "export", "save_figure": "export",
    "write_figures": "export", "loss_history": "loss",
}
__all__ = ["FORMATS", "KINDS", "MISSING_MATPLOTLIB", "FigureError", "FigureFiles", "FigureSource",
           "build_figure", "figure_name", "loss_history", "make_source", "save_figure", "write_figures"]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
