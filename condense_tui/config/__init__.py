"""Run configuration: the field table, RunConfig, validation, precedence rules, presets, TOML.

`from condense_tui.config import RunConfig, validate, load_preset, ConfigError, ...` is the API;
the submodules say where each part lives.
"""

from __future__ import annotations

from .errors import ConfigError
from .fields import Field, Setting, field_table
from .memory import parse_memory
from .presets import check_path_text, load_preset, preset_names, preset_path, presets_dir
from .rules import PARTNERS, contradictions, settle
from .run_config import DEVICES, DTYPES, LOSSES, RunConfig
from .toml_io import config_to_toml, parse_toml_values, values_to_config
from .validate import check_field, check_type, validate

FIELDS = field_table(RunConfig)

__all__ = [
    "DEVICES", "DTYPES", "FIELDS", "LOSSES", "PARTNERS", "ConfigError", "Field", "RunConfig", "Setting",
    "check_field", "check_path_text", "check_type", "config_to_toml", "contradictions", "field_table",
    "load_preset", "parse_memory", "parse_toml_values", "preset_names", "preset_path", "presets_dir",
    "settle", "validate", "values_to_config",
]
