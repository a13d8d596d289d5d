"""`condense-tui presets` and `condense-tui activations`: the two listings, as Rich tables.

Both load what they list on first use, so registering them keeps `--help` light."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("presets")(list_presets)
    app.command("activations")(list_activations)


def list_presets() -> None:
    """List the presets: name, paper figure, the theory's line count for its data, what it shows."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from .config import ConfigError, load_preset, preset_names
    from .preset_notes import predicted_lines_text

    # theory: the first layer's predicted line count for the preset's own data draw (stored, measured)
    table = Table("preset", "figure", "theory", "what it shows", box=None, header_style="bold")
    for name in preset_names():
        try:
            config = load_preset(name)
        except ConfigError as err:
            table.add_row(escape(name), "", "", f"[red]invalid: {escape(str(err))}[/red]")
            continue
        gpu = " [yellow](wants a GPU)[/yellow]" if config.wants_gpu or config.device == "cuda" else ""
        # preset text is the user's: shown as written, never read as Rich markup
        table.add_row(escape(name), escape(config.figure), predicted_lines_text(name),
                      escape(config.description) + gpu)
    Console().print(table)


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
