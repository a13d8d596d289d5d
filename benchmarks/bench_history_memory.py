"""Memory of the TUI's kept history over a run of 10^6 steps, against keeping every snapshot.

Feeds tui.history.SnapshotHistory synthetic snapshots (each with arrays of its own, as the trainer
publishes them, and a history row with 72 histogram shares) at a preset's cadence, and measures the
bytes still held at the end with tracemalloc (everything the history holds: arrays, rows, objects).
Two shapes: a Fig 6 network (1-100-1, a snapshot every 10 steps: 10^5 snapshots) and a CIFAR-10
FC layer (1024 x 513 weights, a snapshot per epoch of 391 steps: 2,558 snapshots of 2 MiB).

    python benchmarks/bench_history_memory.py
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

from condense_tui.engine.snapshot import RunContext, Snapshot
from condense_tui.tui.history import BYTE_CAP, CAP, HistoryRow, LayerRow, SnapshotHistory, snapshot_bytes

STEPS = 1_000_000
CONTEXT = RunContext(None, np.zeros((0, 1)), np.zeros(0), ("tanh",), (None,), (0,), (0.01,))


def feed(width: int, inputs: int, every: int) -> None:
    initial = np.zeros((1, width, inputs + 1), dtype=np.float32)
    history = SnapshotHistory()
    tracemalloc.start()
    started = time.perf_counter()
    count = 0
    all_bytes = 0
    for step in range(0, STEPS + 1, every):
        layer = np.full((1, width, inputs + 1), step, dtype=np.float32)
        losses, loss_steps = np.zeros((every, 1)), np.arange(step - every + 1, step + 1)
        snap = Snapshot(1, step, loss_steps, losses, (layer,), np.zeros((1, width), dtype=np.float32), (initial,),
                        initial[:, :, 0], CONTEXT, 0.0, 0.0)
        row = HistoryRow(step, 0.0, (LayerRow(1, 2, 2, 1.0, 0.9, np.zeros(72, dtype=np.float32)),))
        all_bytes += snapshot_bytes(snap) + row.nbytes
        history.add(snap, row)
        count += 1
    seconds = time.perf_counter() - started
    del snap, layer, losses, loss_steps, row
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{width}x{inputs + 1} every {every}: {count:,} snapshots over {STEPS:,} steps, {len(history):,} kept"
          f" ({history.describe()}); held {held / 2**20:.1f} MiB (peak {peak / 2**20:.1f} MiB),"
          f" accounted {history.nbytes / 2**20:.1f} MiB; keeping all would hold {all_bytes / 2**20:,.0f} MiB"
          f" ({all_bytes / max(held, 1):.0f}x); {seconds / count * 1e6:.0f} us per snapshot offered")


def main() -> None:
    print(f"bound: {CAP:,} snapshots and {BYTE_CAP / 2**20:.0f} MiB of arrays")
    feed(100, 1, 10)  # Fig 6
    feed(1024, 512, 391)  # a CIFAR-10 FC layer


if __name__ == "__main__":
    main()
