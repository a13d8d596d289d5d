"""Every benchmark in one go, ending with a short table of the targets.

Run from the repository root: python benchmarks/run_all.py [--repeats N]
Takes about ten minutes on 2 cores. Exit status 1 when the engine's losses differ from the
reference's (speed misses are reported, not fatal: a loaded machine can cause them).
"""

from __future__ import annotations

import argparse
import platform
import time

import bench_batched
import bench_snapshots
import bench_training
import bench_wait
import check_losses
import numpy as np
import torch
from common import print_table


def section(title: str) -> None:
    print(f"\n## {title}\n", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="alternating repetitions per measurement")
    repeats = parser.parse_args().repeats
    started = time.perf_counter()
    print(f"python {platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}, "
          f"{platform.machine()}, {repeats} repetitions; reference: nn.Sequential + autograd + "
          f"torch.optim, loss.item() every step, float32, one torch thread")

    section("Correctness")
    losses = check_losses.run()
    losses_ok = check_losses.print_results(losses)

    section("Single network, float32: engine (RunController.run) vs the notebook loop, same process")
    rows, costs = bench_training.run(repeats)
    bench_training.print_results(rows, costs)

    section(f"Batched: K = {bench_batched.K} networks in one run controller")
    batched = bench_batched.run(repeats)
    bench_batched.print_results(batched)

    section("Snapshots at the default interval")
    snaps = bench_snapshots.run(max(repeats, 7))
    bench_snapshots.print_results(snaps)

    section("What users wait for")
    wait = bench_wait.run(repeats)
    bench_wait.print_results(wait)

    section("Summary")
    by_key = {(r.case.name, r.case.activation, r.case.optimizer): r for r in rows}
    fig2, wide = by_key[("Fig 2 5-50-1", "tanh", "adam")], by_key[("wide 1-1000-1", "tanh", "adam")]
    others = [r for r in rows if r not in (fig2, wide)]
    slowest = min(others, key=lambda r: r.result.ratio)
    worst_cost = max(costs, key=lambda c: c[1])
    adam_batched = next(r for r in batched if r.case.optimizer == "adam")
    kept = min(s[2] for _, s in snaps)
    help_label, help_time = wait["help"]
    analysis_1000 = max(later for _, _, m, _, later in wait["analysis"] if m == 1000)
    _, worst_diff = max(losses, key=lambda r: r[1])
    status = lambda good: "ok" if good else "MISSED"  # noqa: E731
    print_table(["what", "measured", "target", ""], [
        ["same losses as the reference (float64, 100 steps)", f"{worst_diff:.0e} relative",
         f"<= {check_losses.TOLERANCE:g}", status(losses_ok)],
        ["Fig 2 5-50-1 tanh Adam, engine/reference", f"{fig2.result.ratio:.1f}x", ">= 10x",
         status(fig2.ok)],
        ["wide 1-1000-1 tanh Adam, engine/reference", f"{wide.result.ratio:.1f}x", ">= 7x", status(wide.ok)],
        [f"every other configuration (lowest: {slowest.case.label})", f"{slowest.result.ratio:.1f}x",
         ">= 5x", status(all(r.ok for r in others))],
        [f"x2tanh time / tanh time (highest: {worst_cost[0]})", f"{worst_cost[1]:.2f}",
         f"<= {bench_training.X2TANH_LIMIT}", status(worst_cost[1] <= bench_training.X2TANH_LIMIT)],
        [f"K = {bench_batched.K} on Fig 2 Adam, per network vs reference", f"{adam_batched.vs_reference:.1f}x",
         f">= {bench_batched.TARGET:g}x", status(adam_batched.vs_reference >= bench_batched.TARGET)],
        [f"K = {bench_batched.K} batched vs {bench_batched.K} separate runs", f"{adam_batched.vs_separate:.1f}x",
         "", ""],
        [f"speed kept with a snapshot every {bench_snapshots.DEFAULT_EVERY} steps (lowest)", f"{kept:.0%}",
         "", ""],
        [help_label, f"{help_time * 1e3:.0f} ms", "< 500 ms", status(help_time < bench_wait.HELP_TARGET)],
        ["analyze(snapshot) at m = 1000 (slowest case)", f"{analysis_1000 * 1e3:.1f} ms", "< 50 ms",
         status(analysis_1000 < bench_wait.ANALYSIS_TARGET)],
    ])
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0 if losses_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
