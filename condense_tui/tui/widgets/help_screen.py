"""The help screen (?): every key and what each chart shows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
[b]condense-tui[/b]: watch hidden neurons' input weights condense onto
at most 2p orientations (p: the activation's multiplicity).

[b]Keys[/b]
  space  play / pause         n   one step (pauses first)
  r      reset (same init)    R   reseed (new initial weights)
  + -    speed cap up / down  l   next hidden layer
  1-4    chart tabs           c   controls (Enter applies, Esc back)
  p      preset picker        ctrl+p  command palette (presets too)
  ?      this help            q   quit
  o      next optimizer, same initial weights: adam -> flow -> gd

[b]Charts[/b]
  1  loss (log; orange: the preset's watch step) over the
     orientation histogram: atan2(b, w) weighted by amplitude,
     theory's orientations as lines (red a>0, blue a<0); for wider
     inputs the cosine-similarity heatmap instead.
  2  amplitude vs orientation, initial (grey) and now (red),
     next to the heatmap (block order; blue -1, white 0, red +1).
  3  network output vs data vs least-squares polynomial, degree p.
  4  (w, b) direction field of the first layer (paper Fig 6):
     a>0 neurons follow the arrows, a<0 go against them.

[b]Status[/b]  step, loss, steps/s, counted lines and orientations
  against 2p, effective rank; a red banner if the run diverged.
  At full speed the charts refresh less often, to leave the
  training thread its time. Esc, ? or q closes this help.
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
