"""The command line: `condense-tui` opens the TUI, `condense-tui --no-tui` runs headless.

Only Typer loads at import time: the engine (NumPy, torch), Textual and Rich tables are imported
inside the command bodies, so `condense-tui --help` answers at once.
"""

from __future__ import annotations

import gc
import inspect
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .cli_flags import flag_names, flag_parameters, plain_values, with_parameters
from .config.defaults import DEFAULT_PRESET  # re-exported: scripts import it from here
from .config.face import TuiOptions
from .config.fields import OUT, PRESET, TUI, field_table
from .config.run_config import RunConfig
from .serve import serve_parameters  # Typer only: textual-serve loads when serving

PROG = "condense-tui"
EXIT_BAD_INPUT = 2


def _error(message: str) -> None:
    text = " ".join(str(message).split())  # one line, whatever the source wrote
    try:
        sys.stderr.write(f"{PROG}: error: {text}\n")
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # stderr closed (None) or unwritable (/dev/full)
        pass


def _fail(message: str) -> typer.Exit:
    _error(message)
    return typer.Exit(EXIT_BAD_INPUT)


class _OneLineErrors(TyperGroup):
    """Usage errors (a bad flag or value) as one line on stderr and exit 2, not a usage box."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        try:
            code = super().main(args=args, prog_name=prog_name or PROG, complete_var=complete_var,
                                standalone_mode=False, windows_expand_args=windows_expand_args, **extra)
        except typer.TyperException as err:  # click's UsageError, BadParameter, NoSuchOption
            _error(f"{err.format_message()} (see {PROG} --help)")
            code = getattr(err, "exit_code", EXIT_BAD_INPUT)
        except typer.Abort:
            code = 130
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


from .cli_listings import register as _register_listings  # noqa: E402 - needs nothing heavy
from .sweep.command import register as _register_sweep  # noqa: E402 - needs nothing heavy
from .viewer.command import register as _register_view  # noqa: E402 - needs nothing heavy

app = typer.Typer(
    cls=_OneLineErrors, name=PROG, invoke_without_command=True, rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    help=(
        "Watch and measure the [bold]condensation[/bold] of small-init neural networks.\n\n"
        f"Without a subcommand: train a preset (default [cyan]{DEFAULT_PRESET}[/cyan]) in the TUI, or "
        "headless with [cyan]--no-tui[/cyan] (JSON Lines on stdout, progress on stderr). "
        "Flags override the preset.\n\n"
        "Exit codes: 0 done, 2 bad input, 3 the run diverged, 74 the run store or stdout could not "
        "be written, 130 interrupted."
    ),
)


def package_version() -> str:
    """The installed distribution's version (importlib.metadata: no package import needed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PROG)
    except PackageNotFoundError:
        return "unknown (not installed; pip install -e .)"


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {package_version()}\n")
        raise typer.Exit(0)


def normalise_no_color(environ: Any = os.environ) -> None:
    """no-color.org: NO_COLOR disables colour only when set and non-empty. Textual treats any value,
    even an empty one, as set, so an empty NO_COLOR is removed before the app reads it."""
    if environ.get("NO_COLOR") == "":
        del environ["NO_COLOR"]


def _complete_presets(incomplete: str) -> list[str]:
    from .config import preset_names

    return [name for name in preset_names() if name.startswith(incomplete)]


_RUN_TABLE, _FACE_TABLE = field_table(RunConfig), field_table(TuiOptions)
Opt = typer.Option


def _given(preset: str | None, no_tui: bool, out: str | None, force: bool, quiet: bool, plot: bool,
           paused: bool, version: bool = False, **flags: Any) -> None:
    face = {key: flags.pop(key) for key in flag_names(_FACE_TABLE)}
    config, overrides = _build_config(preset, flags)
    if out is not None:
        _check_path(out, "--out")
    if not no_tui:
        headless_only = [name for name, given in (("--out", out is not None), ("--force", force),
                                                  ("--quiet", quiet), ("--plot", plot)) if given]
        if headless_only:
            raise _fail(f"{headless_only[0]} works with --no-tui only")
        options = _tui_options(face)
        raise typer.Exit(_open_tui(config, paused, options.fps, options.marker))
    tui_only = [flag for flag, given in (("--paused", paused), *((_FACE_TABLE[k].flag_name, v is not None)
                                                                for k, v in face.items())) if given]
    if tui_only:
        raise _fail(f"{tui_only[0]} is a TUI flag; drop it or drop --no-tui")
    from .headless.runner import BadInput, run_headless

    gc.enable()  # off for start-up only (launch.py)
    try:
        code = run_headless(config, out=None if out is None else Path(out), force=force, quiet=quiet,
                            plot=plot, overrides=overrides)
    except BadInput as err:
        raise _fail(str(err)) from None
    raise typer.Exit(code)


def _tui_options(face: dict[str, Any]) -> Any:
    from .config import ConfigError, TuiOptions

    try:
        return TuiOptions(**{key: value for key, value in face.items() if value is not None})
    except ConfigError as err:
        raise _fail(str(err)) from None


def _check_path(text: str, what: str) -> None:
    from .config import ConfigError, check_path_text

    try:
        check_path_text(text, what)
    except ConfigError as err:
        raise _fail(str(err)) from None


