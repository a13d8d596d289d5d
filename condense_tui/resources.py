"""A run's memory estimate from its RunConfig, and the check before the run allocates anything
(the numbers and the rule live in engine/resources.py)."""

from __future__ import annotations

from .config import RunConfig
from .engine.datasets.mnist import MAX_IMAGES as MNIST_TRAIN
from .engine.resources import (
    MemoryEstimate,
    check_memory,
    estimate_cifar_bytes,
    estimate_run_bytes,
)

MNIST_PIXELS = 28 * 28
CIFAR_TRAIN, CIFAR_TEST = 50000, 10000


def run_memory_estimate(config: RunConfig, replicas: int = 1) -> MemoryEstimate:
    """What `replicas` side-by-side runs of `config` need (the TUI and sweeps train several)."""
    dtype_bytes = 8 if config.dtype == "float64" or config.optimizer == "flow" else 4  # flow: always float64
    if config.data == "cifar10":
        return estimate_cifar_bytes(config.backbone_width, config.width, config.depth,
                                    config.n or CIFAR_TRAIN, config.n_test or CIFAR_TEST,
                                    config.batch_size or 128, dtype_bytes)
    if config.data == "mnist":  # float32 pixels on the host; the uint8 files read once
        n = config.n or MNIST_TRAIN
        estimate = estimate_run_bytes(config.width, config.depth, MNIST_PIXELS, n, replicas, dtype_bytes,
                                      config.optimizer, host_input_bytes=4)
        return MemoryEstimate((*estimate.parts, ("files", MNIST_TRAIN * (MNIST_PIXELS + 1))))
    data = config.resolved_data()
    return estimate_run_bytes(config.width, config.depth, int(data["input_dim"]), int(data["n"]), replicas,
                              dtype_bytes, config.optimizer)


def check_run_memory(config: RunConfig, replicas: int = 1, limit: int | None = None) -> MemoryEstimate:
    """The estimate, after checking it against `limit` bytes (None: the memory available now);
    raises MemoryLimitError (a ValueError, one line) when it does not fit."""
    estimate = run_memory_estimate(config, replicas)
    check_memory(estimate, limit)
    return estimate


def out_of_memory_message(config: RunConfig, replicas: int = 1) -> str:
    """The one line for a MemoryError during a run: what the run was estimated to need."""
    estimate = run_memory_estimate(config, replicas)
    return (f"out of memory: this run needs about {estimate.describe()} and the machine could not "
            "give it (lower width, n, input_dim or the number of runs, or free memory)")
