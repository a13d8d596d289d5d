"""The command line: `condense-tui` opens the TUI, `condense-tui --no-tui` runs headless.

Only Typer loads at import time: the engine (NumPy, torch), Textual and Rich tables are imported
inside the command bodies, so `condense-tui --help` answers at once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

PROG = "condense-tui"
DEFAULT_PRESET = "fig6-x2tanh"  # a fast 1-D preset: both faces start here when no preset is given
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

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            code = super().main(args=args, prog_name=prog_name or PROG, complete_var=complete_var,
                                standalone_mode=False, **extra)
        except typer.TyperException as err:  # click's UsageError, BadParameter, NoSuchOption
            _error(f"{err.format_message()} (see {PROG} --help)")
            code = getattr(err, "exit_code", EXIT_BAD_INPUT)
        except typer.Abort:
            code = 130
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


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


def _complete_presets(incomplete: str) -> list[str]:
    from .config import preset_names

    return [name for name in preset_names() if name.startswith(incomplete)]


_PRESET, _MODEL, _DATA, _TRAIN, _OUT, _TUI, _REAL = ("Preset", "Model", "Data", "Training",
                                                     "Headless output (--no-tui)", "TUI", "Real data")
Opt = typer.Option


@app.callback()
def run(
    ctx: typer.Context,
    preset: Annotated[Optional[str], Opt(
        "--preset", "-p", metavar="NAME|PATH", autocompletion=_complete_presets, rich_help_panel=_PRESET,
        help=f"Preset name (see [cyan]{PROG} presets[/cyan]) or a TOML file, e.g. a run's config.toml. "
             f"Default {DEFAULT_PRESET}.")] = None,
    no_tui: Annotated[bool, Opt("--no-tui", rich_help_panel=_PRESET,
                                help="Run headless: JSON Lines on stdout, progress on stderr.")] = False,
    # model
    activation: Annotated[Optional[str], Opt(
        help="Activation, or one per hidden layer separated by commas "
             f"(see [cyan]{PROG} activations[/cyan]).", rich_help_panel=_MODEL)] = None,
    multiplicity: Annotated[Optional[int], Opt(
        help="Use x^(p-1)*tanh(x), the activation of multiplicity p.", rich_help_panel=_MODEL)] = None,
    width: Annotated[Optional[int], Opt(help="Hidden layer width m.", rich_help_panel=_MODEL)] = None,
    depth: Annotated[Optional[int], Opt(help="Number of hidden layers.", rich_help_panel=_MODEL)] = None,
    residual: Annotated[Optional[bool], Opt(
        "--residual/--no-residual", help="Skip connections between equal-width hidden layers.",
        rich_help_panel=_MODEL, show_default=False)] = None,
    init_std: Annotated[Optional[float], Opt(
        help="Every parameter ~ N(0, std^2).", rich_help_panel=_MODEL)] = None,
    init_gamma: Annotated[Optional[float], Opt(
        help="Init scale as std = width^-gamma (replaces --init-std).", rich_help_panel=_MODEL)] = None,
    # data
    data: Annotated[Optional[str], Opt(
        help="Data preset: fig2, fig3, fig4a, fig5, custom (with --target, --input-dim, --n, "
             "--low, --high), or files: mnist, cifar10 (with --data-dir).", rich_help_panel=_DATA)] = None,
    target: Annotated[Optional[str], Opt(
        help="Target expression in x (1-D) or x1..xd, e.g. 'sin(3*x)'; keeps the data preset's "
             "domain unless you set it.", rich_help_panel=_DATA)] = None,
    input_dim: Annotated[Optional[int], Opt(help="Input dimension d.", rich_help_panel=_DATA)] = None,
    n: Annotated[Optional[int], Opt("--n", help="Number of training points.", rich_help_panel=_DATA)] = None,
    low: Annotated[Optional[float], Opt(help="Lower end of the input domain.", rich_help_panel=_DATA)] = None,
    high: Annotated[Optional[float], Opt(help="Upper end of the input domain.", rich_help_panel=_DATA)] = None,
    sampling: Annotated[Optional[str], Opt(
        help="uniform (random draws) or grid (1-D only).", rich_help_panel=_DATA)] = None,
    data_seed: Annotated[Optional[int], Opt(help="Seed of the random inputs.", rich_help_panel=_DATA)] = None,
    # training
    optimizer: Annotated[Optional[str], Opt(help="adam or gd (full batch).", rich_help_panel=_TRAIN)] = None,
    lr: Annotated[Optional[float], Opt(help="Learning rate.", rich_help_panel=_TRAIN)] = None,
    loss: Annotated[Optional[str], Opt(
        help="paper: 1/(2n) sum (f-y)^2; mse: 1/n sum (f-y)^2.", rich_help_panel=_TRAIN)] = None,
    steps: Annotated[Optional[int], Opt(help="Step budget.", rich_help_panel=_TRAIN)] = None,
    seed: Annotated[Optional[int], Opt(help="Seed of the initial weights.", rich_help_panel=_TRAIN)] = None,
    device: Annotated[Optional[str], Opt(help="cpu, cuda or auto.", rich_help_panel=_TRAIN)] = None,
    dtype: Annotated[Optional[str], Opt(help="float32 or float64.", rich_help_panel=_TRAIN)] = None,
    snapshot_every: Annotated[Optional[int], Opt(
        help="Steps between snapshots (weights and condensation measures).", rich_help_panel=_TRAIN)] = None,
    log_every: Annotated[Optional[int], Opt(
        help="Steps between loss records on stdout.", rich_help_panel=_TRAIN)] = None,
    # real data (MNIST, CIFAR-10)
    data_dir: Annotated[Optional[str], Opt(
        metavar="DIR", help="Folder holding the MNIST or CIFAR-10 files (default: "
        "$CONDENSE_TUI_DATA_DIR, else the current folder).", rich_help_panel=_REAL)] = None,
    mnist_target: Annotated[Optional[str], Opt(
        help="mnist: regression target 'digit' (0..9) or 'digit/9'.", rich_help_panel=_REAL)] = None,
    batch_size: Annotated[Optional[int], Opt(help="cifar10: mini-batch size.", rich_help_panel=_REAL)] = None,
    epochs: Annotated[Optional[int], Opt(
        help="cifar10: budget in epochs (replaces --steps).", rich_help_panel=_REAL)] = None,
    lr_drop_epoch: Annotated[Optional[int], Opt(
        help="cifar10: epoch after which the lr becomes --lr-drop-to.", rich_help_panel=_REAL)] = None,
    lr_drop_to: Annotated[Optional[float], Opt(help="cifar10: the lr after the drop.",
                                               rich_help_panel=_REAL)] = None,
    fc_init: Annotated[Optional[str], Opt(
        help="cifar10: FC init, std or a Table 1 scheme (glorot_uniform, glorot_normal, ...).",
        rich_help_panel=_REAL)] = None,
    backbone_width: Annotated[Optional[int], Opt(
        help="cifar10: channels of the first ResNet18 stage (64 = ResNet18).", rich_help_panel=_REAL)] = None,
    fc_layer: Annotated[Optional[int], Opt(
        help="cifar10: FC hidden layer to analyse (1-based; 0 = all).", rich_help_panel=_REAL)] = None,
    n_test: Annotated[Optional[int], Opt(help="cifar10: test images used for accuracy.",
                                         rich_help_panel=_REAL)] = None,
    augment: Annotated[Optional[bool], Opt(
        "--augment/--no-augment", help="cifar10: random crop and flip.", rich_help_panel=_REAL,
        show_default=False)] = None,
    # headless output
    out: Annotated[Optional[Path], Opt(
        "--out", "-o", metavar="DIR", rich_help_panel=_OUT,
        help="Run store: config.toml, metrics.jsonl, losses.npy, snapshots/, snapshots.npz, "
             "summary.json.")] = None,
    force: Annotated[bool, Opt("--force", help="Overwrite a non-empty --out directory.", rich_help_panel=_OUT)] = False,
    quiet: Annotated[bool, Opt("--quiet", "-q", help="No progress bar on stderr.",
                               rich_help_panel=_OUT)] = False,
    plot: Annotated[bool, Opt("--plot", help="Text charts on stderr at the end: loss, and the orientation "
                                   "histogram (1-D input) or similarity heatmap.",
                              rich_help_panel=_OUT)] = False,
    # TUI
    paused: Annotated[bool, Opt("--paused", help="Open the TUI paused.", rich_help_panel=_TUI)] = False,
    fps: Annotated[Optional[float], Opt(help="Chart refreshes per second (4 by default).",
                                        rich_help_panel=_TUI)] = None,
    marker: Annotated[Optional[str], Opt(help="Chart marker: hd (half blocks, default), braille, dot.",
                                         rich_help_panel=_TUI)] = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    flags = {
        "activation": activation, "multiplicity": multiplicity, "width": width, "depth": depth,
        "residual": residual, "init_std": init_std, "init_gamma": init_gamma, "data": data,
        "target": target, "input_dim": input_dim, "n": n, "low": low, "high": high,
        "sampling": sampling, "data_seed": data_seed, "optimizer": optimizer, "lr": lr, "loss": loss,
        "steps": steps, "seed": seed, "device": device, "dtype": dtype,
        "snapshot_every": snapshot_every, "log_every": log_every,
        "data_dir": data_dir, "mnist_target": mnist_target, "batch_size": batch_size, "epochs": epochs,
        "lr_drop_epoch": lr_drop_epoch, "lr_drop_to": lr_drop_to, "fc_init": fc_init,
        "backbone_width": backbone_width, "fc_layer": fc_layer, "n_test": n_test, "augment": augment,
    }
    config, overrides = _build_config(preset, flags)
    if not no_tui:
        headless_only = [name for name, given in (("--out", out is not None), ("--force", force),
                                                  ("--quiet", quiet), ("--plot", plot)) if given]
        if headless_only:
            raise _fail(f"{headless_only[0]} works with --no-tui only")
        raise typer.Exit(_open_tui(config, paused, 4.0 if fps is None else fps, marker or "hd"))
    tui_only = [name for name, given in (("--paused", paused), ("--fps", fps is not None),
                                         ("--marker", marker is not None)) if given]
    if tui_only:
        raise _fail(f"{tui_only[0]} is a TUI flag; drop it or drop --no-tui")
    from .headless.runner import BadInput, run_headless

    try:
        code = run_headless(config, out=out, force=force, quiet=quiet, plot=plot, overrides=overrides)
    except BadInput as err:
        raise _fail(str(err)) from None
    raise typer.Exit(code)


def _build_config(preset: str | None, flags: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The preset with the given flags on top, validated by config.py (the one place that does)."""
    from .config import ConfigError, load_preset, values_to_config

    values = {key: value for key, value in flags.items() if value is not None}
    if "activation" in values:
        names = [part.strip() for part in values["activation"].split(",")]
        values["activation"] = names[0] if len(names) == 1 else tuple(names)
        values.setdefault("multiplicity", None)  # an activation named here beats the preset's p
    if "init_std" in values:
        values.setdefault("init_gamma", None)  # gamma would otherwise override the std
    if "steps" in values:
        values.setdefault("epochs", None)  # epochs would otherwise set the budget
    try:
        base = load_preset(preset or DEFAULT_PRESET)
        config = values_to_config(values, "command line", base)
    except ConfigError as err:
        raise _fail(str(err)) from None
    overrides = {key: value for key, value in values.items() if flags.get(key) is not None}
    return config, overrides


