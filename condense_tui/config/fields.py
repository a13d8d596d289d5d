"""The field table: every setting of a run declared once, as a RunConfig field with its metadata.

`setting(default, help, ...)` is a dataclasses.field whose metadata is a `Setting`; `field_table(cls)`
reads the table back (in declaration order, with the type each field's annotation names).
Validation (validate.py), the CLI flags and their help (cli.py) and the TUI control panel
(tui/widgets/controls.py) are all derived from this table, so adding a setting is one line in
RunConfig.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# data kinds a setting applies to; validation refuses a non-default value for another kind
SYNTHETIC, MNIST, CIFAR10 = "synthetic", "mnist", "cifar10"
ALL_KINDS = frozenset({SYNTHETIC, MNIST, CIFAR10})
# --help panels, in the order they are shown
PRESET, MODEL, DATA, TRAIN, REAL, RESOURCES, OUT, TUI, ABOUT = (
    "Preset", "Model", "Data", "Training", "Real data", "Resources", "Headless output (--no-tui)", "TUI",
    "About the preset")


@dataclass(frozen=True)
class Setting:
    """What the table knows about one field besides its name, type and default."""

    help: str = ""  # --help text; "" = not a command-line flag (preset files only)
    group: str = ABOUT
    range: tuple[float, float] | None = None  # inclusive
    choices: Callable[[], tuple[str, ...]] | None = None  # validated and completed; lazy (engine lists)
    completions: Callable[[], tuple[str, ...]] | None = None  # completed only (checked by name)
    kinds: frozenset[str] = ALL_KINDS
    panel: str = ""  # label in the TUI control panel; "" = not in the panel
    metavar: str | None = None
    flag: str | None = None  # the flag's declaration when it is not --name-with-dashes


@dataclass(frozen=True)
class Field:
    """One row of the table: a RunConfig field with its metadata resolved."""

    name: str
    kind: str  # "int", "float", "bool", "str", or "any" (checked by name in validate.py)
    optional: bool  # None is a valid value
    default: Any
    setting: Setting

    @property
    def choices(self) -> tuple[str, ...]:
        return self.setting.choices() if self.setting.choices is not None else ()

    @property
    def completions(self) -> tuple[str, ...]:
        source = self.setting.choices or self.setting.completions
        return source() if source is not None else ()

    @property
    def flag_name(self) -> str:
        return "--" + self.name.replace("_", "-")


def setting(default: Any = None, help: str = "", *, default_factory: Callable[[], Any] | None = None,
            **meta: Any) -> Any:
    """A RunConfig field carrying its table row (see Setting for the keyword arguments)."""
    row = Setting(help=help, **meta)
    if default_factory is not None:
        return dataclasses.field(default_factory=default_factory, metadata={"setting": row})
    return dataclasses.field(default=default, metadata={"setting": row})


_KINDS = {int: "int", float: "float", bool: "bool", str: "str"}


def _kind(hint: Any) -> tuple[str, bool]:
    args = typing.get_args(hint)
    optional = type(None) in args
    if optional:
        rest = [a for a in args if a is not type(None)]
        hint = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007 - built at runtime
    return _KINDS.get(hint, "any"), optional


_TABLES: dict[type, dict[str, Field]] = {}  # one per class: read on every validation


def field_table(cls: type) -> dict[str, Field]:
    """{name: Field} for a dataclass built with `setting()`, in declaration order."""
    table = _TABLES.get(cls)
    if table is not None:
        return table
    hints = typing.get_type_hints(cls)
    table = {}
    for item in dataclasses.fields(cls):
        kind, optional = _kind(hints[item.name])
        factory = item.default_factory
        default = factory() if callable(factory) else item.default
        table[item.name] = Field(item.name, kind, optional or default is None, default,
                                 item.metadata.get("setting", Setting()))
    _TABLES[cls] = table
    return table


def data_kind(data: str) -> str:
    return data if data in (MNIST, CIFAR10) else SYNTHETIC
