"""An unpickler for CIFAR-10's python batches that builds only plain containers and NumPy arrays,
and only arrays of a bounded size.

A pickle can name no code here, but the few NumPy constructors a batch needs could still be asked
for huge arrays by a file of a hundred bytes: every constructor is wrapped to check the bytes it
would allocate (one array, and all of one file's arrays together) before it runs. Arrays filled
from the file's own bytes are bounded by the file's size, which the caller checks first.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable
from typing import Any, BinaryIO

import numpy as np


class PickleLimitError(pickle.UnpicklingError):
    """The pickle declares more than the limits allow (the message says what and which limit)."""


_RECONSTRUCT = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct")}
_FROMBUFFER = {("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer")}
_SCALAR = {("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar")}
# element types a batch may hold: plain integers, floats and booleans (no objects, no records)
_DTYPE_CODES = {f"{k}{s}" for k in "ui" for s in (1, 2, 4, 8)} | {"f4", "f8", "b1"}


class _NdarrayRef:
    """Stands for numpy.ndarray in a pickle: as _reconstruct's subtype it means ndarray; called
    (a REDUCE on the class) it builds one only within the limits."""

    def __init__(self, claim: Callable[[Any, Any], None]):
        self._claim = claim

    def __call__(self, shape: Any, dtype: Any = float, buffer: Any = None, offset: int = 0,
                 strides: Any = None, order: Any = None) -> np.ndarray:
        self._claim(shape, dtype)
        return np.ndarray(shape, dtype, buffer, offset, strides, order)


class BoundedArraysUnpickler(pickle.Unpickler):
    """Loads a pickle whose globals are only NumPy's array and dtype constructors (and the codec
    Python 3 uses for bytes at protocol 2); each array at most `array_limit` bytes, all arrays of
    one load at most `total_limit` bytes."""

    def __init__(self, file: BinaryIO, array_limit: int, total_limit: int):
        super().__init__(file, encoding="bytes")
        self.array_limit, self.total_limit = array_limit, total_limit
        self.declared = 0

    def claim(self, shape: Any, dtype: Any) -> None:
        """Count the bytes an array of this shape and dtype takes; refuse past a limit."""
        dims = (shape,) if isinstance(shape, int) else tuple(shape)
        if not all(isinstance(d, (int, np.integer)) and d >= 0 for d in dims):
            raise pickle.UnpicklingError(f"an array shape {dims!r} that is not whole numbers")
        size = math.prod(int(d) for d in dims) * np.dtype(dtype).itemsize  # exact: no wrap
        if size > self.array_limit:
            raise PickleLimitError(f"it declares a {'x'.join(map(str, dims))} array of {size} bytes, "
                                   f"over the {self.array_limit}-byte limit for one array")
        self.declared += size
        if self.declared > self.total_limit:
            raise PickleLimitError(f"its arrays declare {self.declared} bytes, over the "
                                   f"{self.total_limit}-byte limit for one file")

    def find_class(self, module: str, name: str) -> Any:
        key = (module, name)
        if key == ("numpy", "ndarray"):
            return _NdarrayRef(self.claim)
        if key in _RECONSTRUCT:
            return self._reconstruct
        if key in _FROMBUFFER:
            return self._frombuffer
        if key in _SCALAR:
            return self._scalar
        if key == ("numpy", "dtype"):
            return _dtype
        if key == ("_codecs", "encode"):
            return _latin1
        raise pickle.UnpicklingError(f"it refers to {module}.{name}, which a CIFAR batch never does")

    def _reconstruct(self, subtype: Any, shape: Any, dtype: Any) -> np.ndarray:
        if not isinstance(subtype, _NdarrayRef):
            raise pickle.UnpicklingError("it rebuilds an array of a type other than numpy.ndarray")
        dtype = _dtype(dtype)
        self.claim(shape, dtype)
        # the BUILD that follows (ndarray.__setstate__) checks its raw bytes against its shape
        return np.ndarray(shape, dtype)

    def _frombuffer(self, buf: Any, dtype: Any, shape: Any, order: Any) -> np.ndarray:
        self.claim(shape, dtype)
        return np.frombuffer(buf, dtype=dtype).reshape(shape, order=order)

    def _scalar(self, dtype: Any, raw: bytes | None = None) -> Any:
        dtype = np.dtype(dtype)
        if dtype.kind not in "uifb" or not isinstance(raw, bytes) or len(raw) != dtype.itemsize:
            raise pickle.UnpicklingError("a NumPy scalar that is not a plain number")
        return np.frombuffer(raw, dtype=dtype)[0]


def _dtype(spec: Any, align: Any = False, copy: Any = False) -> np.dtype:
    """numpy.dtype for plain number types only ("b": int8, the placeholder _reconstruct gets)."""
    code = spec.decode("latin1") if isinstance(spec, bytes) else spec
    if isinstance(spec, np.dtype):
        code = spec.str
    if not isinstance(code, str) or (code.lstrip("<>|=") not in _DTYPE_CODES and code != "b"):
        raise pickle.UnpicklingError(f"an element type {spec!r} that is not a plain number type")
    return np.dtype(code)


def _latin1(text: Any, encoding: Any = "utf-8") -> bytes:
    if not isinstance(text, str) or encoding != "latin1":
        raise pickle.UnpicklingError("a codec call other than the latin1 bytes encoding")
    return text.encode("latin1")
