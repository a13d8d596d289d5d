"""The IDX format (MNIST's): a magic number naming the element type and rank, big-endian uint32
sizes, then the elements in row-major order. Files may be gzipped.

Nothing is read or inflated on trust: the header's declared size is checked against a cap and
against what the file can hold before the elements are read, and a gzip stream is inflated only up
to the declared size plus one byte, so a small file that inflates to gigabytes, or a huge sparse
file, costs no more than the cap.
"""

from __future__ import annotations

import gzip
import io
import math
import zlib
from pathlib import Path
from typing import Protocol

import numpy as np

# element type code -> big-endian NumPy dtype
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
# The most element bytes one IDX file may declare. MNIST's largest file holds 60000 x 28 x 28 =
# 47 MB; EMNIST-sized files fit too.
MAX_IDX_BYTES = 1 << 30
# Deflate cannot shrink data by more than about 1032:1, so a gzip of c bytes holds at most this
# many times c bytes once inflated.
DEFLATE_MAX_RATIO = 1032


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...

    def readinto(self, buffer: memoryview, /) -> int | None: ...


class IdxError(ValueError):
    """The bytes are not a well-formed IDX file (the message says what is wrong)."""


def _describe(count: int) -> str:
    return f"{count} bytes ({count / 2**20:.1f} MiB)" if count >= 2**20 else f"{count} bytes"


def _read_exact(stream: Readable, count: int) -> bytes:
    parts, left = [], count
    while left > 0:
        part = stream.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _fill(stream: Readable, out: np.ndarray) -> int:
    """Read into out's bytes until full or end of stream; the number of bytes read."""
    view, got = out.data.cast("B"), 0
    while got < len(view):
        n = stream.readinto(view[got:])
        if not n:
            break
        got += n
    return got


def _header(stream: Readable, want: int | None) -> tuple[np.dtype, tuple[int, ...], int]:
    """(element dtype, declared shape, header length) from the start of an IDX stream whose magic
    number must be `want` when given."""
    magic = _read_exact(stream, 4)
    if len(magic) < 4:
        raise IdxError(f"only {len(magic)} bytes, shorter than the 4-byte magic number")
    if want is not None and int.from_bytes(magic, "big") != want:
        raise IdxError(f"magic number 0x{magic.hex()}, expected 0x{want:08x}")
    zero, code, rank = magic[:2], magic[2], magic[3]
    if zero != b"\x00\x00" or code not in IDX_TYPES:
        raise IdxError(f"magic number 0x{magic.hex()} is not an IDX header")
    header = 4 + 4 * rank
    sizes = _read_exact(stream, 4 * rank)
    if len(sizes) < 4 * rank:
        raise IdxError(f"header cut short ({4 + len(sizes)} bytes, {header} needed for rank {rank})")
    shape = tuple(int.from_bytes(sizes[4 * i: 4 * i + 4], "big") for i in range(rank))
    return np.dtype(IDX_TYPES[code]), shape, header


def read_idx_stream(stream: Readable, can_hold: int, limit: int = MAX_IDX_BYTES,
                    magic: int | None = None, exact: bool = False) -> np.ndarray:
    """Decode an IDX stream. can_hold: the most bytes (header included) the source can contain,
    or (exact) the bytes it holds. The declared size is checked (in exact integers: no 64-bit
    wrap) before any element is read, and at most declared + 1 bytes are read."""
    dtype, shape, header = _header(stream, magic)
    dims = "x".join(map(str, shape)) or "a scalar"
    expected = math.prod(shape) * dtype.itemsize
    if expected > limit:
        raise IdxError(f"header declares {dims} elements of {dtype.itemsize} byte(s) = "
                       f"{_describe(expected)}, over the {_describe(limit)} limit for this file")
    if header + expected > can_hold:
        raise IdxError(f"truncated: header says {dims} elements ({header + expected} bytes), "
                       f"more than the file can hold ({_describe(can_hold)} at most)")
    if exact and header + expected < can_hold:
        raise IdxError(f"too long: header says {dims} elements ({header + expected} bytes), "
                       f"file has {can_hold} bytes")
    values = np.empty(shape, dtype=dtype)
    got = _fill(stream, values)
    if got < expected:
        raise IdxError(f"truncated: header says {dims} elements ({header + expected} bytes), "
                       f"file has {header + got} bytes")
    if stream.read(1):
        raise IdxError(f"too long: header says {dims} elements ({header + expected} bytes), "
                       "file has more")
    return values.astype(dtype.newbyteorder("="), copy=False)


def parse_idx(raw: bytes, limit: int = MAX_IDX_BYTES) -> np.ndarray:
    """Decode IDX bytes; every size is checked against the data actually present."""
    return read_idx_stream(io.BytesIO(raw), len(raw), limit, exact=True)


def read_idx(path: Path, magic: int | None = None, limit: int = MAX_IDX_BYTES) -> np.ndarray:
    """The array in an IDX file (whose magic number must be `magic` when given), gunzipped with a
    capped inflate when its name ends in .gz. OSError when the file cannot be read; IdxError when
    it is malformed or declares more than `limit` bytes."""
    size = path.stat().st_size  # a sparse file's apparent size: checked, never read whole
    if path.suffix != ".gz":
        with path.open("rb") as f:
            return read_idx_stream(f, size, limit, magic, exact=True)
    try:
        with gzip.open(path, "rb") as f:
            return read_idx_stream(f, size * DEFLATE_MAX_RATIO, limit, magic)
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise IdxError(f"not a complete gzip file ({err or 'cut short'})") from None
