"""The view's status line: the stored run and its writer's state on the first line (where the live
TUI names the run and its speed cap), the live TUI's lines (`step N`, loss, counts) below."""

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
        width = self.content_size.width or self.app.size.width - 2
        live = (self.live_lines(snapshot, analysis, state, width) if snapshot is not None
                else [Text("no snapshot stored yet")])
        fit_lines(width, head, *live)
        lines = [head, *live]
        text = Text("\n", no_wrap=True, overflow="ellipsis").join(lines)
        if text.plain != self.plain:
            self.plain = text.plain
            if self.styles.height is None or self.styles.height.value != len(lines):
                self.styles.height = len(lines)  # a relayout, only when the line count changes
                self.update(text)
            else:
                self.update(text, layout=False)
