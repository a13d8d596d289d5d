"""The status line's live text, built from parts that each say how much they matter.

Must-have parts (the run's mark and `step N`, the counts with their bound, the watch step) are
never dropped; optional ones are dropped from the least important up until a line fits. Numbers
that change every frame are printed at a fixed width, so the parts after them do not jitter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from ...analysis.accuracy import accuracy_fields
from ...analysis.theory import predicted_counts

if TYPE_CHECKING:
    from ...analysis.report import Analysis, LayerAnalysis
    from ...engine.snapshot import Snapshot

MUST = 0  # never dropped
LOSS_WIDTH = 9  # "1.234e-05"
RATE_WIDTH = 4  # "1,234" grows it, rarely


@dataclass(frozen=True)
class Part:
    text: Text
    rank: int = MUST  # 0: always shown; higher: dropped sooner when the line is short


Parts = list[Part]


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def loss_text(loss: float) -> str:
    """Four significant digits with trailing zeros kept (0.2620, not 0.262), padded to one width."""
    if not math.isfinite(loss):
        return "-".ljust(LOSS_WIDTH)
    text = f"{loss:#.4g}"
    if "e" not in text:
        text = text.rstrip(".")
    return text.ljust(LOSS_WIDTH)


def progress_parts(snapshot: Snapshot, paused: bool, rate: float | None, live_step: int | None = None) -> Parts:
    """The run's mark, `step N`, loss, steps per second and, for runs that measure it, accuracy.
    `live_step`: set while an older kept snapshot is viewed (the run's newest step)."""
    parts: Parts = []
    diverged = snapshot.diverged_at is not None
    viewing = live_step is not None
    if viewing:
        # unmistakable: not the live run; `step N` stays the live view's wording
        parts.append(Part(Text(f"viewing step {snapshot.step} (live: {live_step})", style="bold reverse magenta")))
    elif diverged:
        # the weights shown are the last finite ones, one step before the loss broke
        parts.append(Part(Text(f"DIVERGED at step {snapshot.diverged_at}", style="bold reverse red")))
        parts.append(Part(Text(f", showing step {snapshot.step}", style="bold")))
    else:
        mark = Text("|| ", style="bold yellow") if paused else Text(">> ", style="bold green")
        parts.append(Part(Text.assemble(mark, Text(f"step {snapshot.step}", style="bold"))))
    # a deep run's step 0 has no mini-batch loss yet
    finite = len(snapshot.losses) and math.isfinite(snapshot.loss)
    if not diverged or finite:
        parts.append(Part(Text(" loss " + (loss_text(snapshot.loss) if finite else loss_text(math.nan))), 2))
    if not diverged and not viewing:  # a diverged run has stopped; a viewed snapshot has no rate
        shown = "-" if rate is None else f"{rate:,.0f}"
        parts.append(Part(Text(f" {shown.rjust(RATE_WIDTH)} steps/s"), 2))
    accuracy = accuracy_fields(snapshot.extras)
    if accuracy:
        epoch, test = accuracy["epoch"], accuracy["test_accuracy"]
        head = " |" + ("" if epoch is None else f" epoch {epoch:.2f}") + " "
        parts.append(Part(Text.assemble(head, Text(f"test acc {'-' if test is None else f'{test:.3f}'}",
                                                   style="bold")), 1))
    return parts


def predicted_lines(la: LayerAnalysis) -> int | None:
    """The theory's line count for this layer and the data in use (first layer only)."""
    if la.prediction is None:
        return None
    return predicted_counts(la.prediction)["predicted_lines"]


def counts_parts(analysis: Analysis, layer: int) -> Parts:
    """`3 lines 6 orient (2p=6)`, or `not condensed (2p=6)` while the neurons have not grown
    away from their random start (no count then: random directions are not orientations), then
    a warning when Adam's eps outweighs the gradients, the theory's count, the strict count and
    the effective rank."""
    la = analysis.layers[layer]
    bound = "n/a" if la.bound is None else str(la.bound)
    head = f"L{layer + 1} " if len(analysis.layers) > 1 else ""
    if la.condensed:
        over = la.bound is not None and la.orientations > la.bound
        counts = Text(f"{head}{plural(la.lines, 'line', 'lines')} {la.orientations} orient (2p={bound})",
                      style="bold red" if over else "bold")
    else:
        counts = Text.assemble(Text(head, style="bold"), Text("not condensed", style="italic"),
                               f" (2p={bound})")
    parts = [Part(counts)]
    if analysis.adam_eps_dominates:  # the gradients are below Adam's eps: the run barely moves
        parts.append(Part(Text(" eps>grad", style="bold yellow"), 1))
    theory = predicted_lines(la)
    if theory is not None:
        parts.append(Part(Text(f" theory {theory}"), 1))
    if la.condensed and la.strict is not None:
        parts.append(Part(Text(f" strict {la.strict.lines}/{la.strict.orientations}", style="dim"), 5))
    parts.append(Part(Text(f" erank {la.effective_rank:.2f}"), 4))
    return parts


def watch_part(step: int, watch_step: int) -> Part:
    past = step >= watch_step
    return Part(Text(f" | {'past ' if past else ''}watch step {watch_step}", style="dim" if past else ""))


def width_of(parts: Parts) -> int:
    return sum(part.text.cell_len for part in parts)


def fit(parts: Parts, width: int) -> Parts:
    """Drop optional parts, least important first, until the line fits (musts always stay)."""
    kept = list(parts)
    while width_of(kept) > width:
        optional = [part for part in kept if part.rank != MUST]
        if not optional:
            break
        drop = max(optional, key=lambda part: part.rank)
        kept = [part for part in kept if part is not drop]
    return kept


def joined(parts: Parts) -> Text:
    return Text.assemble(*(part.text for part in parts), no_wrap=True, overflow="ellipsis")


def live_lines(progress: Parts, counts: Parts, watch: Part | None, width: int) -> list[Text]:
    """One line when progress, counts and watch step fit with every part down to rank 2, else two:
    the progress, then the counts with the watch step."""
    tail = [Part(Text(" | ")), *counts] if counts else []
    tail += [watch] if watch is not None else []
    one = progress + tail
    if width_of([part for part in one if part.rank <= 2]) <= width:
        return [joined(fit(one, width))]
    second = tail[1:] if counts else ([Part(Text(watch.text.plain.lstrip(" |")))] if watch else [])
    return [joined(fit(progress, width)), joined(fit(second, width))]
