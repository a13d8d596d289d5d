"""The one place a face reads the analysis of a snapshot."""

from __future__ import annotations

from ..analysis.report import analysis_of

__all__ = ["analysis_of"]
