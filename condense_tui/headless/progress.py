"""Progress on stderr (Rich): a bar over the step budget with the loss and an ETA from the
measured rate. stdout is never touched; the label is the user's text, never read as markup."""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING, TextIO, cast

if TYPE_CHECKING:
    from .output import SafeStderr


class Progress:
    def __init__(self, total: int, label: str, enabled: bool = True, stream: TextIO | SafeStderr | None = None):
        self._bar = None
        if not enabled:
            return
        from rich.console import Console
        from rich.markup import escape
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        console = Console(file=cast("IO[str]", stream or sys.stderr))  # SafeStderr: write, flush, isatty
        self._bar = RichProgress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"), TimeElapsedColumn(), TextColumn("eta"),
            TimeRemainingColumn(), console=console, transient=False,
        )
        self._task = self._bar.add_task(escape(label), total=max(total, 1), loss="-")
        self._bar.start()

    def update(self, step: int, loss: float) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=step, loss=f"{loss:.4g}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
