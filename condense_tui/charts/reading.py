"""The one place a face reads the analysis of a snapshot (swap it here when analysis moves)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..analysis.report import Analysis
    from ..engine.snapshot import Snapshot


def analysis_of(snapshot: Snapshot) -> Analysis:
    """The analysis of replica 0 of `snapshot` (computed once; callers keep the result)."""
    return snapshot.analysis
