"""`condense-tui sweep` against the shell loop of single `condense-tui --no-tui` runs a user would write.

Grid: 3 activations x 8 init scales x 5 seeds of fig6-x2tanh (200 steps) = 120 runs.
1. End to end: the sweep (one command, batched, --workers) against the loop of 120 processes, of which
   a sample is timed and the mean extrapolated to the grid (said in the output).
2. Training alone, per network: one batch of 40 networks (8 init scales x 5 seeds) against the same 40
   trained one at a time.
Run: python benchmarks/bench_sweep.py [--sample N] [--workers N]
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACTIVATIONS = ["tanh", "xtanh", "x2tanh"]
GAMMAS = "0.5:4:8"
SEEDS = "0-4"
PRESET = "fig6-x2tanh"
TARGET = 20.0  # end-to-end ratio the sweep should reach


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("condense-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "condense_tui.cli"]


def time_sweep(workers: int) -> tuple[float, int]:
    out = Path(tempfile.mkdtemp()) / "sweep"
    command = [sys.executable, "-m", "condense_tui.sweep", "-q", "-p", PRESET, "--workers", str(workers),
               "--axis", "activation=" + ",".join(ACTIVATIONS), "--axis", f"init_gamma={GAMMAS}",
               "--seeds", SEEDS, "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out.parent)
    return elapsed, len(done.stdout.splitlines())


def time_shell_loop(points: list[tuple[str, float, int]]) -> float:
    """Seconds per run of `condense-tui --no-tui -q ...`, one process after another."""
    started = time.perf_counter()
    for activation, gamma, seed in points:
        subprocess.run([*_cli(), "--no-tui", "-q", "-p", PRESET, "--activation", activation,
                        "--init-gamma", str(gamma), "--seed", str(seed)],
                       capture_output=True, text=True, check=True)
    return (time.perf_counter() - started) / len(points)


def per_network_steps(repeats: int = 3) -> tuple[float, float]:
    """Steps/s per network: one trainer of 40 replicas against 40 trainers of one (training only)."""
    from condense_tui.config import load_preset
    from condense_tui.sweep.rows import build_trainer
    from condense_tui.sweep.spec import parse_values

    config = load_preset(PRESET).replace(snapshot_every=200)
    stds = [float(config.width) ** -g for g in parse_values("init_gamma", GAMMAS, "bench")]
    pairs = list(itertools.product(stds, range(5)))
    build_trainer(config, [0], [stds[0]]).run()  # warm caches (activation measurement)
    batched, separate = [], []
    for _ in range(repeats):
        trainer = build_trainer(config, [s for _, s in pairs], [d for d, _ in pairs])
        trainer.run()
        batched.append(config.steps * len(pairs) / trainer.elapsed)
        trainers = [build_trainer(config, [s], [d]) for d, s in pairs]
        for one in trainers:
            one.run()
        separate.append(config.steps * len(pairs) / sum(one.elapsed for one in trainers))
    return max(batched), max(separate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=9, help="single runs timed for the shell loop")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    gammas = [0.5 + 0.5 * i for i in range(8)]
    grid = list(itertools.product(ACTIVATIONS, gammas, range(5)))
    step = max(1, len(grid) // args.sample)
    sample = grid[::step][: args.sample]
    sweep_s, rows = time_sweep(args.workers)
    assert rows == len(grid), f"the sweep wrote {rows} rows, expected {len(grid)}"
    per_run = time_shell_loop(sample)
    loop_s = per_run * len(grid)
    batched, separate = per_network_steps()
    ratio = loop_s / sweep_s
    print(f"grid: {len(ACTIVATIONS)} activations x 8 init_gamma ({GAMMAS}) x 5 seeds of {PRESET} "
          f"= {len(grid)} runs, 200 steps")
    print(f"sweep, --workers {args.workers}:            {sweep_s:8.1f} s  ({rows} rows)")
    print(f"shell loop, {len(sample)} runs timed:       {per_run:8.2f} s/run -> {loop_s:.1f} s for "
          f"{len(grid)} (extrapolated)")
    print(f"end-to-end ratio:                   {ratio:8.1f}x  (target >= {TARGET:g}x: "
          f"{'met' if ratio >= TARGET else 'NOT met'})")
    print(f"training per network, 40 batched:   {batched:8.0f} steps/s")
    print(f"training per network, 40 separate:  {separate:8.0f} steps/s  ({batched / separate:.1f}x)")


if __name__ == "__main__":
    main()
