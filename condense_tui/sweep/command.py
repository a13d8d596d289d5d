"""`condense-tui sweep`: rows as JSON Lines on stdout, progress and the summary table on stderr;
on a terminal (stdin and stdout both ttys) without --no-tui, the live sweep view instead (watch.py).

Exit codes: 0 done, 1 a run failed, 2 bad input, 130 interrupted (finished rows are kept).
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from .runner import SweepPlan

PROG = "condense-tui"
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
Opt = typer.Option

HELP = (
    "Train a grid of runs: a base preset plus axes. Points that differ only in seed or init scale "
    "train batched in one trainer; other axes run in worker processes (or on a Dask cluster). "
    "On a terminal: a live grid of the runs (Enter opens a run, q stops). With [cyan]--no-tui[/cyan] "
    "or when stdout is not a terminal: one JSON row per run on stdout; progress and a table over seeds "
    "on stderr.\n\n"
    "Axis values: [cyan]a,b,c[/cyan] | [cyan]lo:hi:n[/cyan] (n points, ends included) | "
    "[cyan]lo:hi:n:log[/cyan] (log spacing) | [cyan]lo-hi[/cyan] (whole numbers). "
    "Example: [cyan]--axis init_gamma=0.5:4:8 --axis activation=tanh,xtanh,x2tanh --seeds 0-4[/cyan]."
)


def _error(message: object) -> None:
    sys.stderr.write(f"{PROG}: error: {' '.join(str(message).split())}\n")
    sys.stderr.flush()


class _Interrupts:
    """First SIGINT/SIGTERM asks the sweep to stop after the rows it has; a second stops at once."""

    def __init__(self) -> None:
        self.caught = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.caught:
            raise KeyboardInterrupt
        self.caught = True

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


class _Reporter:
    """Rows to stdout (flushed per row), progress to stderr."""

    def __init__(self, quiet: bool) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        if not self.console.is_terminal:
            self.console.width = 160  # a log file gets the whole table, not one cut to 80 columns
        self.quiet = quiet
        self.stdout_open = True
        self.progress: Any = None
        self.task: Any = None

    def on_plan(self, plan: SweepPlan) -> None:
        if self.quiet:
            return
        from rich.markup import escape
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(TextColumn(escape(plan.spec.name)), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("runs"), TimeRemainingColumn(), console=self.console)
        self.task = self.progress.add_task("sweep", total=len(plan.points), completed=len(plan.done))
        self.progress.start()

    def on_row(self, row: dict[str, Any]) -> None:
        from .store import finite

        if self.stdout_open:
            try:
                sys.stdout.write(json.dumps(finite(row)) + "\n")
                sys.stdout.flush()
            except BrokenPipeError:
                self.stdout_open = False
        if self.progress is not None:
            self.progress.advance(self.task)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def sweep(
    sweep_file: Annotated[str | None, Opt(
        "--sweep", "-s", metavar="NAME|PATH",
        help="Sweep preset (sweep-2p, sweep-init-scale, sweep-seeds) or a sweep TOML file.")] = None,
    preset: Annotated[str | None, Opt("--preset", "-p", metavar="NAME|PATH",
                                         help="Base run preset (default: the sweep's, else fig6-x2tanh).")] = None,
    axis: Annotated[list[str] | None, Opt(
        "--axis", "-a", metavar="KEY=VALUES", help="An axis of the grid; repeat for more.")] = None,
    seeds: Annotated[str | None, Opt(metavar="LO-HI|A,B", help="Seeds axis, e.g. 0-4.")] = None,
    setting: Annotated[list[str] | None, Opt(
        "--set", metavar="KEY=VALUE", help="A fixed setting on every point, e.g. steps=200.")] = None,
    workers: Annotated[int | None, Opt(help="Worker processes (default: one per core).", min=1)] = None,
    scheduler: Annotated[str | None, Opt(
        metavar="ADDRESS", help="Send the points to a running Dask scheduler (needs condense-tui[cluster]).")] = None,
    out: Annotated[Path | None, Opt("--out", "-o", metavar="DIR",
                                       help="Sweep store: sweep.toml, rows.jsonl, rows.csv.")] = None,
    resume: Annotated[bool, Opt("--resume", help="Continue the sweep in --out DIR, skipping finished points.")] = False,
    force: Annotated[bool, Opt("--force", help="Start over in a non-empty --out DIR.")] = False,
    quiet: Annotated[bool, Opt("--quiet", "-q", help="No progress or table on stderr.")] = False,
    no_tui: Annotated[bool, Opt("--no-tui", help="Headless: JSON rows on stdout, progress on stderr "
                                               "(the mode whenever stdout is not a terminal).")] = False,
) -> None:
    raise typer.Exit(sweep_main(sweep_file, preset, axis or [], seeds, setting or [], workers, scheduler,
                                out, resume, force, quiet, tui=wants_view(no_tui)))


def wants_view(no_tui: bool) -> bool:
    """The live view needs a terminal to draw on and to read keys from; anything else is headless."""
    return not no_tui and sys.stdout.isatty() and sys.stdin.isatty()


def sweep_main(sweep_file: str | None, preset: str | None, axes: list[str], seeds: str | None,
               fixed: list[str], workers: int | None, scheduler: str | None, out: Path | None,
               resume: bool, force: bool, quiet: bool, tui: bool = False) -> int:
    from .runner import run_sweep
    from .spec import SweepError, SweepSpec, load_sweep, with_flags
    from .store import read_rows
    from .table import rich_table, summarize

    try:
        if resume:
            given = [name for name, value in (("--sweep", sweep_file), ("--preset", preset), ("--axis", axes),
                                              ("--seeds", seeds), ("--set", fixed)) if value]
            if out is None:
                raise SweepError("--resume needs --out DIR (the sweep store to continue)")
            if given:
                raise SweepError(f"--resume reads the sweep from {out}/sweep.toml; drop {given[0]}")
            spec = None
        else:
            base = load_sweep(sweep_file) if sweep_file else SweepSpec(axes={})
            spec = with_flags(base, preset, axes, seeds, fixed)
    except SweepError as err:
        _error(err)
        return EXIT_BAD_INPUT
    if tui:
        from .watch import watch_sweep

        with _Interrupts() as caught:
            return watch_sweep(spec, workers=workers, scheduler=scheduler, out=out, resume=resume, force=force,
                               quiet=quiet, stop=lambda: caught.caught, report=_error)
    reporter = _Reporter(quiet)
    with _Interrupts() as interrupts:
        try:
            rows = run_sweep(spec, workers=workers, scheduler=scheduler, out=out, resume=resume, force=force,
                             on_row=reporter.on_row, on_plan=reporter.on_plan,
                             stop=lambda: interrupts.caught or not reporter.stdout_open)
        except SweepError as err:
            reporter.close()
            _error(err)
            return EXIT_BAD_INPUT
        except KeyboardInterrupt:
            rows = []
        except (ValueError, RuntimeError, OSError) as err:  # a run that cannot start, a worker that died
            reporter.close()
            _error(f"a sweep run failed: {err} (finished rows are kept)")
            return EXIT_FAILED
        finally:
            reporter.close()
    if interrupts.caught:
        kept = f"; rows are in {out}, continue with --resume" if out is not None else ""
        sys.stderr.write(f"{PROG}: interrupted after {len(rows)} new runs{kept}\n")
        return EXIT_INTERRUPTED
    if not quiet:
        from .spec import load_sweep as _load

        all_rows = read_rows(out) if out is not None else rows
        shown = _load(str(out / "sweep.toml")) if out is not None else spec
        assert shown is not None
        reporter.console.print(rich_table(summarize(all_rows, shown.axes)))
    return EXIT_OK


def register(app: typer.Typer) -> None:
    """Add `sweep` to the main command line."""
    app.command("sweep", help=HELP)(sweep)


def standalone_app() -> typer.Typer:
    """`python -m condense_tui.sweep`: the same command on its own (until cli.py registers it)."""
    sub = typer.Typer(add_completion=False, rich_markup_mode="rich", help=HELP)
    sub.command(help=HELP)(sweep)
    return sub
