"""Array backends: the training step is written once against this small surface.

NumPy runs the CPU path (its per-operation overhead is a fraction of torch eager's, and these
networks are small enough that overhead is the cost); torch runs CUDA and serves as the
autograd reference in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any

import numpy as np

Array = Any  # np.ndarray or torch.Tensor


class Ops:
    """The hot path's vocabulary: functions taking `out=`, bound once to NumPy or torch.

    The training step calls these directly (no branching per call), writing into buffers it
    allocated once, so a step allocates nothing. `out` may be one of the inputs except for matmul.
    Constants come from const(): for NumPy a 0-d array of the working dtype, which a ufunc takes
    in half the time of a Python float (whose NEP 50 promotion costs ~0.5 us per call).
    """

    matmul: Callable[..., Array]
    mul: Callable[..., Array]
    add: Callable[..., Array]
    sub: Callable[..., Array]
    div: Callable[..., Array]
    tanh: Callable[..., Array]
    sqrt: Callable[..., Array]

    def __init__(self, name: str, dtype: str):
        self.name, self.dtype = name, dtype
        self._constants: dict[float, Any] = {}
        if name == "numpy":
            self.matmul, self.mul, self.add = np.matmul, np.multiply, np.add
            self.sub, self.div, self.tanh, self.sqrt = np.subtract, np.divide, np.tanh, np.sqrt
        else:
            import torch

            self.matmul, self.mul, self.add = torch.matmul, torch.mul, torch.add
            self.sub, self.div, self.tanh, self.sqrt = torch.sub, torch.div, torch.tanh, torch.sqrt
        self.one = self.const(1.0)

    def const(self, value: float) -> Any:
        """A fixed scalar operand: 0-d array for NumPy (cached), a Python float for torch."""
        if self.name != "numpy":
            return float(value)
        if value not in self._constants:
            self._constants[value] = np.array(value, dtype=self.dtype)
        return self._constants[value]

    def one_minus(self, x: Array, out: Array) -> Array:
        return self.sub(self.one, x, out=out)


class DeviceUnavailable(ValueError):
    """The requested device does not exist on this machine."""


@dataclass(frozen=True)
class Backend:
    name: str  # "numpy" or "torch"
    device: str  # "cpu" or "cuda"
    dtype: str  # "float32" or "float64"

    @cached_property
    def ops(self) -> Ops:
        return Ops(self.name, self.dtype)

    # -- construction -----------------------------------------------------------------------
    @property
    def _torch(self) -> ModuleType:  # lazy: keeps `--help` and numpy-only paths light
        import torch

        return torch

    def asarray(self, values: np.ndarray | float) -> Array:
        values = np.asarray(values, dtype=self.dtype)
        if self.name == "numpy":
            return np.array(values, copy=True)
        return self._torch.as_tensor(values, device=self.device).clone()

    def zeros(self, *shape: int) -> Array:
        if self.name == "numpy":
            return np.zeros(shape, dtype=self.dtype)
        return self._torch.zeros(shape, dtype=getattr(self._torch, self.dtype), device=self.device)

    def to_numpy(self, x: Array) -> np.ndarray:
        """A host copy that shares nothing with the live array."""
        if self.name == "numpy":
            return np.array(x, copy=True)
        return x.detach().to("cpu").numpy().copy()

    # -- elementwise --------------------------------------------------------------------------
    def tanh(self, x: Array) -> Array:
        return np.tanh(x) if self.name == "numpy" else self._torch.tanh(x)

    def sqrt(self, x: Array) -> Array:
        return np.sqrt(x) if self.name == "numpy" else self._torch.sqrt(x)

    def softplus(self, x: Array) -> Array:
        if self.name == "numpy":
            # max(x, 0) + log1p(e^-|x|): no overflow for large |x|
            return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
        return self._torch.nn.functional.softplus(x)  # differentiable at 0, which autograd needs

    def positive(self, x: Array) -> Array:
        """1 where x > 0 else 0, in x's dtype."""
        if self.name == "numpy":
            return (x > 0).astype(x.dtype)
        return (x > 0).to(x.dtype)

    def matmul(self, a: Array, b: Array, out: Array | None = None) -> Array:
        if self.name == "numpy":
            return np.matmul(a, b, out=out)
        if out is None:
            return self._torch.matmul(a, b)
        return self._torch.matmul(a, b, out=out)


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        return False
    return bool(torch.cuda.is_available())


def resolve_backend(device: str, dtype: str, library: str = "numpy") -> Backend:
    """cpu -> `library` (NumPy or torch) on the CPU; cuda -> torch on the GPU whatever `library`
    says (NumPy has no GPU; the config refuses --backend numpy with --device cuda given together);
    auto -> cuda when present."""
    if library not in ("numpy", "torch"):
        raise DeviceUnavailable(f"unknown backend {library!r}; choose numpy or torch")
    if device == "auto":
        device = "cuda" if cuda_available() else "cpu"
    if device == "cuda":
        if not cuda_available():
            raise DeviceUnavailable(
                "device 'cuda' was asked for but no CUDA GPU is visible; use --device cpu or auto"
            )
        return Backend("torch", "cuda", dtype)
    if device == "cpu":
        return Backend(library, "cpu", dtype)
    if device == "torch-cpu":  # older spelling of --backend torch, kept for scripts and tests
        return Backend("torch", "cpu", dtype)
    raise DeviceUnavailable(f"unknown device {device!r}; choose cpu, cuda or auto")
