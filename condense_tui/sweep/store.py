"""The sweep store: sweep.toml (the definition), rows.jsonl and rows.csv, one line per finished run.

Rows are appended and flushed as points finish; nothing is rewritten, so an interrupted sweep
keeps every finished row, and --resume reads the point ids back to skip them.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

from .rows import ROW_KEYS
from .spec import SweepError, SweepSpec, load_sweep

DEFINITION, JSONL, CSV = "sweep.toml", "rows.jsonl", "rows.csv"


def csv_cell(value: Any) -> str:
    """Lists per layer as 'a;b', settings as k=v pairs, None as empty."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ";".join(csv_cell(v) for v in value)
    return str(value)


def finite(value: Any) -> Any:
    """Non-finite floats (a diverged loss) as None: JSON has no NaN."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def _finished_keys(path: Path) -> set[str]:
    """Point ids of the complete rows; a torn last line (a kill mid-write) is cut off."""
    if not path.exists():
        return set()
    data = path.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    if len(whole) != len(data):
        with path.open("r+b") as handle:
            handle.truncate(len(whole))
    keys = set()
    for line in whole.decode("utf-8").splitlines():
        if line.strip():
            keys.add(json.loads(line)["point"])
    return keys


class SweepStore:
    def __init__(self, out: Path, spec: SweepSpec | None, resume: bool, force: bool = False):
        """Open DIR for a new sweep (spec given; DIR empty unless force) or, with resume, the sweep
        DIR already holds (spec None: read from sweep.toml)."""
        self.out = out
        definition = out / DEFINITION
        if resume:
            if not definition.is_file():
                raise SweepError(f"--resume: {out} holds no {DEFINITION} (start the sweep with --out {out})")
            self.spec = load_sweep(str(definition))
            if spec is not None and spec.to_toml() != self.spec.to_toml():
                raise SweepError(f"--resume: {out}/{DEFINITION} defines another sweep (drop the axes "
                                 "and flags, the definition is read from the store)")
            self.done = _finished_keys(out / JSONL)
        else:
            assert spec is not None
            if out.exists() and any(out.iterdir()) and not force:
                raise SweepError(f"--out {out} is not empty (resume it with --resume, or pass --force)")
            out.mkdir(parents=True, exist_ok=True)
            for name in (JSONL, CSV):
                (out / name).unlink(missing_ok=True)
            definition.write_text(spec.to_toml(), encoding="utf-8")
            self.spec = spec
            self.done = set()
        self._trim_csv(out / CSV)
        new_csv = not (out / CSV).exists() or (out / CSV).stat().st_size == 0
        self._jsonl = (out / JSONL).open("a", encoding="utf-8")
        self._csv = (out / CSV).open("a", encoding="utf-8", newline="")
        if new_csv:
            self._write_csv(list(ROW_KEYS))

    @staticmethod
    def _trim_csv(path: Path) -> None:
        if path.exists():
            data = path.read_bytes()
            end = data.rfind(b"\n") + 1
            if end != len(data):
                with path.open("r+b") as handle:
                    handle.truncate(end)

    def _write_csv(self, cells: list[str]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(cells)
        self._csv.write(buffer.getvalue())
        self._csv.flush()

    def append(self, row: dict[str, Any]) -> None:
        self._jsonl.write(json.dumps(finite(row), allow_nan=False) + "\n")
        self._jsonl.flush()
        os.fsync(self._jsonl.fileno())
        self._write_csv([csv_cell(row.get(key)) for key in ROW_KEYS])
        self.done.add(row["point"])

    def close(self) -> None:
        self._jsonl.close()
        self._csv.close()


def read_rows(out: Path) -> list[dict[str, Any]]:
    """The finished rows of a sweep store, in the order they finished."""
    path = out / JSONL
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
