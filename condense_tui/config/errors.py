"""The one error type of the config package."""

from __future__ import annotations


class ConfigError(ValueError):
    """Bad configuration: the message is one line a user can act on."""
