"""write_figures: the chosen figure kinds of one snapshot, as PNG, SVG or PDF files in a folder."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import cosine, field, fit, histogram, loss, scatter  # siblings; the package imports nothing
from .canvas import FigureError, FigureSource, require_matplotlib

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..engine.snapshot import Snapshot

FORMATS = ("png", "svg", "pdf")


@dataclass(frozen=True)
class FigureKind:
    name: str
    build: Callable[[FigureSource], Figure]
    unavailable: Callable[[FigureSource], str | None]  # why this snapshot cannot have it, or None
    layered: bool  # drawn for the chosen layer (the others: for the run as a whole)


FIGURE_KINDS: dict[str, FigureKind] = {k.name: k for k in (
    FigureKind("cosine", cosine.build, cosine.unavailable, True),
    FigureKind("scatter", scatter.build, scatter.unavailable, True),
    FigureKind("histogram", histogram.build, histogram.unavailable, True),
    FigureKind("fit", fit.build, fit.unavailable, False),
    FigureKind("field", field.build, field.unavailable, False),
    FigureKind("loss", loss.build, loss.unavailable, False),
)}
KINDS = tuple(FIGURE_KINDS)


class FigureFiles(list[Path]):
    """The files written, in order; .skipped says which kinds this run cannot have, and why."""

    def __init__(self) -> None:
        super().__init__()
        self.skipped: dict[str, str] = {}


def figure_name(kind: str, step: int, layer: int, fmt: str) -> str:
    """Stable file names: fig-cosine-step200.png; a layered kind of a layer past the first says so."""
    part = f"-layer{layer + 1}" if layer > 0 and FIGURE_KINDS[kind].layered else ""
    return f"fig-{kind}{part}-step{step}.{fmt}"


def make_source(snapshot: Snapshot, layer: int = 0, replica: int = 0,
                loss_history: tuple[np.ndarray, np.ndarray] | None = None) -> FigureSource:
    """The analysed network a builder draws (one analysis shared by every kind)."""
    from ..analysis.report import analyze

    layers = len(snapshot.layers)
    if not 0 <= layer < layers:
        raise FigureError(f"layer {layer + 1} does not exist (this run has {layers} hidden "
                          f"layer{'s' if layers != 1 else ''}: choose 1..{layers})")
    if not 0 <= replica < snapshot.replicas:
        raise FigureError(f"replica {replica} does not exist (this run has {snapshot.replicas})")
    return FigureSource(snapshot, analyze(snapshot, replica=replica), layer, replica, loss_history)


def build_figure(kind: str, source: FigureSource) -> Figure:
    """One figure, for callers that show it themselves; FigureError when this run cannot have it."""
    reason = _kind(kind).unavailable(source)
    if reason is not None:
        raise FigureError(reason)
    return FIGURE_KINDS[kind].build(source)


def write_figures(snapshot: Snapshot, out_dir: str | Path, kinds: Iterable[str] | None = None,
                  formats: Iterable[str] = ("png",), *, layer: int = 0, replica: int = 0,
                  loss_history: tuple[np.ndarray, np.ndarray] | None = None) -> FigureFiles:
    """Write each chosen kind (None: all of KINDS) in each format into out_dir, creating it.

    layer is 0-based (the figures' titles count from 1). loss_history: (steps, losses) of the whole
    run, for the loss curve. Kinds this run cannot have (1-D figures of a 5-D or CIFAR-10 run) are
    left out and listed in the result's .skipped with the reason. Raises FigureError, one line, for
    a bad kind, format or layer, missing matplotlib, or a folder or file that cannot be written;
    a file is written whole or not at all.
    """
    chosen = [_kind(k).name for k in (KINDS if kinds is None else kinds)]
    fmts = [_format(f) for f in formats]
    require_matplotlib()
    source = make_source(snapshot, layer, replica, loss_history)
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FigureError(f"cannot create the figure folder {folder}: {_why(exc)} "
                          "(choose a folder you can write to)") from exc
    written = FigureFiles()
    for name in chosen:
        reason = FIGURE_KINDS[name].unavailable(source)
        if reason is not None:
            written.skipped[name] = reason
            continue
        fig = FIGURE_KINDS[name].build(source)
        for fmt in fmts:
            path = folder / figure_name(name, snapshot.step, layer, fmt)
            _save(fig, path, fmt)
            written.append(path)
    return written


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write a figure as the file type its extension names (.png, .svg, .pdf)."""
    target = Path(path)
    _save(fig, target, _format(target.suffix or "(none)"))
    return target


def _save(fig: Figure, path: Path, fmt: str) -> None:
    """Write beside the target, then rename: a full disk leaves no truncated image behind."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        fig.savefig(partial, format=fmt)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        hint = ("free some disk space" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
                else "choose a folder you can write to")
        raise FigureError(f"cannot write {path}: {_why(exc)} ({hint})") from exc


def _why(exc: OSError) -> str:
    return (exc.strerror or str(exc)).replace("\n", " ")


def _kind(name: str) -> FigureKind:
    if name not in FIGURE_KINDS:
        raise FigureError(f"unknown figure kind {name!r} (choose from {', '.join(KINDS)})")
    return FIGURE_KINDS[name]


def _format(name: str) -> str:
    fmt = name.lower().lstrip(".")
    if fmt not in FORMATS:
        raise FigureError(f"unknown figure format {name!r} (choose from {', '.join(FORMATS)})")
    return fmt
