"""Validation derived from the field table, plus the checks that relate fields to each other.

Every error is a ConfigError naming the key, the value and what is allowed. Kept cheap (it runs
whenever a RunConfig is built) and free of heavy imports (no torch, no Textual).
"""

from __future__ import annotations

import math
from difflib import get_close_matches
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..engine.activations import UnknownActivation, get_activation
from ..engine.data import DATA_PRESETS
from ..engine.datasets import REAL_DATA
from ..engine.expressions import UnsafeExpression, parse_target
from .errors import ConfigError
from .fields import CIFAR10, MNIST, SYNTHETIC, Field, data_kind, field_table
from .memory import parse_memory

if TYPE_CHECKING:
    from .run_config import RunConfig

# every RunConfig built (each replace() too) checks its target: parse each text once
_parsed_target = lru_cache(maxsize=256)(parse_target)


def check_type(row: Field, value: Any) -> Any:
    """`value` in the field's type (whole floats become ints, lists tuples) or a ConfigError."""
    key = row.name
    if value is None and row.optional:
        return None
    if row.kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{key} must be true or false, got {value!r}")
        return value
    if row.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            raise ConfigError(f"{key} must be a whole number, got {value!r}")
        return value
    if row.kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{key} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ConfigError(f"{key} must be finite, got {value!r}")
        return float(value)
    if row.kind == "str":
        if not isinstance(value, str):
            raise ConfigError(f"{key} must be text, got {value!r}")
        return value
    return _check_named(key, value)


def _check_named(key: str, value: Any) -> Any:
    """The fields whose type is not a plain scalar."""
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
    if key == "max_memory":
        parse_memory(value)
        return value
    raise ConfigError(f"{key}: no type check declared")  # a new field of an unusual type


def check_field(row: Field, value: Any) -> Any:
    """Type, range and choices of one value (relations between fields are checked by validate)."""
    value = check_type(row, value)
    if value is None:
        return None
    if row.setting.range is not None:
        low, high = row.setting.range
        if not low <= value <= high:
            raise ConfigError(f"{row.name} = {value} is out of range; allowed {low:g} to {high:g}")
    choices = row.choices
    if choices and value not in choices:
        raise ConfigError(f"{row.name} = {value!r} is not one of {', '.join(choices)}")
    return value


def check_fields(settings: Any) -> None:
    """Check (and normalise in place, once, at construction) each field of a table dataclass."""
    for key, row in field_table(type(settings)).items():
        value = getattr(settings, key)
        checked = check_field(row, value)
        if checked is not value:
            object.__setattr__(settings, key, checked)


def validate(config: RunConfig) -> RunConfig:
    """Check every value (normalising types in place, once, at construction); return `config`."""
    check_fields(config)
    if config.init_std is None and config.init_gamma is None:
        raise ConfigError("set init_std or init_gamma")
    _check_activations(config)
    _check_kinds(config, field_table(type(config)))
    if config.data in REAL_DATA:
        _validate_real_data(config)
    else:
        _validate_synthetic_data(config)
    from ..analysis.expectation import (
        check_expect,  # the vocabulary lives beside its checks
    )

    try:
        check_expect(config.expect, config.depth)
    except ValueError as err:
        raise ConfigError(str(err)) from None
    return config


def _check_activations(config: RunConfig) -> None:
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


def _check_kinds(config: RunConfig, table: dict[str, Field]) -> None:
    """A field set away from its default for data it does not apply to is refused."""
    kind = data_kind(config.data)
    for key, row in table.items():
        kinds = row.setting.kinds
        if kind in kinds or getattr(config, key) == row.default:
            continue
        if len(kinds) == 1 and kinds != {SYNTHETIC}:
            only = next(iter(kinds))
            raise ConfigError(f"{key} applies to data {only!r} only; remove it for data {config.data!r}")
        files = " (read from files)" if kind in (MNIST, CIFAR10) and kinds == {SYNTHETIC} else ""
        raise ConfigError(f"{key} does not apply to data {config.data!r}{files}; remove it")


def _validate_real_data(config: RunConfig) -> None:
    """Checks for data read from files (the files themselves are checked when a run loads them)."""
    if config.data != CIFAR10:
        return
    if config.batch_size is None:
        raise ConfigError("data 'cifar10' trains in mini-batches: set batch_size (the paper uses 128)")
    if config.fc_layer > config.depth:
        raise ConfigError(f"fc_layer = {config.fc_layer} but the FC head has {config.depth} hidden "
                          f"layers; choose 1 to {config.depth}, or 0 for all")
    if (config.lr_drop_epoch is None) != (config.lr_drop_to is None):
        raise ConfigError("set lr_drop_epoch and lr_drop_to together (e.g. 60 and 1e-4)")


def _validate_synthetic_data(config: RunConfig) -> None:
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
        expression = _parsed_target(data["target"])
    except UnsafeExpression as err:
        raise ConfigError(str(err)) from None
    if expression.input_dim_needed > data["input_dim"]:
        raise ConfigError(
            f"target uses x{expression.input_dim_needed} but input_dim is {data['input_dim']}; "
            f"set input_dim to at least {expression.input_dim_needed}"
        )
    if not data["low"] < data["high"]:
        raise ConfigError(f"low ({data['low']}) must be below high ({data['high']})")
    if not math.isfinite(data["high"] - data["low"]):
        raise ConfigError(f"the domain {data['low']:g} to {data['high']:g} is wider than a float can hold; "
                          "narrow --low/--high")
    if config.sampling == "grid" and data["input_dim"] != 1:
        raise ConfigError("sampling 'grid' needs input_dim 1; use sampling 'uniform'")
