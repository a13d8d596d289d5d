"""RunConfig: every knob of a run in one frozen, validated dataclass; presets are TOML subsets.

Validation lives here and only here. Every error is a ConfigError whose message names the key,
the value, what is allowed and, for files, the path (and line for syntax errors).
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from .engine.activations import UnknownActivation, get_activation, power_tanh_name
from .engine.data import DATA_PRESETS, SAMPLINGS
from .engine.datasets import DEEP_DATA, MNIST_TARGETS, REAL_DATA
from .engine.deep.inits import FC_INITS
from .engine.expressions import UnsafeExpression, parse_target
from .engine.optimizers import OPTIMIZERS

LOSSES = {"paper": 0.5, "mse": 1.0}  # R = scale/n * sum (f - y)^2
DEVICES = ("cpu", "cuda", "auto")
DTYPES = ("float32", "float64")


class ConfigError(ValueError):
    """Bad configuration: the message is one line a user can act on."""


@dataclass(frozen=True)
class RunConfig:
    # model
    activation: str | tuple[str, ...] = "tanh"  # one name, or one per hidden layer
    multiplicity: int | None = None  # when set, the activation is x^(p-1) tanh(x)
    width: int = 100
    depth: int = 1
    residual: bool = False
    init_std: float | None = 0.005
    init_gamma: float | None = None  # std = width^-gamma; overrides init_std when set
    # data
    data: str = "fig5"  # a data preset, or "custom" with target/input_dim/n/low/high
    target: str | None = None
    input_dim: int | None = None
    n: int | None = None
    low: float | None = None
    high: float | None = None
    sampling: str = "uniform"
    data_seed: int = 0
    # training
    optimizer: str = "adam"
    lr: float = 5e-4
    loss: str = "paper"
    steps: int = 1000
    seed: int = 0
    device: str = "cpu"
    dtype: str = "float32"
    snapshot_every: int = 10
    log_every: int = 1
    # what the preset is about (not used by training)
    name: str = ""
    figure: str = ""
    description: str = ""
    watch_step: int | None = None  # where the paper looked
    expect: dict[str, Any] = field(default_factory=dict)
    unstated: tuple[str, ...] = ()
    # -- real data (issue 6): data = "mnist" (the MLP engine) or "cifar10" (conv backbone + FC head,
    # engine/deep). The cifar10-only keys are rejected for other data. ----------------------------
    data_dir: str | None = None  # where the files are; None: $CONDENSE_TUI_DATA_DIR, else the cwd
    batch_size: int | None = None  # cifar10: mini-batch size (the MLP trains full batch)
    epochs: int | None = None  # cifar10: budget = epochs x steps per epoch (instead of steps)
    lr_drop_epoch: int | None = None  # cifar10: after this many epochs the lr becomes lr_drop_to
    lr_drop_to: float | None = None
    fc_init: str = "std"  # cifar10 FC layers: "std" = N(0, std^2), or a Table 1 scheme (FC_INITS)
    backbone_width: int = 64  # cifar10: channels of the first ResNet18 stage (64 = ResNet18)
    fc_layer: int = 1  # cifar10: FC hidden layer published and analysed (1-based); 0 = all of them
    n_test: int | None = None  # cifar10: test images used for accuracy (None: all)
    augment: bool = False  # cifar10: random crop (4-pixel pad) and horizontal flip while training
    wants_gpu: bool = False  # the preset is long on a CPU (listings say so); training ignores it
    mnist_target: str = "digit"  # mnist: regression target y = the digit (0..9) or "digit/9" (0..1)

    # -- resolved views ---------------------------------------------------------------------
    @property
    def activations(self) -> tuple[str, ...]:
        if self.multiplicity is not None:
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
        """The gamma matching std (std = width^-gamma)."""
        return -math.log(self.std) / math.log(self.width) if self.width > 1 else float("nan")

    @property
    def loss_scale(self) -> float:
        return LOSSES[self.loss]

    def resolved_data(self) -> dict[str, Any]:
        """target, input_dim, n, low, high after applying the data preset's defaults."""
        base = DATA_PRESETS.get(self.data)
        values = {
            "target": base.target if base else None, "input_dim": base.input_dim if base else None,
            "n": base.n if base else None, "low": base.low if base else None,
            "high": base.high if base else None,
        }
        for key in values:
            if getattr(self, key) is not None:
                values[key] = getattr(self, key)
        return values

    def replace(self, **changes: Any) -> "RunConfig":
        return validate(dataclasses.replace(self, **changes))


FIELDS = {f.name: f for f in dataclasses.fields(RunConfig)}
_INT = {"multiplicity", "width", "depth", "input_dim", "n", "data_seed", "steps", "seed",
        "snapshot_every", "log_every", "watch_step"}
