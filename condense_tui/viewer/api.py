"""The notebook API: `condense_tui.load_run(DIR)` and `condense_tui.run(preset, **overrides)`.

    import condense_tui as ct
    run = ct.run("fig6-tanh", steps=300)          # trains here, returns a LoadedRun
    run.records["step"], run.records["layer1.orientations"]
    run.snapshots.layers[0].shape                 # (S, m, d + 1), replica 0, bias last
    stored = ct.load_run("runs/fig2")             # the same object for a stored run

`run` trains through the headless runner into a run store (a temporary folder, removed after it is
read into memory, unless `out=` keeps it), so both functions return exactly what a store holds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..config import RunConfig
    from ..engine.snapshot import Snapshot
    from ..store.reader import StoredSnapshots


class RunFailed(RuntimeError):
    """`run` could not train (a bad setting, an unwritable store); the message is one line."""


@dataclass(frozen=True)
class LoadedRun:
    path: Path | None  # None: trained by run() into a temporary store, now removed
    config: RunConfig
    records: dict[str, np.ndarray]  # JSONL step records as columns: step, loss, layer<l>.lines, ...
    losses: dict[str, np.ndarray]  # every step's loss: "step", "loss"
    snapshots: StoredSnapshots  # .steps (S,), .layers[l] (S, m, in + 1), .output (S, m), initial weights
    summary: dict[str, Any] | None
    status: str  # finished, interrupted, diverged, killed, running

    def snapshot(self, step: int) -> Snapshot:
        """The stored snapshot nearest `step` as an engine Snapshot (for analysis.analyze and
        figures.write_figures), its losses covering the run up to that step."""
        from .rebuild import SnapshotRebuilder, context_of

        steps = self.snapshots.steps
        if not len(steps):
            raise ValueError("this run stored no snapshot")
        index = int(np.abs(steps - step).argmin())
        run = _as_stored(self)
        return SnapshotRebuilder(context_of(self.config)).snapshot(run, index, previous_step=-1)


def load_run(path: str | os.PathLike[str]) -> LoadedRun:
    """Everything a run folder holds (finished, killed, or still being written); ValueError when
    the folder is not a run store. Large arrays are memory maps of the store's files."""
    from .rebuild import open_store

    run, config = open_store(Path(path))
    return LoadedRun(run.path, config, run.records, run.losses, run.snapshots, run.summary, run.status)


def run(config_or_preset: RunConfig | str, *, out: str | os.PathLike[str] | None = None,
        **overrides: Any) -> LoadedRun:
    """Train a preset name, a TOML path or a RunConfig, with settings changed as keyword
    arguments named like the command line's flags (steps=300, activation="x2tanh"), to its step
    budget; returns the run as load_run would. Ctrl-C stops it early and keeps what it trained."""
    config = _config(config_or_preset, overrides)
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="condense-run-"))
    try:
        train_into(config, folder, force=out is None)
        loaded = load_run(folder)
        if out is not None:
            return loaded
        return replace(loaded, path=None, records={k: np.array(v) for k, v in loaded.records.items()},
                       losses={k: np.array(v) for k, v in loaded.losses.items()},
                       snapshots=_in_memory(loaded.snapshots))
    finally:
        if out is None:
            shutil.rmtree(folder, ignore_errors=True)


def train_into(config: RunConfig, folder: Path, *, force: bool = False, trainer: Any = None) -> int:
    """The headless run of `config` into the store `folder`, quietly; returns its exit code.
    `trainer`: one already built (and subscribed to) by the caller; default built here."""
    from ..headless.runner import BadInput, HeadlessRun, prepare
    from ..store import RunStore, StoreError

    try:
        if trainer is None:
            trainer, store = prepare(config, folder, force)
        else:
            store = RunStore(folder, config, force)
    except (BadInput, StoreError) as err:
        raise RunFailed(str(err)) from None
    with open(os.devnull, "w", encoding="utf-8") as sink:
        return HeadlessRun(config, trainer, store, quiet=True, stdout=sink, stderr=sink).run()


def _config(config_or_preset: RunConfig | str, overrides: dict[str, Any]) -> RunConfig:
    from ..config import ConfigError, RunConfig, load_preset, settle, values_to_config

    try:
        base = config_or_preset if isinstance(config_or_preset, RunConfig) else load_preset(str(config_or_preset))
        if not overrides:
            return base
        return values_to_config(settle(base, overrides), "run()", base)
    except ConfigError as err:
        raise RunFailed(str(err)) from None


def _in_memory(snaps: StoredSnapshots) -> StoredSnapshots:
    return replace(snaps, steps=np.array(snaps.steps), layers=tuple(np.array(a) for a in snaps.layers),
                   output=np.array(snaps.output))


def _as_stored(loaded: LoadedRun) -> Any:
    """The reader's StoredRun shape, for the snapshot rebuilder."""
    from ..store.reader import StoredRun

    return StoredRun(loaded.path or Path("."), "streams", {}, loaded.records, loaded.losses, loaded.snapshots,
                     loaded.summary, None)
