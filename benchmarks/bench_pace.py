"""Screen time of the initial stage at the TUI's automatic pace, for every synthetic preset.

For each preset this trains the run headless up to its (latest) watch step, publishing and analysing
every step, and measures the cost of a step at full speed. It then replays the TUI's pacing on those
numbers (simulated, not run in real time): the trainer's loop (chunks of max(1, rate/20) steps, each
waiting chunk/rate, never faster than the measured step cost) with the cap the app re-sends on each
UI tick (4 Hz) from the newest step, i.e. tui.pace.auto_rate and RunSession.follow. Display latency
(at most one frame) is left out.

Per preset and layer it reports the seconds of screen time until
  first:  the step where the counted orientations first equal their value at the watch step,
  settle: the step from which they stay at that value through the watch step,
  watch:  the watch step itself,
for the automatic pace and for the fixed default it replaces (the watch step after 15 s).
Targets: first and settle >= 10 s, watch <= 60 s. Counts are those of the records: none while a
layer has not condensed, so the random initial spread never counts as "reached".

    python benchmarks/bench_pace.py [preset ...]
"""

from __future__ import annotations

import sys
import time

from condense_tui.analysis.report import analyze
from condense_tui.config import load_preset, preset_names
from condense_tui.runs import build_controller
from condense_tui.tui.pace import FILE_DATA, Pace, auto_rate, layer_watch_steps

TICK = 0.25  # seconds between UI ticks (fps 4)
SLACK = 0.03  # RunSession.follow re-sends the cap past this relative change


def trajectory(name: str) -> tuple[list[list[int]], float, tuple[int, ...]]:
    """Orientation counts per step and layer up to the latest watch step, the seconds of a step at
    full speed, and the layers' watch steps."""
    config = load_preset(name)
    watches = layer_watch_steps(config)
    last = max(watches)
    timed = build_controller(config, max_steps=last)
    started = time.perf_counter()
    timed.run()
    cost = (time.perf_counter() - started) / last
    trainer = build_controller(config.replace(snapshot_every=1), max_steps=last)
    counts: list[list[int]] = []
    # a layer that has not condensed has no count (as in the records and on the status line)
    trainer.subscribe(lambda snap: counts.append(
        [la.orientations if la.condensed else None for la in analyze(snap).layers]))
    trainer.run()
    return counts, cost, watches


def auto_times(last: int, cost: float) -> list[float]:
    """Screen seconds at which each step 0..last appears at the automatic pace."""
    times = [0.0] * (last + 1)
    t, step, next_tick = 0.0, 0, TICK
    rate = auto_rate(0)
    while step < last:
        chunk = min(max(1, int(rate * 0.05)), last - step)
        for s in range(step + 1, step + chunk + 1):  # published as soon as trained, before the wait
            times[s] = t + (s - step) * cost
        t += max(chunk / rate, chunk * cost)
        step += chunk
        while t >= next_tick:  # the app's tick: the cap follows the newest step
            wanted = auto_rate(step)
            if abs(wanted - rate) > SLACK * rate:
                rate = wanted
            next_tick += TICK
    return times


def fixed_seconds(step: int, rate: float, cost: float) -> float:
    return max(0, step - 1) * max(1.0 / rate, cost)


def main(names: list[str]) -> None:
    print("| preset | layer | watch step | first: step, s | settle: step, s | watch: s "
          "| fixed pace: settle s, watch s |")
    print("|---|---|---|---|---|---|---|")
    worst_first, worst_settle, worst_watch = float("inf"), float("inf"), 0.0
    for name in names:
        config = load_preset(name)
        if config.data in FILE_DATA:
            continue
        counts, cost, watches = trajectory(name)
        times = auto_times(len(counts) - 1, cost)
        fixed_rate = Pace.for_config(config).rate or 1.0
        for layer, watch in enumerate(watches):
            series = [c[layer] for c in counts[:watch + 1]]
            final = series[-1]
            first = series.index(final)
            settle = max((i + 1 for i, v in enumerate(series) if v != final), default=0)
            if final is None:  # not condensed at its watch step: nothing to reach
                print(f"| {name} | L{layer + 1} | {watch} | not condensed | | {times[watch]:.1f} | |", flush=True)
                worst_watch = max(worst_watch, times[watch])
                continue
            worst_first, worst_settle = min(worst_first, times[first]), min(worst_settle, times[settle])
            worst_watch = max(worst_watch, times[watch])
            print(f"| {name} | L{layer + 1} | {watch} | {first}, {times[first]:.1f} | {settle}, {times[settle]:.1f}"
                  f" | {times[watch]:.1f} | {fixed_seconds(settle, fixed_rate, cost):.1f},"
                  f" {fixed_seconds(watch, fixed_rate, cost):.1f} |", flush=True)
    print(f"\nshortest first: {worst_first:.1f} s, shortest settle: {worst_settle:.1f} s (target >= 10); "
          f"longest watch: {worst_watch:.1f} s (target <= 60)")


if __name__ == "__main__":
    main(sys.argv[1:] or preset_names())
