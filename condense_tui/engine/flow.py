"""GradientFlow: the "flow" optimizer, an accurate integrator of d(theta)/dt = -grad R(theta).

The theory of condensation is stated for gradient flow; this integrates it with the embedded
Dormand-Prince 5(4) pair (first-same-as-last: six gradient evaluations per accepted sub-step) and
the usual error control, in float64 only (a float32 gradient is too coarse for the tolerance below,
so the model refuses a float32 backend and runs.build_controller upcasts: see `FLOW_DTYPE`).

One step of flow advances time by lr: the time one lr-step of gradient descent covers, so step
counts, watch steps and snapshot cadences read the same for flow and GD. Inside a step the
integrator takes as many adaptive sub-steps as the tolerance needs; the sub-step size carries over
from step to step. Each sub-step ends in a host sync (the accept/reject test), which an adaptive
integrator cannot avoid.

K replicas share one time grid: a sub-step is accepted when every replica's error passes, so each
replica is integrated to the tolerance (replica k equals a single run to within it, not bit for bit).
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np

from .backend import Array, Backend
from .network import ParameterLayout

FLOW_DTYPE = "float64"
RTOL = 1e-7  # per parameter, relative to its size ...
ATOL = 1e-12  # ... plus this absolute floor (init stds go down to 50^-4 = 1.6e-7)
MAX_SUBSTEPS = 100_000  # per step: more means the flow blew up (finite-time growth): reported as nan

# Dormand-Prince 5(4): nodes' weights A (stage i from stages < i), fifth-order weights B (= A's last
# row, which makes the seventh stage the gradient at the new point) and B - B* for the error.
_A = (
    (),
    (1 / 5,),
    (3 / 40, 9 / 40),
    (44 / 45, -56 / 15, 32 / 9),
    (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
    (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
    (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
)
_E = (71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40)


class GradientField(Protocol):
    """What the integrator needs of a model: live parameters, the gradient buffer and its evaluation."""

    backend: Backend
    layout: ParameterLayout
    flat: Array  # the parameters the gradient is evaluated at
    grad: Array  # filled by loss_and_gradient()
    loss: Array  # (K,) filled by loss_and_gradient()

    def loss_and_gradient(self) -> Array: ...


class GradientFlow:
    """advance(): one step (time lr) of gradient flow; leaves field.flat at the new point and
    field.grad/field.loss evaluated there (the invariant the training loop keeps for every optimizer)."""

    def __init__(self, field: GradientField, lr: float, rtol: float = RTOL, atol: float = ATOL):
        backend = field.backend
        if backend.dtype != FLOW_DTYPE:
            raise ValueError(f"gradient flow integrates in {FLOW_DTYPE}, not {backend.dtype} (use --dtype float64)")
        self.field, self.span, self.rtol, self.atol = field, lr, rtol, atol
        self.ops = backend.ops
        size = field.layout.size
        self._stages = [backend.zeros(size) for _ in range(7)]  # gradients g1..g7
        self._start = backend.zeros(size)
        self._work = backend.zeros(size)
        self._error = backend.zeros(size)
        self._numpy = backend.name == "numpy"
        self.reset()

    def reset(self) -> None:
        self.h = self.span  # first sub-step tried: the whole step
        self.time = 0.0
        self.substeps = self.rejected = self.evaluations = 0

    def apply(self, params: Array, grad: Array) -> None:
        """The Optimizer surface (params and grad must be the field's own buffers)."""
        assert params is self.field.flat and grad is self.field.grad
        self.advance()

    def advance(self) -> Array:
        """Integrate over time lr; returns the (K,) losses at the new point (still on device)."""
        field = self.field
        stages, start = self._stages, self._start
        start[...] = field.flat
        stages[0][...] = field.grad  # first-same-as-last: the gradient here is already known
        remaining, tries = self.span, 0
        while remaining > 0:
            tries += 1
            h = min(self.h, remaining)
            last = h >= remaining
            ratio = self._try(h)
            if ratio <= 1.0:
                self.substeps += 1
                self.time += h
                remaining = 0.0 if last else remaining - h
                start[...] = field.flat
                stages[0], stages[6] = stages[6], stages[0]
                grow = 5.0 if ratio == 0 else min(5.0, 0.9 * ratio ** -0.2)
                if not last or h == self.h:  # a sub-step clipped at the step's end does not shrink h
                    self.h = h * grow
            else:
                self.rejected += 1
                self.h = h * max(0.2, 0.9 * ratio ** -0.2) if math.isfinite(ratio) else h * 0.2
            if self.h < self.span * 1e-12 or tries > MAX_SUBSTEPS:
                field.flat[...] = start
                field.loss[...] = math.nan  # the controller stops the run here
                return field.loss
        return field.loss  # field.grad holds g7, the gradient at the new point

    def _try(self, h: float) -> float:
        """One Dormand-Prince sub-step of size h from self._start: field.flat <- the fifth-order point
        (its gradient in stage 7 and field.grad, its loss in field.loss); returns the error ratio
        (<= 1: accept), restoring field.flat to the start when it rejects."""
        field, ops, stages, work = self.field, self.ops, self._stages, self._work
        flat, start = field.flat, self._start
        for i in range(1, 7):
            flat[...] = start
            for coefficient, g in zip(_A[i], stages):
                if coefficient:
                    ops.mul(g, -h * coefficient, out=work)
                    ops.add(flat, work, out=flat)
            field.loss_and_gradient()
            self.evaluations += 1
            stages[i][...] = field.grad
        error = self._error
        error[...] = 0
        for coefficient, g in zip(_E, stages):
            if coefficient:
                ops.mul(g, h * coefficient, out=work)
                ops.add(error, work, out=error)
        ratio = self._error_ratio(error, flat, start)
        if ratio > 1.0:
            flat[...] = start
        return ratio

    def _error_ratio(self, error: Array, new: Array, old: Array) -> float:
        """max over replicas of the RMS of error / (atol + rtol max(|old|, |new|)); inf when not finite."""
        scale = self._work
        if self._numpy:
            np.maximum(np.abs(old), np.abs(new), out=scale)
        else:
            import torch

            torch.maximum(old.abs(), new.abs(), out=scale)
        self.ops.mul(scale, self.rtol, out=scale)
        self.ops.add(scale, self.atol, out=scale)
        self.ops.div(error, scale, out=scale)
        self.ops.mul(scale, scale, out=scale)
        layout = self.field.layout
        total = None
        for a, b, _ in layout.slices:
            part = scale[a:b].reshape(layout.replicas, -1).sum(1)
            total = part if total is None else total + part
        assert total is not None
        worst = float((total / (layout.size // layout.replicas)).max())
        return math.sqrt(worst) if math.isfinite(worst) else math.inf

    def extras(self) -> dict[str, float | int]:
        """The integrator's counters since the run (re)started, for a snapshot's extras["flow"]."""
        return {"time": self.time, "substeps": self.substeps, "rejected": self.rejected,
                "evaluations": self.evaluations, "h": self.h, "rtol": self.rtol, "atol": self.atol}
