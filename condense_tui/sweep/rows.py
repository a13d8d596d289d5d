"""Train one batch and turn each replica into a sweep row (plain numbers, one dict per run).

A row's counts come from `analyze` on a one-replica view of the batch's snapshots, so a batched
point is measured exactly as the single run of the same settings would be.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ..analysis.counting import count_condensation
from ..analysis.expectation import evaluate
from ..analysis.geometry import amplitudes, unit_rows
from ..analysis.report import LayerAnalysis, analyze

if TYPE_CHECKING:
    from ..config import RunConfig
    from ..engine.snapshot import Snapshot
    from .plan import Batch, Point

CHECKPOINTS = 40  # snapshots per run counted for the step where the orientations settled
# Settings that keep a preset's experiment, so its stated expectation still applies (as for runs).
KEEPS_EXPECTATION = frozenset({"seed", "data_seed", "steps", "snapshot_every", "log_every", "device",
                               "dtype", "preset"})
ROW_KEYS = ("point", "settings", "preset", "activation", "width", "depth", "std", "gamma", "seed",
            "steps", "watch_step", "watch_lines", "watch_orientations", "lines", "orientations", "condensed",
            "bound", "within_bound", "met", "rd", "effective_rank", "settled_step",
            "final_loss", "diverged_at", "replicas", "wall_s")


def build_trainer(config: RunConfig, seeds: list[int], stds: list[float]) -> Any:
    """The one place a sweep makes a trainer (K replicas of one shape)."""
    from ..runs import build_controller

    return build_controller(config, seeds=seeds, stds=stds)


def replica_view(snapshot: Snapshot, k: int) -> Snapshot:
    """Replica k of a batched snapshot as a one-network snapshot (views, no copies)."""
    pick = slice(k, k + 1)
    return dataclasses.replace(
        snapshot, losses=snapshot.losses[:, pick], layers=tuple(w[pick] for w in snapshot.layers),
        output=snapshot.output[pick], initial_layers=tuple(w[pick] for w in snapshot.initial_layers),
        initial_output=snapshot.initial_output[pick])


class _Watcher:
    """Keeps the few snapshots a row needs: the watch step(s), evenly spaced checkpoints, the last."""

    def __init__(self, config: RunConfig, wanted: set[int]):
        every = config.snapshot_every
        self.check_every = every * max(1, math.ceil(config.steps / (CHECKPOINTS * every)))
        self.wanted = wanted
        self.kept: dict[int, Snapshot] = {}
        self.last: Snapshot | None = None

    def __call__(self, snapshot: Snapshot) -> None:
        self.last = snapshot
        steps = snapshot.loss_steps
        whole = snapshot.diverged_at is None and len(steps) and int(steps[-1]) == snapshot.step
        if whole and (snapshot.step % self.check_every == 0 or snapshot.step in self.wanted):
            self.kept[snapshot.step] = snapshot


def _orientations(snapshot: Snapshot, k: int) -> tuple[int, ...]:
    """Counted orientations per layer of replica k: the counting step of `analyze` alone."""
    top = len(snapshot.layers) - 1
    return tuple(count_condensation(unit_rows(w[k]), amplitudes(w[k], snapshot.output[k] if i == top else None))
                 .orientations for i, w in enumerate(snapshot.layers))


def _counted(la: LayerAnalysis, what: str) -> int | None:
    """A count as the records give it: None while the layer has not condensed."""
    return getattr(la, what) if la.condensed else None


def _within(counts: list[int | None], bounds: list[int | None]) -> bool | None:
    """Every bounded layer's count at most its 2p; None when no layer has a bound, or a bounded layer
    has no count (not condensed: the bound says nothing there)."""
    pairs = [(c, b) for c, b in zip(counts, bounds) if b is not None]
    if not pairs or any(c is None for c, _ in pairs):
        return None
    return all(c is not None and c <= b for c, b in pairs)


def _settled(history: list[tuple[int, tuple[int, ...]]]) -> int | None:
    """First checkpoint step from which the counts per layer never change again."""
    if not history:
        return None
    final = history[-1][1]
    settled = history[-1][0]
    for step, counts in reversed(history):
        if counts != final:
            break
        settled = step
    return settled


def _row(point: Point, batch: Batch, k: int, watcher: _Watcher, wall: float) -> dict[str, Any]:
    config = point.config
    steps = sorted(watcher.kept)
    views = {s: replica_view(watcher.kept[s], k) for s in steps}
    final = analyze(views[steps[-1]]) if steps else None
    history = [(s, _orientations(watcher.kept[s], k)) for s in steps]
    watch = config.watch_step
    at_watch = analyze(views[watch]) if watch in views else None
    keeps = set(point.settings) <= KEEPS_EXPECTATION
    verdict = evaluate(config.expect, watch, views) if keeps else {"met": None}
    layers = final.layers if final is not None else ()
    last = watcher.last
    final_loss = float(last.losses[-1, k]) if last is not None and len(last.losses) else math.nan
    # x^(p-1)*tanh has multiplicity p by construction, where the engine's measurement finds none
    known = 2 * config.multiplicity if config.multiplicity is not None else None
    bound = [known if la.bound is None else la.bound for la in layers]
    orientations = [_counted(la, "orientations") for la in layers]
    judged = [_counted(la, "orientations") for la in at_watch.layers] if at_watch else orientations
    return {
        "point": point.key, "settings": point.settings, "preset": config.name or None,
        "activation": ",".join(config.activations), "width": config.width, "depth": config.depth,
        "std": config.std, "gamma": config.gamma, "seed": config.seed, "steps": config.steps,
        "watch_step": watch,
        "watch_lines": [_counted(la, "lines") for la in at_watch.layers] if at_watch else None,
        "watch_orientations": judged if at_watch else None,
        "lines": [_counted(la, "lines") for la in layers], "orientations": orientations,
        "condensed": [la.condensed for la in layers],
        "bound": bound,
        # the statement "at most 2p orientations", judged where the paper looked (else at the end)
        # None when a bounded layer has no count (not condensed): the bound says nothing there
        "within_bound": _within(judged, bound) if layers else None,
        "met": verdict["met"], "rd": final.relative_distance if final is not None else None,
        "effective_rank": [la.effective_rank for la in layers],
        "settled_step": _settled(history), "final_loss": final_loss,
        "diverged_at": last.diverged_at if last is not None else None,
        "replicas": len(batch.points), "wall_s": wall / len(batch.points),
    }


def run_batch(batch: Batch, should_stop: Callable[[], bool] | None = None) -> list[dict[str, Any]]:
    """Train the batch; one row per point. A batch where a replica diverges (which stops all of
    them) is rerun point by point, so each row is what that run alone would give. Returns [] when
    stopped before the end."""
    config = batch.config
    from ..analysis.expectation import required_steps

    started = time.perf_counter()
    watcher = _Watcher(config, required_steps(config.expect, config.watch_step))
    trainer = build_trainer(config, batch.seeds, batch.stds)
    trainer.subscribe(watcher)
    if should_stop is not None:
        trainer.subscribe(lambda _snapshot: trainer.stop(timeout=0) if should_stop() else None)
    with np.errstate(all="ignore"):
        trainer.run()
    last = watcher.last
    if last is None or (last.interrupted and should_stop is not None and should_stop()):
        return []
    if last.diverged_at is not None and len(batch.points) > 1:
        from .plan import Batch as _Batch

        rows: list[dict[str, Any]] = []
        for point in batch.points:
            rows += run_batch(_Batch(point.config, (point,)), should_stop)
        return rows
    wall = time.perf_counter() - started
    return [_row(point, batch, k, watcher, wall) for k, point in enumerate(batch.points)]
