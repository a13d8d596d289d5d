"""The fast training step: loss and closed-form gradients of K networks in few array operations.

No autograd graph, no per-step host synchronisation: the loss stays on the device until someone
logs it. Tests hold these gradients to torch autograd and to finite differences.
"""

from __future__ import annotations

import numpy as np

from .backend import Array, Backend
from .network import Architecture, ParameterLayout


class NetworkBatch:
    """K networks of one architecture on one data set; flat parameters and gradients."""

    def __init__(self, arch: Architecture, backend: Backend, inputs_with_bias: np.ndarray,
                 targets: np.ndarray, replicas: int, loss_scale: float):
        self.arch = arch
        self.backend = backend
        self.layout = ParameterLayout(arch, replicas)
        n = inputs_with_bias.shape[0]
        self.inputs = backend.asarray(inputs_with_bias)  # (n, d + 1)
        self.inputs_t = backend.asarray(np.ascontiguousarray(inputs_with_bias.T))  # (d + 1, n)
        self.targets = backend.asarray(targets)  # (n,)
        self.loss_scale = loss_scale  # R = loss_scale / n * sum e^2: 1/2 (paper) or 1 (MSE)
        self._loss_coef = loss_scale / n
        self._grad_coef = 2.0 * loss_scale / n
        self.flat = backend.zeros(self.layout.size)
        self.grad = backend.zeros(self.layout.size)
        self.weights, self.output = self.layout.views(self.flat)
        self._grad_weights, self._grad_output = self.layout.views(self.grad)

    def load(self, flat: np.ndarray) -> None:
        self.flat[...] = self.backend.asarray(flat)

    def loss_and_gradient(self) -> Array:
        """Fill self.grad for the current parameters; return the (K,) losses, still on device."""
        b, arch = self.backend, self.arch
        a = self.output
        hidden: list[Array] = []
        slopes: list[Array] = []
        h = None
        for layer, (w, act) in enumerate(zip(self.weights, arch.activations)):
            z = b.matmul(w, self.inputs_t) if layer == 0 else b.matmul(w[..., :-1], h) + w[..., -1:]
            value, slope = act.value_and_slope(z, b)
            if arch.has_skip(layer):
                value = value + h
            hidden.append(value)
            slopes.append(slope)
            h = value
        error = b.matmul(a[:, None, :], h)[:, 0, :] - self.targets  # (K, n)
        losses = (error * error).sum(-1) * self._loss_coef
        g = error * self._grad_coef  # dR/df
        self._grad_output[...] = b.matmul(h, g[:, :, None])[:, :, 0]

        top = arch.depth - 1
        if top == 0:
            # dR/dW = a * (sigma'(Z) @ (g x)): skips one (m, n) product
            self._grad_weights[0][...] = b.matmul(slopes[0], g[:, :, None] * self.inputs) * a[:, :, None]
            return losses
        dz = slopes[top] * g[:, None, :]
        dz *= a[:, :, None]
        for layer in range(top, -1, -1):
            gw = self._grad_weights[layer]
            if layer == 0:
                gw[...] = b.matmul(dz, self.inputs)
                break
            below = hidden[layer - 1]
            gw[..., :-1] = b.matmul(dz, below.mT)
            gw[..., -1] = dz.sum(-1)
            dh = b.matmul(self.weights[layer][..., :-1].mT, dz)
            if arch.has_skip(layer):
                dh += dh_above if layer < top else (g[:, None, :] * a[:, :, None])
            dh_above = dh
            dz = dh * slopes[layer - 1]
        return losses
