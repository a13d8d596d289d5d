"""The run store (--out DIR): config.toml, metrics.jsonl, snapshots.npz, summary.json.

Everything is written as the run goes: metrics.jsonl is flushed per record; snapshots.npz is a zip
that gets each snapshot's arrays appended and its directory written out every NPZ_SYNC_S seconds
(reopening it costs time proportional to its size: per snapshot, a long run would slow down
quadratically) and at the end, also after SIGINT or SIGTERM. Between two syncs the zip has no
directory, so a process killed outright can leave the npz unreadable; metrics.jsonl stays whole.
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from ..config import RunConfig, config_to_toml
from .jsonsafe import dumps

FILES = ("config.toml", "metrics.jsonl", "snapshots.npz", "summary.json")
NPZ_SYNC_S = 1.0


class StoreError(ValueError):
    """The output directory cannot be used; the message says why and what to do."""


def snapshot_key(step: int, part: str) -> str:
    """npz key of one array: step_000100_layer1 (input weights with bias) or step_000100_output."""
    return f"step_{step:06d}_{part}"


def check_out_dir(path: Path, force: bool) -> None:
    """Refuse a directory we must not or cannot write, before anything is written."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"--out {str(path)!r} is a file, not a directory; choose another path")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise StoreError(f"--out {str(path)!r} is not empty; add --force to overwrite it or choose "
                         "another directory")
    existing = path if path.exists() else next((p for p in path.parents if p.exists()), None)
    if existing is None or not os.access(existing, os.W_OK | os.X_OK):
        raise StoreError(f"--out {str(path)!r} is not writable; choose a directory you can write to")


class RunStore:
    def __init__(self, path: Path, config: RunConfig, force: bool = False):
        check_out_dir(path, force)
        try:
            path.mkdir(parents=True, exist_ok=True)
            for name in FILES:  # --force: replace our files, leave anything else alone
                (path / name).unlink(missing_ok=True)
            (path / "config.toml").write_text(config_to_toml(config), encoding="utf-8")
            self._metrics = open(path / "metrics.jsonl", "w", encoding="utf-8")
        except OSError as err:
            raise StoreError(f"cannot write to --out {str(path)!r}: {err.strerror or err}") from None
        self.path = path
        self._npz = path / "snapshots.npz"
        self._archive: zipfile.ZipFile | None = None
        self._synced = time.monotonic()
        self.steps: list[int] = []

    def append(self, record: dict[str, Any]) -> None:
        self._metrics.write(dumps(record) + "\n")
        self._metrics.flush()

    def add_snapshot(self, snapshot, replica: int = 0) -> None:  # noqa: ANN001 - engine Snapshot
        """Append one snapshot's weights: every hidden layer's input weights (bias last column)
        and the output weights, of one network."""
        if snapshot.step in self.steps:
            return
        arrays = {snapshot_key(snapshot.step, f"layer{l}"): w[replica]
                  for l, w in enumerate(snapshot.layers, start=1)}
        arrays[snapshot_key(snapshot.step, "output")] = snapshot.output[replica]
        self._write_arrays(arrays)
        self.steps.append(snapshot.step)

    def _write_arrays(self, arrays: dict[str, np.ndarray], sync: bool = False) -> None:
        if self._archive is None:
            self._archive = zipfile.ZipFile(self._npz, "a" if self._npz.exists() else "w")
        for key, value in arrays.items():
            with self._archive.open(key + ".npy", "w", force_zip64=True) as handle:
                np.lib.format.write_array(handle, np.ascontiguousarray(value), allow_pickle=False)
        if sync or time.monotonic() - self._synced >= NPZ_SYNC_S:
            self._archive.close()  # writes the zip directory: the file is a valid npz from here
            self._archive = None
            self._synced = time.monotonic()

    def finish(self, summary: dict[str, Any]) -> None:
        """The step index of snapshots.npz and summary.json; closes metrics.jsonl."""
        self._write_arrays({"steps": np.asarray(self.steps, dtype=np.int64)}, sync=True)
        (self.path / "summary.json").write_text(dumps(summary, indent=2) + "\n", encoding="utf-8")
        self._metrics.close()
