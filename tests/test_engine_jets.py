"""Taylor jets give the derivatives at a point that the closed forms say, and refuse kinks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from condense_tui.engine import jet_kinks, jets
from condense_tui.engine.jets import Jet, NotSmooth, Undefined

ORDER = 9


def _z(at: float = 0.0) -> Jet:
    return Jet.variable(at, ORDER)


# (function of a jet, its k-th derivative at `at` as a closed form)
CASES = [
    ("exp", lambda z: jets.exp(z), 0.3, lambda k: math.exp(0.3)),
    ("log", lambda z: jets.log(z), 2.0, lambda k: math.log(2.0) if k == 0
        else (-1) ** (k - 1) * math.factorial(k - 1) / 2.0 ** k),
    ("sin", lambda z: jets.sin(z), 0.7, lambda k: math.sin(0.7 + k * math.pi / 2)),
    ("cos", lambda z: jets.cos(z), 0.7, lambda k: math.cos(0.7 + k * math.pi / 2)),
    ("sinh", lambda z: jets.sinh(z), 0.4, lambda k: math.sinh(0.4) if k % 2 == 0 else math.cosh(0.4)),
    ("1/(1-z)", lambda z: 1.0 / (1.0 - z), 0.0, lambda k: math.factorial(k)),
    ("z**5", lambda z: z ** 5, 1.5, lambda k: math.perm(5, k) * 1.5 ** (5 - k) if k <= 5 else 0.0),
    ("2**z", lambda z: 2.0 ** z, 0.0, lambda k: math.log(2.0) ** k),
    ("sqrt(1+z)", lambda z: jets.sqrt(1.0 + z), 0.0,
     lambda k: math.prod(0.5 - i for i in range(k))),
]


@pytest.mark.parametrize("name,f,at,closed", CASES, ids=[c[0] for c in CASES])
def test_derivatives_equal_the_closed_form(name, f, at, closed):
    got = f(_z(at)).derivatives()
    want = [closed(k) for k in range(ORDER + 1)]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_tanh_tan_arctan_arcsin_series_at_zero():
    z = _z()
    # tanh z = z - z^3/3 + 2 z^5/15 - 17 z^7/315; tan z = z + z^3/3 + 2 z^5/15 + 17 z^7/315
    np.testing.assert_allclose(jets.tanh(z).c[:8], [0, 1, 0, -1 / 3, 0, 2 / 15, 0, -17 / 315], atol=1e-15)
    np.testing.assert_allclose(jets.tan(z).c[:8], [0, 1, 0, 1 / 3, 0, 2 / 15, 0, 17 / 315], atol=1e-15)
    np.testing.assert_allclose(jets.arctan(z).c[:8], [0, 1, 0, -1 / 3, 0, 1 / 5, 0, -1 / 7], atol=1e-15)
    np.testing.assert_allclose(jets.arcsin(z).c[:6], [0, 1, 0, 1 / 6, 0, 3 / 40], atol=1e-15)
    np.testing.assert_allclose(jets.arccos(z).c[:4], [math.pi / 2, -1, 0, -1 / 6], atol=1e-15)


def test_a_zero_derivative_is_an_exact_zero():
    c = (_z() ** 8 * jets.tanh(_z())).c
    assert np.all(c[:9] == 0.0) and c[9] == 1.0


@pytest.mark.parametrize("f", [
    lambda z: jet_kinks.absolute(z), lambda z: jet_kinks.positive(z), lambda z: jets.sqrt(z),
    lambda z: jet_kinks.minimum(z, 0.0), lambda z: jet_kinks.sign(z), lambda z: jet_kinks.floor(z), lambda z: z ** 1.5,
])
def test_kinks_at_the_point_are_not_smooth(f):
    with pytest.raises(NotSmooth):
        f(_z())


def test_min_of_branches_that_touch_without_crossing_is_smooth():
    assert jet_kinks.minimum(_z() ** 2, 2.0 * _z() ** 2).c[2] == 1.0
    assert jet_kinks.maximum(_z() ** 2, 2.0 * _z() ** 2).c[2] == 2.0


@pytest.mark.parametrize("f", [lambda z: jets.log(z), lambda z: 1.0 / z])
def test_undefined_at_the_point(f):
    with pytest.raises(Undefined):
        f(_z())
