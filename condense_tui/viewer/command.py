"""`condense-tui view DIR [DIR2]` and `condense-tui export DIR --step N`: the command bodies.

Registered on the main command line by cli.py; only Typer loads here, the TUI and matplotlib load
inside the commands. Bad input (no run store, a bad step, kind or format): one line on stderr, exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

PROG = "condense-tui"
EXIT_BAD_INPUT = 2
Opt, Arg = typer.Option, typer.Argument


def _fail(message: object) -> typer.Exit:
    try:
        sys.stderr.write(f"{PROG}: error: {' '.join(str(message).split())}\n")
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass
    return typer.Exit(EXIT_BAD_INPUT)


def _check_store(path: Path) -> None:
    from .rebuild import StoreError, config_of

    if not path.is_dir():
        raise _fail(f"{path} is not a directory (give a run folder written by --no-tui --out DIR)")
    try:
        config_of(path)
    except StoreError as err:
        raise _fail(err) from None


def view(
    runs: Annotated[list[Path], Arg(metavar="DIR [DIR2]", help="A run folder (--out DIR); a second one "
                                    "opens both side by side.", show_default=False)],
    follow: Annotated[bool, Opt("--follow", "-f", help="Watch a run that is still being written.")] = False,
    fps: Annotated[float, Opt("--fps", help="Frames per second (0.1 to 30).")] = 4.0,
    marker: Annotated[str, Opt("--marker", help="Chart marker: hd, braille or dot.")] = "hd",
) -> None:
    """Open stored runs in the TUI, read-only: every chart and the timeline; space plays the stored
    snapshots ([ ] step, +/- pace), o compares with another run, S saves the view as SVG."""
    if len(runs) > 2:
        raise _fail(f"view takes one or two run folders, not {len(runs)}")
    for path in runs:
        _check_store(path)
    if marker not in ("hd", "braille", "dot"):
        raise _fail(f"--marker {marker!r} is not one of hd, braille, dot")
    if not 0.1 <= fps <= 30:
        raise _fail(f"--fps {fps:g} is out of range; allowed 0.1 to 30")
    from .app import ViewApp

    app = ViewApp(runs[0], follow=follow, fps=fps, marker=marker, compare=runs[1] if len(runs) > 1 else None)
    app.run()
    raise typer.Exit(int(app.return_code or 0))


def export(
    run: Annotated[Path, Arg(metavar="DIR", help="A run folder (--out DIR).", show_default=False)],
    step: Annotated[int, Opt("--step", "-s", help="The stored snapshot nearest this step.")] = -1,
    kind: Annotated[list[str] | None, Opt("--kind", "-k", help="Figure kind (repeat): cosine, scatter, "
                                          "histogram, fit, field, loss. Default: all.")] = None,
    fmt: Annotated[list[str] | None, Opt("--format", help="png, svg or pdf (repeat). Default png.")] = None,
    layer: Annotated[int, Opt("--layer", "-l", help="Hidden layer, from 1.")] = 1,
    out: Annotated[Path | None, Opt("--out", "-o", help="Folder for the files. Default DIR/figures.")] = None,
) -> None:
    """Write the paper's figure kinds for one stored snapshot (needs matplotlib:
    pip install 'condense-tui[figures]'). --step -1 (the default): the newest snapshot."""
    _check_store(run)
    from .export import ExportError, export_figures

    try:
        export_figures(run, step, kind, fmt or ["png"], layer, out)
    except ExportError as err:
        raise _fail(err) from None


def register(app: typer.Typer) -> None:
    app.command("view")(view)
    app.command("export")(export)
