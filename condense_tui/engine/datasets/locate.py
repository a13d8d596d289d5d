"""Where real-data files are looked for: one function, used by every loader and the config."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "CONDENSE_TUI_DATA_DIR"


def resolve_data_dir(value: str | os.PathLike[str] | None) -> Path:
    """The data folder: `value` (RunConfig.data_dir, --data-dir) if set, else $CONDENSE_TUI_DATA_DIR,
    else the current directory. Read at load time, so a saved config without data_dir follows the
    environment of the machine that replays it."""
    chosen = value if value not in (None, "") else os.environ.get(DATA_DIR_ENV) or "."
    return Path(chosen).expanduser().resolve()
