"""A sweep's definition: a base preset, fixed settings, and axes whose product is the grid.

Axis values, from the command line (`--axis KEY=VALUES`) or a sweep TOML (`[axes]`):
  a,b,c          a list (numbers, names, true/false)
  lo:hi:n        n points from lo to hi, evenly spaced, ends included
  lo:hi:n:log    n points from lo to hi, evenly spaced in log (lo, hi > 0)
  lo-hi          whole numbers lo to hi inclusive (seeds: `--seeds 0-4`)
Values are checked by the run configuration itself (types, ranges, choices), so a sweep accepts
exactly what a single run does. The `preset` axis sweeps over base presets.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import ConfigError, RunConfig, load_preset

# Keys describing a preset rather than a run: sweeping them means nothing.
NOT_SWEPT = frozenset({"name", "figure", "description", "expect", "unstated", "wants_gpu"})
# Setting one of these drops the preset's value of the other (as the run flags do).
IMPLIES = {"activation": ("multiplicity", None), "init_std": ("init_gamma", None),
           "steps": ("epochs", None)}
SWEEP_KEYS = frozenset({"name", "description", "preset", "seeds", "set", "axes"})
_INT_RANGE = re.compile(r"^\s*(-?\d+)\s*-\s*(-?\d+)\s*$")


class SweepError(ValueError):
    """A bad sweep definition; the message is one line naming the axis and what is allowed."""


def _fields() -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in dataclasses.fields(RunConfig)}


def _kind(key: str) -> str:
    """bool, int, float or str, read from RunConfig's annotation (it survives a config refactor)."""
    annotation = str(_fields()[key].type)
    for kind in ("bool", "int", "float"):
        if re.search(rf"\b{kind}\b", annotation):
            return kind
    return "str"


def check_key(key: str, where: str) -> None:
    if key == "preset":
        return
    known = _fields()
    if key not in known or key in NOT_SWEPT:
        close = get_close_matches(key, [k for k in known if k not in NOT_SWEPT], n=1)
        hint = f"did you mean '{close[0]}'?" if close else "run settings as in `condense-tui --help`"
        raise SweepError(f"{where}: unknown setting {key!r} ({hint})")


def _scalar(key: str, text: str, where: str) -> Any:
    """One value typed for `key` (ints from '3' or 3.0, floats, booleans, names)."""
    kind = "str" if key == "preset" else _kind(key)
    raw = text.strip() if isinstance(text, str) else text
    try:
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            if str(raw).lower() in ("true", "false"):
                return str(raw).lower() == "true"
            raise ValueError
        if kind == "int":
            number = float(raw)
            if not number.is_integer() or isinstance(raw, bool):
                raise ValueError
            return int(number)
        if kind == "float":
            if isinstance(raw, bool):
                raise ValueError
            return float(raw)
    except (TypeError, ValueError):
        wanted = {"bool": "true or false", "int": "whole numbers", "float": "numbers"}[kind]
        raise SweepError(f"{where}: {key} takes {wanted}, got {raw!r}") from None
    if not isinstance(raw, str) or not raw:
        raise SweepError(f"{where}: {key} takes names, got {raw!r}")
    return raw


def _spaced(key: str, text: str, where: str) -> list[Any]:
    parts = [p.strip() for p in text.split(":")]
    log = len(parts) == 4 and parts[3] == "log"
    if len(parts) not in (3, 4) or (len(parts) == 4 and not log):
        raise SweepError(f"{where}: {key} range {text!r} is not lo:hi:n or lo:hi:n:log")
    kind = _kind(key) if key != "preset" else "str"
    if kind not in ("int", "float"):
        raise SweepError(f"{where}: {key} takes a list of values (a,b,c), not a range")
    try:
        lo, hi, count = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise SweepError(f"{where}: {key} range {text!r} needs numbers lo:hi and a whole count n") from None
    if count < 1:
        raise SweepError(f"{where}: {key} range {text!r} is empty (n must be at least 1)")
    if log and (lo <= 0 or hi <= 0):
        raise SweepError(f"{where}: {key} log range {text!r} needs lo and hi above 0")
    if count == 1:
        points = [lo]
    elif log:
        points = [math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * i / (count - 1))
                  for i in range(count)]
    else:
        points = [lo + (hi - lo) * i / (count - 1) for i in range(count)]
    if kind == "int":
        whole = list(dict.fromkeys(round(p) for p in points))
        return whole
    return [round(p, 12) for p in points]


def parse_values(key: str, spec: Any, where: str) -> list[Any]:
    """The values of one axis from its text (or a TOML list/number); never empty."""
    check_key(key, where)
    if isinstance(spec, list):
        values = [_scalar(key, v, where) for v in spec]
    elif isinstance(spec, str) and ":" in spec:
        values = _spaced(key, spec, where)
    elif isinstance(spec, str) and _INT_RANGE.match(spec) and (key == "preset" or _kind(key) == "int"):
        match = _INT_RANGE.match(spec)
        assert match is not None
        lo, hi = int(match.group(1)), int(match.group(2))
        if hi < lo:
            raise SweepError(f"{where}: {key} range {spec!r} is empty (write lo-hi with lo <= hi)")
        values = list(range(lo, hi + 1))
    elif isinstance(spec, str):
        values = [_scalar(key, v, where) for v in spec.split(",") if v.strip()]
    else:
        values = [_scalar(key, spec, where)]
    if not values:
        raise SweepError(f"{where}: {key} has no values (give a,b,c or lo:hi:n)")
    return list(dict.fromkeys(values))


def parse_axis_flag(text: str) -> tuple[str, list[Any]]:
    """`KEY=VALUES` from --axis."""
    key, sep, spec = text.partition("=")
    key = key.strip().replace("-", "_")
    if not sep or not key:
        raise SweepError(f"--axis {text!r}: write KEY=VALUES, e.g. init_gamma=0.5:4:8 or activation=tanh,xtanh")
    return key, parse_values(key, spec, f"--axis {key}")


