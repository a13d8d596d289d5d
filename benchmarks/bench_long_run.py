"""A long headless run with a run store: is its speed and memory flat over the run?

    python benchmarks/bench_long_run.py [--steps 1000000] [--preset fig6-tanh]

Runs `condense-tui --no-tui -q --preset fig6-tanh --steps N --out DIR` (the default snapshot
cadence: a snapshot every 10 steps, a record every step) in a subprocess and reads its stdout.
Reports steps per second of wall clock over the first and the last 10% of the steps (targets:
last within 20% of first), the RSS at step 10^4 and at the last step (target: within 50 MB), and
how long the end (snapshots.npz, summary) takes. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--preset", default="fig6-tanh")
    parser.add_argument("--rss-at", type=int, default=10_000)
    args = parser.parse_args()
    n, tenth = args.steps, args.steps // 10
    marks = {0: None, tenth: None, n - tenth: None, n: None}
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
            if step in marks:
                marks[step] = time.monotonic()
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
    first = tenth / (marks[tenth] - marks[0])
    last = tenth / (marks[n] - marks[n - tenth])
    print(f"{args.preset}, {n} steps, exit {code}")
    print(f"steps/s first 10%: {first:.0f}   last 10%: {last:.0f}   last/first: {last / first:.3f} "
          "(target >= 0.8)")
    print(f"RSS at step {args.rss_at}: {rss_early:.1f} MB   at step {n}: {rss_end:.1f} MB   "
          f"growth: {rss_end - rss_early:+.1f} MB (target <= 50)")
    print(f"end of run (snapshots.npz, summary): {ended - marks[n]:.1f} s; run store {size_mb:.0f} MB")
    ok = code == 0 and last / first >= 0.8 and rss_end - rss_early <= 50
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
