"""The console script `condense-tui` (and `python -m condense_tui`) starts here.

Start-up allocates a few hundred thousand objects (modules, classes, Textual's styles) that all
live on; the cyclic garbage collector would walk them several times while they load and find
nothing to free (about 0.07 s of a TUI launch on 2 cores). So it is off until the work begins:
the TUI turns it back on after its first paint, the headless run and the subcommands before they
start (cli.py). Importing condense_tui as a library leaves it alone.
"""

from __future__ import annotations

import gc


def main() -> None:
    gc.disable()
    from .cli import main as cli_main

    cli_main()
