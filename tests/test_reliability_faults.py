"""Faults met in-process, on the real headless loop: every one ends with the completed steps in
the store, a summary that says what happened and the documented exit code."""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from condense_tui.config import load_preset
from condense_tui.headless.runner import (
    EXIT_INTERRUPTED,
    EXIT_IO,
    HeadlessRun,
    build_trainer,
)
from condense_tui.store import RunStore, read_run
from condense_tui.store.npystream import HEADER_BYTES

ENDLESS = 1_000_000_000


def _run(out: Path | None, stdout: Any, stderr: Any, steps: int = ENDLESS, name: str = "fig6-tanh",
         quiet: bool = True, during: Callable[[], None] | None = None) -> int:
    config = load_preset("fig6-tanh").replace(steps=steps, name=name)
    store = RunStore(out, config) if out is not None else None
    run = HeadlessRun(config, build_trainer(config), store, quiet=quiet, stdout=stdout, stderr=stderr)
    if during is not None:
        threading.Thread(target=during, daemon=True).start()
    return run.run()


def _when_snapshots(out: Path, count: int, then: Callable[[], None]) -> Callable[[], None]:
    """A thread body: wait until `count` snapshots landed in `out`, then call `then`."""
    steps = out / "snapshots" / "steps.npy"

    def wait() -> None:
        while not steps.exists() or steps.stat().st_size < HEADER_BYTES + 8 * count:
            threading.Event().wait(0.02)
        then()
    return wait


def _when_stalled(out: Path, then: Callable[[], None]) -> Callable[[], None]:
    """A thread body: wait until snapshots stop landing for half a second (a full stdout holds the
    run back), then call `then`."""
    steps = out / "snapshots" / "steps.npy"

    def wait() -> None:
        size, still = -1, 0
        while still < 25:
            now = steps.stat().st_size if steps.exists() else -1
            still = still + 1 if now == size and now > HEADER_BYTES else 0
            size = now
            threading.Event().wait(0.02)
        then()
    return wait


def _assert_complete_store(out: Path, stopped_by: str | None, full_disk: bool = False) -> dict[str, Any]:
    """Every completed step kept, in order, and the summary on disk saying why the run ended
    (full_disk: the steps trained after the store failed cannot be on disk)."""
    run = read_run(out)
    summary = run.summary
    assert summary is not None and summary["stopped_by"] == stopped_by, summary
    last = summary["last_step"]
    kept = run.losses["step"].tolist()
    assert kept == list(range(len(kept))) and (len(kept) <= last + 1 if full_disk else len(kept) == last + 1)
    steps = run.records["step"].tolist()
    assert steps == list(range(len(steps))) and steps[-1] <= last
    stored = run.snapshots.steps.tolist()
    assert stored == list(range(0, 10 * len(stored), 10)) and len(stored) >= 1
    assert np.isfinite(run.snapshots.layers[0]).all()
    return summary


def test_stdout_on_dev_full_stops_with_exit_74_and_keeps_the_store(tmp_path):
    err = io.StringIO()
    with open("/dev/full", "w") as full:
        code = _run(tmp_path / "run", full, err)
    assert code == EXIT_IO
    summary = _assert_complete_store(tmp_path / "run", "stdout not writable: No space left on device")
    assert summary["exit_code"] == EXIT_IO and summary["interrupted"] is True
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("condense-tui: error: stdout not writable")


def test_stderr_on_dev_full_costs_nothing_but_the_messages(tmp_path):
    out = io.StringIO()
    with open("/dev/full", "w") as full:
        code = _run(tmp_path / "run", out, full, steps=30, quiet=False)  # the progress bar too
    assert code == 0
    summary = _assert_complete_store(tmp_path / "run", None)
    assert summary["last_step"] == 30 and json.loads(out.getvalue().splitlines()[-1]) == summary


def test_a_reader_that_goes_away_is_a_normal_end(tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head -1` has exited
    err = io.StringIO()
    with os.fdopen(write_end, "w") as pipe:
        code = _run(tmp_path / "run", pipe, err)
    assert code == 0 and err.getvalue() == ""
    _assert_complete_store(tmp_path / "run", "stdout closed")


def test_no_stdout_at_all_runs_on_into_the_store(tmp_path):
    assert _run(tmp_path / "run", None, io.StringIO(), steps=30) == 0  # `>&-`: Python's stdout is None
    assert _assert_complete_store(tmp_path / "run", None)["last_step"] == 30


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGHUP])
def test_a_signal_is_answered_while_stdout_is_a_full_pipe(tmp_path, sig):
    read_end, write_end = os.pipe()  # nobody reads: the pipe fills after ~64 KiB
    out = tmp_path / "run"
    answered = threading.Event()

    def watchdog() -> None:  # without an answer, unblock the run so the test fails instead of hanging
        if not answered.wait(60):
            os.close(read_end)

    threading.Thread(target=watchdog, daemon=True).start()
    err = io.StringIO()
    with os.fdopen(write_end, "w") as pipe:
        code = _run(out, pipe, err, during=_when_stalled(out, lambda: os.kill(os.getpid(), sig)))
    answered.set()
    assert code == EXIT_INTERRUPTED, err.getvalue()
    summary = _assert_complete_store(out, f"signal {signal.Signals(sig).name}")
    assert summary["interrupted"] is True and summary["last_step"] > 100
    assert "interrupted at step" in err.getvalue()
    os.close(read_end)


def test_disk_full_keeps_every_completed_step_and_exits_74(tmp_path):
    """The disk fills as a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored): writes past 96 KiB
    fail with EFBIG, as they would with ENOSPC on a full disk."""
    limit = 96 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    err = io.StringIO()
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        code = _run(tmp_path / "run", io.StringIO(), err)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert code == EXIT_IO
    summary = _assert_complete_store(tmp_path / "run", "run store not writable: File too large",
                                     full_disk=True)
    assert summary["exit_code"] == EXIT_IO
    assert (tmp_path / "run" / "metrics.jsonl").stat().st_size <= limit
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and "run store not writable" in lines[0] and "every step before it is kept" in lines[0]


def test_markup_in_the_preset_name_is_shown_not_interpreted(tmp_path):
    err = io.StringIO()
    assert _run(tmp_path / "run", io.StringIO(), err, steps=20, name="[/italic]", quiet=False) == 0
    assert "[/italic]" in err.getvalue()
    assert read_run(tmp_path / "run").summary["preset"] == "[/italic]"
