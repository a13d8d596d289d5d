"""Defaults every face shares, importable without loading the rest of the config package."""
from __future__ import annotations

DEFAULT_PRESET = "fig6-x2tanh"  # a fast 1-D preset: every face starts here when no preset is given
