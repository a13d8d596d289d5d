"""The run store writer: every file appended or replaced whole, so any kill leaves it readable.

Cost per snapshot is constant (a few write() calls on append-only streams; no file is rewritten
and nothing kept per snapshot), and every completed snapshot is on disk before the next one
starts. The layout is in layout.py.
"""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..config import RunConfig, config_to_toml
from .jsonsafe import dumps
from .layout import (
    CONFIG,
    FILES,
    INITIAL,
    LOSSES,
    METRICS,
    NPZ,
    OUTPUT,
    STEPS,
    STREAMS,
    SUMMARY,
    TMP_SUFFIX,
    layer_file,
    snapshot_key,
)
from .lock import Locked, WriterLock, live_writer
from .npystream import AppendStream, read_rows

if TYPE_CHECKING:
    from ..engine.snapshot import Snapshot

HEADER_SYNC_S = 1.0  # how often the stream headers get the row count (np.load of a killed run)
LOSS_ROW = np.dtype([("step", "<i8"), ("loss", "<f8")])


class StoreError(ValueError):
    """The output directory cannot be used; the message says why and what to do."""


def check_out_dir(path: Path, force: bool) -> None:
    """Refuse a directory we must not or cannot write, before anything is written."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"--out {str(path)!r} is a file, not a directory; choose another path")
    if path.is_dir():
        pid = live_writer(path)
        if pid is not None:
            raise StoreError(f"--out {str(path)!r} is being written by another run (pid {pid}); wait "
                             "for it to end or choose another directory")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise StoreError(f"--out {str(path)!r} is not empty; add --force to overwrite it or choose "
                         "another directory")
    existing = path if path.exists() else next((p for p in path.parents if p.exists()), None)
    if existing is None or not os.access(existing, os.W_OK | os.X_OK):
        raise StoreError(f"--out {str(path)!r} is not writable; choose a directory you can write to")


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """write(tmp) then rename over path: readers see the old file or the whole new one."""
    tmp = path.with_name(path.name + TMP_SUFFIX)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _clear(path: Path) -> None:
    """--force: remove our files (and half-written ones), leave anything else alone."""
    for name in FILES:
        target = path / name
        if name == STREAMS and target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif name != "writer.lock":
            target.unlink(missing_ok=True)
        (path / (name + TMP_SUFFIX)).unlink(missing_ok=True)


class RunStore:
    def __init__(self, path: Path, config: RunConfig, force: bool = False):
        check_out_dir(path, force)
        self.path = path
        try:
            path.mkdir(parents=True, exist_ok=True)
            self._lock = WriterLock(path)
        except Locked as err:
            raise StoreError(f"--out {str(path)!r} is being written by another run (pid {err.args[0]}); "
                             "wait for it to end or choose another directory") from None
        except OSError as err:
            raise StoreError(f"cannot write to --out {str(path)!r}: {err.strerror or err}") from None
        try:
            _clear(path)
            write_atomic(path / CONFIG, lambda tmp: tmp.write_text(config_to_toml(config), "utf-8"))
            self._metrics = os.open(path / METRICS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND,
                                    0o644)
            (path / STREAMS).mkdir()
            self._losses = AppendStream(path / LOSSES, LOSS_ROW, ())
        except OSError as err:
            self._lock.release()
            raise StoreError(f"cannot write to --out {str(path)!r}: {err.strerror or err}") from None
        self._streams: list[AppendStream] = []  # layer1.., output, then steps (the commit mark)
        self.last_step: int | None = None
        self.snapshots = 0
        self._synced = time.monotonic()

    # -- during the run --------------------------------------------------------------------------
    def append(self, record: dict[str, Any]) -> None:
        """One JSONL record."""
        self.append_lines([dumps(record)])

    def append_lines(self, lines: list[str]) -> None:
        """JSONL lines already serialised, in one write(): a kill leaves at most a last line
        without its newline, which readers skip."""
        data = memoryview("".join(line + "\n" for line in lines).encode("utf-8"))
        while data:
            data = data[os.write(self._metrics, data):]

    def add_losses(self, steps: np.ndarray, losses: np.ndarray) -> None:
        rows = np.empty(len(steps), LOSS_ROW)
        rows["step"], rows["loss"] = steps, losses
        self._losses.append(rows)

    def add_snapshot(self, snapshot: Snapshot, replica: int = 0) -> None:
        """Append one snapshot's weights of one network: each hidden layer's input weights (bias
        last) and the output weights. A step already stored is skipped."""
        if self.last_step is not None and snapshot.step <= self.last_step:
            return
        arrays = [w[replica] for w in snapshot.layers] + [snapshot.output[replica]]
        if not self._streams:
            self._open_streams(snapshot, replica, arrays)
        for stream, array in zip(self._streams, arrays):
            stream.append(array[None])
        self._streams[-1].append(np.array([snapshot.step], np.int64))  # the row counts from here on
        self.last_step = snapshot.step
        self.snapshots += 1
        if time.monotonic() - self._synced >= HEADER_SYNC_S:
            self._sync_headers()

    def _open_streams(self, snapshot: Snapshot, replica: int, arrays: list[np.ndarray]) -> None:
        streams = self.path / STREAMS
        initial = {f"layer{i}": w[replica] for i, w in enumerate(snapshot.initial_layers, start=1)}
        initial["output"] = snapshot.initial_output[replica]
        write_atomic(streams / INITIAL, lambda tmp: _save_npz(tmp, initial))
        names = [layer_file(i) for i in range(1, len(arrays))] + [OUTPUT]
        self._streams = [AppendStream(streams / name, a.dtype, a.shape) for name, a in zip(names, arrays)]
        self._streams.append(AppendStream(streams / STEPS, np.dtype(np.int64), ()))

    def _sync_headers(self) -> None:
        for stream in (*self._streams, self._losses):
            stream.sync_header()
        self._synced = time.monotonic()

    # -- at the end ------------------------------------------------------------------------------
    def write_summary(self, summary: dict[str, Any]) -> None:
        """The row counts into the stream headers, then summary.json: the run is complete on disk."""
        self._sync_headers()
        write_atomic(self.path / SUMMARY,
                     lambda tmp: tmp.write_text(dumps(summary, indent=2) + "\n", encoding="utf-8"))

    def write_npz(self) -> None:
        """snapshots.npz, the consolidated copy in the earlier format (a redundant copy: the
        streams hold the same arrays), one entry at a time from the streams."""
        self._write_npz()

    def _write_npz(self) -> None:
        """The consolidated copy in the earlier format, one entry at a time from the streams."""
        def write(tmp: Path) -> None:
            columns = [read_rows(stream.path) for stream in self._streams]
            steps = np.asarray(columns[-1]) if columns else np.zeros(0, np.int64)
            names = [f"layer{i}" for i in range(1, len(columns) - 1)] + ["output"]
            headers = [_npy_header(column[0]) for column in columns[:-1] if len(column)]
            with zipfile.ZipFile(tmp, "w", allowZip64=True) as archive:
                for i, step in enumerate(steps.tolist()):
                    for name, header, column in zip(names, headers, columns):
                        archive.writestr(snapshot_key(step, name) + ".npy", header + column[i].tobytes())
                archive.writestr("steps.npy", _npy_header(steps) + steps.tobytes())
        write_atomic(self.path / NPZ, write)

    def close(self) -> None:
        """Close every file and release the lock (the process ending does the same)."""
        for stream in (*self._streams, self._losses):
            stream.close()
        if self._metrics >= 0:
            os.close(self._metrics)
            self._metrics = -1
        self._lock.release()


def _npy_header(array: np.ndarray) -> bytes:
    """The .npy header of `array` (C order), for entries written as header + raw bytes."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, np.lib.format.header_data_from_array_1_0(
        np.ascontiguousarray(array)))
    return buffer.getvalue()


def _save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]  # numpy's stub types **kwds as allow_pickle
