"""The preset picker (p): a keyboard list of presets; Enter loads, Esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
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
    BINDINGS = [Binding("escape", "dismiss_none", "cancel")]

    def __init__(self, names: list[str], current: str = "") -> None:
        super().__init__()
        self.names = names
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.names:
                yield Label("Pick a preset (Enter loads, Esc cancels)")
                yield OptionList(*[Option(n, id=n) for n in self.names], id="presets")
            else:
                yield Label("No presets are installed (presets/ is empty). Esc closes.")

    def on_mount(self) -> None:
        if self.names:
            options = self.query_one(OptionList)
            options.highlighted = self.names.index(self.current) if self.current in self.names else 0
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
