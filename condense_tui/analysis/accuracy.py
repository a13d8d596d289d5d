"""Classification accuracy as trainers that evaluate on a test set report it (snapshot.extras).

The deep (CIFAR-10) trainer carries, in every snapshot, the accuracy history measured so far:
extras["accuracy"] = {"step", "epoch", "train", "test"}, one entry per evaluation (the end of each
epoch, and the budget). Both faces read it through here, so they agree on what "the newest
accuracy" is. Snapshots of the MLP engine carry none.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class AccuracyHistory:
    """Every evaluation so far, oldest first; `epoch` is the run's (fractional) epoch now."""

    step: np.ndarray  # (e,) int
    epoch_at: np.ndarray  # (e,) fractional epoch of each evaluation
    train: np.ndarray  # (e,) running train accuracy over the epoch before (nan: none)
    test: np.ndarray  # (e,) test accuracy (nan: no test images)
    epoch: float | None  # where the run is now, in epochs (None: not reported)

    def __len__(self) -> int:
        return max(len(self.step), len(self.test))

    def latest(self) -> dict[str, Any]:
        """The newest values as plain numbers: None where nothing has been measured yet."""
        return {"step": _last(self.step), "epoch": _last(self.epoch_at), "train": _last(self.train),
                "test": _last(self.test)}


def _last(values: np.ndarray) -> float | int | None:
    if not len(values):
        return None
    value = values[-1].item()
    return value if math.isfinite(value) else None


def accuracy_history(extras: Mapping[str, Any] | None) -> AccuracyHistory | None:
    """The history in a snapshot's extras; None when the run reports no accuracy at all (an empty
    history means it does, but has not finished its first epoch yet)."""
    raw = (extras or {}).get("accuracy")
    if raw is None:
        return None
    epoch = (extras or {}).get("epoch")
    return AccuracyHistory(
        step=np.asarray(raw.get("step", ()), dtype=np.int64),
        epoch_at=np.asarray(raw.get("epoch", ()), dtype=float),
        train=np.asarray(raw.get("train", ()), dtype=float),
        test=np.asarray(raw.get("test", ()), dtype=float),
        epoch=None if epoch is None else float(epoch),
    )


def accuracy_fields(extras: Mapping[str, Any] | None) -> dict[str, Any]:
    """Flat fields for a log record: {} for runs without accuracy, else the run's epoch and the
    newest evaluation (None before the first one)."""
    history = accuracy_history(extras)
    if history is None:
        return {}
    latest = history.latest()
    return {"epoch": history.epoch, "train_accuracy": latest["train"], "test_accuracy": latest["test"],
            "accuracy_step": latest["step"]}
