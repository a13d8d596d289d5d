"""Read a run directory: finished, interrupted, killed or still being written, in the current
layout (append-only streams) or the earlier one (a single snapshots.npz).

    run = read_run("runs/fig2")            # or RunReader(path).refresh() again and again to follow
    run.snapshots.steps, run.snapshots.layers[0]   # (S,), (S, m, in + 1)
    run.records["step"], run.records["loss"], run.records["layer1.lines"]
    run.status                             # running, finished, interrupted, diverged, killed
"""

from __future__ import annotations

import json
import re
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .layout import (
    CONFIG,
    INITIAL,
    LOSSES,
    METRICS,
    NPZ,
    OUTPUT,
    STEPS,
    STREAMS,
    SUMMARY,
    layer_file,
)
from .lock import live_writer
from .npystream import read_rows

_NPZ_KEY = re.compile(r"step_(\d+)_(layer\d+|output)$")


@dataclass(frozen=True)
class StoredSnapshots:
    """Replica 0's weights at each stored snapshot, stacked along the first axis."""

    steps: np.ndarray  # (S,) int64
    layers: tuple[np.ndarray, ...]  # per hidden layer (S, m_l, in_l + 1), bias last
    output: np.ndarray  # (S, m_L)
    initial_layers: tuple[np.ndarray, ...] | None  # the step-0 weights, (m_l, in_l + 1)
    initial_output: np.ndarray | None

    def __len__(self) -> int:
        return len(self.steps)

    def index_of(self, step: int) -> int:
        """Position of the newest snapshot at or before `step` (0 if none is)."""
        return max(int(np.searchsorted(self.steps, step, side="right")) - 1, 0)


@dataclass(frozen=True)
class StoredRun:
    path: Path
    layout: str  # "streams" (this version) or "npz" (earlier versions)
    config: dict[str, Any]  # config.toml's values; config.load_preset(path) gives the RunConfig
    records: dict[str, np.ndarray]  # JSONL step records as columns; NaN where a record lacks a value
    losses: dict[str, np.ndarray]  # every step's loss: "step", "loss" (logged steps only for "npz")
    snapshots: StoredSnapshots
    summary: dict[str, Any] | None
    writer_pid: int | None  # the live process writing the run, None when none is

    @property
    def status(self) -> str:
        """running, finished, interrupted, diverged, or killed (ended without a summary)."""
        if self.writer_pid is not None:
            return "running"
        if self.summary is None:
            return "killed"
        return ("diverged" if self.summary.get("diverged") else
                "interrupted" if self.summary.get("interrupted") else "finished")


class _Columns:
    """JSONL records parsed once each, kept as NaN-filled columns in arrays that double when full:
    adding a record costs the same at row 10 and at row 10^6, and arrays() hands out views (no copy),
    so a follow that refreshes every second does not slow down as the run grows."""

    def __init__(self) -> None:
        self.rows = 0
        self.capacity = 64
        self.columns: dict[str, np.ndarray] = {"step": np.zeros(self.capacity, dtype=np.int64)}

    def add(self, record: dict[str, Any]) -> None:
        if "step" not in record or "event" in record:
            return
        values = {key: value for key, value in record.items() if _is_number(value)}
        for layer in record.get("layers") or ():
            if isinstance(layer, dict):
                index = layer.get("layer")
                values.update({f"layer{index}.{k}": v for k, v in layer.items()
                               if k != "layer" and _is_number(v)})
        if self.rows == self.capacity:
            self._grow()
        for key, value in values.items():
            column = self.columns.get(key)
            if column is None:
                column = self.columns[key] = np.full(self.capacity, np.nan)
            column[self.rows] = np.nan if value is None else value
        self.rows += 1

    def _grow(self) -> None:
        self.capacity *= 2
        for key, column in self.columns.items():
            grown = np.zeros(self.capacity, dtype=column.dtype)
            if column.dtype.kind == "f":
                grown[:] = np.nan
            grown[:self.rows] = column[:self.rows]
            self.columns[key] = grown

    def arrays(self) -> dict[str, np.ndarray]:
        return {key: column[:self.rows] for key, column in self.columns.items()}


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


