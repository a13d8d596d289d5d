"""Full-batch optimizers over one flat parameter buffer: a few whole-buffer operations a step.

Adam follows torch.optim.Adam's arithmetic exactly (bias corrections on the host, so no sync).
"""

from __future__ import annotations

import math
from typing import Protocol

from .backend import Array, Backend

OPTIMIZERS = ("adam", "gd")


class Optimizer(Protocol):
    def apply(self, params: Array, grad: Array) -> None: ...

    def reset(self) -> None: ...


class GradientDescent:
    def __init__(self, lr: float):
        self.lr = lr

    def apply(self, params: Array, grad: Array) -> None:
        params -= self.lr * grad

    def reset(self) -> None:
        pass


class Adam:
    def __init__(self, backend: Backend, size: int, lr: float, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.first = backend.zeros(size)
        self.second = backend.zeros(size)
        self.backend = backend
        self.t = 0

    def apply(self, params: Array, grad: Array) -> None:
        self.t += 1
        self.first *= self.beta1
        self.first += (1 - self.beta1) * grad
        self.second *= self.beta2
        self.second += (1 - self.beta2) * (grad * grad)
        denom = self.backend.sqrt(self.second)
        denom *= 1.0 / math.sqrt(1 - self.beta2**self.t)
        denom += self.eps
        params -= (self.lr / (1 - self.beta1**self.t)) * (self.first / denom)

    def reset(self) -> None:
        self.first[...] = 0
        self.second[...] = 0
        self.t = 0


def make_optimizer(name: str, backend: Backend, size: int, lr: float) -> Optimizer:
    if name == "adam":
        return Adam(backend, size, lr)
    if name == "gd":
        return GradientDescent(lr)
    raise ValueError(f"unknown optimizer {name!r}; choose {' or '.join(OPTIMIZERS)}")
