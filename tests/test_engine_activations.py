import math

import numpy as np
import pytest
import torch

from condense_tui.engine.activations import (UnknownActivation, activation_names, get_activation,
                                             power_tanh_name)
from condense_tui.engine.backend import Backend

# paper.md section 3: p, sigma(0), sigma^(p)(0)
PAPER_TABLE = [
    ("tanh", 1, 0.0, 1.0),
    ("sigmoid", 1, 0.5, 0.25),
    ("softplus", 1, math.log(2), 0.5),
    ("xtanh", 2, 0.0, 2.0),
    ("x2tanh", 3, 0.0, 6.0),
]


@pytest.mark.parametrize("name,p,sigma0,derivative", PAPER_TABLE)
def test_multiplicity_matches_the_paper(name, p, sigma0, derivative):
    m = get_activation(name).multiplicity
    assert m.p == p
    assert m.sigma0 == pytest.approx(sigma0, abs=1e-12)
    assert m.derivative_p == pytest.approx(derivative, rel=1e-9)


@pytest.mark.parametrize("p", [1, 2, 3, 4, 5])
def test_power_tanh_family_has_multiplicity_p(p):
    m = get_activation(power_tanh_name(p)).multiplicity
    assert m.p == p
    assert m.derivative_p == pytest.approx(math.factorial(p), rel=1e-9)  # d^p/dx^p x^(p-1) x at 0


def test_relu_multiplicity_is_not_defined():
    m = get_activation("relu").multiplicity
    assert m.p is None and not m.smooth


def test_smooth_extras_have_multiplicity_one():
    for name in ("gelu", "silu"):
        m = get_activation(name).multiplicity
        assert m.p == 1 and m.derivative_p == pytest.approx(0.5, rel=1e-6)


@pytest.mark.parametrize("name", activation_names())
def test_closed_form_slope_equals_autograd(name):
    backend = Backend("torch", "cpu", "float64")
    z = torch.linspace(-3, 3, 101, dtype=torch.float64, requires_grad=True)
    value, slope = get_activation(name).value_and_slope(z, backend)
    (auto,) = torch.autograd.grad(value.sum(), z)
    mask = z.abs() > 1e-6  # relu's kink
    assert torch.allclose(slope[mask], auto[mask], atol=1e-10)


@pytest.mark.parametrize("name", activation_names())
def test_numpy_and_torch_backends_agree(name):
    z = np.linspace(-40, 40, 201)
    act = get_activation(name)
    nv, ns = act.value_and_slope(z, Backend("numpy", "cpu", "float64"))
    tv, ts = act.value_and_slope(torch.tensor(z), Backend("torch", "cpu", "float64"))
    assert np.all(np.isfinite(nv)) and np.all(np.isfinite(ns))
    np.testing.assert_allclose(nv, tv.numpy(), rtol=1e-9, atol=1e-12)  # torch returns x exactly past 20
    np.testing.assert_allclose(ns, ts.numpy(), rtol=1e-12, atol=1e-12)


def test_unknown_activation_suggests_the_closest_name():
    with pytest.raises(UnknownActivation, match="did you mean 'tanh'"):
        get_activation("tahn")


def test_spelled_forms_are_accepted():
    assert get_activation("x^2*tanh").name == "x2tanh"
    assert get_activation("x*tanh(x)").name == "xtanh"
