"""The memory estimate follows the buffers the engine makes, and runs past the limit are refused
with one line naming the estimate and the limit before anything is allocated."""

from __future__ import annotations

import numpy as np
import pytest

from condense_tui.config import RunConfig, load_preset, preset_names, validate
from condense_tui.engine import resources
from condense_tui.engine.activations import get_activation
from condense_tui.engine.backend import resolve_backend
from condense_tui.engine.gradients import NetworkBatch
from condense_tui.engine.network import Architecture
from condense_tui.engine.optimizers import make_optimizer
from condense_tui.engine.resources import (
    GIB,
    MemoryLimitError,
    available_memory,
    check_memory,
    estimate_run_bytes,
    parse_memory_size,
)
from condense_tui.resources import (
    check_run_memory,
    out_of_memory_message,
    run_memory_estimate,
)

# What a modest machine has free: every preset fits, the settings from issue 10 do not.
NORMAL_LIMIT = 3 * GIB

HOSTILE = {
    "--width 100000 --n 1000000": {"width": 100_000, "n": 1_000_000},
    "--n 10000000": {"n": 10_000_000},
    "--input-dim 10000 --n 10000": {"data": "custom", "target": "sin(x1)", "input_dim": 10_000, "n": 10_000,
                                        "low": -1.0, "high": 1.0},
}


@pytest.mark.parametrize("flags", HOSTILE)
def test_settings_that_exhaust_memory_are_refused_with_the_estimate_named(flags):
    config = validate(RunConfig(**HOSTILE[flags]))
    estimate = run_memory_estimate(config)
    with pytest.raises(MemoryLimitError) as caught:
        check_run_memory(config, limit=NORMAL_LIMIT)
    message = str(caught.value)
    assert "\n" not in message
    assert resources.format_bytes(estimate.total) in message and "--max-memory 3.0 GiB" in message


def test_the_issue_sizes_are_not_underestimated():
    # the first (K, m, n) float32 buffer alone of --width 100000 --n 1000000 is 373 GiB; the
    # --input-dim 10000 --n 10000 run measured 3.0 GB of peak RSS building the trainer
    assert run_memory_estimate(validate(RunConfig(width=100_000, n=1_000_000))).total >= 4 * 4 * 10**11
    assert run_memory_estimate(validate(RunConfig(n=10_000_000))).total >= 4 * 4 * 10**9
    wide = validate(RunConfig(**HOSTILE["--input-dim 10000 --n 10000"]))
    assert run_memory_estimate(wide).total > 3.0e9


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_fits_a_normal_limit(name):
    check_run_memory(load_preset(name), limit=NORMAL_LIMIT)


def test_replicas_scale_the_network_parts_not_the_data():
    config = validate(RunConfig(n=50_000))
    one, eight = run_memory_estimate(config), run_memory_estimate(config, replicas=8)
    assert dict(eight.parts)["activations"] == pytest.approx(8 * dict(one.parts)["activations"])
    assert dict(eight.parts)["data"] == dict(one.parts)["data"]


def _nbytes(obj: object, seen: set[int]) -> int:
    """Bytes of the distinct array buffers reachable from obj's attributes (views counted once)."""
    total = 0
    for value in vars(obj).values():
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, np.ndarray):
                base = item
                while isinstance(base.base, np.ndarray):
                    base = base.base
                if id(base) not in seen and base.flags.owndata:
                    seen.add(id(base))
                    total += base.nbytes
            elif hasattr(item, "scratch"):  # a hidden layer's buffers
                total += _nbytes(item, seen)
    return total


@pytest.mark.parametrize(("depth", "optimizer"), [(1, "adam"), (2, "gd"), (3, "adam")])
def test_estimate_covers_the_buffers_the_engine_makes(depth, optimizer):
    k, m, d, n = 3, 40, 5, 200
    backend = resolve_backend("cpu", "float32")
    arch = Architecture(d, (m,) * depth, (get_activation("tanh"),) * depth)
    x = np.random.default_rng(0).normal(size=(n, d + 1))
    batch = NetworkBatch(arch, backend, x, np.zeros(n), k, 0.5)
    opt = make_optimizer(optimizer, backend, batch.layout.size, 1e-3)
    seen: set[int] = set()
    device = _nbytes(batch, seen) + _nbytes(opt, seen)
    parts = dict(estimate_run_bytes(m, depth, d, n, k, 4, optimizer).parts)
    assert parts["activations"] + parts["parameters"] + parts["data"] >= device
    # the device buffers are the bulk of the activations and parameters counted
    assert device >= 0.5 * (parts["activations"] + parts["parameters"] * 5 / 9)


def test_default_limit_is_the_memory_available(monkeypatch):
    monkeypatch.setattr(resources, "available_memory", lambda: GIB)
    estimate = run_memory_estimate(validate(RunConfig(n=10_000_000)))
    with pytest.raises(MemoryLimitError, match=r"the 1\.0 GiB this machine has available"):
        check_memory(estimate)
    check_memory(run_memory_estimate(load_preset("fig5-tanh")))


def test_available_memory_reads_meminfo_and_falls_back(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       32000000 kB\nMemFree:  1000 kB\nMemAvailable:   2097152 kB\n")
    assert available_memory(meminfo) == 2 * GIB
    assert available_memory(tmp_path / "absent") > 0


@pytest.mark.parametrize(("text", "size"), [("8G", 8 * GIB), ("512MiB", 512 << 20), ("1.5 GB", 1_500_000_000),
                                            ("2e9", 2_000_000_000), ("1t", 1 << 40)])
def test_memory_sizes_parse(text, size):
    assert parse_memory_size(text) == size


@pytest.mark.parametrize("text", ["", "G", "-1G", "0", "8 parsecs", "inf", "nan"])
def test_bad_memory_sizes_are_one_line_errors(text):
    with pytest.raises(ValueError, match="memory size") as caught:
        parse_memory_size(text)
    assert "\n" not in str(caught.value)


def test_out_of_memory_message_is_one_line_with_the_estimate():
    config = validate(RunConfig(n=10_000_000))
    message = out_of_memory_message(config)
    assert "\n" not in message and message.startswith("out of memory")
    assert resources.format_bytes(run_memory_estimate(config).total) in message
