"""User target expressions in x (1-D) or x1..xd, compiled from a whitelist over Python's ast.

The text is parsed, every node is checked against the whitelist, and the tree is evaluated by a
small interpreter over NumPy arrays. Nothing reaches eval or exec.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np


class UnsafeExpression(ValueError):
    pass


_FUNCTIONS: dict[str, Callable[..., np.ndarray]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "abs": np.abs, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "arctan": np.arctan,
    "atan": np.arctan, "arcsin": np.arcsin, "arccos": np.arccos, "sign": np.sign,
    "floor": np.floor, "ceil": np.ceil, "min": np.minimum, "max": np.maximum,
}
_CONSTANTS = {"pi": np.pi, "e": np.e}
_BINARY = {
    ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide,
    ast.Pow: np.power, ast.Mod: np.mod,
}
_UNARY = {ast.USub: np.negative, ast.UAdd: np.positive}
_VARIABLE = re.compile(r"^x(\d*)$")
MAX_LENGTH = 500


@dataclass(frozen=True)
class TargetExpression:
    text: str
    tree: ast.Expression
    input_dim_needed: int  # highest x<k> used (1 for plain x)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """x: (n, d) inputs -> (n,) targets."""
        with np.errstate(all="ignore"):
            value = _evaluate(self.tree.body, x)
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (x.shape[0],)).copy()


def parse_target(text: str) -> TargetExpression:
    if len(text) > MAX_LENGTH:
        raise UnsafeExpression(f"target expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise UnsafeExpression(f"target expression {text!r} is not valid: {err.msg}") from None
    highest = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            match = _VARIABLE.match(node.id)
            if match:
                highest = max(highest, int(match.group(1) or 1))
            elif node.id not in _CONSTANTS and node.id not in _FUNCTIONS:
                raise UnsafeExpression(
                    f"target expression uses unknown name {node.id!r}; allowed: x or x1..xd, "
                    f"{', '.join(_CONSTANTS)}, {', '.join(sorted(_FUNCTIONS))}"
                )
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords:
                raise UnsafeExpression(
                    f"target expression may only call {', '.join(sorted(_FUNCTIONS))} with plain arguments"
                )
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, (int, float)) or isinstance(node.value, bool):
                raise UnsafeExpression(f"target expression may only hold numbers, not {node.value!r}")
        elif not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Load, *_BINARY, *_UNARY)):
            raise UnsafeExpression(
                f"target expression may not use {type(node).__name__}: arithmetic and math functions only"
            )
    if highest == 0:
        raise UnsafeExpression("target expression must use the input: x (1-D) or x1..xd")
    return TargetExpression(text.strip(), tree, highest)


def _evaluate(node: ast.AST, x: np.ndarray) -> np.ndarray | float:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, (int, float))  # parse_target admits numbers only
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        variable = _VARIABLE.match(node.id)
        assert variable is not None  # parse_target admits x and x1..xd only
        index = int(variable.group(1) or 1) - 1
        return x[:, index]
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, x), _evaluate(node.right, x))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate(node.operand, x))
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        return _FUNCTIONS[node.func.id](*(_evaluate(arg, x) for arg in node.args))
    raise UnsafeExpression(f"unsupported node {type(node).__name__}")  # unreachable after parse_target
