"""Small stored runs for the view, compare, export and API tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tui_support import five_d

from condense_tui.config import RunConfig, load_preset
from condense_tui.engine.snapshot import Snapshot
from condense_tui.runs import build_controller
from condense_tui.store import RunStore
from condense_tui.viewer.api import train_into


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


def write_slowly(folder: Path, config: RunConfig, snapshots: list[Snapshot], gate) -> None:
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


def killed_store(out: Path) -> Path:
    """A headless run into `out`, SIGKILLed once it has stored three snapshots."""
    from condense_tui.store import read_run

    proc = subprocess.Popen([sys.executable, "-c", "from condense_tui.cli import main; main()", "--no-tui",
                             "-q", "-p", "fig6-tanh", "--steps", "1000000000", "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_file(out / "snapshots" / "steps.npy", 60)
        deadline = time.monotonic() + 60
        while len(read_run(out).snapshots) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    return out


def wait_for_file(path: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not path.is_file() and time.monotonic() < deadline:
        time.sleep(0.02)
