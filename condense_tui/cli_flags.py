"""Command-line flags derived from the field table: one Typer option per field that has --help text.

Only Typer and the field metadata are needed here; the choice lists (some from the engine) are
read when the shell asks for completions, not when `--help` is built.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Optional

import typer

from .config.fields import Field

_PYTHON_TYPES: dict[str, type] = {"int": int, "float": float, "bool": bool}


def completer(row: Field) -> Callable[[str], list[str]] | None:
    """Shell completion of an open field's known names (activations, data sources): a comma list
    (per-layer activations) completes its last item. Fields with fixed choices complete as enums."""
    if row.setting.choices is not None or row.setting.completions is None:
        return None

    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        prefix = f"{done}," if done else ""
        return [prefix + name for name in row.completions if name.startswith(last)]

    return complete


def option(row: Field) -> typer.models.OptionInfo:
    setting = row.setting
    if row.kind == "bool":
        no = "--no-" + row.flag_name[2:]
        return typer.Option(f"{row.flag_name}/{no}", help=setting.help, rich_help_panel=setting.group,
                            show_default=False)
    return typer.Option(setting.flag or row.flag_name, help=setting.help, rich_help_panel=setting.group,
                        metavar=setting.metavar, autocompletion=completer(row))


def choice_enum(row: Field) -> type[Enum]:
    """A field's fixed choices as an Enum, which Typer turns into a choice flag: `--help` lists the
    names, the shell completes them, a wrong one is refused naming them (see plain_values)."""
    return Enum(row.name.title().replace("_", ""), {name: name for name in row.choices})  # type: ignore[return-value]


def plain_values(values: dict[str, Any]) -> dict[str, Any]:
    """The flags' values with each choice back to the plain string the config holds."""
    return {key: value.value if isinstance(value, Enum) else value for key, value in values.items()}


def flag_parameters(table: dict[str, Field]) -> list[inspect.Parameter]:
    """Keyword parameters (default None: not given) for every field of `table` that has --help text."""
    params = []
    for name, row in table.items():
        if not row.setting.help:
            continue
        py_type = choice_enum(row) if row.setting.choices is not None else _PYTHON_TYPES.get(row.kind, str)
        # built at runtime from the table, so a checker cannot follow it
        annotation = Annotated[Optional[py_type], option(row)]  # type: ignore[valid-type]  # noqa: UP045
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                        annotation=annotation))
    return params


def flag_names(table: dict[str, Field]) -> list[str]:
    return [name for name, row in table.items() if row.setting.help]


def with_parameters(func: Callable[..., Any], params: list[inspect.Parameter]) -> Callable[..., Any]:
    """`func(**values)` presented to Typer with the signature `params` (Typer reads __signature__)."""
    func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    func.__annotations__ = {p.name: p.annotation for p in params}
    return func
