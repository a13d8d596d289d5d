"""The fast training step: loss and closed-form gradients of K networks in few array operations.

No autograd graph, no per-step host synchronisation (the loss stays on the device until someone
logs it), and no allocation: every intermediate lives in a buffer made once and each operation
writes into one with `out=`. On these small networks a step costs what its operations cost to
dispatch (~0.5 us each in NumPy), so the count is kept low:
- each hidden layer's input carries a trailing row of ones, so the bias is one more column of W
  (as in the paper) and a layer is one product forward and one backward;
- for one hidden layer the output weights fold into the gradient as a rank-1 factor, which trades
  an (m, n) product for an (m, d + 1) one;
- activations compute value and slope in place (activations.py);
- a single NumPy network drops the replica axis and multiplies with np.dot, which dispatches in
  a third of np.matmul's time on 2-D operands.
Tests hold these gradients to torch autograd and to finite differences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .activations import Activation
from .backend import Array, Backend, Ops
from .network import Architecture, ParameterLayout


def _expand(a: Array, replicas: int) -> Array:
    """A read-only (K, *a.shape) view of a."""
    if isinstance(a, np.ndarray):
        return np.broadcast_to(a, (replicas, *a.shape))
    return a.expand(replicas, *a.shape)


class _Layer:
    """Buffers of one hidden layer: pre-activation/value z (K, m, n), three scratch arrays, and,
    below the top, `extended`: the value with a row of ones under it, the next layer's input."""

    def __init__(self, backend: Backend, replicas: int, width: int, n: int, with_ones: bool,
                 view: Callable[[Array], Array]):
        if with_ones:
            extended = backend.zeros(replicas, width + 1, n)
            extended[:, width, :] = 1
            self.extended = view(extended)
            self.z = view(extended[:, :width, :])
        else:
            self.extended = None
            self.z = view(backend.zeros(replicas, width, n))
        self.scratch = tuple(view(backend.zeros(replicas, width, n)) for _ in range(3))
        self.slope = self.scratch[0]

    def activate(self, act: Activation, backend: Backend, ops: Ops) -> None:
        """z <- sigma(z); self.slope <- sigma'(z)."""
        if act.in_place is not None:
            self.slope = act.in_place(self.z, self.scratch, ops)
            return
        value, slope = act.value_and_slope(self.z, backend)
        self.z[...] = value
        self.slope = self.scratch[0]
        self.slope[...] = slope

    def activation(self, act: Activation, backend: Backend, ops: Ops) -> Callable[[], Array]:
        """A zero-argument activate() that returns the slope buffer."""
        if act.in_place is not None:
            in_place, z, scratch = act.in_place, self.z, self.scratch
            return lambda: in_place(z, scratch, ops)

        def activate() -> Array:
            self.activate(act, backend, ops)
            return self.slope

        return activate

    def spare(self) -> Array:
        """A scratch buffer that does not hold the slope."""
        return next(s for s in self.scratch if s is not self.slope)


