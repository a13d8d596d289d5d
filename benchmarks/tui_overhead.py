"""What the TUI costs the training thread, and how fast a key press reaches the screen.

    python benchmarks/tui_overhead.py [--preset NAME|PATH] [--seconds S] [--repeats R] [--size WxH]
                                      [--tab 1-4] [--separate]

Same preset, unthrottled, wall-clock steps per second, in one process:
  headless: a RunController running RunController.run in a thread while the app sits paused (nothing to draw);
  TUI:      the app's own RunController, unthrottled, charts redrawn at the default fps (Textual pilot).
The two alternate in short windows many times, so load from other programs on the machine hits both
alike; the median of the pair ratios is the result (target >= 0.90). --separate also measures the
plain way (a bare RunController thread with no app at all, then a fresh app), which is noisier on a
shared machine. Last, while it trains at full speed, the time from pilot.press to the status line
being painted with the change (target < 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from collections.abc import Callable

from condense_tui.config import ConfigError, RunConfig, load_preset, validate
from condense_tui.engine.controller import RunController
from condense_tui.runs import build_controller
from condense_tui.tui.app import CondenseApp
from condense_tui.tui.widgets.status import StatusLine

WARMUP = 0.5
FPS = 4.0  # the app's default


def default_config() -> RunConfig:
    try:
        return load_preset("fig6-x2tanh")
    except ConfigError:  # presets land on another branch; the same values
        return validate(RunConfig(activation="x2tanh", width=100, data="fig5", sampling="grid", init_std=0.005,
                                  lr=5e-4, steps=200, watch_step=200, name="fig6-x2tanh"))


def headless_rate(config: RunConfig, seconds: float) -> float:
    trainer = build_controller(config, max_steps=None)
    thread = threading.Thread(target=trainer.run, daemon=True)
    thread.start()
    time.sleep(WARMUP)
    s0, t0 = trainer.latest.step, time.perf_counter()
    time.sleep(seconds)
    s1, t1 = trainer.latest.step, time.perf_counter()
    trainer.stop()
    return (s1 - s0) / (t1 - t0)


async def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.01)


async def tui_rate(config: RunConfig, seconds: float, size: tuple[int, int], tab: str) -> tuple[float, int]:
    app = CondenseApp(config, fps=FPS)
    async with app.run_test(size=size) as pilot:
        await wait_until(lambda: app.trainer is not None and app.frames > 0)
        app.action_tab(int(tab))
        while not app.pace.unthrottled:
            app.action_faster()
        await asyncio.sleep(WARMUP)
        trainer = app.trainer
        s0, t0, f0 = trainer.latest.step, time.perf_counter(), app.frames
        await asyncio.sleep(seconds)
        s1, t1, f1 = trainer.latest.step, time.perf_counter(), app.frames
        await pilot.press("q")
    return (s1 - s0) / (t1 - t0), f1 - f0


async def key_latency(config: RunConfig, presses: int, size: tuple[int, int]) -> list[float]:
    """Alternate - and + at full speed (cap 10000/s <-> max, so it trains throughout) and time each
    press until the status line is painted showing the new cap."""
    app = CondenseApp(config, fps=FPS)
    times: list[float] = []
    async with app.run_test(size=size) as pilot:
        await wait_until(lambda: app.trainer is not None and app.frames > 0)
        while not app.pace.unthrottled:
            app.action_faster()
        await asyncio.sleep(WARMUP)
        status = app.query_one(StatusLine)
        for i in range(presses):
            key, expect = ("minus", "cap 10000/s") if i % 2 == 0 else ("plus", "cap max")
            start = time.monotonic()
            press = asyncio.create_task(pilot.press(key))
            await wait_until(lambda: status.painted[0] > start and expect in status.painted[1],  # noqa: B023
                             timeout=10)  # awaited within this iteration
            times.append(status.painted[0] - start)
            await press  # the pilot waits for the process to go idle: not part of the latency
        await pilot.press("q")
    return times


async def interleaved(config: RunConfig, seconds: float, pairs: int, size: tuple[int, int],
                      tab: str) -> list[tuple[float, float, float]]:
    """[(headless steps/s, TUI steps/s, chart frames/s)] from alternating windows."""
    head = build_controller(config, max_steps=None)
    head.pause()
    threading.Thread(target=head.run, daemon=True).start()
    app = CondenseApp(config, fps=FPS)
    out = []

    async def rate(trainer: RunController) -> tuple[float, float]:
        await asyncio.sleep(WARMUP)
        s0, t0, f0 = trainer.latest.step, time.perf_counter(), app.frames
        await asyncio.sleep(seconds)
        wall = time.perf_counter() - t0
        return (trainer.latest.step - s0) / wall, (app.frames - f0) / wall

    async with app.run_test(size=size) as pilot:
        await wait_until(lambda: app.trainer is not None and app.frames > 0)
        app.action_tab(int(tab))
        while not app.pace.unthrottled:
            app.action_faster()
        for _ in range(pairs):
            app.trainer.pause()
            head.resume()
            headless, _ = await rate(head)
            head.pause()
            app.trainer.resume()
            tui, frames = await rate(app.trainer)
            out.append((headless, tui, frames))
            print(f"  headless {headless:9.0f} steps/s   tui {tui:9.0f} steps/s   ratio {tui / headless:.3f}   "
                  f"({frames:.1f} chart frames/s)", file=sys.stderr)
        await pilot.press("q")
    head.stop()
    return out


def quartiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return f"median {q[1]:.3f} (quartiles {q[0]:.3f}-{q[2]:.3f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default=None)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--separate", action="store_true")
    parser.add_argument("--switch", type=float, default=None, help="sys.setswitchinterval to try (s)")
    parser.add_argument("--fps", type=float, default=4.0)
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--tab", default="1", choices="1234")
    parser.add_argument("--presses", type=int, default=10)
    args = parser.parse_args()
    config = load_preset(args.preset) if args.preset else default_config()
    if args.switch:
        sys.setswitchinterval(args.switch)
    global FPS
    FPS = args.fps
    size = tuple(int(v) for v in args.size.split("x"))
    build_controller(config)  # measure the activation once (torch import), outside every timing
    pairs = asyncio.run(interleaved(config, args.seconds, args.repeats, size, args.tab))
    ratios = [t / h for h, t, _ in pairs]
    print(f"preset {config.name}  size {args.size}  tab {args.tab}  {len(pairs)} pairs of {args.seconds:g} s windows")
    print(f"headless {statistics.median(h for h, _, _ in pairs):.0f} steps/s   with TUI "
          f"{statistics.median(t for _, t, _ in pairs):.0f} steps/s   chart frames/s "
          f"{statistics.median(f for _, _, f in pairs):.1f}")
    print(f"TUI / headless steps per second: {quartiles(ratios)}  (target >= 0.90)")
    if args.separate:
        ratios = []
        for _ in range(args.repeats):  # adjacent pairs: other load on the machine drifts slowly
            h = headless_rate(config, args.seconds)
            t, _ = asyncio.run(tui_rate(config, args.seconds, size, args.tab))
            ratios.append(t / h)
            print(f"  separate: headless {h:9.0f}   tui {t:9.0f}   ratio {ratios[-1]:.3f}", file=sys.stderr)
        print(f"separate runs (bare RunController thread vs fresh app): {quartiles(ratios)}")
    lat = asyncio.run(key_latency(config, args.presses, size))
    ms = sorted(1000 * x for x in lat)
    print(f"key press -> status painted, training at full speed: median {statistics.median(ms):.1f} ms, "
          f"max {ms[-1]:.1f} ms over {len(ms)} presses  (target < 100 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
