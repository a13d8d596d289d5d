"""Real headless processes: SIGKILL at random moments, a second writer, and stdout/stderr that
cannot be written, through the command line as a user meets them."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from condense_tui.store import read_run

COMMAND = [sys.executable, "-c", "from condense_tui.cli import main; main()", "--no-tui"]
ENDLESS = ("-p", "fig6-tanh", "--steps", "1000000000")


def _spawn(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([*COMMAND, *args], **kwargs)


def assert_killed_store_loads(out: Path) -> int:
    """Everything a SIGKILL left: every completed snapshot, loss and record, in order."""
    run = read_run(out)
    assert run.status == "killed" and run.layout == "streams"
    stored = run.snapshots.steps.tolist()
    assert len(stored) >= 1 and stored == list(range(0, 10 * len(stored), 10))
    layers = np.asarray(run.snapshots.layers[0])
    assert layers.shape == (len(stored), 100, 2) and np.isfinite(layers).all()
    assert run.snapshots.output.shape == (len(stored), 100)
    np.testing.assert_array_equal(run.snapshots.initial_layers[0].astype(layers.dtype), layers[0])  # the init
    losses = run.losses["step"].tolist()
    assert losses == list(range(len(losses))) and len(losses) >= stored[-1] + 1
    records = run.records["step"].tolist()
    assert records == list(range(len(records)))
    on_disk = np.load(out / "snapshots" / "layer1.npy")  # a plain np.load sees a prefix, never junk
    np.testing.assert_array_equal(on_disk, layers[: len(on_disk)])
    return len(stored)


def test_sigkill_at_random_moments_keeps_every_completed_snapshot(tmp_path):
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    rng.seed(seed)
    outs = [tmp_path / f"run{i}" for i in range(3)]
    victims = [_spawn("-q", *ENDLESS, "--out", str(out), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
               for out in outs]
    try:
        for proc in victims:
            assert proc.stdout.readline()  # each is training and writing
        second = subprocess.run([*COMMAND, "-q", *ENDLESS, "--out", str(outs[0]), "--force"],
                                check=False, capture_output=True, text=True, timeout=300)
        assert second.returncode == 2
        assert second.stderr.strip().splitlines() == [
            (f"condense-tui: error: --out {str(outs[0])!r} is being written by another run "
             f"(pid {victims[0].pid}); wait for it to end or choose another directory")]

        def kill_later(proc: subprocess.Popen, lines: int, delay: float) -> None:
            for _ in range(lines):
                proc.stdout.readline()
            time.sleep(delay)
            proc.kill()
            proc.stdout.read()

        plan = [(rng.randrange(1, 3000), rng.uniform(0, 0.05)) for _ in victims]
        killers = [threading.Thread(target=kill_later, args=(proc, *moment))
                   for proc, moment in zip(victims, plan)]
        for killer in killers:
            killer.start()
        for killer in killers:
            killer.join(300)
    finally:
        for proc in victims:
            proc.kill()
            proc.wait(60)
    assert [proc.returncode for proc in victims] == [-signal.SIGKILL] * 3
    for out in outs:
        assert assert_killed_store_loads(out) >= 1, f"seed {seed}, plan {plan}"


def test_closed_stdout_and_unwritable_stderr_end_cleanly(tmp_path):
    """Through the real entry point: Python's sys.stdout is None under `>&-`, and a stderr that
    cannot be flushed at exit would turn the exit code into 120 (stdout on /dev/full is in
    test_reliability_faults.py)."""
    short = ("-p", "fig6-tanh", "--steps", "30")
    with open("/dev/full", "w") as full:
        closed = _spawn("-q", *short, "--out", str(tmp_path / "closed"), stderr=subprocess.PIPE,
                        preexec_fn=lambda: os.close(1))
        err_full = _spawn(*short, "--plot", "--out", str(tmp_path / "err"), stdout=subprocess.DEVNULL,
                          stderr=full)
        err_full.wait(300)
        closed.wait(300)
    assert (closed.returncode, closed.stderr.read()) == (0, b"")
    assert read_run(tmp_path / "closed").summary["last_step"] == 30
    assert err_full.returncode == 0
    assert read_run(tmp_path / "err").status == "finished"
