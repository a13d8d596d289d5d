"""flush_denormals() makes subnormal results 0 in the calling thread only."""

from __future__ import annotations

import platform
import sys
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from condense_tui.engine.denormals import flush_denormals, flushes, keep_denormals

SUPPORTED = (sys.platform.startswith("linux") and platform.machine() == "x86_64"
             and platform.libc_ver()[0] == "glibc")


def _in_thread(work: Callable[[], Any]) -> Any:
    """Run work() in a fresh thread: the flag is per thread, so the test runner's stays as it is."""
    result: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", work()))
    thread.start()
    thread.join()
    return result["value"]


@pytest.mark.skipif(not SUPPORTED, reason="FTZ/DAZ are set through glibc's fenv on x86-64 Linux only")
def test_subnormal_products_flush_to_zero_after_the_call():
    def work() -> tuple:
        keep_denormals()  # a new thread inherits its creator's setting: start from IEEE here
        small32 = np.array([1e-30], dtype=np.float32)  # normal; times 1e-10 it is subnormal
        before = (float((small32 * np.float32(1e-10))[0]), flushes())
        in_force = flush_denormals()
        after = (float((small32 * np.float32(1e-10))[0]), float((np.array([1e-300]) * 1e-10)[0]))
        subnormal_input = float((np.array([1e-310]) * 1e300)[0])  # DAZ: a subnormal operand reads as 0
        restored = keep_denormals()
        return before, in_force, after, subnormal_input, restored, flushes()

    before, in_force, after, subnormal_input, restored, flushing_at_end = _in_thread(work)
    assert before[0] > 0 and not before[1]  # IEEE gradual underflow by default
    assert in_force and after == (0.0, 0.0) and subnormal_input == 0.0
    assert restored and not flushing_at_end


@pytest.mark.skipif(not SUPPORTED, reason="FTZ/DAZ are set through glibc's fenv on x86-64 Linux only")
def test_the_setting_stays_in_its_thread():
    here = flushes()
    assert _in_thread(keep_denormals if here else flush_denormals)
    assert flushes() == here
    assert (float((np.array([1e-300]) * 1e-10)[0]) == 0.0) == here


def test_reports_what_is_in_force():
    in_force = _in_thread(lambda: (flush_denormals(), flushes()))
    assert in_force[0] == in_force[1]
