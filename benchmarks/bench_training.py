"""Single network, float32: the engine (RunController.run) against the notebook loop, same process.

Run: python benchmarks/bench_training.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass

from common import (CASES, FIG2, LR, LR_GD, WIDE1, Case, Comparison, calibrate, compare, engine_run, print_table,
                    reference_for, reference_run)

TARGETS = {("Fig 2 5-50-1", "tanh", "adam"): 10.0, ("wide 1-1000-1", "tanh", "adam"): 7.0}
DEFAULT_TARGET = 5.0
X2TANH_LIMIT = 1.5  # x2tanh may take at most this many times tanh's time per step


@dataclass(frozen=True)
class Row:
    case: Case
    result: Comparison

    @property
    def target(self) -> float:
        return TARGETS.get((self.case.name, self.case.activation, self.case.optimizer), DEFAULT_TARGET)

    @property
    def ok(self) -> bool:
        return self.result.ratio >= self.target


def measure_case(case: Case, repeats: int) -> Comparison:
    config = case.config()
    loop = reference_for(case)
    loop.train(20)  # warm-up: first calls allocate
    ref_steps = calibrate(lambda s: reference_run(loop, s), 50)
    eng_steps = calibrate(lambda s: engine_run(config, s), 500)
    return compare(lambda: engine_run(config, eng_steps), lambda: reference_run(loop, ref_steps), repeats)


def measure_activation_cost(name: str, data: str, width: int, optimizer: str, lr: float,
                            repeats: int) -> float:
    """Engine time per step with x2tanh over the same with tanh, alternating runs."""
    tanh, x2 = Case(name, data, width, "tanh", optimizer, lr).config(), Case(
        name, data, width, "x2tanh", optimizer, lr).config()
    steps = calibrate(lambda s: engine_run(tanh, s), 500)
    result = compare(lambda: engine_run(x2, steps), lambda: engine_run(tanh, steps), repeats)
    return 1.0 / result.ratio


def run(repeats: int = 5) -> tuple[list[Row], list[tuple[str, float]]]:
    rows = []
    for case in CASES:
        rows.append(Row(case, measure_case(case, repeats)))
        print(f"  measured {case.label}: x{rows[-1].result.ratio:.1f}", flush=True)
    costs = []
    for name, data, width in (FIG2, WIDE1):
        for optimizer, lr in (("adam", LR[data]), ("gd", LR_GD)):
            costs.append((f"{name} {optimizer}",
                          measure_activation_cost(name, data, width, optimizer, lr, repeats)))
    return rows, costs


def print_results(rows: list[Row], costs: list[tuple[str, float]]) -> None:
    print_table(
        ["configuration", "activation", "optimizer", "reference steps/s", "engine steps/s",
         "engine/reference", "(CPU time)", "target"],
        [[r.case.name, r.case.activation, r.case.optimizer, f"{r.result.reference:,.0f}",
          f"{r.result.engine:,.0f}", f"{r.result.ratio:.1f}x", f"{r.result.cpu_ratio:.1f}x",
          f">= {r.target:g}x {'ok' if r.ok else 'MISSED'}"] for r in rows])
    print()
    print_table(["engine, same configuration", "x2tanh time / tanh time", "target"],
                [[label, f"{cost:.2f}", f"<= {X2TANH_LIMIT} {'ok' if cost <= X2TANH_LIMIT else 'MISSED'}"]
                 for label, cost in costs])
    worst = min(rows, key=lambda r: r.result.ratio / r.target)
    print(f"\nmedian ratio over all configurations: {statistics.median(r.result.ratio for r in rows):.1f}x; "
          f"closest to its target: {worst.case.label} at {worst.result.ratio:.1f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print_results(*run(args.repeats))
