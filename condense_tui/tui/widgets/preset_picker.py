"""The preset picker (p): type to filter, arrows to move, Enter loads, Esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class PresetPicker(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PresetPicker {
        align: center middle;
    }
    PresetPicker > Vertical {
        width: 60;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    PresetPicker OptionList {
        height: auto;
        max-height: 20;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss_none", "cancel"),
        # the filter keeps the focus (so letters never reach the app's keys); arrows move the list
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(self, names: list[str], current: str = "") -> None:
        super().__init__()
        self.names = names
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.names:
                yield Label("Pick a preset: type to filter, Enter loads, Esc cancels")
                yield Input(placeholder="filter, e.g. fig2", id="filter")
                yield OptionList(*[Option(n, id=n) for n in self.names], id="presets")
            else:
                yield Label("No presets are installed (presets/ is empty). Esc closes.")

    def on_mount(self) -> None:
        if self.names:
            options = self.query_one(OptionList)
            options.highlighted = self.names.index(self.current) if self.current in self.names else 0
            self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        words = event.value.lower().split()
        shown = [n for n in self.names if all(w in n.lower() for w in words)]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(n, id=n) for n in shown])
        if shown:
            options.highlighted = 0

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