_FLOAT = {"init_std", "init_gamma", "low", "high", "lr"}
_BOOL = {"residual"}
_CHOICES = {"optimizer": OPTIMIZERS, "loss": tuple(LOSSES), "device": DEVICES, "dtype": DTYPES,
            "sampling": SAMPLINGS}
_RANGES: dict[str, tuple[float, float]] = {
    "multiplicity": (1, 9), "width": (1, 100_000), "depth": (1, 32), "input_dim": (1, 10_000),
    "n": (1, 10_000_000), "steps": (0, 1_000_000_000), "snapshot_every": (1, 1_000_000),
    "log_every": (1, 1_000_000), "init_std": (1e-12, 100.0), "init_gamma": (-5.0, 10.0),
    "lr": (1e-12, 100.0), "seed": (0, 2**63 - 1), "data_seed": (0, 2**63 - 1),
    "watch_step": (0, 1_000_000_000),
}


# -- real data (issue 6): types, ranges and choices of the fields above ---------------------------
_INT |= {"batch_size", "epochs", "lr_drop_epoch", "backbone_width", "fc_layer", "n_test"}
_FLOAT |= {"lr_drop_to"}
_BOOL |= {"augment", "wants_gpu"}
_RANGES.update({"batch_size": (1, 10_000_000), "epochs": (0, 1_000_000), "lr_drop_epoch": (0, 1_000_000),
                "lr_drop_to": (1e-12, 100.0), "backbone_width": (1, 1024), "fc_layer": (0, 32),
                "n_test": (1, 10_000_000)})
_CHOICES["fc_init"] = tuple(FC_INITS)
_CHOICES["mnist_target"] = MNIST_TARGETS
_DEEP_ONLY = {"batch_size": None, "epochs": None, "lr_drop_epoch": None, "lr_drop_to": None,
              "fc_init": "std", "backbone_width": 64, "fc_layer": 1, "n_test": None, "augment": False}


def _validate_real_data(config: RunConfig) -> None:
    """Checks for data read from files (the files themselves are checked when a run loads them)."""
    for key in ("target", "input_dim", "low", "high"):
        if getattr(config, key) is not None:
            raise ConfigError(f"{key} does not apply to data {config.data!r} (read from files); remove it")
    if config.data != "mnist" and config.mnist_target != "digit":
        raise ConfigError(f"mnist_target applies to data 'mnist' only; remove it for data {config.data!r}")
    if config.data not in DEEP_DATA:
        for key, default in _DEEP_ONLY.items():
            if getattr(config, key) != default:
                raise ConfigError(f"{key} applies to data 'cifar10' only; remove it for data {config.data!r}")
        return
    if config.batch_size is None:
        raise ConfigError("data 'cifar10' trains in mini-batches: set batch_size (the paper uses 128)")
    if config.residual:
        raise ConfigError("residual does not apply to the cifar10 FC head; remove it")
    if config.fc_layer > config.depth:
        raise ConfigError(f"fc_layer = {config.fc_layer} but the FC head has {config.depth} hidden "
                          f"layers; choose 1 to {config.depth}, or 0 for all")
    if (config.lr_drop_epoch is None) != (config.lr_drop_to is None):
        raise ConfigError("set lr_drop_epoch and lr_drop_to together (e.g. 60 and 1e-4)")


def _check_type(key: str, value: Any) -> Any:
    if value is None and key in FIELDS and FIELDS[key].default is None:
        return None
    if key in _BOOL:
        if not isinstance(value, bool):
            raise ConfigError(f"{key} must be true or false, got {value!r}")
        return value
    if key in _INT:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            raise ConfigError(f"{key} must be a whole number, got {value!r}")
        return value
    if key in _FLOAT:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{key} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ConfigError(f"{key} must be finite, got {value!r}")
        return float(value)
    if key == "activation":
        if isinstance(value, list):
            value = tuple(value)
        if isinstance(value, tuple):
            if not value or not all(isinstance(v, str) for v in value):
                raise ConfigError("activation must be a name or a list of names, one per hidden layer")
            return value
        if not isinstance(value, str):
            raise ConfigError(f"activation must be a name, got {value!r}")
        return value
    if key == "expect":
        if not isinstance(value, dict):
            raise ConfigError("expect must be a table")
        return value
    if key == "unstated":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError("unstated must be a list of key names")
        return tuple(value)
    if not isinstance(value, str):
        raise ConfigError(f"{key} must be text, got {value!r}")
    return value


