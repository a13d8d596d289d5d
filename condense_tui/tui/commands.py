"""The command palette (ctrl+p): every app action, then every preset with its figure and how our
runs compare with the paper. Type part of a title (or a preset's figure), Enter runs it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..preset_notes import PresetNote, preset_notes


@dataclass(frozen=True)
class PaletteAction:
    action: str  # the app action it runs, as a key binding names it
    title: str
    help: str


# the app's key actions, in the order the palette lists them; a binding missing here still gets an
# entry from its footer label (see _actions), so the palette never lacks an action the keys have
ACTIONS = (
    PaletteAction("toggle_pause", "Pause / resume training", "pause or resume the run"),
    PaletteAction("one_step", "Step once", "pause and train a single step"),
    PaletteAction("reset", "Reset the run", "back to step 0 with the same seed"),
    PaletteAction("reseed", "Reseed the run", "back to step 0 with the next seed"),
    PaletteAction("next_layer", "Next layer", "show the next hidden layer"),
    PaletteAction("tab(1)", "Tab 1: loss and orientations", "loss curve over the orientation histogram or heatmap"),
    PaletteAction("tab(2)", "Tab 2: neurons", "each neuron's orientation and amplitude, similarity heatmap"),
    PaletteAction("tab(3)", "Tab 3: fit", "the network's output against the data"),
    PaletteAction("tab(4)", "Tab 4: direction field", "the field that moves the input weights"),
    PaletteAction("tab(5)", "Tab 5: history", "the collapse over time: orientations or counts against the step"),
    PaletteAction("history_move(-1)", "History: back one snapshot", "view the previous kept snapshot"),
    PaletteAction("history_move(1)", "History: forward one snapshot", "view the next kept snapshot"),
    PaletteAction("history_move(-10)", "History: back ten snapshots", "jump back through the kept snapshots"),
    PaletteAction("history_move(10)", "History: forward ten snapshots", "jump ahead through the kept snapshots"),
    PaletteAction("history_start", "History: go to the start", "view step 0"),
    PaletteAction("history_watch", "History: go to the watch step", "view the step where the paper looked"),
    PaletteAction("history_live", "History: back to live", "follow the running step again"),
    PaletteAction("next_optimizer", "Next optimizer (adam, flow, gd)", "restart from the same initial weights"),
    PaletteAction("auto_pace", "Pace: automatic", "slow through the initial stage, faster after it"),
    PaletteAction("faster", "Pace: faster", "raise the speed cap"),
    PaletteAction("slower", "Pace: slower", "lower the speed cap"),
    PaletteAction("toggle_controls", "Control panel: show / hide", "edit the run's settings"),
    PaletteAction("pick_preset", "Preset picker", "choose a preset from a list"),
    PaletteAction("save_svg", "Save the view as SVG", "into the current folder (view DIR: into DIR)"),
    PaletteAction("help", "Help: keys and charts", "what every key and chart means"),
    PaletteAction("quit", "Quit", "stop training and leave"),
)


def _actions(bindings: list[tuple[str, str, str]]) -> list[PaletteAction]:
    """ACTIONS with each one's key, plus any bound action ACTIONS lacks.
    `bindings` is (action, key shown, footer label) for each of the app's bindings."""
    keys = {action: key for action, key, _ in bindings}
    listed = {entry.action for entry in ACTIONS}
    extra = [PaletteAction(action, label.capitalize() or action, f"the {label or action} action")
             for action, _, label in bindings if action not in listed]
    return [PaletteAction(entry.action, entry.title, entry.help + (f"  (key {keys[entry.action]})"
                                                                   if entry.action in keys else ""))
            for entry in (*ACTIONS, *extra)]


def preset_text(note: PresetNote) -> str:
    """What the palette matches and shows for a preset: its name and figure."""
    return f"Preset {note.name}" + (f" ({note.figure})" if note.figure else "")


class AppCommands(Provider):
    """Every action the app's keys run, and every shipped preset."""

    async def startup(self) -> None:
        bindings = [(b.action, b.key_display or b.key, b.description) for b in self.app.BINDINGS
                    if not isinstance(b, tuple)]
        self._entries: list[tuple[str, str, Callable[[], object]]] = [
            (entry.title, entry.help, partial(self.app.run_action, entry.action))
                         for entry in _actions(bindings)]
        load: Callable[[str], None] | None = getattr(self.app, "load_preset", None)
        if load is not None:
            notes = await asyncio.to_thread(preset_notes)  # reads every preset file
            self._entries += [(preset_text(note), note.line, partial(load, note.name)) for note in notes]

    def _each(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        yield from getattr(self, "_entries", ())

    async def discover(self) -> Hits:
        for title, help_text, run in self._each():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._each():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)


PresetCommands = AppCommands  # the name tui/app.py imports (COMMANDS); rename there when convenient
