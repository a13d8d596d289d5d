"""Full-batch optimizers over one flat parameter buffer: a few whole-buffer operations a step.

Adam follows torch.optim.Adam's arithmetic (bias corrections on the host, so no sync). On torch
it uses torch's own fused in-place kernels (lerp_, addcmul_, addcdiv_), which matter on a GPU
where each operation is a kernel launch; on NumPy the same update takes ten ufunc calls
writing into preallocated buffers.
"""

from __future__ import annotations

import math
from typing import Protocol
from collections.abc import Callable

import numpy as np

from .backend import Array, Backend
from .names import OPTIMIZERS



class Optimizer(Protocol):
    def apply(self, params: Array, grad: Array) -> None: ...

    def reset(self) -> None: ...


class GradientDescent:
    def __init__(self, backend: Backend, size: int, lr: float):
        self.lr = lr
        self.ops = backend.ops
        self._lr = self.ops.const(lr)
        self._step = backend.zeros(size)

    def apply(self, params: Array, grad: Array) -> None:
        self.ops.mul(grad, self._lr, out=self._step)
        self.ops.sub(params, self._step, out=params)

    def reset(self) -> None:
        pass


class Adam:
    apply: Callable[[Array, Array], None]  # bound per backend in __init__: no dispatch per step

    def __init__(self, backend: Backend, size: int, lr: float, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.backend = backend
        self.ops = backend.ops
        self.first = backend.zeros(size)
        self.second = backend.zeros(size)
        self._work = backend.zeros(size)
        self.t = 0
        self._constants = (self.ops.const(beta1), self.ops.const(beta2), self.ops.const(eps))
        self.apply = self._apply_torch if backend.name == "torch" else self._numpy_step()

    def _apply_torch(self, params: Array, grad: Array) -> None:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        self.first.lerp_(grad, 1 - b1)
        self.second.mul_(b2).addcmul_(grad, grad, value=1 - b2)
        step_size = self.lr / (1 - b1**self.t)
        root_correction = math.sqrt(1 - b2**self.t)
        denom = self.ops.sqrt(self.second, out=self._work)
        denom.div_(root_correction).add_(self.eps)
        params.addcdiv_(self.first, denom, value=-step_size)

    def _numpy_step(self) -> Callable[[Array, Array], None]:
        """Adam in ten NumPy calls. Both moments are kept divided by (1 - beta), which turns
        each moving average into one multiply and one add; the factors and the bias corrections
        fold into two per-step scalars of the denominator (0-d arrays, rewritten in place):
            params -= first' / (sqrt(second') * root + shift)
        with root = sqrt((1 - b2) / bc2) * bc1 / (lr (1 - b1)) and shift = eps * bc1 / (lr (1 - b1))."""
        ops, (b1, b2, _) = self.ops, self._constants
        mul, add, sqrt, div, sub = ops.mul, ops.add, ops.sqrt, ops.div, ops.sub
        first, second, work = self.first, self.second, self._work
        root, shift = (np.zeros((), dtype=self.backend.dtype) for _ in range(2))
        beta1, beta2, lr, eps = self.beta1, self.beta2, self.lr, self.eps

        def apply(params: Array, grad: Array) -> None:
            self.t += 1
            scale = (1 - beta1**self.t) / (lr * (1 - beta1))
            root[()] = math.sqrt((1 - beta2) / (1 - beta2**self.t)) * scale
            shift[()] = eps * scale
            mul(first, b1, out=first)
            add(first, grad, out=first)
            mul(grad, grad, out=work)
            mul(second, b2, out=second)
            add(second, work, out=second)
            sqrt(second, out=work)
            mul(work, root, out=work)
            add(work, shift, out=work)
            div(first, work, out=work)
            sub(params, work, out=params)

        return apply

    def reset(self) -> None:
        self.first[...] = 0
        self.second[...] = 0
        self.t = 0

    def sqrt_second_moment(self) -> dict[str, float] | None:
        """How sqrt(v_hat), the denominator Adam adds eps to, compares with eps over all parameters:
        its median, 10th and 90th percentiles, the fraction of parameters where it is below eps, and
        eps itself. None before the first update. For publish time only: it copies the moment to the host."""
        if self.t == 0:
            return None
        second = np.asarray(self.backend.to_numpy(self.second), dtype=np.float64)
        if self.backend.name != "torch":
            second = second * (1 - self.beta2)  # the NumPy path keeps v / (1 - beta2)
        root = np.sqrt(second / (1 - self.beta2**self.t))
        q10, median, q90 = np.quantile(root, (0.1, 0.5, 0.9))
        return {"median": float(median), "q10": float(q10), "q90": float(q90),
                "below_eps": float(np.mean(root < self.eps)), "eps": self.eps}


def make_optimizer(name: str, backend: Backend, size: int, lr: float) -> Optimizer:
    if name == "adam":
        return Adam(backend, size, lr)
    if name == "gd":
        return GradientDescent(backend, size, lr)
    if name == "flow":
        raise ValueError("the flow optimizer integrates the model's gradient: build engine.flow.GradientFlow")
    raise ValueError(f"unknown optimizer {name!r}; choose {' or '.join(OPTIMIZERS)}")