def validate(config: RunConfig) -> RunConfig:
    """Check every value; return the config unchanged or raise one ConfigError."""
    for key in FIELDS:
        value = getattr(config, key)
        _check_type(key, value)
        if value is None or key not in _RANGES:
            continue
        low, high = _RANGES[key]
        if not low <= value <= high:
            raise ConfigError(f"{key} = {value} is out of range; allowed {low:g} to {high:g}")
    for key, choices in _CHOICES.items():
        if getattr(config, key) not in choices:
            raise ConfigError(f"{key} = {getattr(config, key)!r} is not one of {', '.join(choices)}")
    if config.init_std is None and config.init_gamma is None:
        raise ConfigError("set init_std or init_gamma")
    names = config.activations
    if len(names) != config.depth:
        raise ConfigError(
            f"activation lists {len(names)} names but depth is {config.depth}; give one per hidden layer"
        )
    for name in names:
        try:
            get_activation(name)
        except UnknownActivation as err:
            raise ConfigError(str(err)) from None
    if config.data in REAL_DATA:
        _validate_real_data(config)
    else:
        _validate_synthetic_data(config)
    from .analysis.expectation import check_expect  # the vocabulary lives beside its checks

    try:
        check_expect(config.expect, config.depth)
    except ValueError as err:
        raise ConfigError(str(err)) from None
    return config


def _validate_synthetic_data(config: RunConfig) -> None:
    if config.mnist_target != "digit":
        raise ConfigError(f"mnist_target applies to data 'mnist' only; remove it for data {config.data!r}")
    for key, default in _DEEP_ONLY.items():
        if getattr(config, key) != default:
            raise ConfigError(f"{key} applies to data 'cifar10' only; remove it for data {config.data!r}")
    if config.data != "custom" and config.data not in DATA_PRESETS:
        close = get_close_matches(config.data, [*DATA_PRESETS, *REAL_DATA], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(
            f"unknown data preset {config.data!r}{hint}; choose {', '.join([*DATA_PRESETS, *REAL_DATA])} "
            "or 'custom' with a target expression"
        )
    data = config.resolved_data()
    if data["target"] is None:
        raise ConfigError("data 'custom' needs a target expression, e.g. target = \"sin(3*x)\"")
    for key in ("input_dim", "n", "low", "high"):
        if data[key] is None:
            raise ConfigError(f"data 'custom' needs {key}")
    try:
        expression = parse_target(data["target"])
    except UnsafeExpression as err:
        raise ConfigError(str(err)) from None
    if expression.input_dim_needed > data["input_dim"]:
        raise ConfigError(
            f"target uses x{expression.input_dim_needed} but input_dim is {data['input_dim']}; "
            f"set input_dim to at least {expression.input_dim_needed}"
        )
    if not data["low"] < data["high"]:
        raise ConfigError(f"low ({data['low']}) must be below high ({data['high']})")
    if config.sampling == "grid" and data["input_dim"] != 1:
        raise ConfigError("sampling 'grid' needs input_dim 1; use sampling 'uniform'")


# -- presets and files ------------------------------------------------------------------------

def parse_toml_values(text: str, source: str) -> dict[str, Any]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{source}: TOML syntax error: {err}") from None
    return raw


def values_to_config(values: dict[str, Any], source: str, base: RunConfig | None = None) -> RunConfig:
    """Apply `values` (from a preset or flags) on top of `base`; unknown keys name the closest."""
    checked: dict[str, Any] = {}
    for key, value in values.items():
        if key not in FIELDS:
            close = get_close_matches(key, list(FIELDS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{source}: unknown key {key!r}{hint}")
        try:
            checked[key] = _check_type(key, value)
        except ConfigError as err:
            raise ConfigError(f"{source}: {err}") from None
    try:
        return validate(dataclasses.replace(base or RunConfig(), **checked))
    except ConfigError as err:
        raise ConfigError(f"{source}: {err}") from None


def presets_dir() -> Path:
    from importlib.resources import files

    return Path(str(files("condense_tui.presets")))


def preset_names() -> list[str]:
    return sorted(p.stem for p in presets_dir().glob("*.toml"))


def preset_path(name_or_path: str) -> Path:
    """A preset name from presets/, or a path to a TOML file (a run's config.toml works too)."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in name_or_path:
        if candidate.is_dir():
            candidate = candidate / "config.toml"
        if not candidate.is_file():
            raise ConfigError(f"preset file {str(candidate)!r} does not exist")
        return candidate
    path = presets_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        close = get_close_matches(name_or_path, preset_names(), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(
            f"unknown preset {name_or_path!r}{hint}; `condense-tui presets` lists them"
        )
    return path


def load_preset(name_or_path: str) -> RunConfig:
    path = preset_path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read preset {str(path)!r}: {err}") from None
    values = parse_toml_values(text, str(path))
    values.setdefault("name", path.stem if path.name != "config.toml" else path.parent.name)
    return values_to_config(values, str(path))


def config_to_toml(config: RunConfig) -> str:
    """Every field, fully resolved: loading the text back gives an equal RunConfig."""
    lines = ["# condense-tui run configuration (fully resolved; usable as --preset)"]
    tables: list[str] = []
    for key in FIELDS:
        value = getattr(config, key)
        if value is None:
            continue
        if key == "expect":
            if value:
                tables.append("\n[expect]")
                tables.extend(f"{k} = {_toml_value(v)}" for k, v in value.items())
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines + tables) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} to TOML")