class NetworkBatch:
    """K networks of one architecture on one data set; flat parameters and gradients."""

    def __init__(self, arch: Architecture, backend: Backend, inputs_with_bias: np.ndarray,
                 targets: np.ndarray, replicas: int, loss_scale: float):
        self.arch = arch
        self.backend = backend
        self.ops = ops = backend.ops
        self.layout = ParameterLayout(arch, replicas)
        n = inputs_with_bias.shape[0]
        k = replicas
        self.inputs = backend.asarray(inputs_with_bias)  # (n, d + 1)
        self.inputs_t = backend.asarray(np.ascontiguousarray(inputs_with_bias.T))  # (d + 1, n)
        self.targets = backend.asarray(targets)  # (n,)
        self.loss_scale = loss_scale  # R = loss_scale / n * sum e^2: 1/2 (paper) or 1 (MSE)
        self.flat = backend.zeros(self.layout.size)
        self.grad = backend.zeros(self.layout.size)
        self.weights, self.output = self.layout.views(self.flat)
        self._grad_weights, self._grad_output = self.layout.views(self.grad)
        self.loss = backend.zeros(k)

        # The step works on views made here; one NumPy network works on 2-D views with np.dot.
        single = backend.name == "numpy" and k == 1
        view: Callable[[Array], Array] = (lambda a: a[0]) if single else (lambda a: a)
        self._matmul = np.dot if single else ops.matmul
        # torch's matmul rejects a strided out= when broadcasting a 2-D operand: give it 3-D ones
        self._x_t = self.inputs_t if single else _expand(self.inputs_t, k)
        self._x = self.inputs if single else _expand(self.inputs, k)
        top = arch.depth - 1
        self._layers = [_Layer(backend, k, m, n, layer < top, view)
                        for layer, m in enumerate(arch.widths)]
        self._skips = [arch.has_skip(layer) for layer in range(arch.depth)]
        self._w = [view(w) for w in self.weights]
        self._w_t = [view(w[..., :-1].mT) for w in self.weights]  # (K, in, m), bias dropped
        self._gw = [view(g) for g in self._grad_weights]
        self._a_row = view(self.output[:, None, :])  # (K, 1, m)
        self._a_col = view(self.output[:, :, None])  # (K, m, 1)
        self._ga_col = view(self._grad_output[:, :, None])
        error = backend.zeros(k, n)  # f, then e = f - y in place
        self._error, self._error_row = error, view(error[:, None, :])
        dloss = backend.zeros(k, n)  # g = dR/df = coef * e
        self._dloss, self._dloss_col, self._dloss_row = dloss, view(dloss[:, :, None]), view(
            dloss[:, None, :])
        self._loss_out = view(self.loss[:, None, None])
        self._grad_coef = ops.const(2.0 * loss_scale / n)
        self._half = ops.const(0.5)  # R = (e . g) / 2
        if arch.depth == 1:
            self._scaled_inputs = view(backend.zeros(k, n, inputs_with_bias.shape[1]))  # g_i x_i
            # The paper's networks: a straight-line step, everything bound in a closure.
            self.loss_and_gradient = self._shallow_step()  # type: ignore[method-assign]

    def load(self, flat: np.ndarray) -> None:
        self.flat[...] = self.backend.asarray(flat)

    def loss_and_gradient(self) -> Array:
        """Fill self.grad for the current parameters; return the (K,) losses, still on device.

        The losses live in a buffer that the next call overwrites: copy them to keep them.
        """
        ops, b, mm = self.ops, self.backend, self._matmul
        layers, weights, skips = self._layers, self._w, self._skips
        below = self._x_t
        for layer, act in enumerate(self.arch.activations):
            work = layers[layer]
            mm(weights[layer], below, out=work.z)
            work.activate(act, b, ops)
            if skips[layer]:
                ops.add(work.z, layers[layer - 1].z, out=work.z)
            below = work.extended
        h = layers[-1].z
        error, dloss = self._error, self._dloss
        mm(self._a_row, h, out=self._error_row)
        ops.sub(error, self.targets, out=error)
        ops.mul(error, self._grad_coef, out=dloss)
        mm(self._error_row, self._dloss_col, out=self._loss_out)
        ops.mul(self.loss, self._half, out=self.loss)
        mm(h, self._dloss_col, out=self._ga_col)
        self._backward()
        return self.loss

    def _shallow_step(self) -> Callable[[], Array]:
        """loss_and_gradient for one hidden layer, with no attribute lookups or loops: on small
        networks Python's share of a step is worth cutting."""
        ops, mm, work = self.ops, self._matmul, self._layers[0]
        mul, sub = ops.mul, ops.sub
        activate = work.activation(self.arch.activations[0], self.backend, ops)
        w, x_t, x, z, targets = self._w[0], self._x_t, self.inputs, work.z, self.targets
        a_row, a_col, ga_col, gw = self._a_row, self._a_col, self._ga_col, self._gw[0]
        error, error_row, dloss, dloss_col = self._error, self._error_row, self._dloss, self._dloss_col
        loss, loss_out, coef, half, scaled = self.loss, self._loss_out, self._grad_coef, self._half, self._scaled_inputs

        def loss_and_gradient() -> Array:
            mm(w, x_t, out=z)
            slope = activate()
            mm(a_row, z, out=error_row)  # f
            sub(error, targets, out=error)  # e
            mul(error, coef, out=dloss)  # g = dR/df
            mm(error_row, dloss_col, out=loss_out)
            mul(loss, half, out=loss)  # R = (e . g) / 2
            mm(z, dloss_col, out=ga_col)
            # dR/dW = a * (sigma'(Z) @ (g x)): the (m, n) product with a folds into a (m, d+1) one
            mul(dloss_col, x, out=scaled)
            mm(slope, scaled, out=gw)
            mul(gw, a_col, out=gw)
            return loss

        loss_and_gradient.__doc__ = NetworkBatch.loss_and_gradient.__doc__
        return loss_and_gradient

    def _backward(self) -> None:
        """Hidden layers top-down; dz of each layer overwrites its slope buffer."""
        ops, mm, layers, skips = self.ops, self._matmul, self._layers, self._skips
        top = len(layers) - 1
        dz = layers[top].slope
        ops.mul(dz, self._dloss_row, out=dz)
        ops.mul(dz, self._a_col, out=dz)
        dh_above = None
        for layer in range(top, 0, -1):
            below = layers[layer - 1]
            mm(dz, below.extended.mT, out=self._gw[layer])
            dh = below.spare()
            mm(self._w_t[layer], dz, out=dh)
            if skips[layer]:  # h_l = sigma(z_l) + h_(l-1): dR/dh_l flows straight down too
                if dh_above is None:
                    ops.add(dh, self._dloss_row * self._a_col, out=dh)
                else:
                    ops.add(dh, dh_above, out=dh)
            dh_above = dh
            dz = below.slope
            ops.mul(dz, dh, out=dz)
        mm(dz, self._x, out=self._gw[0])
