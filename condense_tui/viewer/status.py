"""The view's status line: the stored run and its writer's state on the first line (where the live
TUI names the run and its speed cap), the live TUI's second line (`step N`, loss, counts) below."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text

from ..tui.widgets.status import RunState, StatusLine, describe_run

if TYPE_CHECKING:
    from ..analysis.report import Analysis
    from ..config import RunConfig
    from ..engine.snapshot import Snapshot

WORDS = {
    "running": "being written",
    "finished": "finished",
    "interrupted": "interrupted (signal)",
    "diverged": "diverged",
    "killed": "killed (no summary)",
}


def status_words(status: str) -> str:
    return WORDS.get(status, status)


def fit_lines(width: int, *lines: Text) -> None:
    """Cut each line to `width` (a wrapped line would push the next one out of the two rows)."""
    if width > 0:
        for line in lines:
            line.truncate(width, overflow="ellipsis")


class ViewStatus(StatusLine):
    def show(self, config: RunConfig, snapshot: Snapshot | None, analysis: Analysis | None,
             state: RunState) -> None:
        """state.pace carries the view's note (run folder, writer state, replay pace)."""
        if self.message is not None and time.monotonic() < self.message[0]:
            head = Text(self.message[1], style="bold reverse")
        else:
            head = Text.assemble((state.pace, "bold magenta"), " | ", (describe_run(config), "bold"))
        live = self.live_line(snapshot, analysis, state) if snapshot is not None else Text("no snapshot stored yet")
        fit_lines(self.content_size.width, head, live)
        text = Text.assemble(head, "\n", live, no_wrap=True, overflow="ellipsis")
        if text.plain != self.plain:
            self.plain = text.plain
            self.update(text, layout=False)
