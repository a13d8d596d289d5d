"""Where on the run's history the charts are: live (the newest snapshot) or a kept snapshot.

The place is a step, not an index, so it survives the history thinning under it: the kept snapshot
at or before that step is the one shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.snapshot import Snapshot
    from .history import SnapshotHistory

BIG_JUMP = 10  # kept snapshots per { or }


class Timeline:
    def __init__(self, history: SnapshotHistory) -> None:
        self.history = history
        self.step: int | None = None  # the viewed step; None: live

    @property
    def live(self) -> bool:
        return self.step is None

    def go_live(self) -> None:
        self.step = None

    def move(self, by: int, live_step: int) -> bool:
        """Go `by` kept snapshots back (<0) or forward (>0); at the live step or past the newest
        kept snapshot is live.
        From live, one back is the newest kept snapshot before the live step. Returns whether
        the place changed."""
        history, before = self.history, self.step
        with history.lock:
            if not history.steps or by == 0:
                return False
            if self.step is None:
                if by > 0:
                    return False
                newest = history.index_at(live_step - 1)
                if newest is None:
                    return False
                index = newest + by + 1
            else:
                index = (history.index_at(self.step) or 0) + by
            landed = None if index >= len(history.steps) else history.steps[max(0, index)]
            self.step = None if landed is None or landed >= live_step else landed
        return self.step != before

    def go_to(self, step: int) -> bool:
        """View the kept snapshot nearest `step`; False when nothing is kept yet."""
        history = self.history
        with history.lock:
            index = history.nearest(step)
            if index is None:
                return False
            self.step = history.steps[index]
        return True

    def snapshot(self) -> Snapshot | None:
        """The viewed kept snapshot (None when live or when nothing is kept)."""
        if self.step is None:
            return None
        history = self.history
        with history.lock:
            index = history.index_at(self.step)
            return history.snapshots[index] if index is not None else None
