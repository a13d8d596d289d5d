"""Shared pieces of the benchmarks: the configurations, the engine runner, timing helpers.

Every comparison runs both sides in this process, alternating, and reports medians, so a busy
machine slows both alike. NumPy's BLAS gets the thread setting the package makes on import (one
OpenBLAS thread, as under the condense-tui command); the reference gets one torch thread.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import condense_tui  # noqa: F401 - first, so its NumPy thread setting applies as under the CLI

import torch

from condense_tui.config import RunConfig, validate
from condense_tui.runs import build_controller, build_dataset

if TYPE_CHECKING:
    from reference import ReferenceLoop

torch.set_num_threads(1)  # the reference as the issue specifies: one torch thread
# The engine's training thread flushes subnormals to zero (RunController._loop); so does this thread,
# which runs the reference too: that can only speed the reference up, never the engine.
torch.set_flush_denormal(True)

LR_GD = 0.003  # no configuration diverges within 40,000 steps (0.01 does: x2tanh on Fig 2)
SECONDS = 0.25  # target duration of one timed run, each side


@dataclass(frozen=True)
class Case:
    """One benchmark configuration: a single hidden layer network on a paper data set."""

    name: str  # e.g. "Fig 2 5-50-1"
    data: str
    width: int
    activation: str
    optimizer: str
    lr: float
    std: float = 0.005

    @property
    def label(self) -> str:
        return f"{self.name} {self.activation} {self.optimizer}"

    def config(self, **changes: object) -> RunConfig:
        values: dict[str, object] = dict(
            data=self.data, width=self.width, activation=self.activation, optimizer=self.optimizer,
            lr=self.lr, init_std=self.std, loss="mse", dtype="float32", device="cpu")
        values.update(changes)
        return validate(RunConfig(**values))


def pair(name: str, data: str, width: int, activation: str, lr: float) -> list[Case]:
    return [Case(name, data, width, activation, "adam", lr), Case(name, data, width, activation, "gd", LR_GD)]


FIG5 = ("Fig 5 1-100-1", "fig5", 100)
FIG2 = ("Fig 2 5-50-1", "fig2", 50)
WIDE1 = ("wide 1-1000-1", "fig5", 1000)
WIDE5 = ("wide 5-1000-1", "fig2", 1000)
LR = {"fig5": 5e-4, "fig2": 1e-3}

CASES: list[Case] = [
    case
    for name, data, width in (FIG5, FIG2, WIDE1, WIDE5)
    for activation in (("tanh", "x2tanh") if name in (FIG2[0], WIDE1[0]) else ("tanh",))
    for case in pair(name, data, width, activation, LR[data])
]


@dataclass(frozen=True)
class Timing:
    steps_per_second: float  # wall clock
    cpu_per_step: float  # this thread's CPU seconds per step (immune to other processes)


def timed(run: Callable[[], int]) -> Timing:
    """Time run(), which returns how many steps it did."""
    wall, cpu = time.perf_counter(), time.thread_time()
    steps = run()
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    return Timing(steps / wall, cpu / steps)


def engine_run(config: RunConfig, steps: int, seeds: list[int] | None = None) -> Timing:
    """RunController.run over `steps` updates with one snapshot at the end (the headless path).
    Building the trainer is not timed; the loop, its first evaluation and snapshots are."""
    trainer = build_controller(config.replace(steps=steps, snapshot_every=steps), seeds=seeds)

    def go() -> int:
        last = trainer.run()
        if last.diverged_at is not None:  # a stopped run would count steps it never took
            raise RuntimeError(f"benchmark run diverged at step {last.diverged_at}: lower its lr")
        return trainer.step_count

    return timed(go)


def reference_for(case: Case, dtype: torch.dtype = torch.float32) -> ReferenceLoop:
    from reference import ReferenceLoop

    data = build_dataset(case.config())
    return ReferenceLoop(data.x, data.y, case.width, case.activation, case.std, case.optimizer,
                         case.lr, dtype)


def reference_run(loop: ReferenceLoop, steps: int) -> Timing:
    """From the initial weights each time, like the engine's runs (not timed: the restart)."""
    loop.restart()
    losses: list[float] = []

    def go() -> int:
        losses.extend(loop.train(steps))
        return steps

    timing = timed(go)
    if not all(map(math.isfinite, losses)):
        raise RuntimeError("reference run diverged: lower its lr")
    return timing


def steps_for(rate: float, seconds: float = SECONDS) -> int:
    return max(20, int(rate * seconds))


def calibrate(run: Callable[[int], Timing], first: int) -> int:
    """Steps that take about SECONDS, from one short warm-up run."""
    return steps_for(run(first).steps_per_second)


@dataclass(frozen=True)
class Comparison:
    engine: float  # median steps/s
    reference: float
    ratio: float  # median over repetitions of engine/reference, each pair run back to back
    cpu_ratio: float  # the same from CPU time per step


def compare(engine: Callable[[], Timing], reference: Callable[[], Timing], repeats: int) -> Comparison:
    """Alternate reference and engine `repeats` times; medians of rates and of pair ratios."""
    pairs = []
    for _ in range(repeats):
        ref, eng = reference(), engine()
        pairs.append((eng, ref))
    med = statistics.median
    return Comparison(
        engine=med(e.steps_per_second for e, _ in pairs),
        reference=med(r.steps_per_second for _, r in pairs),
        ratio=med(e.steps_per_second / r.steps_per_second for e, r in pairs),
        cpu_ratio=med(r.cpu_per_step / e.cpu_per_step for e, r in pairs),
    )


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """A Markdown table, columns padded so it also reads well in a terminal."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    print(line(headers))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))
