"""`python -m condense_tui.sweep ...`: the sweep command on its own, with one-line usage errors."""

from __future__ import annotations

import sys

import typer

from .command import EXIT_BAD_INPUT, _error, standalone_app


def main(argv: list[str] | None = None) -> int:
    command = typer.main.get_command(standalone_app())
    try:
        code = command.main(args=argv, prog_name="condense-tui sweep", standalone_mode=False)
    except typer.TyperException as err:  # click's usage errors
        _error(f"{err.format_message()} (see condense-tui sweep --help)")
        return EXIT_BAD_INPUT
    except typer.Abort:
        return 130
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
