"""Correctness: the engine and the notebook loop give the same losses from the same weights.

float64, 100 updates; the engine's initial flat parameters are loaded into the torch module
(W (m, d + 1) holds the bias as its last column; config loss "mse" is nn.MSELoss's 1/n).
Run: python benchmarks/check_losses.py
"""

from __future__ import annotations

import numpy as np
import torch
from common import CASES, Case
from reference import load_engine_parameters

from condense_tui.engine.controller import RunController
from condense_tui.runs import build_controller

STEPS = 100
TOLERANCE = 1e-5  # relative, on every step's loss


def engine_losses(case: Case) -> tuple[np.ndarray, RunController]:
    trainer = build_controller(case.config(dtype="float64", steps=STEPS, snapshot_every=STEPS))
    snaps = []
    trainer.subscribe(snaps.append)
    trainer.run()
    return np.concatenate([s.losses[:, 0] for s in snaps]), trainer  # steps 0..STEPS


def reference_losses(case: Case, trainer: RunController) -> np.ndarray:
    from common import reference_for

    loop = reference_for(case, torch.float64)
    weights, output = trainer.model.initial_weights()
    load_engine_parameters(loop.model, weights[0][0].copy(), output[0].copy())  # read-only host copies
    loop.reset_optimizer()
    return np.asarray(loop.train(STEPS + 1))  # loss before each update: steps 0..STEPS


def run() -> list[tuple[Case, float]]:
    """Largest relative loss difference over the run, per configuration."""
    results = []
    for case in CASES:
        ours, trainer = engine_losses(case)
        theirs = reference_losses(case, trainer)
        results.append((case, float(np.max(np.abs(ours - theirs) / np.abs(theirs)))))
    return results


def print_results(results: list[tuple[Case, float]]) -> bool:
    worst_case, worst = max(results, key=lambda r: r[1])
    ok = worst <= TOLERANCE
    print(f"same losses as the reference over {STEPS} steps (float64, same initial weights), "
          f"{len(results)} configurations: largest relative difference {worst:.1e} "
          f"({worst_case.label}) {'ok' if ok else 'FAILED'} (tolerance {TOLERANCE:g})")
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if print_results(run()) else 1)
