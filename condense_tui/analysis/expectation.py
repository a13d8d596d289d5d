"""A preset's `[expect]` table: what the paper's figure shows, and whether a run shows it too.

Keys (counts refer to the counting rule in counting.py, at the preset's watch_step unless a key
names its own steps):

  lines = k                   hidden layer 1 has exactly k counted lines
  orientations = k            hidden layer 1 has exactly k counted orientations
  min_orientations = k        hidden layer 1 has at least k counted orientations
  max_lines = k               hidden layer 1 has at most k lines ("at most 2 lines")
  max_orientations = k        hidden layer 1 has at most k orientations
  lines_per_layer = [k1, ..]  hidden layer l has exactly k_l lines, at watch_steps[l] when given
  watch_steps = [s1, ..]      the step at which each layer is checked (the paper's per-panel steps)
  polynomial_degree = p       1-D input: of the least-squares polynomial fits of the data of degrees
                              1..4, the network output is closest to the degree-p one, and within
                              FIT_TOLERANCE of it (distance ||f - P_k y|| / ||y||)
  not_polynomial_degrees = [..]  1-D input: the output is farther than FIT_TOLERANCE from the fit of
                              each degree listed
  max_direction_error = r     hidden layer 1 has condensed and every counted orientation lies within
                              r rad of a predicted one (analysis/theory.py; the 1-D presets use
                              0.15); a run whose data has no prediction is not decided
  test_accuracy = [lo, hi]    the newest test accuracy a run reports (snapshot.extras["accuracy"]
                              ["test"], trainers that evaluate on a test set) lies in [lo, hi]

Count checks need a condensed layer (growth.py): a layer that has not condensed has no count, and
a count check on it fails. A run meets the expectation when every check holds. `met` is None (not decided) when the run
ended before a step it needs, or when the preset states no expectation.
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..engine.snapshot import Snapshot

FIT_TOLERANCE = 0.25
FIT_DEGREES = (1, 2, 3, 4)
_LAYER1_KEYS = ("lines", "orientations", "min_orientations", "max_lines", "max_orientations")
_COUNT_KEYS = (*_LAYER1_KEYS, "polynomial_degree")
_LIST_KEYS = ("lines_per_layer", "watch_steps", "not_polynomial_degrees")
_RANGE_KEYS = ("test_accuracy",)
_ANGLE_KEYS = ("max_direction_error",)
EXPECT_KEYS = _COUNT_KEYS + _LIST_KEYS + _RANGE_KEYS + _ANGLE_KEYS


def check_expect(expect: Mapping[str, Any], depth: int) -> None:
    """Raise ValueError (one line) when `expect` uses an unknown key or a value of the wrong shape."""
    for key, value in expect.items():
        if key not in EXPECT_KEYS:
            close = get_close_matches(key, EXPECT_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ValueError(f"expect has unknown key {key!r}{hint}; known: {', '.join(EXPECT_KEYS)}")
        if key in _ANGLE_KEYS:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 3.15:
                raise ValueError(f"expect.{key} must be an angle in rad, 0 < r <= pi, got {value!r}")
        elif key in _COUNT_KEYS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"expect.{key} must be a whole number >= 0, got {value!r}")
        elif key in _RANGE_KEYS:
            if (not isinstance(value, (list, tuple)) or len(value) != 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
                    or not value[0] <= value[1]):
                raise ValueError(f"expect.{key} must be [low, high] with low <= high, got {value!r}")
        elif (not isinstance(value, (list, tuple)) or not value
              or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
            raise ValueError(f"expect.{key} must be a list of whole numbers >= 0, got {value!r}")
    per_layer = expect.get("lines_per_layer")
    if per_layer is not None and len(per_layer) != depth:
        raise ValueError(f"expect.lines_per_layer lists {len(per_layer)} layers but depth is {depth}")
    steps = expect.get("watch_steps")
    if steps is not None and (per_layer is None or len(steps) != len(per_layer)):
        raise ValueError("expect.watch_steps needs lines_per_layer with one step per layer")


def _checks(expect: Mapping[str, Any], watch_step: int | None) -> list[dict[str, Any]]:
    """The checks a run must pass: (check, layer, step, expected), not yet measured."""
    checks: list[dict[str, Any]] = []
    for key in _LAYER1_KEYS:
        if key in expect:
            checks.append({"check": key, "layer": 1, "step": watch_step, "expected": expect[key]})
    if "lines_per_layer" in expect:
        steps = expect.get("watch_steps") or [watch_step] * len(expect["lines_per_layer"])
        for layer, (k, step) in enumerate(zip(expect["lines_per_layer"], steps), start=1):
            checks.append({"check": "lines", "layer": layer, "step": step, "expected": k})
    if "max_direction_error" in expect:
        checks.append({"check": "max_direction_error", "layer": 1, "step": watch_step,
                       "expected": expect["max_direction_error"]})
    for key in ("polynomial_degree", "not_polynomial_degrees", "test_accuracy"):
        if key in expect:
            checks.append({"check": key, "layer": None, "step": watch_step, "expected": expect[key]})
    return checks


def required_steps(expect: Mapping[str, Any], watch_step: int | None) -> set[int]:
    """Steps whose snapshots evaluate() needs."""
    steps = {c["step"] for c in _checks(expect, watch_step)}
    if watch_step is not None:
        steps.add(watch_step)
    return {s for s in steps if s is not None}


def _measure(check: dict[str, Any], snapshot: Snapshot) -> None:
    from .report import analysis_of

    key, expected = check["check"], check["expected"]
    if key == "max_direction_error":
        first = analysis_of(snapshot).layers[0]
        if first.prediction is None:
            check["met"] = None
            check["reason"] = "the theory predicts no orientations for this run"
            return
        check["measured"] = first.max_peak_error if first.condensed else None
        check["met"] = check["measured"] is not None and check["measured"] <= expected
        return
    if key in _LAYER1_KEYS:
        layer = analysis_of(snapshot).layers[check["layer"] - 1]
        if not layer.condensed:  # no count to compare: random directions are not orientations
            check["measured"] = None
            check["met"] = False
            check["reason"] = "the layer has not condensed"
            return
        measured = layer.lines if key.endswith("lines") else layer.orientations
        check["measured"] = measured
        check["met"] = (measured >= expected if key.startswith("min_") else
                        measured <= expected if key.startswith("max_") else measured == expected)
        return
    if key == "test_accuracy":
        from .accuracy import accuracy_history

        history = accuracy_history(snapshot.extras)
        newest = history.latest()["test"] if history is not None else None
        if newest is None:
            check["met"] = None
            check["reason"] = "this run reports no test accuracy"
            return
        check["measured"] = newest
        check["met"] = expected[0] <= newest <= expected[1]
        return
    from .fit import polynomial_distances
    from .function import network_output

    ctx = snapshot.context
    if ctx.x.shape[1] != 1:
        check["met"] = None
        check["reason"] = "polynomial checks need a 1-D input"
        return
    degrees = sorted(set(FIT_DEGREES) | ({expected} if key == "polynomial_degree" else set(expected)))
    distances = polynomial_distances(ctx.x, ctx.y, network_output(snapshot, ctx.x), degrees)
    check["distances"] = {str(k): v for k, v in distances.items()}
    check["tolerance"] = FIT_TOLERANCE
    if key == "polynomial_degree":
        closest = min(distances, key=distances.__getitem__)
        check["measured"] = closest
        check["met"] = closest == expected and distances[expected] <= FIT_TOLERANCE
    else:
        check["measured"] = [k for k in expected if distances[k] <= FIT_TOLERANCE]  # degrees that fit
        check["met"] = not check["measured"]


def evaluate(expect: Mapping[str, Any], watch_step: int | None,
             snapshots: Mapping[int, Any]) -> dict[str, Any]:
    """Check `expect` against the snapshots at the steps it names (a mapping step -> Snapshot)."""
    checks = _checks(expect, watch_step)
    if not checks:
        return {"met": None, "checks": [], "reason": "the preset states no expectation"}
    missing = sorted({c["step"] for c in checks if c["step"] not in snapshots}, key=lambda s: (s is None, s))
    for check in checks:
        if check["step"] in snapshots:
            _measure(check, snapshots[check["step"]])
        else:
            check["met"] = None
    verdicts = [c["met"] for c in checks]
    met = None if None in verdicts else all(verdicts)
    result: dict[str, Any] = {"met": met, "checks": checks}
    if missing:
        shown = ", ".join("none set" if s is None else str(s) for s in missing)
        result["reason"] = f"the run has no snapshot at step {shown}"
    return result
