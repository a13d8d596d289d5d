"""Steps per second of the NumPy and torch CPU backends on a few preset shapes, same process.

Run: python benchmarks/bench_backends.py [--steps N] [--repeats R]
Prints one row per preset: steps/s of each backend and torch's time per step over NumPy's.
"""

from __future__ import annotations

import argparse
import time

from condense_tui.config import load_preset
from condense_tui.runs import build_controller

PRESETS = ("fig6-tanh", "fig2-tanh", "fig3")


def steps_per_second(preset: str, backend: str, steps: int) -> float:
    config = load_preset(preset).replace(backend=backend, steps=steps, snapshot_every=steps)
    build_controller(config.replace(steps=10)).run()  # warm-up: first calls allocate, torch loads
    start = time.perf_counter()
    build_controller(config).run()
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'preset':<12} {'shape':<16} {'numpy steps/s':>14} {'torch steps/s':>14} {'torch/numpy time':>17}")
    for preset in PRESETS:
        config = load_preset(preset)
        d = config.resolved_data()
        shape = f"{d['input_dim']}-{'-'.join([str(config.width)] * config.depth)}-1 n={d['n']}"
        # best of R, alternating, so both backends see the same machine load
        rates = {"numpy": 0.0, "torch": 0.0}
        for _ in range(args.repeats):
            for backend in rates:
                rates[backend] = max(rates[backend], steps_per_second(preset, backend, args.steps))
        print(f"{preset:<12} {shape:<16} {rates['numpy']:>14.0f} {rates['torch']:>14.0f} "
              f"{rates['numpy'] / rates['torch']:>16.1f}x", flush=True)


if __name__ == "__main__":
    main()
