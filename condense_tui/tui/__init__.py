"""The Textual face: watch a run condense, live.

run_tui is re-exported lazily so that importing this package (the CLI does, for `--help`)
loads neither Textual nor the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import RunConfig


def run_tui(config: RunConfig, *, paused: bool = False, fps: float = 4.0, marker: str = "hd") -> int:
    """Open the app on `config` and train at once (or paused); returns the process exit code."""
    from .app import run_tui as _run_tui

    return _run_tui(config, paused=paused, fps=fps, marker=marker)


__all__ = ["run_tui"]
