"""The status line: what is running and how far it has condensed, from the newest snapshot."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from .status_text import counts_parts, live_lines, progress_parts, watch_part

if TYPE_CHECKING:
    from textual.visual import VisualType

    from ...analysis.report import Analysis
    from ...config import RunConfig
    from ...engine.snapshot import Snapshot

# What feeds the first hidden layer when the data are files, not a synthetic preset's d inputs.
FILE_INPUTS = {"mnist": "784", "cifar10": "conv"}
FILE_OUTPUTS = {"cifar10": "10"}  # classes; every other run has one output


@dataclass(frozen=True)
class RunState:
    paused: bool
    pace: str  # speed cap, e.g. "13/s" or "max", or "auto 2.2/s" (the automatic pace now)
    rate: float | None  # steps per second seen by the UI
    layer: int
    watch_step: int
    building: str | None = None  # a run being set up (its name)
    live_step: int | None = None  # set while an older kept snapshot is viewed: the run's newest step


def describe_config(config: RunConfig, pace: str, width: int = 0) -> str:
    """The run in one line, ending with its speed cap; to fit `width` (0: no limit) the run's
    description is cut short, not the cap, which + and - change."""
    cap = f" pace {pace}" if pace.startswith("auto") else f" cap {pace}"
    run = describe_run(config)
    if width and len(run) + len(cap) > width:
        run = run[:max(0, width - len(cap) - 1)] + "…"
    return run + cap


def describe_run(config: RunConfig) -> str:
    acts = config.activations
    act = acts[0] if len(set(acts)) == 1 else "/".join(acts)
    widths = "-".join(str(config.width) for _ in range(config.depth))
    d = config.resolved_data()["input_dim"] or FILE_INPUTS.get(config.data, "?")
    out = FILE_OUTPUTS.get(config.data, "1")
    fc_init = getattr(config, "fc_init", "std")
    if fc_init != "std":  # a Table 1 law sets the FC init; init_std does not apply
        std = f"init {fc_init}"
    else:
        gamma = f" (gamma {config.init_gamma:g})" if config.init_gamma is not None else ""
        std = f"std {config.std:.3g}{gamma}"
    name = config.name or "custom"
    return (f"{name}: {act} {d}-{widths}-{out} {config.data} {std} {config.optimizer} lr {config.lr:g}"
            f" seed {config.seed}")


class StatusLine(Static):
    """The run and its speed cap, then the live numbers: `step N`, loss, steps per second, for runs
    that measure it the epoch and the newest test accuracy, the shown layer's counts against 2p
    (or "not condensed") with the theory's count, and the watch step. Two lines when that fits,
    three on a narrow terminal: the counts and the watch step are never cut (status_text.py)."""

    plain = ""
    painted: tuple[float, str] = (0.0, "")  # (monotonic time, text) of the last paint
    message: tuple[float, str] | None = None  # (until, text): replaces the head line for a while

    def say(self, text: str, seconds: float = 8.0) -> None:
        """Show `text` in place of the run's description for `seconds` (e.g. where an SVG went)."""
        self.message = (time.monotonic() + seconds, text)

    def render(self) -> VisualType:
        # when the line last reached the screen, and what it said (the latency benchmark reads it)
        self.painted = (time.monotonic(), self.plain)
        return super().render()

    def show(self, config: RunConfig, snapshot: Snapshot | None, analysis: Analysis | None,
             state: RunState) -> None:
        """`snapshot`: the newest one (step, loss), or the viewed one while `state.live_step` is set;
        `analysis`: of the one drawn."""
        width = self.content_size.width or self.app.size.width - 2
        head = Text(describe_config(config, state.pace, width), style="bold", no_wrap=True, overflow="ellipsis")
        if self.message is not None and time.monotonic() < self.message[0]:
            head = Text(self.message[1], style="bold reverse", no_wrap=True, overflow="ellipsis")
        lines = [head, *self.live_lines(snapshot, analysis, state, width)]
        text = Text("\n", no_wrap=True, overflow="ellipsis").join(lines)
        if text.plain != self.plain:
            self.plain = text.plain  # what the line says (tests and the latency benchmark read it)
            if self.styles.height is None or self.styles.height.value != len(lines):
                self.styles.height = len(lines)  # a relayout, only when the line count changes
                self.update(text)
            else:
                self.update(text, layout=False)  # same lines: no relayout of the screen

    @staticmethod
    def live_lines(snapshot: Snapshot | None, analysis: Analysis | None, state: RunState,
                   width: int) -> list[Text]:
        if state.building is not None:
            return [Text(f"setting up {state.building} ...", style="italic")]
        if snapshot is None:
            return [Text("starting ...", style="italic")]
        progress = progress_parts(snapshot, state.paused, state.rate, state.live_step)
        counts = (counts_parts(analysis, state.layer)
                  if analysis is not None and state.layer < len(analysis.layers) else [])
        return live_lines(progress, counts, watch_part(snapshot.step, state.watch_step), width)
