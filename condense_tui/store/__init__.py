"""The run store (--out DIR): an append-only writer and a reader for runs finished, killed or live."""

from __future__ import annotations

from .layout import FILES, snapshot_key
from .reader import RunReader, StoredRun, StoredSnapshots, read_run
from .writer import RunStore, StoreError

__all__ = ["FILES", "RunReader", "RunStore", "StoreError", "StoredRun", "StoredSnapshots", "read_run",
           "snapshot_key"]
