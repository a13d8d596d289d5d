"""Presets: TOML subsets of RunConfig shipped in presets/, or any TOML file (a run's config.toml)."""

from __future__ import annotations

import sys
from difflib import get_close_matches
from pathlib import Path

from .errors import ConfigError
from .run_config import RunConfig
from .toml_io import parse_toml_values, values_to_config

NAME_MAX = 255  # bytes in one path component on the file systems we run on



def presets_dir() -> Path:
    from importlib.resources import files

    return Path(str(files("condense_tui.presets")))


def _shipped_dir() -> Path:
    """presets_dir as the package exports it, so that replacing `condense_tui.config.presets_dir`
    (tests point it at a folder of their own) moves every lookup."""
    return sys.modules[__package__ or "condense_tui.config"].presets_dir()


def preset_names() -> list[str]:
    return sorted(p.stem for p in _shipped_dir().glob("*.toml"))


def check_path_text(text: str, what: str) -> None:
    """Refuse an empty path or one with a component too long for a file system, in one line."""
    if not text.strip():
        raise ConfigError(f"{what} is empty; give a name or a path")
    for part in Path(text).parts:
        if len(part.encode("utf-8", "surrogateescape")) > NAME_MAX:
            raise ConfigError(f"{what} has a path component of {len(part)} characters, over the limit "
                              f"of {NAME_MAX} (shorten it)")


def preset_path(name_or_path: str) -> Path:
    """A preset name from presets/, or a path to a TOML file (a run's config.toml works too)."""
    check_path_text(name_or_path, "preset")
    candidate = Path(name_or_path)
    try:
        if candidate.suffix == ".toml" or candidate.exists() or "/" in name_or_path:
            if candidate.is_dir():
                candidate = candidate / "config.toml"
            if not candidate.is_file():
                raise ConfigError(f"preset file {str(candidate)!r} does not exist")
            return candidate
    except OSError as err:
        raise ConfigError(f"cannot read preset {name_or_path!r}: {err.strerror or err}") from None
    path = _shipped_dir() / f"{name_or_path}.toml"
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
