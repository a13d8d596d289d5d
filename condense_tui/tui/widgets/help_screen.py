"""The help screen (?): every key, the status line and what each chart shows. Its text is at most
54 columns wide, so it fits a 60-column terminal; it scrolls with the arrows, PgUp/PgDn, Home and
End from the moment it opens (the scroll area takes the focus)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
[b]condense-tui[/b]: hidden neurons' input weights condense
onto at most 2p orientations (p: the activation's
multiplicity). Scroll: arrows, PgUp/PgDn, Home/End.

[b]Keys[/b]
  space  play / pause       n  one step (pauses)
  r      reset (same init)  R  reseed (new init)
  + -    speed cap          a  automatic pace
  o      next optimizer, same initial weights
  l      next hidden layer  c  control panel
  1-5    chart tabs         p  preset picker
  ctrl+p command palette    ?  this help   q  quit
  S      save the screen as SVG (view DIR: into DIR)
  In the panel: Enter applies, Esc back to the keys.

[b]Timeline[/b] (training goes on; the status line says
  "viewing step X (live: Y)" until you go back)
  [ ]    one kept snapshot back / forward ({ } ten)
  home 0 the start          w  the layer's watch step
  end L  back to live

[b]Pace[/b]  auto: steps/s grow with the step (0.2/s at
  step 0, 2/s at 10, 20/s at 100 ...), so each tenfold
  of steps gets ~16 s. + and - pick a fixed cap.

[b]Status line[/b]
  the run, its speed cap; >> running, || paused;
  step N, loss, steps/s; for the shown layer
  "3 lines 6 orient (2p=6)": neurons counted on 3
  lines through the origin, 6 orientations, against
  the bound 2p; red when over it. "not condensed": the
  neurons have not grown away from their random start
  (growth < 3), so no count is claimed. "theory 3":
  the lines the theory predicts for this data (first
  layer). Wider terminals add the strict count (cos
  0.95) and the effective rank. "watch step": where
  the paper looked. DIVERGED: the loss became
  non-finite; the last finite weights stay on screen.

[b]Charts[/b]
  1  loss (log; orange line: the watch step) over the
     orientation histogram: atan2(b, w) weighted by
     amplitude, the theory's orientations as lines:
     red/+ a>0, blue/- a<0 (only where there is a
     theory). Wider inputs: the cosine heatmap
     instead.
  2  amplitude against orientation: initial (grey) and
     now (red); orange lines: the theory's
     orientations. Next to it the heatmap in block
     order: blue -1, white 0, red +1; without colour
     or block glyphs, ASCII: +1 #+:. 0 ,~-= -1.
  3  network output, data, least-squares polynomial.
  4  (w, b) direction field of the first layer (paper
     Fig 6): a>0 neurons follow the arrows, a<0 go
     against them.
  5  history: one input, the orientation histogram of
     every kept snapshot, step down a log axis; wider
     inputs and deep layers, lines, orientations,
     erank and top share against log step.
  At full speed the charts refresh less often, to
  leave the training thread its time.

Esc, ? or q closes this help.
"""


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 100%;
        max-width: 64;
        height: 100%;
        max-height: 40;
        border: round $accent;
        border-subtitle-align: right;
        background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "dismiss", "close", show=True)]

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll(Static(HELP, id="help-text"))
        scroll.border_subtitle = "arrows PgUp/PgDn scroll, Esc closes"
        yield scroll

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # the keys scroll at once, no Tab first
