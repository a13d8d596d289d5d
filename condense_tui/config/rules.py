"""Precedence between settings, written once for every face that takes settings from a user.

`settle(base, given)` turns what a user gave in one go (command-line flags, one control-panel
edit) into the changes to apply on top of `base`:
- two settings that say the same thing differently, given together, are refused with one line
  naming both (e.g. --activation with --multiplicity);
- a setting given alone clears its partner, which would otherwise win over it (an init_std typed
  in clears init_gamma);
- a data choice whose inputs are not 1-D turns grid sampling (1-D only) back to uniform, unless
  sampling is given too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engine.data import DATA_PRESETS
from .errors import ConfigError

if TYPE_CHECKING:
    from .run_config import RunConfig

# (given, its partner): the partner wins over the given setting when both are set
PARTNERS: tuple[tuple[str, str], ...] = (
    ("activation", "multiplicity"),  # a multiplicity replaces the activation
    ("init_std", "init_gamma"),  # a gamma replaces the std
    ("steps", "epochs"),  # epochs replace the step budget
)


def _flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def contradictions(given: dict[str, Any]) -> str | None:
    """The first pair of settings in `given` that contradict each other, as one line, or None."""
    for first, second in PARTNERS:
        if given.get(first) is not None and given.get(second) is not None:
            return (f"{_flag(first)} and {_flag(second)} both set the same thing ({second} wins over "
                    f"{first}); give only one")
    fc_init = given.get("fc_init")
    if fc_init not in (None, "std"):
        for key in ("init_std", "init_gamma"):
            if given.get(key) is not None:
                return (f"--fc-init {fc_init} and {_flag(key)} both set the FC init ({key} is used only "
                        "with --fc-init std); give only one")
    if given.get("backend") == "numpy" and given.get("device") == "cuda":
        return ("--backend numpy and --device cuda contradict each other (a CUDA run trains with torch); "
                "give --backend torch or leave --backend out")
    return None


def settle(base: RunConfig, given: dict[str, Any]) -> dict[str, Any]:
    """The changes to apply on `base` for the settings in `given` (None values: not given)."""
    values = {key: value for key, value in given.items() if value is not None}
    conflict = contradictions(values)
    if conflict is not None:
        raise ConfigError(conflict)
    changes = dict(values)
    for first, second in PARTNERS:
        if first in values and second not in values:
            changes[second] = None
    data = values.get("data")
    if data is not None and "sampling" not in values and base.sampling == "grid":
        preset = DATA_PRESETS.get(data)
        dim = values.get("input_dim") or (preset.input_dim if preset else base.input_dim)
        if dim != 1:
            changes["sampling"] = "uniform"
    return changes
