"""`python -m condense_tui.tui [PRESET]`: open the TUI on a preset (name or TOML path).

The real entry point is `condense-tui` (condense_tui/cli.py); this one exists to try the TUI
on its own.
"""

from __future__ import annotations

import os
import sys

from ..config import ConfigError, load_preset
from ..config.defaults import DEFAULT_PRESET
from . import run_tui


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    paused = "--paused" in args
    args = [a for a in args if a != "--paused"]
    name = args[0] if args else DEFAULT_PRESET
    try:
        config = load_preset(name)
    except (ConfigError, ImportError) as err:  # ImportError: the presets package is missing
        print(f"condense-tui: error: {err}", file=sys.stderr)
        return 2
    return run_tui(config, paused=paused)


def exit_now(code: int) -> None:
    """Leave without the interpreter's teardown: once the app has stopped its threads and given
    the terminal back, torch's finalizers alone take ~0.7 s, which would make quitting feel slow."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
