"""The sweep store: rows appended as points finish; --resume after SIGINT runs each point once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from condense_tui.sweep.plan import grid_points
from condense_tui.sweep.runner import run_sweep
from condense_tui.sweep.spec import SweepSpec, load_sweep, with_flags
from condense_tui.sweep.store import read_rows

AXES = ["-p", "fig6-tanh", "--axis", "lr=0.0005:0.001:12", "--seeds", "0-1", "--set", "steps=40",
        "--set", "watch_step=40"]  # 12 batches (one per lr) of 2 seeds


def _sweep(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "condense_tui.sweep", "-q", "--workers", "1", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_resume_after_sigint_runs_each_point_once(tmp_path, capsys):
    out = tmp_path / "sweep"
    proc = _sweep(*AXES, "--out", str(out))
    try:
        first = proc.stdout.readline()  # one batch has finished and is stored
        assert first.startswith("{"), proc.stderr.read()
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "--resume" in err and "Traceback" not in err
    interrupted = read_rows(out)
    total = len(grid_points(load_sweep(str(out / "sweep.toml"))))
    assert total == 24 and 0 < len(interrupted) < total
    assert len(interrupted) == 1 + len([line for line in rest.splitlines() if line])  # stdout = store
    from condense_tui.sweep.__main__ import main

    assert main(["-q", "--workers", "1", "--resume", "--out", str(out)]) == 0  # in this process: faster
    resumed_out = capsys.readouterr().out
    rows = read_rows(out)
    keys = [row["point"] for row in rows]
    assert len(keys) == len(set(keys)) == total
    assert len(resumed_out.splitlines()) == total - len(interrupted)  # nothing finished is redone
    csv_lines = (out / "rows.csv").read_text().splitlines()
    assert len(csv_lines) == 1 + total and csv_lines[0].startswith("point,settings")


def test_torn_last_line_is_cut_off_on_resume(tmp_path):
    out = tmp_path / "s"
    spec = with_flags(SweepSpec(name="t"), "fig6-tanh", [], "0-2", ["steps=20", "watch_step=20"])
    first = run_sweep(spec, workers=1, out=out)
    assert len(first) == 3
    with (out / "rows.jsonl").open("a") as handle:
        handle.write('{"point": "torn')  # a kill in the middle of a write
    again = run_sweep(None, out=out, resume=True, workers=1)
    assert again == []  # every point was finished; the torn line is no row
    assert [json.loads(line)["point"] for line in (out / "rows.jsonl").read_text().splitlines()] == \
        [row["point"] for row in first]


def test_resume_refuses_another_definition_and_a_full_out_dir(tmp_path, capsys):
    from condense_tui.sweep.__main__ import main

    out = tmp_path / "s"
    spec = with_flags(SweepSpec(name="t"), "fig6-tanh", [], "0-1", ["steps=10"])
    run_sweep(spec, workers=1, out=out)
    assert main(["--seeds", "0-1", "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["--resume", "--out", str(tmp_path / "none")]) == 2
    assert "no sweep.toml" in capsys.readouterr().err
    assert main(["-q", "--resume", "--out", str(out)]) == 0  # finished: nothing to run
    assert capsys.readouterr().out == ""
