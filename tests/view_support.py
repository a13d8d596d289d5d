"""Small stored runs for the view, compare, export and API tests."""

from __future__ import annotations

import json
from pathlib import Path

from condense_tui.config import RunConfig, load_preset
from condense_tui.engine.snapshot import Snapshot
from condense_tui.runs import build_controller
from condense_tui.store import RunStore
from condense_tui.viewer.api import train_into
from tui_support import five_d


def one_d_config() -> RunConfig:
    return load_preset("fig6-tanh").replace(steps=60, snapshot_every=10, log_every=10)


def five_d_config() -> RunConfig:
    return five_d(steps=40, snapshot_every=10, log_every=10, name="test-5d")


def stored_run(folder: Path, config: RunConfig) -> tuple[Path, list[Snapshot]]:
    """Train `config` headless into `folder`; returns the folder and every published snapshot."""
    published: list[Snapshot] = []
    trainer = build_controller(config)
    trainer.subscribe(published.append)
    assert train_into(config, folder, trainer=trainer) == 0
    return folder, published


def write_slowly(folder: Path, config: RunConfig, snapshots: list[Snapshot], gate) -> None:  # noqa: ANN001
    """Write `snapshots` into a store one by one, each after gate() returns (a writer thread)."""
    store = RunStore(folder, config)
    for snap in snapshots:
        gate()
        store.append_lines([json.dumps({"step": int(s), "loss": float(v)})
                            for s, v in zip(snap.loss_steps, snap.losses[:, 0])])
        store.add_losses(snap.loss_steps, snap.losses[:, 0])
        store.add_snapshot(snap)
    gate()
    store.write_summary({"event": "summary", "interrupted": False, "diverged": False})
    store.close()
