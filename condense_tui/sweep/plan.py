"""The grid as points, and points grouped into batches that train in one trainer.

Points whose runs differ only in the seed and the init scale have the same network shape, data and
optimizer: the engine trains them as K replicas in one set of array operations. Every other axis
(activation, width, data, lr, ...) makes a separate batch, and batches go to worker processes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from typing import Any

from ..config import RunConfig
from .spec import SweepSpec, point_config

# Fields a batch's replicas may differ in; the rest must be equal to share one trainer.
PER_REPLICA = ("seed", "init_std", "init_gamma")
MAX_REPLICAS = 64  # larger batches gain little per network and delay their first rows


@dataclass(frozen=True)
class Point:
    key: str  # stable id of the settings: what --resume matches on
    settings: dict[str, Any]  # axis key -> value
    config: RunConfig


@dataclass(frozen=True)
class Batch:
    config: RunConfig  # the first point's config (the shared shape); seed/std come per replica
    points: tuple[Point, ...]

    @property
    def seeds(self) -> list[int]:
        return [p.config.seed for p in self.points]

    @property
    def stds(self) -> list[float]:
        return [p.config.std for p in self.points]


def point_key(settings: dict[str, Any]) -> str:
    text = json.dumps(settings, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def grid_points(spec: SweepSpec) -> list[Point]:
    """Every combination of the axes, in axis order (the last axis varies fastest)."""
    keys = list(spec.axes)
    points = []
    for values in itertools.product(*(spec.axes[k] for k in keys)):
        settings = dict(zip(keys, values))
        points.append(Point(point_key(settings), settings, point_config(spec, settings)))
    return points


def _shape_key(config: RunConfig) -> str:
    values = {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name not in PER_REPLICA}
    return json.dumps(values, sort_keys=True, default=str)


def plan_batches(points: list[Point], workers: int = 1) -> list[Batch]:
    """Points grouped by shape; a group is split so that every worker has a batch to train, and
    no batch holds more than MAX_REPLICAS networks."""
    groups: dict[str, list[Point]] = {}
    for point in points:
        groups.setdefault(_shape_key(point.config), []).append(point)
    pieces = max(1, math.ceil(workers / max(1, len(groups))))
    batches = []
    for members in groups.values():
        count = min(len(members), max(pieces, math.ceil(len(members) / MAX_REPLICAS)))
        size = math.ceil(len(members) / count)
        for start in range(0, len(members), size):
            chunk = tuple(members[start:start + size])
            batches.append(Batch(chunk[0].config, chunk))
    return batches
