"""Run configuration: the field table, RunConfig, validation, precedence rules, presets, TOML.

`from condense_tui.config import RunConfig, validate, load_preset, ConfigError, ...` is the API.
Names load on first use (PEP 562) so that the CLI can read the field table for `--help` without
importing the engine (NumPy): the table itself needs only the dataclass.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .checks import check_field, check_type, validate
    from .errors import ConfigError
    from .face import MARKERS, TuiOptions
    from .fields import Field, Setting, field_table
    from .memory import parse_memory
    from .presets import (
        check_path_text,
        load_preset,
        preset_names,
        preset_path,
        presets_dir,
    )
    from .rules import PARTNERS, contradictions, settle
    from .run_config import DEVICES, DTYPES, LOSSES, RunConfig
    from .toml_io import config_to_toml, parse_toml_values, values_to_config

    FIELDS: dict[str, Field]

_HOMES = {
    "errors": ("ConfigError",),
    "face": ("MARKERS", "TuiOptions"),
    "fields": ("Field", "Setting", "field_table"),
    "memory": ("parse_memory",),
    "presets": ("check_path_text", "load_preset", "preset_names", "preset_path", "presets_dir"),
    "rules": ("PARTNERS", "contradictions", "settle"),
    "run_config": ("DEVICES", "DTYPES", "LOSSES", "RunConfig"),
    "toml_io": ("config_to_toml", "parse_toml_values", "values_to_config"),
    "checks": ("check_field", "check_type", "validate"),
}
_WHERE = {name: module for module, names in _HOMES.items() for name in names}
__all__ = [
    "DEVICES", "DTYPES", "FIELDS", "LOSSES", "MARKERS", "PARTNERS", "ConfigError", "Field", "RunConfig",
    "Setting", "TuiOptions", "check_field", "check_path_text", "check_type", "config_to_toml",
    "contradictions", "field_table", "load_preset", "parse_memory", "parse_toml_values", "preset_names",
    "preset_path", "presets_dir", "settle", "validate", "values_to_config",
]


def __getattr__(name: str) -> Any:
    if name == "FIELDS":
        from .fields import field_table
        from .run_config import RunConfig

        return field_table(RunConfig)
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'condense_tui.config' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
