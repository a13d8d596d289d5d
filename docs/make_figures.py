"""Render the README's example figures: every kind for fig6-x2tanh at its watch step (200), the
cosine heatmap for fig2-x2tanh at step 100, into docs/figures/<preset>/ (run from the repo root).

    .venv/bin/python docs/make_figures.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from condense_tui.config import load_preset
from condense_tui.engine.snapshot import Snapshot
from condense_tui.runs import build_controller
from condense_tui.figures import loss_history, write_figures

OUT = Path(__file__).parent / "figures"


def run(preset: str, step: int) -> list[Snapshot]:
    trainer = build_controller(load_preset(preset), max_steps=step)
    published: list[Snapshot] = []
    trainer.subscribe(published.append)
    trainer.run()
    return published


def main() -> None:
    for preset, step, kinds in (("fig6-x2tanh", 200, None), ("fig2-x2tanh", 100, ["cosine"])):
        snaps = run(preset, step)
        files = write_figures(snaps[-1], OUT / preset, kinds, ["png"], loss_history=loss_history(snaps))
        for path in files:
            print(path)
        for kind, reason in files.skipped.items():
            print(f"skipped {kind}: {reason}", file=sys.stderr)


if __name__ == "__main__":
    main()
