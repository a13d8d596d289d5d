"""When does Adam's eps, not the gradient, set the step size?

Adam moves a coordinate by lr * m_hat / (sqrt(v_hat) + eps). With sqrt(v_hat) >> eps that is about
lr per step whatever the gradient's size (the normalised step); with sqrt(v_hat) << eps it is
lr * m_hat / eps, a plain gradient step of rate lr / eps, tiny for tiny gradients. The rule: eps
dominates when, for the typical (median) coordinate, eps >= sqrt(v_hat): that coordinate then
takes at most half the normalised step (step_fraction <= 0.5). At --init-gamma 4 with x^2*tanh
the gradients are ~1e-20, so sqrt(v_hat) is far below eps = 1e-8 and the loss does not move.
"""

from __future__ import annotations

import numpy as np

HALF = 0.5


def step_fraction(root_v_hat: float | np.ndarray, eps: float) -> float:
    """sqrt(v_hat) / (sqrt(v_hat) + eps) of the median coordinate: the share of the normalised
    step Adam takes. root_v_hat: the median of sqrt(v_hat) over the parameters, or all of them."""
    typical = float(np.median(root_v_hat)) if np.ndim(root_v_hat) else float(root_v_hat)
    if not np.isfinite(typical) or typical < 0 or eps < 0:
        raise ValueError("sqrt(v_hat) and eps must be finite and >= 0")
    total = typical + eps
    return typical / total if total > 0 else 0.0


def eps_dominates(root_v_hat: float | np.ndarray, eps: float) -> bool:
    """True when the median coordinate's step is at most half Adam's normalised step."""
    return step_fraction(root_v_hat, eps) <= HALF
