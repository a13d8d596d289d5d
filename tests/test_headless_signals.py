"""Real processes: SIGINT/SIGTERM keep every completed step and exit 130; --help stays light."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(sys.executable).with_name("condense-tui")
HEAVY = ("torch", "numpy", "textual", "textual_plotext", "plotext")


def _command(*args: str) -> list[str]:
    if SCRIPT.exists():
        return [str(SCRIPT), *args]
    return [sys.executable, "-c", "from condense_tui.cli import main; main()", *args]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_keeps_every_completed_step_and_exits_130(tmp_path, sig):
    out = tmp_path / "run"
    proc = subprocess.Popen(
        _command("--no-tui", "-q", "-p", "fig6-tanh", "--steps", "1000000000", "--out", str(out)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        head = [proc.stdout.readline() for _ in range(30)]  # it is training and writing
        proc.send_signal(sig)
        # read on through the same buffered stream (communicate() would skip what it buffered)
        rest = proc.stdout.read()
        err = proc.stderr.read()
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    lines = [json.loads(line) for line in "".join(head).splitlines() + rest.splitlines()]
    summary = lines[-1]
    steps = [r["step"] for r in lines if "event" not in r]
    assert summary["event"] == "summary" and summary["interrupted"] is True
    assert summary["exit_code"] == 130 and summary["diverged"] is False
    assert steps == list(range(steps[-1] + 1))  # no step lost, none twice
    assert summary["last_step"] == steps[-1]
    assert "interrupted at step" in err and "Traceback" not in err
    metrics = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert metrics == lines
    with np.load(out / "snapshots.npz") as npz:
        stored = npz["steps"].tolist()
        assert stored[0] == 0 and stored == sorted(stored)
        assert npz[f"step_{stored[-1]:06d}_layer1"].shape == (100, 2)
    assert json.loads((out / "summary.json").read_text()) == summary


def test_help_imports_no_heavy_module():
    probe = ("import sys\n"
             "from condense_tui.cli import main\n"
             "try:\n    main(['--help'])\n"
             "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n")
    result = subprocess.run([sys.executable, "-c", probe], check=False, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "--no-tui" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_help_importtime_has_no_engine_module():
    result = subprocess.run([sys.executable, "-X", "importtime", "-c",
                             "from condense_tui.cli import main\n"
                             "try:\n    main(['--help'])\nexcept SystemExit:\n    pass"],
                            check=False, capture_output=True, text=True, timeout=60)
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "condense_tui.cli" in imported
    # the choice flags' names come from engine modules that import nothing (engine/names.py)
    light = {"condense_tui.engine", "condense_tui.engine.names", "condense_tui.engine.deep",
             "condense_tui.engine.deep.inits"}
    assert not {m for m in imported if m.split(".")[0] in HEAVY or m.startswith("condense_tui.engine")} - light