class RunReader:
    """Reads a run directory and, on each refresh(), only what landed since the last one."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not (self.path / CONFIG).is_file() and not (self.path / METRICS).is_file():
            raise FileNotFoundError(f"{self.path} is not a condense-tui run directory (no {CONFIG})")
        self._offset = 0
        self._columns = _Columns()

    def _read_metrics(self) -> None:
        """New complete lines only: a last line without its newline is still being written."""
        try:
            with open(self.path / METRICS, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read()
        except FileNotFoundError:
            return
        end = data.rfind(b"\n") + 1
        for line in data[:end].splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line cut by a full disk, followed by later ones
            if isinstance(record, dict):
                self._columns.add(record)
        self._offset += end

    def refresh(self) -> StoredRun:
        writer = live_writer(self.path)  # asked first: a summary seen after it is final
        self._read_metrics()
        records = self._columns.arrays()
        summary = _json_file(self.path / SUMMARY)
        if (self.path / STREAMS / STEPS).is_file():
            layout, snapshots = "streams", _stream_snapshots(self.path / STREAMS)
        else:
            layout, snapshots = "npz", _npz_snapshots(self.path / NPZ)
        if (self.path / LOSSES).is_file():
            rows = read_rows(self.path / LOSSES)
            losses = {"step": np.asarray(rows["step"]), "loss": np.asarray(rows["loss"])}
        else:
            losses = {"step": records["step"], "loss": records.get("loss", np.zeros(0))}
        return StoredRun(self.path, layout, _toml_file(self.path / CONFIG), records, losses, snapshots,
                         summary, writer)


def read_run(path: str | Path) -> StoredRun:
    """Everything the run directory holds now (see RunReader to follow a run as it grows)."""
    return RunReader(path).refresh()


def _json_file(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _toml_file(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _stream_snapshots(folder: Path) -> StoredSnapshots:
    steps = read_rows(folder / STEPS)
    layers, number = [], 1
    while (folder / layer_file(number)).is_file():
        layers.append(read_rows(folder / layer_file(number)))
        number += 1
    output = read_rows(folder / OUTPUT)
    count = min(len(a) for a in (steps, output, *layers))  # steps lands last, the others first
    initial_layers = initial_output = None
    if (folder / INITIAL).is_file():
        with np.load(folder / INITIAL) as npz:
            initial_layers = tuple(npz[f"layer{i}"] for i in range(1, len(layers) + 1))
            initial_output = npz["output"]
    return StoredSnapshots(np.asarray(steps[:count]), tuple(a[:count] for a in layers), output[:count],
                           initial_layers, initial_output)


def _npz_snapshots(path: Path) -> StoredSnapshots:
    """The earlier single-file format; a zip without its directory (a killed run) holds nothing."""
    empty = StoredSnapshots(np.zeros(0, np.int64), (), np.zeros((0, 0)), None, None)
    try:
        npz = np.load(path)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError):
        return empty
    with npz:
        parts: dict[int, set[str]] = {}
        for key in npz.files:
            match = _NPZ_KEY.match(key)
            if match:
                parts.setdefault(int(match[1]), set()).add(match[2])
        steps = sorted(parts)
        names = sorted((p for p in parts[steps[0]] if p != "output"), key=lambda p: int(p[5:])) if steps else []
        steps = [s for s in steps if parts[s] >= {*names, "output"}]
        if not steps:
            return empty
        layers = tuple(np.stack([npz[f"step_{s:06d}_{name}"] for s in steps]) for name in names)
        output = np.stack([npz[f"step_{s:06d}_output"] for s in steps])
    at_zero = steps[0] == 0  # earlier versions stored no initial weights: step 0 is them
    return StoredSnapshots(np.asarray(steps, np.int64), layers, output,
                           tuple(a[0] for a in layers) if at_zero else None, output[0] if at_zero else None)
