"""Subnormal floats with and without flush_denormals(): time of the same NumPy work, as a ratio.

x^2*tanh at a small init in float32 makes z^2 t subnormal. The script times that product on a
block of subnormal-producing inputs in one thread, first with IEEE gradual underflow (the default),
then after flush_denormals(), and prints both and their ratio.

    python benchmarks/bench_denormals.py
"""

from __future__ import annotations

import threading
import time

import numpy as np

from condense_tui.engine.denormals import flush_denormals, flushes, keep_denormals


def _work(z: np.ndarray, out: np.ndarray, repeats: int) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        np.tanh(z, out=out)
        np.multiply(out, z, out=out)
        np.multiply(out, z, out=out)  # z^2 tanh(z): ~1e-39 cubed -> subnormal or 0
    return time.perf_counter() - start


def main() -> None:
    z = np.random.default_rng(0).uniform(1e-14, 2e-13, size=(1000, 1000)).astype(np.float32)
    out = np.empty_like(z)
    result: dict[str, float | bool] = {}

    def run() -> None:
        keep_denormals()
        _work(z, out, 2)  # warm up
        result["ieee"] = _work(z, out, 20)
        result["subnormal_share"] = float(np.mean((out != 0) & (np.abs(out) < np.finfo(np.float32).tiny)))
        result["flushing"] = flush_denormals()
        result["flushed"] = _work(z, out, 20)
        result["zeros_after"] = float(np.mean(out == 0))
        result["check"] = flushes()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    print(f"subnormal share of results (IEEE): {result['subnormal_share']:.2f}")
    print(f"flush_denormals() in force: {result['flushing']}")
    print(f"IEEE gradual underflow: {result['ieee']:.3f} s")
    print(f"flushed (FTZ/DAZ):      {result['flushed']:.3f} s")
    print(f"ratio IEEE / flushed:   {result['ieee'] / result['flushed']:.1f}x")


if __name__ == "__main__":
    main()
