"""Snapshot overhead: a run at the default snapshot_every against one snapshot at the end.

A subscriber keeps the latest snapshot, as the TUI does (it reads them at its own frame rate).
Run: python benchmarks/bench_snapshots.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics

from common import FIG2, FIG5, LR, Case, Timing, calibrate, print_table, timed

from condense_tui.config import RunConfig
from condense_tui.runs import build_controller

DEFAULT_EVERY = RunConfig().snapshot_every


def trainer_run(config: RunConfig, steps: int, every: int) -> Timing:
    trainer = build_controller(config.replace(steps=steps, snapshot_every=every))
    latest = []
    trainer.subscribe(lambda snap: latest.append(snap) if not latest else latest.__setitem__(0, snap))

    def go() -> int:
        if trainer.run().diverged_at is not None:
            raise RuntimeError("benchmark run diverged: lower its lr")
        return trainer.step_count

    return timed(go)


def measure(case: Case, repeats: int) -> tuple[float, float, float, float]:
    """Steps/s at the default interval and with one snapshot; median ratios of the two, from
    wall time and from CPU time."""
    config = case.config()
    steps = calibrate(lambda s: trainer_run(config, s, s), 500)
    pairs = []
    for _ in range(repeats):
        once = trainer_run(config, steps, steps)
        default = trainer_run(config, steps, DEFAULT_EVERY)
        pairs.append((default, once))
    med = statistics.median
    return (med(d.steps_per_second for d, _ in pairs), med(o.steps_per_second for _, o in pairs),
            med(d.steps_per_second / o.steps_per_second for d, o in pairs),
            med(o.cpu_per_step / d.cpu_per_step for d, o in pairs))


def run(repeats: int = 7) -> list[tuple[Case, tuple[float, float, float, float]]]:
    cases = [Case(name, data, width, "tanh", "adam", LR[data]) for name, data, width in (FIG2, FIG5)]
    return [(case, measure(case, repeats)) for case in cases]


def print_results(results: list[tuple[Case, tuple[float, float, float, float]]]) -> None:
    print_table(
        ["configuration", f"steps/s, snapshot every {DEFAULT_EVERY}", "steps/s, one snapshot",
         "speed kept", "(CPU time)"],
        [[case.label, f"{d:,.0f}", f"{o:,.0f}", f"{r:.0%}", f"{c:.0%}"] for case, (d, o, r, c) in results])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    print_results(run(parser.parse_args().repeats))
