"""Memory sizes as users write them: a number of bytes, or "512M", "8G", "1.5GiB"."""

from __future__ import annotations

import re

from .errors import ConfigError

_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?", re.IGNORECASE)


def parse_memory(value: str | int) -> int:
    """Bytes in `value`; ConfigError naming the value when it is not a size (or not positive)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ConfigError(f"max_memory must be a size like 8G or 512M, got {value!r}")
    if isinstance(value, int):
        size = value
    else:
        match = _SIZE.fullmatch(value.strip())
        if match is None or len(value) > 40:
            raise ConfigError(f"max_memory = {value!r} is not a size; write bytes or e.g. 512M, 8G")
        size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if size < 1:
        raise ConfigError(f"max_memory = {value!r} must be at least 1 byte")
    return size
