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
  + -    speed cap up / down  a   automatic pace (the default)
  l      next hidden layer    c   controls (Enter applies, Esc back)
  1-5    chart tabs
  p      preset picker        ctrl+p  command palette (presets too)
  ?      this help            q   quit
  S      save the screen as SVG (here; `view DIR`: in DIR)

[b]Timeline[/b] (training goes on; the status line says
  "viewing step X (live: Y)" until you go back to live)
  [ ]    one kept snapshot back / forward ({ } ten)
  home 0 the start            w   the layer's watch step
  end L  back to live

[b]Pace[/b]  auto: steps/s grow with the step (0.2/s at step 0,
  2/s at 10, 20/s at 100 ...), so every tenfold of steps gets ~12 s:
  the initial stage plays slowly, the long tail fast. + and - pick a
  fixed cap ("watch" marks the preset's rung in the panel).

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
  5  history: one input, the orientation histogram of every kept
     snapshot, step down on a log axis (theory marked on top, w: the
     watch step, a triangle: the viewed step); wider inputs and deep
     layers, lines, orientations, erank and top share vs log step.
     Kept: every snapshot to step 1000, then ~250 per e-fold of
     steps (at most 4096 snapshots, 256 MiB); the title says when
     the history is thinned.

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
