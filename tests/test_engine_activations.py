import math

import numpy as np
import pytest
import torch

from condense_tui.engine.activations import (
    UnknownActivation,
    activation_names,
    get_activation,
    power_tanh_name,
    split_activations,
)
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


@pytest.mark.parametrize("p", range(1, 10))
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


# -- activations given as expressions in z ---------------------------------------------------------

EXPRESSIONS = ["z**2*sin(z)", "sin(z)**2", "z**3", "2*z + 1", "z", "exp(-z**2)*z", "abs(z)*z",
               "min(z, 0.5*z**2)", "max(z, 0)", "log(1 + z**2)", "sqrt(1 + z**2)", "2**z",
               "cosh(z)/(1 + z**2)", "tan(z/4)", "arctan(z) + arcsin(z/5) + arccos(z/5)",
               "z % 1.5", "floor(z) + ceil(z) + sign(z)", "1/(1 + exp(-z))", "tanh(z)**3 - pi*z/e"]


@pytest.mark.parametrize("text", EXPRESSIONS)
@pytest.mark.parametrize("backend_name", ["numpy", "torch"])
def test_expression_value_and_slope_equal_autograd(text, backend_name):
    rng = np.random.default_rng(abs(hash(text)) % 2**32)
    z = rng.uniform(-3, 3, size=200)
    z = z[np.abs(z) > 1e-3]  # keep clear of kinks at 0
    act = get_activation(text)
    zt = torch.tensor(z, requires_grad=True)
    want = act(zt, Backend("torch", "cpu", "float64"))  # torch's own ops, differentiated by autograd
    (want_slope,) = torch.autograd.grad(want.sum(), zt)
    if backend_name == "numpy":
        value, slope = act.value_and_slope(z.copy(), Backend("numpy", "cpu", "float64"))
    else:
        value, slope = act.value_and_slope(torch.tensor(z), Backend("torch", "cpu", "float64"))
        value, slope = value.numpy(), slope.numpy()
    np.testing.assert_allclose(value, want.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(slope, want_slope.numpy(), rtol=1e-10, atol=1e-12)
    assert slope.shape == z.shape


@pytest.mark.parametrize("text,p,derivative", [
    ("z**3", 3, 6.0), ("sin(z)**2", 2, 2.0), ("z**2*sin(z)", 3, 6.0), ("tanh(100*z)", 1, 100.0),
    ("1e-12*z", 1, 1e-12), ("cos(z) - 1 + z**5", 2, -1.0), ("log(1 + z)**4", 4, 24.0),
    ("exp(z)*exp(-z) - 1 + z**3", 3, 6.0),
])
def test_expression_multiplicity(text, p, derivative):
    m = get_activation(text).multiplicity
    assert m.smooth and m.p == p
    assert m.derivative_p == pytest.approx(derivative, rel=1e-9)


@pytest.mark.parametrize("p", range(1, 10))
def test_power_tanh_written_as_an_expression_has_multiplicity_p(p):
    m = get_activation(f"z**{p - 1}*tanh(z)").multiplicity
    assert m.p == p and m.derivative_p == pytest.approx(math.factorial(p), rel=1e-9)


def test_expression_sigma0_and_non_smooth_cases():
    assert get_activation("1 + cosh(z)").multiplicity.sigma0 == 2.0
    relu_like = get_activation("max(z, 0)").multiplicity
    assert relu_like.p is None and not relu_like.smooth and relu_like.sigma0 == 0.0
    assert get_activation("log(z)").multiplicity.p is None
    flat = get_activation("exp(z)*exp(-z) - 1").multiplicity  # every derivative vanishes
    assert flat.p is None and flat.smooth


def test_expression_name_is_its_canonical_text_and_markup_safe():
    act = get_activation("  z**2 *sin( z )")
    assert act.name == act.formula == "z ** 2 * sin(z)"
    for text in EXPRESSIONS:
        assert not set(get_activation(text).name) & set("[]\\\"'#\n")


@pytest.mark.parametrize("text,fragment", [
    ("x**2*sin(x)", "unknown name 'x'"),
    ("z^2", "**"),
    ("sin(z, z)", "exactly 1 argument"),
    ("z + sin", "without calling"),
    ("z.real", "Attribute"),
    ("3 + 4", "does not use z"),
    ("z # [/italic]", "may only contain"),
    ("__import__('os')", "may only call"),
    ("z \\\n+ 1", "may only contain"),
])
def test_bad_expression_activations_are_one_line_errors(text, fragment):
    with pytest.raises(UnknownActivation) as err:
        get_activation(text)
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_names_still_win_over_expressions():
    assert get_activation("x2tanh").in_place is not None
    assert get_activation("tanh").name == "tanh"
    with pytest.raises(UnknownActivation, match="did you mean"):
        get_activation("sigmoidd")


def test_split_activations_keeps_commas_inside_calls():
    assert split_activations("tanh, min(z, 0) + z**2 ,x2tanh") == ["tanh", "min(z, 0) + z**2", "x2tanh"]
    assert split_activations("max(z, min(z, 1))") == ["max(z, min(z, 1))"]
