"""Time from a new process to the TUI's first frame, and to the first frame that shows a step.

The app runs headless (Textual's test driver, 80x24) in a child process, so the times include
Python start-up and every import a user waits for. Prints medians over --repeats runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CHILD = r"""
import asyncio, sys, time
start = float(sys.argv[1])
from condense_tui.config import load_preset
from condense_tui.tui.app import CondenseApp
from condense_tui.tui.widgets.status import StatusLine

async def main():
    app = CondenseApp(load_preset("fig6-x2tanh"), paused=False, fps=4.0, marker="hd")
    first = None
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.query_one(StatusLine)
        while True:
            painted_at, text = status.painted
            if first is None and painted_at:
                first = time.time()
            if "step " in text:
                print(first - start, time.time() - start)
                break
            await pilot.pause(0.01)

asyncio.run(main())
"""


def measure(repeats: int) -> tuple[float, float]:
    frames, steps = [], []
    for _ in range(repeats + 1):  # the first run warms the file cache
        out = subprocess.run([sys.executable, "-c", CHILD, repr(time.time())], capture_output=True,
                             text=True, check=True)
        frame, step = (float(v) for v in out.stdout.split()[-2:])
        frames.append(frame)
        steps.append(step)
    return statistics.median(frames[1:]), statistics.median(steps[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    frame, step = measure(args.repeats)
    print(f"first TUI frame: {frame * 1000:.0f} ms; first frame showing `step N`: {step * 1000:.0f} ms "
          f"(median of {args.repeats}, fig6-x2tanh, 80x24)")


if __name__ == "__main__":
    main()
