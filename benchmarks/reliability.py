"""The reliability cases with real headless processes, the heavy ones included (CI: run it with a
time limit, e.g. `timeout 1800 python benchmarks/reliability.py`).

    python benchmarks/reliability.py [--kills 20] [--seed S]

SIGKILL at random moments (--kills times; every completed snapshot must load each time), SIGINT,
SIGTERM and SIGHUP, SIGINT while stdout is a full pipe (with the time to the answer), a reader
that goes away (`| head -1`), a full disk (RLIMIT_FSIZE in the child, SIGXFSZ ignored: writes fail
with EFBIG), a second writer with and without --force, markup in a preset's name. One line per
case; exit status 1 if any failed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from condense_tui.store import read_run

COMMAND = [sys.executable, "-c", "from condense_tui.cli import main; main()", "--no-tui"]
ENDLESS = ["-p", "fig6-tanh", "--steps", "1000000000"]


def check_store(out: Path, status: str, stopped_by: str | None = None) -> str:
    """Every completed snapshot, loss and record in order; the summary (if any) says why."""
    run = read_run(out)
    assert run.status == status, f"status {run.status}, not {status}"
    stored = run.snapshots.steps.tolist()
    assert stored and stored == list(range(0, 10 * len(stored), 10)), "snapshots not 0, 10, 20, ..."
    assert np.isfinite(np.asarray(run.snapshots.layers[0])).all()
    losses = run.losses["step"].tolist()
    assert losses == list(range(len(losses))) and len(losses) > stored[-1], "losses with a gap"
    records = run.records["step"].tolist()
    assert records == list(range(len(records))), "records with a gap"
    if status != "killed":
        assert run.summary["stopped_by"] == stopped_by, f"stopped_by {run.summary['stopped_by']!r}"
    return f"{len(stored)} snapshots, {len(losses)} losses"


def start(out: Path, *extra: str, **popen: object) -> subprocess.Popen:
    return subprocess.Popen([*COMMAND, "-q", *ENDLESS, "--out", str(out), *extra], **popen)


def wait_lines(proc: subprocess.Popen, count: int) -> None:
    for _ in range(count):
        proc.stdout.readline()


def sigkill(root: Path, rng: random.Random) -> str:
    out = root / "kill"
    proc = start(out, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wait_lines(proc, rng.randrange(1, 5000))
    time.sleep(rng.uniform(0, 0.05))
    proc.kill()
    proc.communicate()
    return check_store(out, "killed")


def on_signal(sig: signal.Signals) -> Callable[[Path, random.Random], str]:
    def case(root: Path, rng: random.Random) -> str:
        out = root / sig.name
        proc = start(out, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_lines(proc, rng.randrange(50, 2000))
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, f"exit {proc.returncode}: {err}"
        assert err.strip().startswith("condense-tui: interrupted at step"), err
        return check_store(out, "interrupted", f"signal {sig.name}")
    return case


def full_pipe_sigint(root: Path, rng: random.Random) -> str:
    out = root / "pipe"
    read_end, write_end = os.pipe()  # never read
    proc = start(out, stdout=write_end, stderr=subprocess.DEVNULL)
    os.close(write_end)
    steps = out / "snapshots" / "steps.npy"
    size, still = -1, 0
    while still < 50:  # until the full pipe holds the run back
        now = steps.stat().st_size if steps.exists() else -1
        still, size = (still + 1 if now == size and now > 256 else 0), now
        time.sleep(0.02)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    while not (out / "summary.json").exists() and proc.poll() is None:
        time.sleep(0.01)
    summary_s = time.monotonic() - sent
    proc.wait(60)
    exit_s = time.monotonic() - sent
    os.close(read_end)
    assert proc.returncode == 130, f"exit {proc.returncode}"
    return (check_store(out, "interrupted", "signal SIGINT")
            + f"; after SIGINT: summary.json in {summary_s:.2f} s, exit in {exit_s:.2f} s")


def reader_gone(root: Path, rng: random.Random) -> str:
    out = root / "head"
    shell = " ".join([*(f"'{a}'" for a in COMMAND), "-q", *ENDLESS, "--out", str(out), "| head -1"])
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], check=False, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stderr == "", f"exit {result.returncode}: {result.stderr}"
    return check_store(out, "interrupted", "stdout closed")


def disk_full(root: Path, rng: random.Random) -> str:
    out = root / "full"

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, resource.RLIM_INFINITY))

    result = subprocess.run([*COMMAND, "-q", *ENDLESS, "--out", str(out)], preexec_fn=limit,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300, check=False)
    assert result.returncode == 74, f"exit {result.returncode}: {result.stderr}"
    assert result.stderr.count("\n") == 1 and "run store not writable" in result.stderr, result.stderr
    run = read_run(out)
    assert run.summary["exit_code"] == 74
    return "exit 74; " + ", ".join(check_store(out, "interrupted",
                                                "run store not writable: File too large").split(", "))


def second_writer(root: Path, rng: random.Random) -> str:
    out = root / "twice"
    first = start(out, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wait_lines(first, 10)
    try:
        for extra in ([], ["--force"]):
            second = subprocess.run([*COMMAND, "-q", *ENDLESS, "--out", str(out), *extra], check=False,
                                    capture_output=True, text=True, timeout=120)
            assert second.returncode == 2 and "being written by another run" in second.stderr, second.stderr
            assert second.stderr.count("\n") == 1
    finally:
        first.kill()
        first.communicate()
    return check_store(out, "killed")


def markup_name(root: Path, rng: random.Random) -> str:
    preset = root / "markup.toml"
    preset.write_text('name = "[/italic]"\nsteps = 20\n', encoding="utf-8")
    result = subprocess.run([*COMMAND, "-p", str(preset), "--out", str(root / "markup")],
                            check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return f"exit 0, summary preset {read_run(root / 'markup').summary['preset']!r}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    cases = [(f"SIGKILL {i + 1}", sigkill) for i in range(args.kills)]
    cases += [(f"{sig.name}", on_signal(sig)) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]
    cases += [("full pipe + SIGINT", full_pipe_sigint), ("| head -1", reader_gone), ("disk full", disk_full),
              ("second writer", second_writer), ("markup preset name", markup_name)]
    print(f"seed {seed}")
    failed = 0
    for name, case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                print(f"ok    {name}: {case(Path(tmp), rng)}", flush=True)
            except Exception as err:  # noqa: BLE001 - every failure is reported, then the next case
                failed += 1
                print(f"FAIL  {name}: {type(err).__name__}: {err}", flush=True)
    print(f"{len(cases) - failed}/{len(cases)} cases passed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
