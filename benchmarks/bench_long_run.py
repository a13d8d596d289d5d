"""A long headless run with a run store: is its speed and memory flat over the run?

    python benchmarks/bench_long_run.py [--steps 1000000] [--preset fig6-tanh]

Runs `condense-tui --no-tui -q --preset fig6-tanh --steps N --out DIR` (the default snapshot
cadence: a snapshot every 10 steps, a record every step) in a subprocess and reads its stdout.
Reports steps per CPU-second of the run's process (and per wall-clock second, which a shared
machine disturbs) over the first and the last 10% of the steps (target: last within 20% of first),
the RSS at step 10^4 and at the last step (target: within 50 MB), and how long the end (snapshots.npz,
summary) takes. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s(pid: int) -> float:
    """user + system CPU seconds of the process so far: a rate per CPU-second does not depend on
    what else the machine runs, as a rate per wall-clock second does."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--preset", default="fig6-tanh")
    parser.add_argument("--rss-at", type=int, default=10_000)
    args = parser.parse_args()
    n, tenth = args.steps, args.steps // 10
    marks: dict[int, float] = {}
    cpu: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        command = [sys.executable, "-c", "from condense_tui.cli import main; main()", "--no-tui", "-q",
                   "--preset", args.preset, "--steps", str(n), "--out", str(out)]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, bufsize=1 << 16)
        rss_early = rss_end = float("nan")
        last_report = time.monotonic()
        for line in proc.stdout:
            if not line.startswith('{"step": '):
                continue
            step = int(line[9:line.index(",")])
            if step in (0, tenth, n - tenth, n):
                marks[step] = time.monotonic()
                cpu[step] = cpu_s(proc.pid)
            if step == args.rss_at:
                rss_early = rss_mb(proc.pid)
            if step == n:
                rss_end = rss_mb(proc.pid)
            if time.monotonic() - last_report > 60:
                print(f"  step {step}, RSS {rss_mb(proc.pid):.1f} MB", file=sys.stderr, flush=True)
                last_report = time.monotonic()
        code = proc.wait()
        ended = time.monotonic()
        size_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
    first = tenth / (cpu[tenth] - cpu[0])
    last = tenth / (cpu[n] - cpu[n - tenth])
    wall_first = tenth / (marks[tenth] - marks[0])
    wall_last = tenth / (marks[n] - marks[n - tenth])
    print(f"{args.preset}, {n} steps, exit {code}")
    print(f"steps per CPU-second first 10%: {first:.0f}   last 10%: {last:.0f}   last/first: "
          f"{last / first:.3f} (target >= 0.8)")
    print(f"steps per wall-clock second first 10%: {wall_first:.0f}   last 10%: {wall_last:.0f}   "
          f"last/first: {wall_last / wall_first:.3f} (depends on what else the machine runs)")
    print(f"RSS at step {args.rss_at}: {rss_early:.1f} MB   at step {n}: {rss_end:.1f} MB   "
          f"growth: {rss_end - rss_early:+.1f} MB (target <= 50)")
    print(f"end of run (snapshots.npz, summary): {ended - marks[n]:.1f} s; run store {size_mb:.0f} MB")
    ok = code == 0 and last / first >= 0.8 and rss_end - rss_early <= 50
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
