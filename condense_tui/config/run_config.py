"""RunConfig: every knob of a run in one frozen dataclass, validated when it is built.

Each field is one row of the field table (fields.py): its type, default, range or choices, --help
text, help panel, the data kinds it applies to and its control-panel label. Nothing else declares
a setting.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from .fields import (
    CIFAR10,
    DATA,
    MNIST,
    MODEL,
    REAL,
    RESOURCES,
    SYNTHETIC,
    TRAIN,
    setting,
)
from .memory import parse_memory

LOSSES = {"paper": 0.5, "mse": 1.0}  # R = scale/n * sum (f - y)^2
DEVICES = ("cpu", "cuda", "auto")
BACKENDS = ("numpy", "torch")  # the CPU path's array library; cuda always runs torch
DTYPES = ("float32", "float64")
FILES_ONLY = frozenset({MNIST, CIFAR10})
NOT_CIFAR = frozenset({SYNTHETIC, MNIST})
ONLY_SYNTHETIC, ONLY_MNIST, ONLY_CIFAR = frozenset({SYNTHETIC}), frozenset({MNIST}), frozenset({CIFAR10})
PROG = "condense-tui"


# choice lists come from the engine, read when a config is validated or a shell completes a flag
# (so that the table, and `condense-tui --help`, load without NumPy)
def _activation_names() -> tuple[str, ...]:
    from ..engine.activations import activation_names

    return tuple(activation_names())


def _data_names() -> tuple[str, ...]:
    from ..engine.data import DATA_PRESETS
    from ..engine.datasets import REAL_DATA

    return (*DATA_PRESETS, "custom", *REAL_DATA)


def _samplings() -> tuple[str, ...]:
    from ..engine.names import SAMPLINGS

    return SAMPLINGS


def _optimizers() -> tuple[str, ...]:
    from ..engine.names import OPTIMIZERS

    return OPTIMIZERS


def _mnist_targets() -> tuple[str, ...]:
    from ..engine.names import MNIST_TARGETS

    return MNIST_TARGETS


def _fc_inits() -> tuple[str, ...]:
    from ..engine.deep.inits import FC_INITS

    return tuple(FC_INITS)


@dataclass(frozen=True)
class RunConfig:
    # model
    activation: str | tuple[str, ...] = setting(
        "tanh", f"Activation, or one per hidden layer separated by commas (see [cyan]{PROG} activations[/cyan]).",
        group=MODEL, completions=_activation_names, panel="activation")
    multiplicity: int | None = setting(  # when set, the activation is x^(p-1) tanh(x)
        None, "Use x^(p-1)*tanh(x), the activation of multiplicity p.", group=MODEL, range=(1, 9),
        panel="multiplicity p (blank: off)")
    width: int = setting(100, "Hidden layer width m.", group=MODEL, range=(1, 100_000), panel="width m")
    depth: int = setting(1, "Number of hidden layers.", group=MODEL, range=(1, 32))
    residual: bool = setting(False, "Skip connections between equal-width hidden layers.", group=MODEL,
                             kinds=NOT_CIFAR)
    init_std: float | None = setting(0.005, "Every parameter ~ N(0, std^2).", group=MODEL,
                                     range=(1e-12, 100.0), panel="init std")
    init_gamma: float | None = setting(  # std = width^-gamma; overrides init_std when set
        None, "Init scale as std = width^-gamma (replaces --init-std).", group=MODEL, range=(-5.0, 10.0),
        panel="or gamma, std = m^-gamma")
    # data
    data: str = setting(  # a data preset, or "custom" with target/input_dim/n/low/high
        "fig5", "Data preset: fig2, fig3, fig4a, fig5, custom (with --target, --input-dim, --n, --low, "
        "--high), or files: mnist, cifar10 (with --data-dir).", group=DATA, completions=_data_names,
        panel="data")
    target: str | None = setting(
        None, "Target expression in x (1-D) or x1..xd, e.g. 'sin(3*x)'; keeps the data preset's domain "
        "unless you set it.", group=DATA, kinds=ONLY_SYNTHETIC)
    input_dim: int | None = setting(None, "Input dimension d.", group=DATA, range=(1, 10_000),
                                    kinds=ONLY_SYNTHETIC)
    n: int | None = setting(None, "Number of training points.", group=DATA, range=(1, 10_000_000),
                            flag="--n")
    low: float | None = setting(None, "Lower end of the input domain.", group=DATA, kinds=ONLY_SYNTHETIC)
    high: float | None = setting(None, "Upper end of the input domain.", group=DATA, kinds=ONLY_SYNTHETIC)
    sampling: str = setting("uniform", "uniform (random draws) or grid (1-D only).", group=DATA,
                            choices=_samplings, panel="sampling")
    data_seed: int = setting(0, "Seed of the random inputs.", group=DATA, range=(0, 2**63 - 1))
    # training
    optimizer: str = setting(  # flow: engine.flow, float64 whatever dtype says, one step = time lr
        "adam", "adam, gd (full batch), or flow: gradient flow integrated in float64, one step = time lr.",
        group=TRAIN, choices=_optimizers, panel="optimizer")
    lr: float = setting(5e-4, "Learning rate.", group=TRAIN, range=(1e-12, 100.0), panel="learning rate")
    loss: str = setting("paper", "paper: 1/(2n) sum (f-y)^2; mse: 1/n sum (f-y)^2.", group=TRAIN,
                        choices=lambda: tuple(LOSSES))
    steps: int = setting(1000, "Step budget.", group=TRAIN, range=(0, 1_000_000_000))
    seed: int = setting(0, "Seed of the initial weights.", group=TRAIN, range=(0, 2**63 - 1), panel="seed")
    device: str = setting("cpu", "cpu, cuda or auto.", group=TRAIN, choices=lambda: DEVICES)
    backend: str = setting(
        "numpy", "numpy or torch: the array library that trains on the CPU (torch: the same engine, for a "
        "model extended with autograd; --device cuda always uses torch).", group=TRAIN,
        choices=lambda: BACKENDS, panel="backend")
    dtype: str = setting("float32", "float32 or float64.", group=TRAIN, choices=lambda: DTYPES)
    snapshot_every: int = setting(10, "Steps between snapshots (weights and condensation measures).",
                                  group=TRAIN, range=(1, 1_000_000))
    log_every: int = setting(1, "Steps between loss records on stdout.", group=TRAIN, range=(1, 1_000_000))
    # what the preset is about (not used by training; preset files only)
    name: str = setting("")
    figure: str = setting("")
    description: str = setting("")
    watch_step: int | None = setting(None, range=(0, 1_000_000_000))  # where the paper looked
    expect: dict[str, Any] = setting(default_factory=dict)  # noqa: RUF009 - setting() is a field()
    unstated: tuple[str, ...] = setting(())
    # real data: data = "mnist" (the MLP engine) or "cifar10" (conv backbone + FC head, engine/deep)
    data_dir: str | None = setting(  # None: $CONDENSE_TUI_DATA_DIR, else the cwd
        None, "Folder holding the MNIST or CIFAR-10 files (default: $CONDENSE_TUI_DATA_DIR, else the current "
        "folder).", group=REAL, metavar="DIR")
    mnist_target: str = setting("digit", "mnist: regression target 'digit' (0..9) or 'digit/9'.", group=REAL,
                                choices=_mnist_targets, kinds=ONLY_MNIST)
    batch_size: int | None = setting(None, "cifar10: mini-batch size.", group=REAL, range=(1, 10_000_000),
                                     kinds=ONLY_CIFAR)
    epochs: int | None = setting(None, "cifar10: budget in epochs (replaces --steps).", group=REAL,
                                 range=(0, 1_000_000), kinds=ONLY_CIFAR)
    lr_drop_epoch: int | None = setting(None, "cifar10: epoch after which the lr becomes --lr-drop-to.",
                                        group=REAL, range=(0, 1_000_000), kinds=ONLY_CIFAR)
    lr_drop_to: float | None = setting(None, "cifar10: the lr after the drop.", group=REAL,
                                       range=(1e-12, 100.0), kinds=ONLY_CIFAR)
    fc_init: str = setting(  # "std" = N(0, std^2), or a Table 1 scheme
        "std", "cifar10: FC init, std or a Table 1 scheme (glorot_uniform, glorot_normal, ...).", group=REAL,
        choices=_fc_inits, kinds=ONLY_CIFAR)
    backbone_width: int = setting(64, "cifar10: channels of the first ResNet18 stage (64 = ResNet18).",
                                  group=REAL, range=(1, 1024), kinds=ONLY_CIFAR)
    fc_layer: int = setting(1, "cifar10: FC hidden layer to analyse (1-based; 0 = all).", group=REAL,
                            range=(0, 32), kinds=ONLY_CIFAR)
    n_test: int | None = setting(None, "cifar10: test images used for accuracy.", group=REAL,
                                 range=(1, 10_000_000), kinds=ONLY_CIFAR)
    augment: bool = setting(False, "cifar10: random crop and flip.", group=REAL, kinds=ONLY_CIFAR)
    wants_gpu: bool = setting(False)  # the preset is long on a CPU (listings say so); training ignores it
    # resources
    max_memory: str | int | None = setting(
        None, "Refuse a run whose estimated memory exceeds this: bytes, or a size like 512M or 8G "
        "(default: the memory the machine has available).", group=RESOURCES, metavar="SIZE")

    def __post_init__(self) -> None:
        from .checks import validate

        validate(self)

    # -- resolved views ---------------------------------------------------------------------
    @property
    def activations(self) -> tuple[str, ...]:
        if self.multiplicity is not None:
            from ..engine.activations import power_tanh_name

            return (power_tanh_name(self.multiplicity),) * self.depth
        if isinstance(self.activation, str):
            return (self.activation,) * self.depth
        return tuple(self.activation)

    @property
    def std(self) -> float:
        if self.init_gamma is not None:
            return float(self.width) ** (-self.init_gamma)
        assert self.init_std is not None
        return self.init_std

    @property
    def gamma(self) -> float:
        """The gamma matching std (std = width^-gamma); 0.0, never -0.0, for std 1."""
        return -math.log(self.std) / math.log(self.width) + 0.0 if self.width > 1 else float("nan")

    @property
    def loss_scale(self) -> float:
        return LOSSES[self.loss]

    @property
    def max_memory_bytes(self) -> int | None:
        """max_memory in bytes (None: the caller measures the machine's available memory)."""
        return None if self.max_memory is None else parse_memory(self.max_memory)

    def resolved_data(self) -> dict[str, Any]:
        """target, input_dim, n, low, high after applying the data preset's defaults."""
        from ..engine.data import DATA_PRESETS

        base = DATA_PRESETS.get(self.data)
        values = {key: getattr(base, key) if base else None for key in ("target", "input_dim", "n", "low", "high")}
        for key in values:
            if getattr(self, key) is not None:
                values[key] = getattr(self, key)
        return values

    def replace(self, **changes: Any) -> RunConfig:
        return dataclasses.replace(self, **changes)  # __post_init__ validates
