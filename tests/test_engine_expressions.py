import numpy as np
import pytest

from condense_tui.engine.expressions import UnsafeExpression, parse_target


def test_evaluates_arithmetic_and_math_functions():
    x = np.array([[0.5, 2.0], [1.0, -1.0]])
    f = parse_target("sin(3*x1) + x2**2/2 - abs(x2) + pi")
    expected = np.sin(3 * x[:, 0]) + x[:, 1] ** 2 / 2 - np.abs(x[:, 1]) + np.pi
    np.testing.assert_allclose(f(x), expected)
    assert f.input_dim_needed == 2


def test_plain_x_is_the_first_input():
    f = parse_target("sin(3*x) + sin(6*x)/2")
    x = np.linspace(-1, 1.5, 7)[:, None]
    np.testing.assert_allclose(f(x), np.sin(3 * x[:, 0]) + np.sin(6 * x[:, 0]) / 2)


@pytest.mark.parametrize("text", [
    "__import__('os').system('true')",
    "x.__class__",
    "(lambda: 1)()",
    "open('/etc/passwd')",
    "x if x else 1",
    "[x for x in range(3)]",
    "'a' * 3",
    "sin(x, out=x)",
    "y + 1",
    "1 + 2",
    "x +",
    "x" + "+x" * 400,
])
def test_unsafe_or_invalid_text_is_rejected(text):
    with pytest.raises(UnsafeExpression):
        parse_target(text)


def test_expression_text_is_never_executed(tmp_path, monkeypatch):
    marker = tmp_path / "touched"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnsafeExpression):
        parse_target(f"open('{marker}', 'w')")
    assert not marker.exists()
