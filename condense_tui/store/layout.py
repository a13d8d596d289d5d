"""File names of a run directory (--out DIR), shared by the writer and the reader.

DIR/config.toml      the run's settings, fully resolved (usable as --preset); written first
DIR/metrics.jsonl    the JSONL records, one line each, appended and flushed as they come
DIR/losses.npy       every step's loss of replica 0: structured rows (step int64, loss float64)
DIR/snapshots/       append-only streams, one row per snapshot: steps.npy (S,), layer<l>.npy
                     (S, m_l, in_l + 1), output.npy (S, m_L); initial.npz (the step-0 weights)
DIR/snapshots.npz    the consolidated copy written at the end (keys step_NNNNNN_layer<l>, ..._output,
                     steps), the format of earlier versions
DIR/summary.json     the summary record, written at the end (also after a signal or a fault)
DIR/writer.lock      flock held by the writing process; holds its pid
"""

from __future__ import annotations

from .lock import LOCK_FILE

CONFIG, METRICS, LOSSES, STREAMS, NPZ, SUMMARY = ("config.toml", "metrics.jsonl", "losses.npy",
                                                   "snapshots", "snapshots.npz", "summary.json")
STEPS, OUTPUT, INITIAL = "steps.npy", "output.npy", "initial.npz"
FILES = (CONFIG, METRICS, NPZ, SUMMARY, LOSSES, STREAMS, LOCK_FILE)
TMP_SUFFIX = ".partial"  # files being replaced atomically; never read


def layer_file(layer: int) -> str:
    """Stream of hidden layer `layer` (1-based)."""
    return f"layer{layer}.npy"


def snapshot_key(step: int, part: str) -> str:
    """snapshots.npz key of one array: step_000100_layer1 (input weights with bias) or step_000100_output."""
    return f"step_{step:06d}_{part}"
