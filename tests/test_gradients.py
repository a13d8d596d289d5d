"""The fast step's losses and gradients equal torch autograd and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from condense_tui.engine.activations import activation_names, get_activation
from condense_tui.engine.backend import Backend, resolve_backend
from condense_tui.engine.gradients import NetworkBatch
from condense_tui.engine.network import Architecture, forward

BACKENDS = ["cpu", "torch-cpu"]  # devices: NumPy and the torch path on the CPU
ACTIVATIONS = sorted(set(activation_names()) | {"x3tanh"})


def random_case(rng: np.random.Generator) -> dict:
    depth = int(rng.integers(1, 4))
    if rng.random() < 0.5:
        widths = (int(rng.integers(1, 7)),) * depth  # equal widths: residual links are live
    else:
        widths = tuple(int(w) for w in rng.integers(1, 7, size=depth))
    return {
        "input_dim": int(rng.integers(1, 4)),
        "widths": widths,
        "activations": tuple(str(a) for a in rng.choice(ACTIVATIONS, size=depth)),
        "residual": bool(rng.random() < 0.5),
        "replicas": int(rng.integers(1, 4)),
        "n": int(rng.integers(2, 10)),
        "loss_scale": float(rng.choice([0.5, 1.0])),
    }


def build(case: dict, device: str, rng: np.random.Generator, dtype: str = "float64"):
    arch = Architecture(case["input_dim"], case["widths"],
                        tuple(get_activation(a) for a in case["activations"]), case["residual"])
    x = rng.uniform(-1.5, 1.5, size=(case["n"], case["input_dim"]))
    x_bias = np.concatenate([x, np.ones((case["n"], 1))], axis=1)
    y = rng.normal(size=case["n"])
    batch = NetworkBatch(arch, resolve_backend(device, dtype), x_bias, y, case["replicas"],
                         case["loss_scale"])
    return batch, x_bias, y


def autograd_loss_and_gradient(batch: NetworkBatch, flat: np.ndarray, x_bias: np.ndarray,
                               y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reference: the plain forward pass on torch tensors, differentiated by autograd."""
    backend = Backend("torch", "cpu", "float64")
    params = torch.tensor(flat, dtype=torch.float64, requires_grad=True)
    weights, output = batch.layout.views(params)
    inputs_t = torch.tensor(np.ascontiguousarray(x_bias.T))
    f = forward(batch.arch, backend, weights, output, inputs_t)
    losses = batch.loss_scale / len(y) * ((f - torch.tensor(y)) ** 2).sum(-1)
    (grad,) = torch.autograd.grad(losses.sum(), params)
    return losses.detach().numpy(), grad.numpy()


