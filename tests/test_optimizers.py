"""Adam and gradient descent on the flat buffer equal torch.optim, step by step."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from condense_tui.engine.backend import resolve_backend
from condense_tui.engine.optimizers import make_optimizer

DEVICES = ["cpu", "torch-cpu"]  # NumPy, and the torch path on the CPU


def quadratic(size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A gradient that depends on the parameters: g = A p - c with A positive definite."""
    rng = np.random.default_rng(seed)
    m = rng.normal(size=(size, size))
    return m @ m.T / size + np.eye(size), rng.normal(size=size)


def run_engine(name: str, device: str, p0: np.ndarray, lr: float, steps: int,
               dtype: str = "float64") -> list[np.ndarray]:
    backend = resolve_backend(device, dtype)
    a, c = quadratic(len(p0), 1)
    opt = make_optimizer(name, backend, len(p0), lr)
    params = backend.asarray(p0)
    grad = backend.zeros(len(p0))
    seen = []
    for _ in range(steps):
        p = backend.to_numpy(params).astype(np.float64)
        grad[...] = backend.asarray(a @ p - c)
        opt.apply(params, grad)
        seen.append(backend.to_numpy(params))
    return seen


def run_torch(name: str, p0: np.ndarray, lr: float, steps: int) -> list[np.ndarray]:
    a, c = quadratic(len(p0), 1)
    param = torch.nn.Parameter(torch.tensor(p0))
    opt = torch.optim.Adam([param], lr=lr) if name == "adam" else torch.optim.SGD([param], lr=lr)
    seen = []
    for _ in range(steps):
        opt.zero_grad()
        param.grad = torch.tensor(a) @ param.detach() - torch.tensor(c)
        opt.step()
        seen.append(param.detach().numpy().copy())
    return seen


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name,lr", [("adam", 0.05), ("adam", 1e-3), ("gd", 0.1)])
def test_optimizer_equals_torch_optim_over_20_steps(device: str, name: str, lr: float) -> None:
    p0 = np.random.default_rng(0).normal(size=37)
    ours = run_engine(name, device, p0, lr, 20)
    theirs = run_torch(name, p0, lr, 20)
    for step, (mine, want) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(mine, want, rtol=1e-12, atol=1e-14, err_msg=f"step {step + 1}")
    assert not np.allclose(ours[-1], p0)  # it moved


@pytest.mark.parametrize("device", DEVICES)
def test_adam_reset_starts_over(device: str) -> None:
    backend = resolve_backend(device, "float64")
    opt = make_optimizer("adam", backend, 4, 0.1)
    grad = backend.asarray(np.array([1.0, -2.0, 0.5, 0.0]))

    def two_steps() -> np.ndarray:
        params = backend.asarray(np.ones(4))
        opt.apply(params, grad)
        opt.apply(params, grad)
        return backend.to_numpy(params)

    first = two_steps()
    opt.reset()
    np.testing.assert_array_equal(two_steps(), first)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", ["adam", "gd"])
def test_float32_updates_stay_float32(device: str, name: str) -> None:
    p0 = np.random.default_rng(5).normal(size=11)
    ours = run_engine(name, device, p0, 1e-2, 5, dtype="float32")
    theirs = run_torch(name, p0, 1e-2, 5)
    assert ours[-1].dtype == np.float32
    np.testing.assert_allclose(ours[-1], theirs[-1], rtol=1e-5, atol=1e-6)
