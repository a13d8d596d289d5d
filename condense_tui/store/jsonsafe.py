"""JSON that is always valid: non-finite numbers become null, NumPy values become Python ones."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np


def jsonable(value: Any) -> Any:
    """A copy of `value` that json.dumps accepts with allow_nan=False."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(jsonable(value), allow_nan=False, indent=indent)
