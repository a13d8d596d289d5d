"""What users wait for: the CLI's help, importing the engine, the first snapshot, and one
snapshot's analysis (condense_tui.analysis.report.analyze) at m = 50, 1000 and 10,000.

Run: python benchmarks/bench_wait.py [--repeats N]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

HELP_TARGET = 0.5  # s
ANALYSIS_TARGET = 0.050  # s at m = 1000
WIDTHS = (50, 1000, 10_000)


def fresh_process(code: list[str], repeats: int) -> float:
    """Median wall time of a new Python process running `code` (import caches warm)."""
    subprocess.run(code, capture_output=True, check=True)  # warm the file system cache
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(code, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def help_command() -> tuple[str, list[str]]:
    """`condense-tui --help` when the CLI exists; until then, importing the config module
    (what a help screen needs at least)."""
    if importlib.util.find_spec("condense_tui.cli") is not None:
        script = Path(sys.executable).with_name("condense-tui")
        if script.exists():
            return "condense-tui --help", [str(script), "--help"]
        return "python -m condense_tui.cli --help", [sys.executable, "-m", "condense_tui.cli", "--help"]
    return ("python -c 'import condense_tui.config' (no condense_tui/cli.py on this branch)",
            [sys.executable, "-c", "import condense_tui.config"])


FIRST_SNAPSHOT = """
import time; started = time.perf_counter()
from condense_tui.config import RunConfig
from condense_tui.runs import build_controller
trainer = build_controller(RunConfig(data="fig2", width=50))
got = []
trainer.subscribe(got.append)
trainer.start(exit_when_done=True)
while not got:
    time.sleep(0.001)
print(time.perf_counter() - started)
trainer.stop()
"""


def first_snapshot(repeats: int) -> float:
    """In a fresh process: imports, building a RunController (data, measured multiplicities) and the
    step-0 snapshot from its thread: what stands between a command and the first frame."""
    times = []
    for _ in range(repeats + 1):
        out = subprocess.run([sys.executable, "-c", FIRST_SNAPSHOT], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.split()[-1]))
    return statistics.median(times[1:])


def analysis_times(repeats: int) -> list[tuple[str, int, int, float, float]]:
    """(data, step, m, first call, median of later calls) in seconds. The first call also
    computes the run's theory prediction, which later snapshots of the run reuse."""
    from condense_tui.analysis.report import analyze
    from condense_tui.config import RunConfig
    from condense_tui.runs import build_controller

    rows = []
    for data in ("fig5", "fig2"):
        for steps in (0, 200):
            for m in WIDTHS:
                snap = build_controller(RunConfig(data=data, width=m, steps=steps, snapshot_every=max(1, steps),
                                         lr=1e-3)).run()
                started = time.perf_counter()
                analyze(snap)
                first = time.perf_counter() - started
                later = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    analyze(snap)
                    later.append(time.perf_counter() - started)
                rows.append((data, steps, m, first, statistics.median(later)))
    return rows


def run(repeats: int = 5) -> dict:
    label, command = help_command()
    return {
        "help": (label, fresh_process(command, repeats)),
        "python": fresh_process([sys.executable, "-c", "pass"], repeats),
        "engine": fresh_process([sys.executable, "-c", "import condense_tui.runs"], repeats),
        "torch": fresh_process([sys.executable, "-c", "import torch"], repeats),
        "first_snapshot": first_snapshot(repeats),
        "analysis": analysis_times(repeats),
    }


def print_results(result: dict) -> None:
    label, help_time = result["help"]
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    print(f"{label}: {help_time * 1e3:.0f} ms (target < {HELP_TARGET * 1e3:.0f} ms {ok(help_time < HELP_TARGET)}); "
          f"bare `python -c pass`: {result['python'] * 1e3:.0f} ms")
    print(f"import condense_tui.runs: {result['engine'] * 1e3:.0f} ms (new process)")
    print(f"first snapshot (new process: imports, RunController, step 0 published): "
          f"{result['first_snapshot'] * 1e3:.0f} ms; `import torch` alone (a RunController needs torch to "
          f"measure multiplicities and flush subnormals): {result['torch'] * 1e3:.0f} ms")
    print()
    rows = []
    for data, step, m, first, later in result["analysis"]:
        target = f"< {ANALYSIS_TARGET * 1e3:.0f} ms {ok(later < ANALYSIS_TARGET)}" if m == 1000 else ""
        rows.append([f"{data}, step {step}", f"{m:,}", f"{first * 1e3:.1f}", f"{later * 1e3:.1f}", target])
    from common import print_table

    print_table(["analyze(snapshot)", "m", "first call ms", "later calls ms", "target"], rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    print_results(run(parser.parse_args().repeats))
