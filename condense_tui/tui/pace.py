"""The speed ladder behind + and -: from a crawl to unthrottled.

The default rung makes a preset's interesting window (its watch step, where the paper looked)
last about WATCH_SECONDS, slow enough to see the initial stage happen.
"""

from __future__ import annotations

from dataclasses import dataclass

LADDER: tuple[float, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
WATCH_SECONDS = 15.0


def watch_step(config) -> int:  # noqa: ANN001 - RunConfig
    """The step the preset is about: where the paper looked, else its step budget."""
    return int(config.watch_step or config.steps or 100)


def default_rate(config) -> float:  # noqa: ANN001 - RunConfig
    return max(0.2, round(watch_step(config) / WATCH_SECONDS, 1))


@dataclass(frozen=True)
class Pace:
    rungs: tuple[float | None, ...]  # steps per second, slowest first; None = unthrottled
    index: int

    @classmethod
    def for_config(cls, config) -> "Pace":  # noqa: ANN001 - RunConfig
        rate = default_rate(config)
        rungs = tuple(sorted(set(LADDER) | {rate})) + (None,)
        return cls(rungs, rungs.index(rate))

    @property
    def rate(self) -> float | None:
        return self.rungs[self.index]

    @property
    def unthrottled(self) -> bool:
        return self.rate is None

    def faster(self) -> "Pace":
        return Pace(self.rungs, min(self.index + 1, len(self.rungs) - 1))

    def slower(self) -> "Pace":
        return Pace(self.rungs, max(self.index - 1, 0))

    def at(self, index: int) -> "Pace":
        return Pace(self.rungs, max(0, min(index, len(self.rungs) - 1)))

    def fastest(self) -> "Pace":
        return self.at(len(self.rungs) - 1)

    @staticmethod
    def describe(rate: float | None) -> str:
        if rate is None:
            return "max"
        return f"{rate:g}/s"

    @property
    def label(self) -> str:
        return self.describe(self.rate)

    def snapshot_every(self, fps: float, config_every: int) -> int | None:
        """Publish cadence for this pace: at least two snapshots per UI frame when throttled, so a
        slow run still moves every frame; None (the config's own cadence) at full speed."""
        if self.rate is None:
            return None
        every = max(1, int(self.rate / (2.0 * max(fps, 0.1))))
        return every if every < config_every else None
