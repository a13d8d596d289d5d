"""The preset picker (p): type to filter, arrows to move, Enter loads, Esc cancels.

Each row is two lines: the name, its figure and a one-word verdict on the paper (agrees, differs,
not measured), then the preset's description in dim, cut with an ellipsis to fit 80 columns. The
highlighted row's full verdict shows under the list. Notes are read in a thread (every preset file
is parsed), so the names show at once and the notes fill in when ready.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...preset_notes import PresetNote, preset_note

ROW_WIDTH = 66  # the text width of a row in the 78-column box (borders, paddings, scrollbar)
VERDICTS = {True: "agrees", False: "differs", None: "not measured"}


def clip(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis when longer."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def row_prompt(name: str, note: PresetNote | None) -> Text:
    """Name, figure and verdict; then the description, dim (name alone until notes are read)."""
    if note is None:
        return Text(name)
    verdict = VERDICTS[note.agrees]
    head = Text(f"{clip(name, 24):<24} {clip(note.figure, 18):<18} ")
    head.append(verdict, style="green" if note.agrees else "yellow" if note.agrees is False else "dim")
    head.append("\n" + clip(note.description, ROW_WIDTH), style="dim")
    return head


class PresetPicker(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PresetPicker {
        align: center middle;
    }
    PresetPicker > Vertical {
        width: 78;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    PresetPicker OptionList {
        height: auto;
        max-height: 20;
    }
    PresetPicker #detail {
        height: auto;
        max-height: 3;
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "cancel"),
        # the filter keeps the focus (so letters never reach the app's keys); arrows move the list
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(self, names: list[str], current: str = "") -> None:
        super().__init__()
        self.names = names
        self.current = current
        self.notes: dict[str, PresetNote] = {}
        self.shown = list(names)

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.names:
                yield Label("Pick a preset: type to filter, Enter loads, Esc cancels")
                yield Input(placeholder="filter, e.g. fig2", id="filter")
                yield OptionList(*self._options(self.names), id="presets")
                yield Label("", id="detail")
            else:
                yield Label("No presets are installed (presets/ is empty). Esc closes.")

    def on_mount(self) -> None:
        if self.names:
            options = self.query_one(OptionList)
            options.highlighted = self.names.index(self.current) if self.current in self.names else 0
            self.query_one(Input).focus()
            self.run_worker(self._read_notes(), exclusive=True)

    async def _read_notes(self) -> None:
        names = list(self.names)
        self.notes = await asyncio.to_thread(lambda: {name: preset_note(name) for name in names})
        self._show(self.shown, keep=True)

    def _options(self, names: list[str]) -> list[Option]:
        return [Option(row_prompt(name, self.notes.get(name)), id=name) for name in names]

    def _show(self, names: list[str], keep: bool = False) -> None:
        """List `names`; keep=True holds the highlight on the same preset."""
        options = self.query_one(OptionList)
        previous = options.highlighted if keep else None
        self.shown = names
        options.clear_options()
        options.add_options(self._options(names))
        if names:
            options.highlighted = min(previous, len(names) - 1) if previous is not None else 0
        self._describe()

    def _describe(self) -> None:
        """The highlighted preset's verdict in full, under the list."""
        options = self.query_one(OptionList)
        index = options.highlighted
        name = self.shown[index] if index is not None and index < len(self.shown) else None
        note = self.notes.get(name) if name else None
        self.query_one("#detail", Label).update(note.agreement if note else "")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe()

    def on_input_changed(self, event: Input.Changed) -> None:
        words = event.value.lower().split()
        self._show([n for n in self.names if all(w in n.lower() for w in words)])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
