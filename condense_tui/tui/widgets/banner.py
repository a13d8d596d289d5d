"""A loud banner shown while the run has diverged: what happened and what to do, in the words that
fit the terminal's width (the status line already says at which step)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

# longest first; the shortest fits 60 columns
ADVICE = (
    ("DIVERGED at step {step}: the loss became non-finite; showing the last finite weights. "
     "r resets, lower lr in the controls (c), p picks a preset."),
    "DIVERGED at step {step}: the loss is not finite. r reset, c lower lr, p preset",
    "DIVERGED at step {step}: r reset, c lower lr, p preset",
)


def advice_for(step: int, width: int) -> str:
    """The longest advice that fits `width` columns (the shortest one when none does)."""
    texts = [text.format(step=step) for text in ADVICE]
    return next((text for text in texts if len(text) <= width), texts[-1])


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

    step: int | None = None

    def show_divergence(self, step: int | None) -> None:
        if step is None:
            self.step = None
            self.remove_class("-shown")
            return
        if step != self.step:
            self.step = step
            self.refresh()
        self.add_class("-shown")

    @property
    def advice(self) -> str:
        """What the banner says at its present width (tests read it)."""
        return "" if self.step is None else advice_for(self.step, self.content_size.width or self.app.size.width)

    def render(self) -> Text:
        return Text(self.advice, no_wrap=True, overflow="ellipsis")
