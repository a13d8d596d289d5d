"""`condense-tui export`: figures.write_figures on a stored snapshot, said on stderr."""

from __future__ import annotations

import sys
from pathlib import Path


class ExportError(ValueError):
    """One line for the user (a bad step or layer, missing matplotlib, an unwritable folder)."""


def export_figures(path: Path, step: int, kinds: list[str] | None, formats: list[str], layer: int,
                   out: Path | None) -> list[Path]:
    """Write the figures of the stored snapshot nearest `step` (-1: the newest); returns the files."""
    from ..figures import FigureError, write_figures
    from .rebuild import SnapshotRebuilder, context_of, open_store

    run, config = open_store(path)
    steps = run.snapshots.steps
    if not len(steps):
        raise ExportError(f"{path} holds no snapshot yet (wait for the run to store one)")
    index = len(steps) - 1 if step < 0 else int(abs(steps - step).argmin())  # -1: the newest
    rebuilder = SnapshotRebuilder(context_of(config))
    snapshot = rebuilder.snapshot(run, index, previous_step=-1)  # the whole loss curve up to it
    if step >= 0 and int(steps[index]) != step:
        _say(f"step {step} is not stored; using the nearest stored step {int(steps[index])}")
    else:
        _say(f"step {int(steps[index])}")
    folder = out if out is not None else path / "figures"
    try:
        files = write_figures(snapshot, folder, kinds, formats, layer=layer - 1,
                              loss_history=(snapshot.loss_steps, snapshot.losses[:, 0]))
    except FigureError as err:
        raise ExportError(str(err)) from None
    for kind, reason in files.skipped.items():
        _say(f"skipped {kind}: {reason}")
    for file in files:
        print(file)
    return list(files)


def _say(text: str) -> None:
    sys.stderr.write(f"condense-tui: {text}\n")