def _fixed_parameters() -> tuple[list[inspect.Parameter], list[inspect.Parameter]]:
    """The flags that are not settings of a run: (before the settings, after them)."""
    def param(name: str, annotation: Any, default: Any) -> inspect.Parameter:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)

    before = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
        param("preset", Annotated[str | None, Opt(
            "--preset", "-p", metavar="NAME|PATH", autocompletion=_complete_presets, rich_help_panel=PRESET,
            help=f"Preset name (see [cyan]{PROG} presets[/cyan]) or a TOML file, e.g. a run's config.toml. "
                 f"Default {DEFAULT_PRESET}.")], None),
        param("no_tui", Annotated[bool, Opt("--no-tui", rich_help_panel=PRESET,
                                            help="Run headless: JSON Lines on stdout, progress on stderr.")],
              False),
    ]
    after = [
        param("version", Annotated[bool, Opt("--version", is_eager=True, callback=_show_version,
                                             help="Print the version and exit.")], False),
        param("out", Annotated[str | None, Opt(
            "--out", "-o", metavar="DIR", rich_help_panel=OUT,
            help="Run store: config.toml, metrics.jsonl, losses.npy, snapshots/, snapshots.npz, "
                 "summary.json.")], None),
        param("force", Annotated[bool, Opt("--force", help="Overwrite a non-empty --out directory.",
                                           rich_help_panel=OUT)], False),
        param("quiet", Annotated[bool, Opt("--quiet", "-q", help="No progress bar on stderr.",
                                           rich_help_panel=OUT)], False),
        param("plot", Annotated[bool, Opt("--plot", help="Text charts on stderr at the end: loss, and the "
                                          "orientation histogram (1-D input) or similarity heatmap.",
                                          rich_help_panel=OUT)], False),
        param("paused", Annotated[bool, Opt("--paused", help="Open the TUI paused.", rich_help_panel=TUI)],
              False),
    ]
    return before, after


def run(ctx: typer.Context, **values: Any) -> None:
    """The flags are the field table's (config/), built by cli_flags; see _fixed_parameters for the rest."""
    if ctx.invoked_subcommand is not None:
        gc.enable()  # off for start-up only (launch.py)
        return
    _given(**plain_values(values))


_BEFORE, _AFTER = _fixed_parameters()
app.callback()(with_parameters(run, [*_BEFORE, *flag_parameters(_RUN_TABLE), *_AFTER,
                                     *flag_parameters(_FACE_TABLE)]))


def _build_config(preset: str | None, flags: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The preset with the given flags on top, settled by config.rules and validated by config."""
    from .config import ConfigError, load_preset, settle, values_to_config

    values = {key: value for key, value in flags.items() if value is not None}
    if "activation" in values:
        from .engine.activations import split_activations  # commas inside min(z, 0) do not split

        names = split_activations(values["activation"])
        values["activation"] = names[0] if len(names) == 1 else tuple(names)
    try:
        base = load_preset(DEFAULT_PRESET if preset is None else preset)
        changes = settle(base, values)
        config = values_to_config(changes, "command line", base)
    except ConfigError as err:
        raise _fail(str(err)) from None
    return config, values


_TUI_OPENED = False


def _open_tui(config: Any, paused: bool, fps: float, marker: str) -> int:
    global _TUI_OPENED
    from .tui.run_build import start_first_run

    first_build = start_first_run(config, paused=paused, fps=fps)  # trains while Textual loads
    try:
        from .tui.app import run_tui
    except ImportError as err:
        raise _fail(f"the TUI is not available ({err}); run headless with --no-tui") from None
    _TUI_OPENED = True
    return run_tui(config, paused=paused, fps=fps, marker=marker, first_build=first_build)


_register_listings(app)
_register_sweep(app)
_register_view(app)


def serve_command(ctx: typer.Context, host: str, port: int, public_url: str | None, paused: bool,
                  **values: Any) -> None:
    """The TUI in a web browser (textual-serve): each browser tab runs its own app with these flags."""
    from . import serve as web

    values = plain_values(values)
    face = {key: values.pop(key) for key in flag_names(_FACE_TABLE)}
    _build_config(values.pop("preset"), values)  # bad flags fail here, not in every browser tab
    _tui_options(face)
    try:
        raise typer.Exit(web.serve(web.app_command(web.given_flags(ctx)), host, port, public_url))
    except web.ServeError as err:
        raise _fail(str(err)) from None


app.command("serve")(with_parameters(serve_command, [
    _BEFORE[0], *serve_parameters(), _BEFORE[1], *flag_parameters(_RUN_TABLE), _AFTER[-1],
    *flag_parameters(_FACE_TABLE)]))


def main(argv: list[str] | None = None) -> None:
    """Console script entry point."""
    normalise_no_color()
    try:
        typer.main.get_command(app).main(args=argv, prog_name=PROG)
    except SystemExit as done:
        if not _TUI_OPENED:
            raise
        # The app has stopped its threads and given the terminal back; skipping the interpreter's
        # teardown (torch's finalizers take ~0.7 s) keeps quitting under a second.
        from .tui.__main__ import exit_now

        exit_now(done.code if isinstance(done.code, int) else 0)


if __name__ == "__main__":
    main()
