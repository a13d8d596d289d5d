"""Append-only `.npy` files: one fixed-size record per row, so a reader can tell how many rows
have landed from the file size alone, and a row cut short by a kill is simply not counted.

The header has a fixed length (HEADER_BYTES) and is rewritten in place with the current row count
now and then and at the end, so `np.load` of a finished file sees every row and of a killed one
sees every row up to the last header update; `read_rows` counts from the size and sees them all.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

HEADER_BYTES = 256  # magic, version, length and the padded dict; a multiple of numpy's 64
_MAGIC = b"\x93NUMPY\x01\x00"


def npy_header(dtype: np.dtype, shape: tuple[int, ...]) -> bytes:
    fields = {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False, "shape": shape}
    text = repr(fields).encode("latin1")
    room = HEADER_BYTES - len(_MAGIC) - 2 - 1
    if len(text) > room:
        raise ValueError(f"npy header too long for {dtype} {shape}")
    body = text + b" " * (room - len(text)) + b"\n"
    return _MAGIC + len(body).to_bytes(2, "little") + body


class AppendStream:
    """Rows of one shape and dtype appended to `path`; each append is one write() of whole rows."""

    def __init__(self, path: Path, dtype: np.dtype, row_shape: tuple[int, ...]):
        self.path, self.dtype, self.row_shape = path, np.dtype(dtype), tuple(row_shape)
        self.rows = 0
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        self._write(npy_header(self.dtype, (0, *self.row_shape)))

    def _write(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:  # a short write (signal, nearly full disk) goes on where it stopped
            view = view[os.write(self._fd, view):]

    def append(self, rows: np.ndarray) -> None:
        block = np.ascontiguousarray(rows, dtype=self.dtype)
        if block.shape[1:] != self.row_shape:
            raise ValueError(f"{self.path.name}: row shape {block.shape[1:]} is not {self.row_shape}")
        self._write(block.data.cast("B"))
        self.rows += len(block)

    def sync_header(self) -> None:
        """Write the current row count into the header, through a second descriptor: on Linux a
        pwrite to an O_APPEND descriptor appends instead of writing at the offset."""
        header = npy_header(self.dtype, (self.rows, *self.row_shape))
        fd = os.open(self.path, os.O_WRONLY)
        try:
            os.pwrite(fd, header, 0)
        finally:
            os.close(fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def read_rows(path: Path, memmap: bool = True) -> np.ndarray:
    """Every complete row of an append-only npy file (or any plain npy file), counted from the size;
    a memory map unless memmap is False."""
    with open(path, "rb") as handle:
        version = np.lib.format.read_magic(handle)
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        shape, fortran, dtype = read_header(handle)
        offset = handle.tell()
        size = os.fstat(handle.fileno()).st_size
    if fortran:
        raise ValueError(f"{path.name}: Fortran-ordered arrays are not a run-store stream")
    row_shape = tuple(shape[1:])
    row_bytes = dtype.itemsize * int(np.prod(row_shape, dtype=np.int64))
    count = (size - offset) // row_bytes if row_bytes else 0
    if count == 0:
        return np.zeros((0, *row_shape), dtype)
    if memmap:
        return np.memmap(path, dtype, mode="r", offset=offset, shape=(count, *row_shape))
    with open(path, "rb") as handle:
        handle.seek(offset)
        return np.fromfile(handle, dtype, count * int(np.prod(row_shape, dtype=np.int64))).reshape(
            count, *row_shape)
