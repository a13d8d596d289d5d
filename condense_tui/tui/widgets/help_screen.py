"""The help screen (?): every key and what each chart shows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
[b]condense-tui[/b]: watch the input weights of hidden neurons condense onto at most 2p orientations.

[b]Keys[/b]
  space   play / pause             n   one step (while paused)
  r       reset (same initial weights)   R   reseed (new initial weights)
  + -     speed cap up / down (slow ... max)
  l       next hidden layer        1-4 chart tabs
  c       show / hide the controls (Enter applies a field, Esc returns to the keys)
  p       preset picker            ctrl+p  command palette (presets too)
  ?       this help                q   quit

[b]Charts[/b]
  1 loss (log; orange line: the preset's watch step) and the orientation histogram
    (1-D input: angle atan2(b, w) weighted by amplitude; red/blue lines: theory's
    orientations for a>0 / a<0) or, for wider inputs, the cosine-similarity heatmap.
  2 amplitude vs orientation, initial (grey) and now (red); the heatmap for 1-D input.
  3 network output vs data vs the least-squares polynomial of degree p (paper Fig 5).
  4 direction field of the first layer in the (w, b) plane (paper Fig 6); neurons with
    a>0 follow the arrows, a<0 go against them.

[b]Status[/b]  step, loss, steps/s (cap), counted lines and orientations against 2p,
  effective rank of the cosine matrix. Press any of Esc ? q to close.
"""


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 96;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "close", show=True)]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(HELP)
