"""User expressions (targets in x or x1..xd, activations in z), checked against a whitelist.

The text is parsed with Python's ast, every node is checked (numbers, the allowed variables, the
constants pi and e, + - * / ** %, unary +-, and calls of whitelisted functions with exactly their
arguments), constant sub-expressions are folded with NumPy's float64 rules, and the tree is walked
by a small interpreter over whatever algebra the caller supplies: NumPy or torch arrays, dual
numbers (value and slope), or Taylor jets. Nothing reaches eval or exec, and no attribute,
subscript, keyword or name outside the whitelist gets through. Every error is one line.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


class UnsafeExpression(ValueError):
    pass


# name -> number of arguments; each takes exactly these, positionally
ARITY: dict[str, int] = {
    "sin": 1, "cos": 1, "tan": 1, "exp": 1, "log": 1, "sqrt": 1, "abs": 1, "tanh": 1, "sinh": 1,
    "cosh": 1, "arctan": 1, "atan": 1, "arcsin": 1, "arccos": 1, "sign": 1, "floor": 1, "ceil": 1,
    "min": 2, "max": 2,
}
NUMPY_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "abs": np.abs, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "arctan": np.arctan,
    "atan": np.arctan, "arcsin": np.arcsin, "arccos": np.arccos, "sign": np.sign,
    "floor": np.floor, "ceil": np.ceil, "min": np.minimum, "max": np.maximum,
}
CONSTANTS = {"pi": float(np.pi), "e": float(np.e)}
_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow, ast.Mod: operator.mod,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_NUMPY_OPERATORS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply,
                    ast.Div: np.divide, ast.Pow: np.power, ast.Mod: np.mod}
MAX_LENGTH = 500
MAX_DEPTH = 100  # nesting of operations; keeps the interpreter's recursion bounded
MAX_LITERAL_DIGITS = 40
_STRAY = re.compile(r"[^A-Za-z0-9_+\-*/%()., ]")


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


@dataclass(frozen=True)
class Expression:
    text: str  # the expression as written out from its tree: one line, no comments
    tree: ast.expr  # after constant folding
    variables: frozenset[str]

    def evaluate(self, values: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
        """Walk the tree with `values` for the variables and `functions` for the calls."""
        return _walk(self.tree, values, functions)


def _walk(node: ast.expr, values: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp):
        return _OPERATORS[type(node.op)](_walk(node.left, values, functions),
                                         _walk(node.right, values, functions))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_walk(node.operand, values, functions))
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    return functions[node.func.id](*(_walk(arg, values, functions) for arg in node.args))


def parse_expression(text: str, what: str, is_variable: Callable[[str], bool], variables_hint: str) -> Expression:
    """Parse and check `text`; `what` names it in messages ("target expression")."""
    if not isinstance(text, str):
        raise UnsafeExpression(f"{what} must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise UnsafeExpression(f"{what} is longer than {MAX_LENGTH} characters (shorten it)")
    if "^" in text:
        raise UnsafeExpression(f"{what} {_short(text)} uses ^ (write powers as **, e.g. z**2)")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise UnsafeExpression(f"{what} {_short(text)} is not valid: {err.msg}") from None
    except (ValueError, RecursionError, MemoryError):  # null bytes, too deeply nested
        raise UnsafeExpression(f"{what} {_short(text)} cannot be parsed (check its characters and nesting)") from None
    used: set[str] = set()
    _check(tree.body, what, is_variable, variables_hint, used, 0)
    stray = _STRAY.search(text)
    if stray:
        # what the tree check lets through (comments, line continuations) but no expression needs:
        # the text stays one line that is safe as a TOML string and as Rich markup
        raise UnsafeExpression(f"{what} may only contain letters, digits, spaces and + - * / % ( ) , . "
                               f"(found {stray.group()!r})")
    return Expression(ast.unparse(tree.body), _fold(tree.body), frozenset(used))


def _check(node: ast.AST, what: str, is_variable: Callable[[str], bool], hint: str, used: set[str],
           depth: int) -> None:
    if depth > MAX_DEPTH:
        raise UnsafeExpression(f"{what} is nested more than {MAX_DEPTH} deep (simplify it)")
    if isinstance(node, ast.Constant):
        _check_literal(node.value, what)
        return
    if isinstance(node, ast.Name):
        if node.id in ARITY:
            raise UnsafeExpression(f"{what} names the function {node.id!r} without calling it "
                                   f"(write {node.id}(...))")
        if node.id in CONSTANTS:
            return
        if not is_variable(node.id):
            raise UnsafeExpression(f"{what} uses unknown name {node.id!r} (allowed: {hint}, "
                                   f"{', '.join(CONSTANTS)}, {', '.join(sorted(ARITY))})")
        used.add(node.id)
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check(node.left, what, is_variable, hint, used, depth + 1)
        _check(node.right, what, is_variable, hint, used, depth + 1)
        return
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        _check(node.operand, what, is_variable, hint, used, depth + 1)
        return
    if isinstance(node, ast.Call):
        _check_call(node, what)
        for arg in node.args:
            _check(arg, what, is_variable, hint, used, depth + 1)
        return
    kind = type(getattr(node, "op", node)).__name__
    raise UnsafeExpression(f"{what} may not use {kind} (arithmetic + - * / ** % and math functions only)")


def _check_call(node: ast.Call, what: str) -> None:
    name = node.func.id if isinstance(node.func, ast.Name) else None
    if name is None or name not in ARITY:
        shown = repr(name) if name is not None else "the result of an expression"
        raise UnsafeExpression(f"{what} may only call {', '.join(sorted(ARITY))} "
                               f"({shown} is not one of them)")
    wanted = ARITY[name]
    if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
        raise UnsafeExpression(f"{what}: {name}() takes plain positional arguments only")
    if len(node.args) != wanted:
        plural = "argument" if wanted == 1 else "arguments"
        raise UnsafeExpression(f"{what}: {name}() takes exactly {wanted} {plural}, "
                               f"got {len(node.args)}")


def _check_literal(value: object, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnsafeExpression(f"{what} may only hold numbers, not {_short(repr(value))}")
    if isinstance(value, int) and abs(value) >= 10 ** MAX_LITERAL_DIGITS:
        raise UnsafeExpression(f"{what} holds an integer literal of more than {MAX_LITERAL_DIGITS} "
                               "digits (write it as a float, e.g. 1e40)")
    if isinstance(value, float) and not np.isfinite(value):
        raise UnsafeExpression(f"{what} holds a literal too large for a float (at most about 1.8e308)")


def _fold(node: ast.expr) -> ast.expr:
    """Constant sub-expressions to one float, computed with NumPy float64 (1/0 is inf, not an
    error), so that every operation left at evaluation involves a variable."""
    if isinstance(node, ast.Constant):
        return ast.Constant(_number(node))
    if isinstance(node, ast.Name):
        return ast.Constant(CONSTANTS[node.id]) if node.id in CONSTANTS else node
    if isinstance(node, ast.BinOp):
        left, right = _fold(node.left), _fold(node.right)
        if isinstance(left, ast.Constant) and isinstance(right, ast.Constant):
            with np.errstate(all="ignore"):
                folded = _NUMPY_OPERATORS[type(node.op)](np.float64(_number(left)), np.float64(_number(right)))
            return ast.Constant(float(folded))
        return ast.BinOp(left, node.op, right)
    if isinstance(node, ast.UnaryOp):
        operand = _fold(node.operand)
        if isinstance(operand, ast.Constant):
            return ast.Constant(float(_UNARY[type(node.op)](operand.value)))
        return ast.UnaryOp(node.op, operand)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    args = [_fold(arg) for arg in node.args]
    constants = [_number(arg) for arg in args if isinstance(arg, ast.Constant)]
    if len(constants) == len(args):
        with np.errstate(all="ignore"):
            folded = NUMPY_FUNCTIONS[node.func.id](*(np.float64(c) for c in constants))
        return ast.Constant(float(folded))
    return ast.Call(node.func, args, [])


def _number(node: ast.Constant) -> float:
    assert isinstance(node.value, (int, float))  # _check let only numbers through
    return float(node.value)


# -- targets ------------------------------------------------------------------------------------

_INPUT = re.compile(r"^x([1-9][0-9]{0,5})?$")  # x, or x1..xd: inputs count from 1
_INPUT_HINT = "x (1-D) or x1..xd, where x1 is the first input and x is the same as x1"


@dataclass(frozen=True)
class TargetExpression:
    text: str
    expression: Expression
    input_dim_needed: int  # highest x<k> used (1 for plain x)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """x: (n, d) inputs -> (n,) targets."""
        if x.ndim != 2 or x.shape[1] < self.input_dim_needed:
            raise UnsafeExpression(f"target expression uses x{self.input_dim_needed} but the inputs have "
                                   f"{x.shape[-1]} dimension(s) (raise input_dim)")
        values = {name: x[:, int(name[1:] or 1) - 1] for name in self.expression.variables}
        with np.errstate(all="ignore"):
            value = self.expression.evaluate(values, NUMPY_FUNCTIONS)
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (x.shape[0],)).copy()


def parse_target(text: str) -> TargetExpression:
    """A target in x (1-D) or x1..xd; raises UnsafeExpression with a one-line message."""
    expression = parse_expression(text, "target expression", lambda name: bool(_INPUT.match(name)),
                                  _INPUT_HINT)
    if not expression.variables:
        raise UnsafeExpression("target expression must use the input: x (1-D) or x1..xd")
    highest = max(int(name[1:] or 1) for name in expression.variables)
    return TargetExpression(text.strip(), expression, highest)
