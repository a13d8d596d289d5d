"""run_sweep: plan the grid, skip finished points, train the rest, hand each row to the caller.

The face-neutral entry point: the command prints rows and progress, a TUI view can colour a grid.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .executors import execute
from .plan import Batch, Point, grid_points, plan_batches
from .spec import SweepSpec
from .store import SweepStore, read_rows

RowListener = Callable[[dict[str, Any]], None]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass
class SweepPlan:
    """The grid, what is already done (from a store), and the batches left to train."""

    spec: SweepSpec
    points: list[Point]
    done: set[str] = field(default_factory=set)
    batches: list[Batch] = field(default_factory=list)

    @property
    def todo(self) -> int:
        return sum(len(b.points) for b in self.batches)


def plan_sweep(spec: SweepSpec, workers: int, done: set[str] | None = None) -> SweepPlan:
    points = grid_points(spec)
    done = set(done or ())
    left = [p for p in points if p.key not in done]
    return SweepPlan(spec, points, done & {p.key for p in points}, plan_batches(left, workers))


def run_sweep(spec: SweepSpec | None, *, workers: int | None = None, scheduler: str | None = None,
              out: Path | None = None, resume: bool = False, force: bool = False,
              on_row: RowListener | None = None, on_plan: Callable[[SweepPlan], None] | None = None,
              stop: Callable[[], bool] = lambda: False) -> list[dict[str, Any]]:
    """Train every point not yet in the store; returns the rows of this call (finish order).

    spec None with resume: the definition is read from out/sweep.toml. Raises SweepError (bad
    definition, store, scheduler) before anything trains."""
    workers = workers or default_workers()
    store = SweepStore(out, spec, resume, force) if out is not None else None
    if store is not None:
        spec = store.spec
    assert spec is not None
    plan = plan_sweep(spec, workers, store.done if store else None)
    if on_plan is not None:
        on_plan(plan)
    rows: list[dict[str, Any]] = []
    try:
        for batch_rows in execute(plan.batches, workers, scheduler, stop):
            for row in batch_rows:
                if store is not None:
                    store.append(row)
                rows.append(row)
                if on_row is not None:
                    on_row(row)
    finally:
        if store is not None:
            store.close()
    return rows


def stored_rows(out: Path) -> list[dict[str, Any]]:
    """Every finished row of the sweep store at `out`."""
    return read_rows(out)
