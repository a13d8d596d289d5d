"""Save what the screen shows as an SVG file in a chosen folder (key S).

Textual's own screenshot goes to ~/Downloads, which does not exist on most SSH hosts; here the
folder is the run's (view) or the current directory (live), and a folder that cannot be written
is a notice, not a crash."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App

SCREENSHOT_BINDING = Binding("S", "save_svg", "svg", show=False)


def screenshot_name(label: str) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in label) or "view"
    return f"condense-{safe}-{stamp}.svg"


def save_svg(app: App[Any], folder: Path, label: str) -> tuple[bool, str]:
    """(saved, one line saying where or why not)."""
    name = screenshot_name(label)
    try:
        written = app.save_screenshot(filename=name, path=str(folder))
    except OSError as err:
        return False, f"cannot save the view in {folder}: {err.strerror or err} (choose a writable folder)"
    return True, f"saved {written}"
