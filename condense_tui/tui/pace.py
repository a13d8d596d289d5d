"""How fast a run plays: the automatic pace, and the speed ladder behind + and -.

The automatic pace (the default for synthetic data) follows the dynamics of training from a small
initialization, which unfold on a logarithmic clock: the initial stage, where the neurons swing
onto a few orientations, takes a few to a few hundred steps; the long tail after it takes
thousands. So the steps per second grow in proportion to the step:

    rate(s) = (s + AUTO_OFFSET) / AUTO_TAU    steps/s, i.e.    t(s) = AUTO_TAU * ln(1 + s / AUTO_OFFSET)

Every e-fold of steps (1 to 3, 10 to 27, 100 to 270 ...) gets the same AUTO_TAU seconds of screen
time: the first ten steps take about 16 s, the tail plays ever faster, and step 1400 (the latest
watch step of any preset) comes after about 51 s. benchmarks/bench_pace.py measures it per preset.

The ladder's fixed rungs include the one that makes a preset's watch step (where the paper looked)
arrive after WATCH_SECONDS; + and - leave the automatic pace for the rung next to its rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import RunConfig

LADDER: tuple[float, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
WATCH_SECONDS = 15.0
AUTO_TAU = 7.0  # seconds of screen time per e-fold of steps (step 1400 then comes after ~51 s)
AUTO_OFFSET = 1.0  # steps: sets the first steps' rate (0.2/s at step 0, 2.2/s at step 10)
FILE_DATA = ("mnist", "cifar10")  # a step costs milliseconds to seconds: the fixed cap stays the default


def watch_step(config: RunConfig) -> int:
    """The step the preset is about: where the paper looked, else its step budget."""
    return int(config.watch_step or config.steps or 100)


def layer_watch_steps(config: RunConfig) -> tuple[int, ...]:
    """Each hidden layer's watch step: the preset's expect.watch_steps (Fig 3 shows each layer at
    its own step), else the run's watch step for every layer."""
    steps = (config.expect or {}).get("watch_steps")
    if steps and len(steps) == config.depth:
        return tuple(int(s) for s in steps)
    return (watch_step(config),) * max(1, config.depth)


def default_rate(config: RunConfig) -> float:
    return max(0.2, round(watch_step(config) / WATCH_SECONDS, 1))


def auto_rate(step: int) -> float:
    """Steps per second of the automatic pace at `step`."""
    return (max(0, step) + AUTO_OFFSET) / AUTO_TAU


def auto_seconds(step: int) -> float:
    """Screen time from step 0 to `step` at the automatic pace (training cost aside)."""
    return AUTO_TAU * math.log1p(max(0, step) / AUTO_OFFSET)


@dataclass(frozen=True)
class Pace:
    rungs: tuple[float | None, ...]  # steps per second, slowest first; None = unthrottled
    index: int  # the fixed rung (while `auto`, the preset's watch rung, kept for the panel)
    auto: bool = False  # the rate follows the step (auto_rate) instead of the rung
    watch: int | None = None  # index of the preset's own rung (its watch step in WATCH_SECONDS)

    @classmethod
    def for_config(cls, config: RunConfig) -> Pace:
        """The ladder at the rung that reaches the watch step after WATCH_SECONDS."""
        rate = default_rate(config)
        rungs = (*sorted(set(LADDER) | {rate}), None)
        return cls(rungs, rungs.index(rate), watch=rungs.index(rate))

    @classmethod
    def default_for(cls, config: RunConfig) -> Pace:
        """What a run starts at: the automatic pace, except on file data where steps are costly."""
        pace = cls.for_config(config)
        return pace if config.data in FILE_DATA else pace.automatic()

    def automatic(self) -> Pace:
        return replace(self, auto=True)

    @property
    def rate(self) -> float | None:
        """The fixed rung's rate (see rate_at for the rate in force)."""
        return self.rungs[self.index]

    def rate_at(self, step: int) -> float | None:
        return auto_rate(step) if self.auto else self.rate

    @property
    def unthrottled(self) -> bool:
        return not self.auto and self.rate is None

    def _rung_beside(self, rate: float, above: bool) -> int:
        fixed = [i for i, r in enumerate(self.rungs) if r is not None]
        if above:
            return next((i for i in fixed if self.rungs[i] > rate * 1.0001), len(self.rungs) - 1)  # type: ignore[operator]
        return next((i for i in reversed(fixed) if self.rungs[i] < rate / 1.0001), fixed[0])  # type: ignore[operator]

    def faster(self, step: int = 0) -> Pace:
        """One rung up; from the automatic pace, the first rung above its rate at `step`."""
        if self.auto:
            return self.at(self._rung_beside(auto_rate(step), above=True))
        return self.at(self.index + 1)

    def slower(self, step: int = 0) -> Pace:
        if self.auto:
            return self.at(self._rung_beside(auto_rate(step), above=False))
        return self.at(self.index - 1)

    def at(self, index: int) -> Pace:
        """The fixed rung `index` (leaving the automatic pace)."""
        return replace(self, index=max(0, min(index, len(self.rungs) - 1)), auto=False)

    def fastest(self) -> Pace:
        return self.at(len(self.rungs) - 1)

    @staticmethod
    def describe(rate: float | None) -> str:
        if rate is None:
            return "max"
        return f"{rate:g}/s"

    @property
    def label(self) -> str:
        """The fixed rung, e.g. "13.3/s" or "max"; "auto" for the automatic pace."""
        return "auto" if self.auto else self.describe(self.rate)

    def label_at(self, step: int) -> str:
        """What the pace is doing now: "auto 2.2/s" (the rate at `step`), or the fixed rung."""
        if not self.auto:
            return self.label
        rate = auto_rate(step)
        return f"auto {rate:.1f}/s" if rate < 10 else f"auto {rate:,.0f}/s"

    def snapshot_every(self, fps: float, config_every: int, step: int = 0) -> int | None:
        """Publish cadence for this pace: at least two snapshots per UI frame when throttled, so a
        slow run still moves every frame; None (the config's own cadence) at full speed."""
        rate = self.rate_at(step)
        if rate is None:
            return None
        every = max(1, int(rate / (2.0 * max(fps, 0.1))))
        return every if every < config_every else None
