"""wait_until: poll a condition from a test thread (trainers run in their own threads); and one
driver of a controller through run, reset and reseed, shared by the controller tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_until(predicate: Callable[[], object], timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.005)
    return False


def run_reset_reseed(run: Any, steps: int) -> list[Any]:
    """Drive a paused controller through three runs of `steps` single steps each: the first, a reset
    (same initial weights) and a reseed (new ones). Returns every snapshot it published."""
    snaps: list[Any] = []
    run.subscribe(snaps.append)
    run.start(paused=True)
    try:
        for run_id in (1, 2, 3):
            if run_id == 2:
                run.reset()
            elif run_id == 3:
                run.reseed()
            assert wait_until(lambda r=run_id: run.latest is not None and run.latest.run_id == r
                              and run.latest.step == 0, 10.0), f"run {run_id} did not start"
            run.step(steps)
            assert wait_until(lambda: run.latest.step == steps, 10.0), f"run {run_id} did not step"
    finally:
        run.stop(timeout=5.0)
    return snaps
