"""An activation written as an expression trains through the fast step, on NumPy and on torch,
and the step's gradients equal torch autograd's through the same network."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from condense_tui.engine.activations import get_activation
from condense_tui.engine.backend import Backend, resolve_backend
from condense_tui.engine.gradients import NetworkBatch
from condense_tui.engine.network import Architecture, forward
from condense_tui.engine.optimizers import make_optimizer

DEVICES = ["cpu", "torch-cpu"]  # NumPy, and the torch path that CUDA uses


def _batch(text: str, device: str, widths: tuple[int, ...] = (8,)) -> tuple[NetworkBatch, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    act = get_activation(text)
    arch = Architecture(1, widths, (act,) * len(widths))
    x = np.linspace(-1.0, 1.0, 16)[:, None]
    x_bias = np.concatenate([x, np.ones_like(x)], axis=1)
    y = np.sin(3 * x[:, 0])
    batch = NetworkBatch(arch, resolve_backend(device, "float64"), x_bias, y, 2, 0.5)
    batch.load(rng.normal(0.0, 0.5, size=batch.layout.size))
    return batch, x_bias, y


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("text", ["z**2*sin(z)", "sin(z)**2 + tanh(z)", "max(z, 0.1*z) + z**3"])
def test_step_gradients_equal_autograd(device, text):
    batch, x_bias, y = _batch(text, device, widths=(5, 4))
    flat = batch.backend.to_numpy(batch.flat)
    losses = batch.backend.to_numpy(batch.loss_and_gradient())
    grad = batch.backend.to_numpy(batch.grad)
    params = torch.tensor(flat, requires_grad=True)
    weights, output = batch.layout.views(params)
    f = forward(batch.arch, Backend("torch", "cpu", "float64"), weights, output,
                torch.tensor(np.ascontiguousarray(x_bias.T)))
    want = batch.loss_scale / len(y) * ((f - torch.tensor(y)) ** 2).sum(-1)
    (want_grad,) = torch.autograd.grad(want.sum(), params)
    np.testing.assert_allclose(losses, want.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(grad, want_grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("device", DEVICES)
def test_expression_activation_trains(device):
    batch, _, _ = _batch("z**2*sin(z) + tanh(z)", device)
    optimizer = make_optimizer("adam", batch.backend, batch.layout.size, 1e-2)
    first = batch.backend.to_numpy(batch.loss_and_gradient()).copy()
    for _ in range(300):
        batch.loss_and_gradient()
        optimizer.apply(batch.flat, batch.grad)
    last = batch.backend.to_numpy(batch.loss_and_gradient())
    assert np.all(np.isfinite(last))
    assert np.all(last < 0.2 * first)
