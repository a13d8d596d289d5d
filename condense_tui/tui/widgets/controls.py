"""The control panel: the run's settings, editable from the keyboard.

Its fields are the field table's rows that carry a panel label (config/run_config.py): a choice
becomes a Select, a number an Input. Select fields apply at once; number fields apply on Enter or
when focus leaves them. The panel only proposes changes (ControlPanel.Changed), settled by the
same precedence rules as the command line (config.rules); the app validates them through
RunConfig and rebuilds the run, and shows any error back here. Fields always show the values in
force: a refused choice snaps back.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from ...config import ConfigError, RunConfig, field_table, settle
from ...engine.data import DATA_PRESETS
from ..pace import Pace

AUTO_CHOICE = -1  # the speed select's value for the automatic pace (SpeedChosen carries it)

if TYPE_CHECKING:
    from ...config import Field

PER_LAYER = "(per layer)"


def panel_fields(table: dict[str, Field] | None = None) -> list[Field]:
    """The rows of `table` (RunConfig's by default) shown in the panel, in table order."""
    rows = field_table(RunConfig) if table is None else table
    return [row for row in rows.values() if row.setting.panel]


def is_select(row: Field) -> bool:
    return row.kind not in ("int", "float")


def shown_value(config: RunConfig, key: str) -> str:
    """The text a number field shows for `config`: the value in force (std resolves gamma)."""
    value = config.std if key == "init_std" else getattr(config, key)
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def parse_value(row: Field, text: str) -> Any:
    """The number typed in a field (blank: None where the field allows it); ValueError otherwise."""
    text = text.strip().replace("_", "")
    if not text and row.optional:
        return None
    return int(text) if row.kind == "int" else float(text)


def select_options(config: RunConfig, row: Field) -> list[tuple[str, str]]:
    if row.name == "activation":
        names = list(row.completions)
    elif row.name == "data":
        names = list(DATA_PRESETS)  # data read from files or "custom" need more than one choice here
    else:
        names = list(row.choices or row.completions)
    current = select_value(config, row.name)
    if current not in names:
        names.append(current)
    return [(name, name) for name in names]


def select_value(config: RunConfig, key: str) -> str:
    if key == "activation":
        acts = config.activations
        return acts[0] if len(set(acts)) == 1 else PER_LAYER
    return str(getattr(config, key))


def std_line(config: RunConfig) -> str:
    if config.data == "cifar10" and config.fc_init != "std":
        # a Table 1 scheme sets the FC layers' init; std and gamma do not apply
        return f"FC init {config.fc_init} (std/gamma unused)"
    return f"std {config.std:.4g}  (gamma {config.gamma + 0.0:.3g})"  # + 0.0: never "-0"


def field_named(message: str, fields: dict[str, Field]) -> str | None:
    """The panel field an error message is about: the config key it starts with (the way
    ConfigError words them, "width = 0 is out of range..."), else the first key it names."""
    lead = re.match(r"\s*([a-z_]+)", message)
    if lead and lead.group(1) in fields:
        return lead.group(1)
    return next((key for key in fields if re.search(rf"\b{key}\b", message)), None)


class ControlPanel(VerticalScroll):
    DEFAULT_CSS = """
    ControlPanel {
        width: 30;
        height: 1fr;
        border-right: vkey $primary;
        padding: 0 1 0 0;
    }
    ControlPanel Label {
        margin-top: 1;
        color: $text-muted;
    }
    ControlPanel Input, ControlPanel Select {
        width: 100%;
    }
    ControlPanel #error {
        color: $error;
        height: auto;
    }
    ControlPanel .-invalid {
        border-left: outer $error;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "back to keys", show=False)]

    class Changed(Message):
        """The user asked for new settings: {config key: value}."""

        def __init__(self, changes: dict[str, Any]) -> None:
            super().__init__()
            self.changes = changes

    class SpeedChosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, config: RunConfig, pace: Pace, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.pace = pace
        self.fields = {row.name: row for row in panel_fields()}
        self.built = False  # the fields exist (see compose)
        self._pending_error: str | None = None  # shown when the fields are built

    def compose(self) -> ComposeResult:
        # A panel hidden when composed (a narrow terminal) builds its fields when first shown:
        # they are half the app's widgets, and styling them would delay the first frame.
        if self.display:
            yield from self._fields()

    def _fields(self) -> ComposeResult:
        self.built = True
        yield Static(Text("Controls (Enter applies)", style="bold"))
        for key, row in self.fields.items():
            if key == "init_std":
                yield Static(id="std-shown")
            yield Label(row.setting.panel)
            if is_select(row):
                yield Select(select_options(self.config, row), value=select_value(self.config, key),
                             allow_blank=False, id=key, compact=True)
            else:
                yield Input(shown_value(self.config, key), id=key, compact=True)
        yield Label("pace, steps/s (+ - a)")
        yield Select(self._speed_options(self.pace), value=self._speed_value(self.pace), allow_blank=False, id="speed",
                     compact=True)
        yield Static(id="error")

    def on_mount(self) -> None:
        if self.built:
            self._show_std(self.config)

    def reveal(self, show: bool) -> None:
        """Show or hide the panel; the first show builds its fields with the values in force."""
        if show and not self.built:
            self.mount_all(list(self._fields()))
            self._show_std(self.config)
            if self._pending_error:
                self.call_after_refresh(self.show_error, self._pending_error)
        if self.display != show:
            self.display = show

    # -- the shown values follow the run ---------------------------------------------------------
    @staticmethod
    def _speed_options(pace: Pace) -> list[tuple[str, int]]:
        """"auto" first, then the ladder; the preset's own rung (watch step in 15 s) is marked."""
        return [("auto", AUTO_CHOICE)] + [(Pace.describe(rate) + (" (watch)" if i == pace.watch else ""), i)
                                          for i, rate in enumerate(pace.rungs)]

    @staticmethod
    def _speed_value(pace: Pace) -> int:
        return AUTO_CHOICE if pace.auto else pace.index

    def _show_std(self, config: RunConfig) -> None:
        self.query_one("#std-shown", Static).update(Text(std_line(config), style="bold"))

    def _show_selects(self, config: RunConfig) -> None:
        with self.prevent(Select.Changed):
            for key, row in self.fields.items():
                if is_select(row):
                    select = self.query_one(f"#{key}", Select)
                    select.set_options(select_options(config, row))
                    select.value = select_value(config, key)

    def load(self, config: RunConfig, pace: Pace | None = None) -> None:
        """Show `config` (and `pace`) without echoing change messages back to the app."""
        self.config = config
        if not self.built:
            self.pace = pace or self.pace
            self._pending_error = None
            return
        self._show_selects(config)
        if pace is not None:
            self.show_pace(pace)
        for key, row in self.fields.items():
            if not is_select(row):
                self.query_one(f"#{key}", Input).value = shown_value(config, key)
        self._show_std(config)
        self.show_error(None)

    def show_pace(self, pace: Pace) -> None:
        ladder_changed = (pace.rungs, pace.watch) != (self.pace.rungs, self.pace.watch)
        self.pace = pace
        if not self.built:
            return
        speed = self.query_one("#speed", Select)
        with self.prevent(Select.Changed):
            if ladder_changed:  # a new run brings its own default rung
                speed.set_options(self._speed_options(pace))
            speed.value = self._speed_value(pace)

    def show_error(self, message: str | None) -> None:
        """Show a refusal under the field it names, scrolled into view, the field marked; the
        selects go back to the values in force (typed text stays to be fixed)."""
        if not self.built:
            self._pending_error = message
            return
        for marked in self.query(".-invalid"):
            marked.remove_class("-invalid")
        error = self.query_one("#error", Static)
        if not message:
            error.update("")
            return
        self._show_selects(self.config)
        key = field_named(message, self.fields)
        if key is not None:
            field = self.query_one(f"#{key}")
            field.add_class("-invalid")
            self.move_child(error, after=field)  # the message sits right under its field
            if key not in message:
                message = f"{key}: {message}"
        error.update(Text(message, style="bold"))
        self.call_after_refresh(self.scroll_to_widget, error, animate=False)

    # -- user edits --------------------------------------------------------------------------------
    def _propose(self, key: str, value: Any) -> None:
        try:
            changes = settle(self.config, {key: value}) if value is not None else {key: None}
        except ConfigError as err:
            self.show_error(str(err))
            return
        self.post_message(self.Changed(changes))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.BLANK:
            return
        key = event.select.id or ""
        if key == "speed":
            self.post_message(self.SpeedChosen(int(str(event.value))))
        elif key in self.fields and event.value not in (PER_LAYER, select_value(self.config, key)):
            self._propose(key, event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply(event.input)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        self._apply(event.input)

    def _apply(self, field_input: Input) -> None:
        key = field_input.id or ""
        row = self.fields.get(key)
        if row is None or is_select(row):
            return
        text = field_input.value
        if text.strip() == shown_value(self.config, key).strip():
            return
        try:
            value = parse_value(row, text)
        except ValueError:
            self.show_error(f"{key}: {text!r} is not a number; press Enter on a number")
            return
        self._propose(key, value)

    def action_leave(self) -> None:
        self.screen.set_focus(None)