def engine_loss_and_gradient(batch: NetworkBatch, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    batch.load(flat)
    losses = batch.backend.to_numpy(batch.loss_and_gradient())
    return losses, batch.backend.to_numpy(batch.grad)


@pytest.mark.parametrize("device", BACKENDS)
@pytest.mark.parametrize("seed", range(12))
def test_gradients_equal_autograd_on_random_configurations(device: str, seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    case = random_case(rng)
    batch, x_bias, y = build(case, device, rng)
    # Two parameter points in a row: buffers reused by the second call must not leak the first.
    for _ in range(2):
        flat = rng.normal(0.0, 0.7, size=batch.layout.size)
        want_loss, want_grad = autograd_loss_and_gradient(batch, flat, x_bias, y)
        loss, grad = engine_loss_and_gradient(batch, flat)
        np.testing.assert_allclose(loss, want_loss, rtol=1e-10, atol=1e-12, err_msg=str(case))
        np.testing.assert_allclose(grad, want_grad, rtol=1e-9, atol=1e-11, err_msg=str(case))


@pytest.mark.parametrize("device", BACKENDS)
def test_every_activation_and_residual_depth_three(device: str) -> None:
    """All registry activations appear at every depth position at least once."""
    rng = np.random.default_rng(7)
    for i, name in enumerate(ACTIVATIONS):
        acts = (name, ACTIVATIONS[(i + 1) % len(ACTIVATIONS)], name)
        case = {"input_dim": 2, "widths": (4, 4, 4), "activations": acts, "residual": True,
                "replicas": 2, "n": 5, "loss_scale": 0.5}
        batch, x_bias, y = build(case, device, rng)
        flat = rng.normal(0.0, 0.7, size=batch.layout.size)
        want_loss, want_grad = autograd_loss_and_gradient(batch, flat, x_bias, y)
        loss, grad = engine_loss_and_gradient(batch, flat)
        np.testing.assert_allclose(loss, want_loss, rtol=1e-10, err_msg=name)
        np.testing.assert_allclose(grad, want_grad, rtol=1e-9, atol=1e-11, err_msg=name)


def test_gradients_equal_finite_differences() -> None:
    rng = np.random.default_rng(3)
    case = {"input_dim": 2, "widths": (3, 3), "activations": ("x2tanh", "tanh"), "residual": True,
            "replicas": 2, "n": 4, "loss_scale": 0.5}
    batch, _, _ = build(case, "cpu", rng)
    flat = rng.normal(0.0, 0.8, size=batch.layout.size)
    _, grad = engine_loss_and_gradient(batch, flat)
    h = 1e-6
    numeric = np.empty_like(flat)
    for i in range(len(flat)):
        up, down = flat.copy(), flat.copy()
        up[i] += h
        down[i] -= h
        loss_up, _ = engine_loss_and_gradient(batch, up)
        loss_down, _ = engine_loss_and_gradient(batch, down)
        numeric[i] = (loss_up.sum() - loss_down.sum()) / (2 * h)
    # central differences: truncation ~h^2, rounding ~1e-16 * loss / h, both far below 1e-6
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-7 * np.abs(grad).max())


@pytest.mark.parametrize("device", BACKENDS)
@pytest.mark.parametrize("activation", ["tanh", "x2tanh", "relu"])
def test_float32_step_stays_float32_and_agrees_with_float64(device: str, activation: str) -> None:
    rng = np.random.default_rng(11)
    case = {"input_dim": 3, "widths": (6,), "activations": (activation,), "residual": False,
            "replicas": 2, "n": 7, "loss_scale": 1.0}
    single, _, _ = build(case, device, np.random.default_rng(5), dtype="float32")
    double, _, _ = build(case, device, np.random.default_rng(5), dtype="float64")
    flat = rng.normal(0.0, 0.7, size=single.layout.size)
    loss32, grad32 = engine_loss_and_gradient(single, flat)
    loss64, grad64 = engine_loss_and_gradient(double, flat)
    assert loss32.dtype == np.float32 and grad32.dtype == np.float32
    np.testing.assert_allclose(loss32, loss64, rtol=1e-5)
    np.testing.assert_allclose(grad32, grad64, rtol=1e-4, atol=1e-6)


def test_single_network_path_equals_its_replica_in_a_batch() -> None:
    """One NumPy network runs on 2-D views with np.dot; it must match replica 0 of a batch."""
    case = {"input_dim": 2, "widths": (5,), "activations": ("x2tanh",), "residual": False,
            "replicas": 3, "n": 6, "loss_scale": 0.5}
    batch, _, _ = build(case, "cpu", np.random.default_rng(2))
    single, _, _ = build(dict(case, replicas=1), "cpu", np.random.default_rng(2))
    flat = np.random.default_rng(4).normal(0.0, 0.7, size=batch.layout.size)
    loss, grad = engine_loss_and_gradient(batch, flat)
    one = np.concatenate([block.reshape(3, -1)[0] for block in
                          (flat[a:b] for a, b, _ in batch.layout.slices)])
    loss1, grad1 = engine_loss_and_gradient(single, one)
    grad_first = np.concatenate([grad[a:b].reshape(3, -1)[0] for a, b, _ in batch.layout.slices])
    np.testing.assert_allclose(loss1, loss[:1], rtol=1e-12)
    np.testing.assert_allclose(grad1, grad_first, rtol=1e-12, atol=1e-15)