@dataclass(frozen=True)
class SweepSpec:
    """The whole definition; `to_toml` writes it back (the sweep store keeps it)."""

    name: str = "sweep"
    description: str = ""
    preset: str = "fig6-x2tanh"
    fixed: dict[str, Any] = field(default_factory=dict)  # settings on every point
    axes: dict[str, list[Any]] = field(default_factory=dict)  # key -> values, in order

    def to_toml(self) -> str:
        lines = ["# condense-tui sweep definition (usable as `condense-tui sweep --sweep FILE`)",
                 f"name = {_toml(self.name)}", f"description = {_toml(self.description)}",
                 f"preset = {_toml(self.preset)}", "", "[set]"]
        lines += [f"{k} = {_toml(v)}" for k, v in self.fixed.items()]
        lines += ["", "[axes]"] + [f"{k} = {_toml(v)}" for k, v in self.axes.items()]
        return "\n".join(lines) + "\n"

    def size(self) -> int:
        return math.prod(len(v) for v in self.axes.values())


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))  # a JSON string is a valid TOML basic string


def sweeps_dir() -> Path:
    from importlib.resources import files

    return Path(str(files("condense_tui.presets"))) / "sweeps"


def sweep_names() -> list[str]:
    return sorted(p.stem for p in sweeps_dir().glob("*.toml"))


def _sweep_path(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix == ".toml" or "/" in name_or_path:
        if not path.is_file():
            raise SweepError(f"sweep file {name_or_path!r} does not exist (give a path or a sweep preset name)")
        return path
    path = sweeps_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        close = get_close_matches(name_or_path, sweep_names(), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "choose " + ", ".join(sweep_names())
        raise SweepError(f"unknown sweep preset {name_or_path!r} ({hint})")
    return path


def load_sweep(name_or_path: str) -> SweepSpec:
    """A sweep TOML: name, description, preset, [set] fixed settings, [axes] key = values."""
    path = _sweep_path(name_or_path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SweepError(f"{path}: cannot read the sweep ({' '.join(str(err).split())})") from None
    unknown = sorted(set(raw) - SWEEP_KEYS)
    if unknown:
        raise SweepError(f"{path}: unknown key {unknown[0]!r} (a sweep has {', '.join(sorted(SWEEP_KEYS))})")
    fixed = raw.get("set", {})
    for key, value in fixed.items():
        check_key(key, f"{path} [set]")
        fixed[key] = _scalar(key, value, f"{path} [set]") if not isinstance(value, list) else value
    axes = {key: parse_values(key, spec, f"{path} axis {key}") for key, spec in raw.get("axes", {}).items()}
    if "seeds" in raw:
        axes["seed"] = parse_values("seed", raw["seeds"], f"{path} seeds")
    spec = SweepSpec(name=str(raw.get("name", path.stem)), description=str(raw.get("description", "")),
                     preset=str(raw.get("preset", SweepSpec.preset)), fixed=fixed, axes=axes)
    check_spec(spec)
    return spec


def with_flags(spec: SweepSpec, preset: str | None, axes: list[str], seeds: str | None,
               fixed: list[str]) -> SweepSpec:
    """The spec with command-line additions: flags replace a file's axis of the same key."""
    new_axes = dict(spec.axes)
    for text in axes:
        key, values = parse_axis_flag(text)
        new_axes[key] = values
    if seeds is not None:
        new_axes["seed"] = parse_values("seed", seeds, "--seeds")
    new_fixed = dict(spec.fixed)
    for text in fixed:
        key, sep, value = text.partition("=")
        key = key.strip().replace("-", "_")
        if not sep:
            raise SweepError(f"--set {text!r}: write KEY=VALUE, e.g. steps=200")
        values = parse_values(key, value, f"--set {key}")
        if len(values) != 1:
            raise SweepError(f"--set {key}: one value only (use --axis for several)")
        new_fixed[key] = values[0]
    out = dataclasses.replace(spec, preset=preset or spec.preset, axes=new_axes, fixed=new_fixed)
    check_spec(out)
    return out


@lru_cache(maxsize=64)
def _preset(name: str) -> RunConfig:
    return load_preset(name)


def point_config(spec: SweepSpec, settings: dict[str, Any]) -> RunConfig:
    """The run of one grid point: base preset, then fixed settings, then the point's axis values."""
    base = _preset(str(settings.get("preset", spec.preset)))
    changes: dict[str, Any] = {}
    for key, value in [*spec.fixed.items(), *settings.items()]:
        if key == "preset":
            continue
        if key in IMPLIES:
            other, default = IMPLIES[key]
            if other not in settings and other not in spec.fixed:
                changes[other] = default
        changes[key] = tuple(value) if isinstance(value, list) else value
    return base.replace(**changes)


def check_spec(spec: SweepSpec) -> None:
    """Every axis value must make a valid run (checked value by value, against the base)."""
    if not spec.axes:
        raise SweepError("the sweep has no axes (add --axis KEY=VALUES, --seeds, or a sweep TOML)")
    for key, values in spec.axes.items():
        for value in values:
            try:
                config = point_config(spec, {key: value})
            except ConfigError as err:
                raise SweepError(f"axis {key}={value!r}: {' '.join(str(err).split())}") from None
            if config.data == "cifar10":
                raise SweepError(f"axis {key}={value!r}: cifar10 runs are not swept (one long run each); "
                                 "use an MLP preset")
    try:
        point_config(spec, {})
    except ConfigError as err:
        raise SweepError(f"sweep base {spec.preset!r} with [set]: {' '.join(str(err).split())}") from None
