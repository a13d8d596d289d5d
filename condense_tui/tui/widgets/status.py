"""The status line: what is running and how far it has condensed, from the newest snapshot."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from ...analysis.accuracy import accuracy_fields
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


def describe_config(config, pace: str, width: int = 0) -> str:
    """The run in one line, ending with its speed cap; to fit `width` (0: no limit) the run's
    description is cut short, not the cap, which + and - change."""
    cap = f" pace {pace}" if pace.startswith("auto") else f" cap {pace}"
    run = describe_run(config)
    if width and len(run) + len(cap) > width:
        run = run[:max(0, width - len(cap) - 1)] + "…"
    return run + cap


def describe_run(config) -> str:
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
    """Two lines: the run and its speed cap, then the live numbers (`step N`, `loss X`, steps per
    second, for runs that measure it the epoch and the newest test accuracy, counted lines and
    orientations against 2p, effective rank)."""

    plain = ""
    painted: tuple[float, str] = (0.0, "")  # (monotonic time, text) of the last paint
    message: tuple[float, str] | None = None  # (until, text): replaces the head line for a while

    def say(self, text: str, seconds: float = 8.0) -> None:
        """Show `text` in place of the run's description for `seconds` (e.g. where an SVG went)."""
        self.message = (time.monotonic() + seconds, text)

    def render(self):
        # when the line last reached the screen, and what it said (the latency benchmark reads it)
        self.painted = (time.monotonic(), self.plain)
        return super().render()

    def show(self, config, snapshot: Snapshot | None, analysis, state: RunState) -> None:
        """`snapshot`: the newest one (step, loss), or the viewed one while `state.live_step` is set;
        `analysis`: of the one drawn."""
        head = Text(describe_config(config, state.pace, self.content_size.width), style="bold")
        if self.message is not None and time.monotonic() < self.message[0]:
            head = Text(self.message[1], style="bold reverse")
        # each of the two lines is cut, never wrapped: a wrapped head would push the live line out
        text = Text.assemble(head, "\n", self.live_line(snapshot, analysis, state), no_wrap=True,
                             overflow="ellipsis")
        if text.plain != self.plain:
            self.plain = text.plain  # what the line says (tests and the latency benchmark read it)
            self.update(text, layout=False)  # two fixed lines: no relayout of the screen

    @staticmethod
    def live_line(snapshot: Snapshot | None, analysis, state: RunState) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if state.building is not None:
            line.append(f"setting up {state.building} ...", style="italic")
            return line
        if snapshot is None:
            line.append("starting ...", style="italic")
            return line
        if state.live_step is not None:
            # unmistakable: not the live run; `step N` stays the live view's wording
            line.append(f"viewing step {snapshot.step} (live: {state.live_step})", style="bold reverse magenta")
        else:
            if snapshot.diverged_at is not None:
                line.append(f"DIVERGED at step {snapshot.diverged_at}", style="bold reverse red")
                line.append(" ")
            elif state.paused:
                line.append("|| ", style="bold yellow")
            else:
                line.append(">> ", style="bold green")
            line.append(f"step {snapshot.step}", style="bold")
        # a deep run's step 0 has no mini-batch loss yet
        line.append(f" loss {snapshot.loss:.4g}" if len(snapshot.losses) else " loss -")
        if state.live_step is None:
            rate = "-" if state.rate is None else f"{state.rate:,.0f}"
            line.append(f" {rate} steps/s")
        accuracy = accuracy_fields(snapshot.extras)
        if accuracy:
            epoch, test = accuracy["epoch"], accuracy["test_accuracy"]
            line.append(" |" + ("" if epoch is None else f" epoch {epoch:.2f}") + " ")
            line.append(f"test acc {'-' if test is None else f'{test:.3f}'}", style="bold")
        if analysis is not None and state.layer < len(analysis.layers):
            la = analysis.layers[state.layer]
            bound = "n/a" if la.bound is None else str(la.bound)
            over = la.bound is not None and la.orientations > la.bound
            line.append(" | ")
            if len(analysis.layers) > 1:
                line.append(f"L{state.layer + 1} ")
            line.append(f"{la.lines} lines {la.orientations} orient (2p={bound})",
                        style="bold red" if over else "bold")
            line.append(f" erank {la.effective_rank:.2f}")
        past = snapshot.step >= state.watch_step
        line.append(f" | {'past ' if past else ''}watch step {state.watch_step}", style="dim" if past else "")
        return line
