"""TOML in and out: preset values parsed with tomllib, run configs written with tomli-w.

Every failure is one ConfigError line naming the source (deeply nested arrays included).
"""

from __future__ import annotations

import dataclasses
import tomllib
from difflib import get_close_matches
from typing import Any

import tomli_w

from .checks import check_type
from .errors import ConfigError
from .fields import field_table
from .run_config import RunConfig

HEADER = "# condense-tui run configuration (fully resolved; usable as --preset)\n"


def parse_toml_values(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{source}: TOML syntax error: {err}") from None
    except RecursionError:
        raise ConfigError(f"{source}: TOML nests arrays or tables too deeply to read; flatten it") from None


def values_to_config(values: dict[str, Any], source: str, base: RunConfig | None = None) -> RunConfig:
    """Apply `values` (from a preset or flags) on top of `base`; unknown keys name the closest."""
    table = field_table(RunConfig)
    checked: dict[str, Any] = {}
    for key, value in values.items():
        if key not in table:
            close = get_close_matches(key, list(table), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{source}: unknown key {key!r}{hint}")
        try:
            checked[key] = check_type(table[key], value)
        except ConfigError as err:
            raise ConfigError(f"{source}: {err}") from None
    try:
        return dataclasses.replace(base, **checked) if base is not None else RunConfig(**checked)
    except ConfigError as err:
        raise ConfigError(f"{source}: {err}") from None


def config_to_toml(config: RunConfig) -> str:
    """Every field, fully resolved: loading the text back gives an equal RunConfig."""
    values: dict[str, Any] = {}
    for key in field_table(type(config)):
        value = getattr(config, key)
        if value is None or (key == "expect" and not value):
            continue
        values[key] = list(value) if isinstance(value, tuple) else value
    expect = values.pop("expect", None)
    if expect is not None:
        values["expect"] = expect  # a table goes after the plain keys
    return HEADER + tomli_w.dumps(values)
