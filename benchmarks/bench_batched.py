"""K = 64 networks trained together (one run controller, 64 seeds) on Fig 2, per network.

Against the notebook loop (one network) and against 64 separate engine runs.
Run: python benchmarks/bench_batched.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass

from common import (FIG2, LR, LR_GD, Case, Timing, calibrate, engine_run, print_table, reference_for, reference_run,
                    timed)

from condense_tui.runs import build_controller

K = 64
TARGET = 35.0  # per-network steps/s over the reference's, Fig 2 Adam


@dataclass(frozen=True)
class Result:
    case: Case
    reference: float  # steps/s, one network
    batched: float  # steps/s per network, 64 at once
    separate: float  # steps/s per network, 64 separate runs one after another
    vs_reference: float  # median ratio
    vs_separate: float


def separate_runs(case: Case, steps: int) -> Timing:
    """64 trainers one after another (as a script looping over seeds would), training timed."""
    trainers = [build_controller(case.config(steps=steps, snapshot_every=steps, seed=seed)) for seed in range(K)]

    def go() -> int:
        for trainer in trainers:
            if trainer.run().diverged_at is not None:
                raise RuntimeError("benchmark run diverged: lower its lr")
        return sum(trainer.step_count for trainer in trainers)

    return timed(go)


def batched_run(case: Case, steps: int) -> Timing:
    timing = engine_run(case.config(), steps, seeds=list(range(K)))
    return Timing(timing.steps_per_second * K, timing.cpu_per_step / K)


def measure(case: Case, repeats: int) -> Result:
    loop = reference_for(case)
    loop.train(20)
    ref_steps = calibrate(lambda s: reference_run(loop, s), 50)
    batch_steps = calibrate(lambda s: batched_run(case, s), 50)
    sep_steps = max(20, calibrate(lambda s: engine_run(case.config(), s), 500) // K)
    rows = []
    for _ in range(repeats):
        rows.append((reference_run(loop, ref_steps), batched_run(case, batch_steps),
                     separate_runs(case, sep_steps)))
    med = statistics.median
    return Result(case, med(r.steps_per_second for r, _, _ in rows),
                  med(b.steps_per_second for _, b, _ in rows), med(s.steps_per_second for _, _, s in rows),
                  med(b.steps_per_second / r.steps_per_second for r, b, _ in rows),
                  med(b.steps_per_second / s.steps_per_second for _, b, s in rows))


def run(repeats: int = 5) -> list[Result]:
    name, data, width = FIG2
    return [measure(Case(name, data, width, "tanh", "adam", LR[data]), repeats),
            measure(Case(name, data, width, "tanh", "gd", LR_GD), repeats)]


def print_results(results: list[Result]) -> None:
    print_table(
        [f"K = {K}, float32", "reference steps/s", "64 separate runs, per network",
         "batched, per network", "batched/reference", "batched/separate", "target"],
        [[r.case.label, f"{r.reference:,.0f}", f"{r.separate:,.0f}", f"{r.batched:,.0f}",
          f"{r.vs_reference:.1f}x", f"{r.vs_separate:.1f}x",
          (f">= {TARGET:g}x {'ok' if r.vs_reference >= TARGET else 'MISSED'}"
           if r.case.optimizer == "adam" else "")] for r in results])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    print_results(run(parser.parse_args().repeats))
