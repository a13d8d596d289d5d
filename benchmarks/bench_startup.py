"""Start-up as a user sees it: each command a new process in a real pseudo-terminal (80x24).

    python benchmarks/bench_startup.py [--repeats 3] [--timeout 60]

Measured, median of the repeats, with `python -c "import numpy"` run in the same rounds as the floor
(so the load on a shared machine hits it alike):
  tui first frame   launch -> the status line (it names the preset) is on screen: Textual painted
  tui footer        launch -> the footer's key hints are on screen (Textual's footer fills in a frame later)
  tui first step    launch -> `step N` on the status line (the trainer has published a snapshot)
  --help, presets, activations, and a headless `fig6-tanh` of 200 steps: launch -> exit
Targets (issue 15): first `step N` within 3 x floor + 0.5 s; the 200-step headless run within 1.5 s.
The TUI is quit with `q` once the footer and `step N` show (either may come first); the output
stream is parsed with ANSI escapes removed. The package is byte-compiled first, as pip does when it
installs a wheel: an editable install under PYTHONDONTWRITEBYTECODE (set on this workplace's machines)
would otherwise compile every module of the package again on every launch.
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass

from condense_tui.config.defaults import DEFAULT_PRESET

ANSI = re.compile(rb"\x1b\[[0-9;?<>=!]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
STEP = re.compile(rb"(?<!watch )(?<!at )\bstep \d+")  # not "watch step 200" or "DIVERGED at step"
FOOTER = re.compile(rb"\bquit\b")
PAINTED = re.compile(re.escape(DEFAULT_PRESET.encode()))  # `condense-tui` opens on the default preset
SIZE = (24, 80)  # rows, columns


def command() -> list[str]:
    """The installed console script beside this interpreter, or `python -m condense_tui`."""
    script = shutil.which("condense-tui", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "condense_tui"]


@dataclass
class Timed:
    seconds: dict[str, float]  # mark name -> seconds from launch
    code: int | None


def run_in_pty(argv: list[str], marks: dict[str, re.Pattern[bytes]], timeout: float,
               quit_after: tuple[str, ...] = ()) -> Timed:
    """Launch `argv` on a fresh pty; time each mark's first appearance in the de-ANSI'd output and
    the exit. With quit_after, press q once all those marks have shown (then wait for the exit)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(SIZE[1]), "LINES": str(SIZE[0])}
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                             close_fds=True)
    os.close(slave)
    seen: dict[str, float] = {}
    text, pressed, code, reading = b"", False, None, True
    deadline = start + timeout
    try:
        while time.perf_counter() < deadline:
            ready = select.select([master], [], [], 0.01)[0] if reading else []
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every holder of the terminal has closed it
                    chunk = b""
                reading = bool(chunk)
                text += ANSI.sub(b"", chunk)
                now = time.perf_counter() - start
                for name, pattern in marks.items():
                    if name not in seen and pattern.search(text):
                        seen[name] = now
            if quit_after and all(mark in seen for mark in quit_after) and not pressed:
                os.write(master, b"q")
                pressed = True
            code = child.poll()
            if code is not None:
                seen["exit"] = time.perf_counter() - start
                break
            if not reading:
                time.sleep(0.005)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
        os.close(master)
    return Timed(seen, code)


@dataclass
class Case:
    label: str
    argv: list[str]
    mark: str  # which time is the result
    marks: dict[str, re.Pattern[bytes]]
    quit_after: tuple[str, ...] = ()


TUI_MARKS = {"frame": PAINTED, "footer": FOOTER, "step": STEP}


def cases() -> list[Case]:
    cli = command()
    return [
        Case("floor: python -c 'import numpy'", [sys.executable, "-c", "import numpy"], "exit", {}),
        Case("tui: launch -> first frame", cli, "frame", TUI_MARKS, quit_after=tuple(TUI_MARKS)),
        Case("tui: launch -> footer keys", cli, "footer", TUI_MARKS, quit_after=tuple(TUI_MARKS)),
        Case("tui: launch -> first `step N`", cli, "step", TUI_MARKS, quit_after=tuple(TUI_MARKS)),
        Case("--help", [*cli, "--help"], "exit", {}),
        Case("presets", [*cli, "presets"], "exit", {}),
        Case("activations", [*cli, "activations"], "exit", {}),
        Case("headless fig6-tanh, 200 steps", [*cli, "--no-tui", "-p", "fig6-tanh", "--steps", "200", "-q"],
             "exit", {}),
    ]


def measure(repeats: int, timeout: float, say: Callable[[str], None]) -> dict[str, list[float]]:
    """Every case once per round, rounds repeated; the TUI's two marks come from the same launch."""
    times: dict[str, list[float]] = {case.label: [] for case in cases()}
    for round_ in range(repeats):
        tui: Timed | None = None
        for case in cases():
            if case.label.startswith("tui") and tui is not None:
                timed = tui  # both TUI marks are read from one launch
            else:
                timed = run_in_pty(case.argv, case.marks, timeout, case.quit_after)
                tui = timed if case.label.startswith("tui") else tui
            if case.mark not in timed.seconds:
                raise SystemExit(f"{case.label}: no {case.mark!r} within {timeout:g} s (exit {timed.code})")
            if case.mark == "exit" and timed.code not in (0, None):
                raise SystemExit(f"{case.label}: exit code {timed.code}")
            times[case.label].append(timed.seconds[case.mark])
        say(f"round {round_ + 1}/{repeats} done")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per launch before giving up")
    args = parser.parse_args()
    import condense_tui

    compileall.compile_dir(os.path.dirname(condense_tui.__file__), quiet=1)
    print(f"command: {' '.join(command())}  terminal: {SIZE[1]}x{SIZE[0]} pty  load average: "
          f"{os.getloadavg()[0]:.1f}  cores: {os.cpu_count()}", flush=True)
    times = measure(args.repeats, args.timeout, lambda line: print(line, file=sys.stderr, flush=True))
    median = {label: statistics.median(values) for label, values in times.items()}
    floor = median["floor: python -c 'import numpy'"]
    print("\n| what | median (s) | runs (s) | x floor |\n|---|---|---|---|")
    for label, values in times.items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"| {label} | {median[label]:.2f} | {runs} | {median[label] / floor:.1f} |")
    step_target = 3 * floor + 0.5
    step = median["tui: launch -> first `step N`"]
    headless = median["headless fig6-tanh, 200 steps"]
    print(f"\ntarget: first `step N` <= 3 x floor + 0.5 s = {step_target:.2f} s: measured {step:.2f} s: "
          f"{'holds' if step <= step_target else 'MISSED'}")
    rounds = list(zip(times["floor: python -c 'import numpy'"], times["tui: launch -> first `step N`"], strict=True))
    within = sum(step <= 3 * floor + 0.5 for floor, step in rounds)
    print(f"  per round (each against its own floor, which shares its load): {within}/{len(rounds)} within")
    print(f"target: headless 200 steps <= 1.50 s: measured {headless:.2f} s: "
          f"{'holds' if headless <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
