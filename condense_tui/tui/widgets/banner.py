"""A loud, one-line banner shown while the run has diverged."""

from __future__ import annotations

from textual.widgets import Static


class DivergedBanner(Static):
    DEFAULT_CSS = """
    DivergedBanner {
        display: none;
        height: 1;
        background: $error;
        color: $text;
        text-style: bold;
    }
    DivergedBanner.-shown {
        display: block;
    }
    """

    def show_divergence(self, step: int | None) -> None:
        if step is None:
            self.remove_class("-shown")
            return
        self.update(f"DIVERGED at step {step}: the loss became non-finite; showing the last finite "
                    "weights. r resets, lower lr in the controls (c), p picks a preset.")
        self.add_class("-shown")