_TUI_OPENED = False


def _open_tui(config: Any, paused: bool, fps: float, marker: str) -> int:
    global _TUI_OPENED
    try:
        from .tui.app import run_tui
    except ImportError as err:
        raise _fail(f"the TUI is not available ({err}); run headless with --no-tui") from None
    _TUI_OPENED = True
    return run_tui(config, paused=paused, fps=fps, marker=marker)


@app.command("presets")
def list_presets() -> None:
    """List the presets: name, paper figure, what it shows."""
    from rich.console import Console
    from rich.table import Table

    from .config import ConfigError, load_preset, preset_names

    table = Table("preset", "figure", "what it shows", box=None, header_style="bold")
    for name in preset_names():
        try:
            config = load_preset(name)
        except ConfigError as err:
            table.add_row(name, "", f"[red]invalid: {err}[/red]")
            continue
        gpu = " [yellow](wants a GPU)[/yellow]" if config.wants_gpu or config.device == "cuda" else ""
        table.add_row(name, config.figure, config.description + gpu)
    Console().print(table)


@app.command("activations")
def list_activations() -> None:
    """List the activations with their multiplicity p, sigma(0) and sigma^(p)(0), measured by the engine."""
    from rich.console import Console
    from rich.table import Table

    from .engine.activations import activation_names, get_activation

    table = Table("name", "formula", "p", "sigma(0)", "sigma^(p)(0)", "bound 2p", box=None,
                  header_style="bold")
    for name in activation_names():
        act = get_activation(name)
        mult = act.multiplicity
        p = "-" if mult.p is None else str(mult.p)
        note = "not smooth at 0" if not mult.smooth else "-"
        table.add_row(act.name, act.formula, p if mult.p is not None else f"- ({note})",
                      f"{mult.sigma0:.6g}", "-" if mult.derivative_p is None else f"{mult.derivative_p:.6g}",
                      "-" if mult.p is None else str(2 * mult.p))
    Console().print(table)


def main(argv: list[str] | None = None) -> None:
    """Console script entry point."""
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
