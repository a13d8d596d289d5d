"""A stored run back as engine Snapshots: what the live faces draw, rebuilt from the run store.

The store keeps replica 0's weights per snapshot, every step's loss and the resolved config.toml;
the run's data come back from the config (runs.build_dataset). A run whose data are files that are
absent here (MNIST on another machine) degrades to no input points, as a CIFAR-10 run has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..engine.snapshot import RunContext, Snapshot

if TYPE_CHECKING:
    from ..config import RunConfig
    from ..store.reader import StoredRun


class StoreError(ValueError):
    """A directory that is not a readable run store (one line, for the CLI)."""


def config_of(path: str | Path) -> RunConfig:
    """The run's RunConfig from its config.toml; StoreError when there is none or it is invalid."""
    from ..config import ConfigError, load_preset

    folder = Path(path)
    if not (folder / "config.toml").is_file():
        raise StoreError(f"{folder} is not a condense-tui run directory: no config.toml "
                         "(give a folder written by --no-tui --out DIR)")
    try:
        return load_preset(str(folder / "config.toml"))
    except ConfigError as err:
        raise StoreError(f"{folder}/config.toml cannot be read: {err}") from None


def context_of(config: RunConfig) -> RunContext:
    """The run's context: its data when they can be rebuilt here, else no input points."""
    from ..engine.activations import get_activation
    from ..runs import build_dataset

    x, y = np.zeros((0, 1)), np.zeros(0)
    if config.data != "cifar10":
        try:
            data = build_dataset(config)
            x, y = data.x, data.y
        except Exception:  # noqa: BLE001 - absent data files: the charts say there are no points
            d = config.resolved_data().get("input_dim") or 1
            x = np.zeros((0, int(d)))
    names = tuple(config.activations)
    mults: list[Any] = []  # engine.activations.Multiplicity, None when unknown
    for name in names:
        try:
            mults.append(get_activation(name).multiplicity)
        except Exception:  # noqa: BLE001 - an activation this version does not know: no bound
            mults.append(None)
    return RunContext(config, x, y, names, tuple(mults), (config.seed,), (config.std,))


@dataclass
class SnapshotRebuilder:
    """Turns a StoredRun's rows into Snapshots, one context and one set of initial weights per run."""

    context: RunContext
    run_id: int = 1

    def snapshot(self, run: StoredRun, index: int, previous_step: int | None = None) -> Snapshot:
        """Snapshot `index` of `run`, with the losses of the steps after `previous_step` (default:
        the stored snapshot before it) up to its own step."""
        snaps = run.snapshots
        step = int(snaps.steps[index])
        if previous_step is None:
            previous_step = int(snaps.steps[index - 1]) if index > 0 else -1
        loss_steps, losses = losses_between(run, previous_step, step)
        initial_layers = snaps.initial_layers or tuple(a[0] for a in snaps.layers)
        initial_output = snaps.initial_output if snaps.initial_output is not None else snaps.output[0]
        last = index == len(snaps) - 1
        summary = run.summary or {}
        diverged = summary.get("diverged_at") if last else None
        return Snapshot(
            run_id=self.run_id, step=step, loss_steps=loss_steps, losses=losses[:, None],
            layers=tuple(np.array(a[index])[None] for a in snaps.layers),
            output=np.array(snaps.output[index])[None],
            initial_layers=tuple(np.asarray(a)[None] for a in initial_layers),
            initial_output=np.asarray(initial_output)[None], context=self.context,
            elapsed=float(summary.get("elapsed_s") or 0.0) if last else 0.0,
            steps_per_second=float(summary.get("steps_per_second") or 0.0) if last else 0.0,
            diverged_at=int(diverged) if isinstance(diverged, (int, float)) else None,
            finished=last and run.status != "running", interrupted=last and run.status == "interrupted")


def losses_between(run: StoredRun, after: int, upto: int) -> tuple[np.ndarray, np.ndarray]:
    steps = np.asarray(run.losses["step"], dtype=np.int64)
    values = np.asarray(run.losses["loss"], dtype=np.float64)
    lo, hi = np.searchsorted(steps, after, side="right"), np.searchsorted(steps, upto, side="right")
    return steps[lo:hi].copy(), values[lo:hi].copy()


def open_store(path: str | Path) -> tuple[StoredRun, RunConfig]:
    """read_run with the CLI's errors: StoreError for a folder that is no run store."""
    from ..store.reader import read_run

    config = config_of(path)
    try:
        return read_run(path), config
    except (OSError, ValueError) as err:
        raise StoreError(f"cannot read the run store {path}: {err}") from None
