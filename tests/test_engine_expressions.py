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


@pytest.mark.parametrize("text,fragment", [
    ("x + sin(x, x)", "sin() takes exactly 1 argument, got 2"),  # NumPy's `out` would overwrite x
    ("min(x, 0*x, x)", "min() takes exactly 2 arguments, got 3"),
    ("floor(x, x)", "floor() takes exactly 1 argument, got 2"),
    ("min(x)", "min() takes exactly 2 arguments, got 1"),
    ("sin() + x", "sin() takes exactly 1 argument, got 0"),
    ("sin(x, 1)", "sin() takes exactly 1 argument, got 2"),
    ("sin(*x)", "plain positional arguments"),
    ("x + sin", "names the function 'sin' without calling it"),
    ("sin(x)(x)", "may only call"),
    ("pi(x)", "may only call"),
    ("x + 1" + "0" * 400, "more than 40 digits"),
    ("x * 1e999", "too large for a float"),
    ("x0", "unknown name 'x0'"),
    ("x01 + x", "unknown name 'x01'"),
    ("-" * 300 + "x", "nested more than"),
    ("x\x00", "null bytes"),
    ("x # comment", "may only contain"),
    ("x ^ 2", "write powers as **"),
    ("1j * x", "may only hold numbers"),
    ("True + x", "may only hold numbers"),
])
def test_hostile_targets_are_one_line_errors(text, fragment):
    with pytest.raises(UnsafeExpression) as err:
        parse_target(text)
    message = str(err.value)
    assert fragment in message
    assert "\n" not in message and len(message) < 400


def test_functions_never_write_into_the_inputs():
    x = np.linspace(-1, 1, 9)[:, None]
    before = x.copy()
    parse_target("x + sin(x) + min(x, 0*x) + floor(x)")(x)
    np.testing.assert_array_equal(x, before)


def test_inputs_count_from_one_and_x_is_x1():
    x = np.array([[1.0, 10.0, 100.0]])
    assert parse_target("x")(x)[0] == 1.0
    assert parse_target("x1 + x3")(x)[0] == 101.0
    assert parse_target("x3").input_dim_needed == 3


def test_too_few_inputs_is_a_one_line_error():
    with pytest.raises(UnsafeExpression, match="uses x3"):
        parse_target("x3")(np.ones((4, 2)))


def test_constants_fold_with_float_rules_not_python_errors():
    x = np.array([[2.0]])
    assert parse_target("x + 1/0")(x)[0] == np.inf  # Python would raise ZeroDivisionError
    assert parse_target("x * 10**400")(x)[0] == np.inf  # Python ints would grow without bound
    assert parse_target("x * 9**9**9")(x)[0] == np.inf
    assert parse_target("x + sin(pi/2)")(x)[0] == 3.0
