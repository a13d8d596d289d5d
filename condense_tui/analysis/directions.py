"""Does the first layer sit where the theory says? Followed over a run, one analysis at a time.

At a step where layer 1 has condensed (growth.py) and the theory predicts orientations, the
direction holds when every counted orientation lies within TOLERANCE of a predicted one.
reached_at is the first step at which it holds; held_until the last step of the unbroken run of
holding steps from there; lost_at the first step after reached_at at which it fails (None while it
has not). Steps before reached_at are not judged: right after condensation the orientations are
still on their way (fig6-tanh: 0.2-0.4 rad off at step 20, 0.05 by step 60).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .report import Analysis

TOLERANCE = 0.15  # rad


class DirectionWatch:
    def __init__(self, tolerance: float = TOLERANCE) -> None:
        self.tolerance = tolerance
        self.reached_at: int | None = None
        self.held_until: int | None = None
        self.lost_at: int | None = None

    def observe(self, analysis: Analysis) -> None:
        """Feed analyses in step order (once lost, later steps change nothing)."""
        if self.lost_at is not None or not analysis.layers:
            return
        first = analysis.layers[0]
        error = first.max_peak_error
        if not first.condensed or error is None:
            return
        if error <= self.tolerance:
            if self.reached_at is None:
                self.reached_at = analysis.step
            self.held_until = analysis.step
        elif self.reached_at is not None:
            self.lost_at = analysis.step

    def fields(self) -> dict[str, Any]:
        """The summary record's keys."""
        return {"direction_tolerance": self.tolerance, "direction_reached_at": self.reached_at,
                "direction_ok_until": self.held_until, "direction_lost_at": self.lost_at}
