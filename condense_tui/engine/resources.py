"""Memory a run will need, worked out from its sizes before anything is allocated, and the check
against what the machine has.

The estimates follow the buffers the engine really makes (gradients.NetworkBatch, the optimizers,
the data set and its copies; for CIFAR-10 the ResNet18 backbone, its activations for one mini-batch
and the images), so a run that would exhaust memory is refused with one line instead of dying
part-way. They aim a little high rather than low: small bookkeeping is left out, large buffers
are all counted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

GIB = 1 << 30
# used when /proc/meminfo cannot be read (not Linux): what a small machine has free
FALLBACK_AVAILABLE = 4 * GIB


class MemoryLimitError(ValueError):
    """A run would need more memory than the limit; str(err) is one line a user can act on."""


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a run needs, by what holds them (in the order they are counted)."""

    parts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(size for _, size in self.parts)

    def describe(self) -> str:
        """'3.4 GiB (data 2.1 GiB, activations 1.2 GiB, ...)', largest parts first."""
        biggest = sorted(self.parts, key=lambda part: -part[1])[:3]
        return f"{format_bytes(self.total)} ({', '.join(f'{k} {format_bytes(v)}' for k, v in biggest)})"


def format_bytes(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")


def estimate_run_bytes(width: int, depth: int, input_dim: int, n: int, replicas: int = 1,
                       dtype_bytes: int = 4, optimizer: str = "adam",
                       host_input_bytes: int = 8) -> MemoryEstimate:
    """Memory of an MLP run (engine/mlp/model.MlpModel) of `replicas` networks d-m-...-m-1 on n
    samples, working in dtype_bytes floats. host_input_bytes: bytes per input value of the data set
    as built on the host (8: synthetic float64; MNIST keeps float32 images)."""
    k, m, d, b = replicas, width, input_dim, dtype_bytes
    per_network = m * (d + 1) + (depth - 1) * m * (m + 1) + m
    params = k * per_network
    # adam: moments and work buffer; flow: seven stages, start, work and error; gd: step buffer
    optimizer_copies = {"adam": 3, "flow": 10}.get(optimizer, 1)
    # parameters + gradient + optimizer state on the device; the initial weights kept in float64
    # twice (flat and per layer) and two published snapshots on the host
    parameters = params * b * (2 + optimizer_copies) + params * 8 * 2 + params * b * 2
    # every hidden layer: its value (K, m, n) and three scratch arrays; error and dR/df (K, n)
    activations = depth * 4 * k * m * n * b + 2 * k * n * b
    if depth == 1:  # the shallow step's g_i x_i buffer, (K, n, d + 1)
        activations += k * n * (d + 1) * b
    # host: x, y, x with a bias column (float64) and its transposed copy; device: both layouts
    data = n * d * host_input_bytes + n * 8 + 2 * n * (d + 1) * 8 + 2 * n * (d + 1) * b + n * b
    return MemoryEstimate((("parameters", parameters), ("activations", activations), ("data", data)))


def resnet18_parameters(backbone_width: int) -> int:
    """Weights of the CIFAR-form ResNet18 backbone (engine/deep/model.Backbone); BN counted too."""
    w = backbone_width
    total = 3 * w * 9 + 2 * w  # stem conv + BN
    c_in = w
    for stage, mult in enumerate((1, 2, 4, 8)):
        c_out = w * mult
        for block in range(2):
            total += c_in * c_out * 9 + c_out * c_out * 9 + 4 * c_out
            if c_in != c_out or (block == 0 and stage > 0):
                total += c_in * c_out + 2 * c_out  # projection shortcut
            c_in = c_out
    return total


def estimate_cifar_bytes(backbone_width: int, fc_width: int, fc_depth: int, n_train: int,
                         n_test: int, batch_size: int, dtype_bytes: int = 4) -> MemoryEstimate:
    """Memory of a CIFAR-10 run (engine/deep): ResNet18 + FC head, Adam, one mini-batch of
    activations kept for the backward pass, the images on the host and on the device."""
    w, b, image = backbone_width, dtype_bytes, 3 * 32 * 32
    head = 8 * w * fc_width + (fc_depth - 1) * fc_width * fc_width + fc_depth * fc_width + 10 * fc_width
    params = resnet18_parameters(w) + head
    parameters = params * b * 4 + head * 8 * 2  # weights, gradient, two moments; head snapshots
    # per image kept for the backward pass: 3 stem maps of w x 32 x 32, then 12 maps a stage (two
    # blocks of conv, BN and ReLU outputs) whose size halves each stage (measured with torch on a
    # CPU: 1.0 GB for width 64, batch 128, this rule 0.85 GB + the parameters' 0.18 GB); a test
    # evaluation holds about three of the largest maps of a 500-image batch at a time
    maps_per_image = w * 1024 * (3 + 12 * (1 + 1 / 2 + 1 / 4 + 1 / 8))
    activations = int(batch_size * maps_per_image * b) + 3 * 500 * w * 1024 * b
    # uint8 images: the batches and their join (host), the device copy, one float32 channel copy
    images = n_train + n_test
    data = 3 * images * image + n_train * 1024 * 4
    return MemoryEstimate((("parameters", parameters), ("activations", activations), ("data", data)))


def available_memory(meminfo: Path = Path("/proc/meminfo")) -> int:
    """The memory this machine can give a new run now: MemAvailable from /proc/meminfo, else
    physical pages (sysconf), else FALLBACK_AVAILABLE."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return FALLBACK_AVAILABLE


def check_memory(estimate: MemoryEstimate, limit: int | None = None) -> None:
    """Raise MemoryLimitError (one line naming the estimate and the limit) when the run needs
    more than `limit` bytes (None: the memory available now)."""
    given = limit is not None
    allowed = limit if limit is not None else available_memory()
    if estimate.total <= allowed:
        return
    where = f"--max-memory {format_bytes(allowed)}" if given else \
        f"the {format_bytes(allowed)} this machine has available"
    override = "raise --max-memory" if given else "set --max-memory"
    raise MemoryLimitError(f"this run needs about {estimate.describe()}, more than {where} (lower "
                           f"width, n, input_dim or the number of runs, or {override} if the memory is there)")


_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1000, "kib": 1 << 10, "m": 1 << 20, "mb": 10**6,
          "mib": 1 << 20, "g": GIB, "gb": 10**9, "gib": GIB, "t": 1 << 40, "tb": 10**12, "tib": 1 << 40}


def parse_memory_size(text: str) -> int:
    """Bytes from '8G', '512MiB', '1.5 GB' or a plain number of bytes (K/M/G/T alone are binary);
    ValueError with a one-line message otherwise."""
    value = text.strip().lower()
    number = value.rstrip("abcdefghijklmnopqrstuvwxyz").strip()
    unit = value[len(number):].strip() if number else value
    try:
        size = float(number) * _UNITS[unit]
    except (ValueError, KeyError):
        raise ValueError(f"memory size {text!r} is not a number of bytes with an optional unit "
                         "(e.g. 8G, 512MiB, 2e9)") from None
    if not size > 0 or size == float("inf"):
        raise ValueError(f"memory size {text!r} must be a positive size (e.g. 8G)")
    return int(size)
