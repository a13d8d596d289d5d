"""What Enter on a sweep cell opens. One place, so a replay of a stored run can replace the re-run.

Today a sweep keeps no per-run store, so the point's run is trained again, live, in the TUI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import RunConfig
    from .plan import Point


@dataclass(frozen=True)
class OpenRun:
    point: Point
    config: RunConfig  # the run's settings, exactly as the sweep trained it
    store: Path | None = None  # a per-run store to replay, once sweeps keep them


def open_target(point: Point, out: Path | None) -> OpenRun:
    """The run behind one point of the sweep (whose store, if any, is under `out`)."""
    return OpenRun(point, point.config)


def open_run(target: OpenRun) -> int:
    """Show the run: re-run it live in the TUI; returns the TUI's exit code."""
    from ..tui.app import run_tui

    return run_tui(target.config)
