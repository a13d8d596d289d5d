"""The IDX format (MNIST's): a magic number naming the element type and rank, big-endian uint32
sizes, then the elements in row-major order. Files may be gzipped."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

# element type code -> big-endian NumPy dtype
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


class IdxError(ValueError):
    """The bytes are not a well-formed IDX file (the message says what is wrong)."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when its name ends in .gz."""
    if path.suffix != ".gz":
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as err:  # BadGzipFile is an OSError
        raise IdxError(f"not a complete gzip file ({err})") from None


def parse_idx(raw: bytes) -> np.ndarray:
    """Decode IDX bytes; every size is checked against the data actually present."""
    if len(raw) < 4:
        raise IdxError(f"only {len(raw)} bytes, shorter than the 4-byte magic number")
    zero, code, rank = raw[:2], raw[2], raw[3]
    if zero != b"\x00\x00" or code not in IDX_TYPES:
        raise IdxError(f"magic number 0x{raw[:4].hex()} is not an IDX header")
    header = 4 + 4 * rank
    if len(raw) < header:
        raise IdxError(f"header cut short ({len(raw)} bytes, {header} needed for rank {rank})")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank))
    dtype = np.dtype(IDX_TYPES[code])
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) != expected:
        word = "truncated" if len(raw) < expected else "too long"
        raise IdxError(f"{word}: header says {'x'.join(map(str, shape))} elements ({expected} bytes), "
                       f"file has {len(raw)} bytes")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))
