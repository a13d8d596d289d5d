"""Settings of a face rather than of a run (the TUI's refresh rate and chart marker).

Declared like RunConfig's fields so that the CLI derives their flags, help, completion and checks
the same way; they are not saved with a run.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import TUI, setting

MARKERS = ("hd", "braille", "dot")


@dataclass(frozen=True)
class TuiOptions:
    fps: float = setting(4.0, "Chart refreshes per second (4 by default).", group=TUI, range=(0.1, 30.0))
    marker: str = setting("hd", "Chart marker: hd (half blocks, default), braille, dot.", group=TUI,
                          choices=lambda: MARKERS)

    def __post_init__(self) -> None:
        from .checks import check_fields

        check_fields(self)
