"""The JSONL records of a headless run, built from snapshots (nothing here measures anything)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..analysis.accuracy import accuracy_fields, accuracy_history
from ..analysis.directions import DirectionWatch
from ..analysis.report import analysis_of, run_predicted_counts
from ..config import RunConfig

if TYPE_CHECKING:
    from ..engine.snapshot import Snapshot


def step_records(snapshot: Snapshot, log_every: int, analysed: bool) -> Iterator[dict[str, Any]]:
    """One record per logged step of `snapshot` (every log_every-th step), in order.

    analysed: the snapshot's own step gets its condensation measures (Analysis.summary()), and
    for runs that measure accuracy the newest evaluation, and is written even when it is not a
    multiple of log_every.
    """
    last = snapshot.step
    for step, loss in zip(snapshot.loss_steps.tolist(), snapshot.losses[:, 0].tolist()):
        is_snapshot_step = analysed and step == last
        if step % log_every and not is_snapshot_step:
            continue
        record: dict[str, Any] = {"step": step, "loss": loss}
        if is_snapshot_step:
            record.update(accuracy_fields(snapshot.extras))
            record.update(analysis_of(snapshot).summary())
        yield record


def summary_record(config: RunConfig, final: Snapshot | None, last: Snapshot | None,
                   watched: dict[int, Snapshot],
                   verdict: dict[str, Any], *, diverged_at: int | None, interrupted: bool,
                   last_step: int | None, exit_code: int,
                   overrides: dict[str, Any] | None = None, budget: int | None = None,
                   directions: DirectionWatch | None = None) -> dict[str, Any]:
    """The last record: final counts per layer, the bound, the preset's expectation and verdict.

    final: the newest snapshot whose weights were analysed (None if there is none); last: the
    newest snapshot of all (its clock); watched: step -> snapshot for the steps the expectation
    looks at, those the run reached; budget: the trainer's step budget (an epoch budget is not
    config.steps), config.steps when not given.
    """
    final_summary = analysis_of(final).summary() if final is not None else None
    history = accuracy_history(last.extras) if last is not None else None
    accuracy = {"evaluations": len(history), **history.latest()} if history is not None else None
    return {
        "event": "summary",
        "preset": config.name or None,
        "figure": config.figure or None,
        "overrides": dict(overrides or {}),  # settings changed from the preset by the command line
        "steps": config.steps if budget is None else budget,
        "last_step": last_step,
        "final": ({"step": final.step, "loss": final.loss, **final_summary}
                  if final is not None and final_summary is not None else None),
        "bound": [layer["bound"] for layer in final_summary["layers"]] if final_summary else None,
        "watch_step": config.watch_step,
        "test_accuracy": accuracy["test"] if accuracy is not None else None,
        "accuracy": accuracy,  # the newest evaluation: step, epoch, train, test (None: not measured)
        **(run_predicted_counts(last.context) if last is not None
           else {"predicted_lines": None, "predicted_orientations": None}),
        **(directions or DirectionWatch()).fields(),
        "at_watch": {str(step): analysis_of(watched[step]).summary()["layers"] for step in sorted(watched)},
        "expect": dict(config.expect),
        "met": verdict["met"],
        "checks": verdict["checks"],
        **({"met_reason": verdict["reason"]} if "reason" in verdict else {}),
        "diverged": diverged_at is not None,
        "diverged_at": diverged_at,
        "interrupted": interrupted,
        "elapsed_s": last.elapsed if last is not None else None,
        "steps_per_second": last.steps_per_second if last is not None else None,
        "exit_code": exit_code,
    }
