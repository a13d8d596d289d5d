"""Moved to condense_tui.store.jsonsafe (the run store writes JSON too); kept for old imports."""

from __future__ import annotations

from ..store.jsonsafe import dumps, jsonable

__all__ = ["dumps", "jsonable"]
