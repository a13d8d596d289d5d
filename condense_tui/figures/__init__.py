"""Paper-style figures of a run's snapshot, drawn with matplotlib (an optional extra, imported
only when a figure is drawn): see write_figures."""

from __future__ import annotations

from .canvas import MISSING_MATPLOTLIB, FigureError, FigureSource
from .export import (
    FORMATS,
    KINDS,
    FigureFiles,
    build_figure,
    figure_name,
    make_source,
    save_figure,
    write_figures,
)
from .loss import loss_history

__all__ = ["FORMATS", "KINDS", "MISSING_MATPLOTLIB", "FigureError", "FigureFiles", "FigureSource",
           "build_figure", "figure_name", "loss_history", "make_source", "save_figure", "write_figures"]
