"""Flush subnormal floats to zero in the calling thread, without torch.

x^2*tanh at a small initialization drives float32 values into the subnormal range, where x86 CPUs
take a slow microcode path (about 5x here). The SSE control register (MXCSR) has two bits that
turn this off: FTZ (results that would be subnormal become 0) and DAZ (subnormal inputs read as 0).
On x86-64 glibc, fegetenv/fesetenv carry MXCSR in the last 4 bytes of the 32-byte fenv_t (after
the 28-byte x87 environment), so the bits are set by reading the environment, or-ing them in and
writing it back. (glibc's FE_DFL_DISABLE_SSE_DENORMS_ENV is not defined for x86-64: passing its
value -3 crashes.) The register is per thread, so call this at the start of the thread that trains;
NumPy's BLAS threads keep their own setting, as they did with torch.set_flush_denormal.
"""

from __future__ import annotations

import ctypes
import platform
import sys
from typing import Any

import numpy as np

_FENV_SIZE = 32  # sizeof(fenv_t) on x86-64 glibc
_MXCSR_OFFSET = 28  # offsetof(fenv_t, __mxcsr)
_FTZ_DAZ = 0x8040  # MXCSR bit 15 (flush to zero) and bit 6 (denormals are zero)


def _libm() -> Any | None:
    """libm's fegetenv/fesetenv where the fenv_t layout above holds (x86-64 Linux, glibc)."""
    if not (sys.platform.startswith("linux") and platform.machine() == "x86_64"
            and platform.libc_ver()[0] == "glibc"):
        return None
    try:
        libm = ctypes.CDLL("libm.so.6")
        for name in ("fegetenv", "fesetenv"):
            getattr(libm, name).argtypes = [ctypes.c_void_p]
            getattr(libm, name).restype = ctypes.c_int
    except (OSError, AttributeError):
        return None
    return libm


def flushes() -> bool:
    """Whether a subnormal result comes out as 0 in this thread right now."""
    tiny = np.array([1e-300], dtype=np.float64)
    return bool((tiny * np.float64(1e-10))[0] == 0.0)


def _set_bits(on: bool) -> bool:
    libm = _libm()
    if libm is None:
        return False
    env = ctypes.create_string_buffer(_FENV_SIZE)
    if libm.fegetenv(env) != 0:
        return False
    mxcsr = ctypes.c_uint32.from_buffer(env, _MXCSR_OFFSET)
    mxcsr.value = (mxcsr.value | _FTZ_DAZ) if on else (mxcsr.value & ~_FTZ_DAZ)
    return libm.fesetenv(env) == 0


def flush_denormals() -> bool:
    """Set FTZ and DAZ for this thread where the platform allows; True when flushing is in force."""
    if not flushes():
        _set_bits(True)
    return flushes()


def keep_denormals() -> bool:
    """Back to IEEE gradual underflow in this thread (the default); True when that is in force."""
    if flushes():
        _set_bits(False)
    return not flushes()
