"""The control panel: the run's settings, editable from the keyboard.

Select fields apply at once; number fields apply on Enter or when focus leaves them. The panel
only proposes changes (ControlPanel.Changed); the app validates them through RunConfig and
rebuilds the run, and shows any error back here.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from ...engine.activations import activation_names
from ...engine.data import DATA_PRESETS
from ...engine.optimizers import OPTIMIZERS
from ..pace import Pace

PER_LAYER = "(per layer)"


def _integer(text: str) -> int:
    return int(text.strip().replace("_", ""))


def _number(text: str) -> float:
    return float(text.strip().replace("_", ""))


def _optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    return lambda text: None if not text.strip() else parse(text)


# field id -> (label, parser, config key, text shown for a config)
NUMBER_FIELDS: dict[str, tuple[str, Callable[[str], Any], Callable[[Any], str]]] = {
    "multiplicity": ("multiplicity p (blank: off)", _optional(_integer),
                     lambda c: "" if c.multiplicity is None else str(c.multiplicity)),
    "width": ("width m", _integer, lambda c: str(c.width)),
    "init_std": ("init std", _number, lambda c: f"{c.init_std:g}" if c.init_std is not None else ""),
    "init_gamma": ("or gamma, std = m^-gamma", _optional(_number),
                   lambda c: "" if c.init_gamma is None else f"{c.init_gamma:g}"),
    "lr": ("learning rate", _number, lambda c: f"{c.lr:g}"),
    "seed": ("seed", _integer, lambda c: str(c.seed)),
}


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
    }
    """
    BINDINGS = [Binding("escape", "leave", "back to keys", show=False)]

    class Changed(Message):
        """The user asked for new settings: {config key: value}."""

        def __init__(self, changes: dict[str, Any]) -> None:
            super().__init__()
            self.changes = changes

    class SpeedChosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, config, pace: Pace, **kwargs: Any) -> None:  # noqa: ANN001 - RunConfig
        super().__init__(**kwargs)
        self.config = config
        self.pace = pace

    def compose(self) -> ComposeResult:
        yield Static(Text("Controls (Enter applies)", style="bold"))
        yield Label("activation")
        yield Select(self._activation_options(self.config), value=self._activation_value(self.config),
                     allow_blank=False, id="activation", compact=True)
        for field, (label, _, _) in NUMBER_FIELDS.items():
            if field == "init_std":
                yield Static(id="std-shown")
            yield Label(label)
            yield Input(NUMBER_FIELDS[field][2](self.config), id=field, compact=True)
        yield Label("data")
        yield Select(self._data_options(self.config), value=self.config.data, allow_blank=False, id="data",
                     compact=True)
        yield Label("optimizer")
        yield Select([(o, o) for o in OPTIMIZERS], value=self.config.optimizer, allow_blank=False,
                     id="optimizer", compact=True)
        yield Label("speed cap, steps/s (+ -)")
        yield Select(self._speed_options(self.pace), value=self.pace.index, allow_blank=False, id="speed",
                     compact=True)
        yield Static(id="error")

    def on_mount(self) -> None:
        self._show_std(self.config)

    # -- the shown values follow the run ---------------------------------------------------------
    @staticmethod
    def _activation_value(config) -> str:  # noqa: ANN001
        acts = config.activations
        return acts[0] if len(set(acts)) == 1 else PER_LAYER

    @staticmethod
    def _activation_options(config) -> list[tuple[str, str]]:  # noqa: ANN001
        names = activation_names()
        current = ControlPanel._activation_value(config)
        if current not in names:
            names = [*names, current]
        return [(n, n) for n in names]

    @staticmethod
    def _data_options(config) -> list[tuple[str, str]]:  # noqa: ANN001
        names = list(DATA_PRESETS)
        if config.data not in names:
            names.append(config.data)
        return [(n, n) for n in names]

    @staticmethod
    def _speed_options(pace: Pace) -> list[tuple[str, int]]:
        return [(Pace.describe(rate), i) for i, rate in enumerate(pace.rungs)]

    def _show_std(self, config) -> None:  # noqa: ANN001
        if config.data == "cifar10" and config.fc_init != "std":
            # a Table 1 scheme sets the FC layers' init; std and gamma do not apply
            shown = f"FC init {config.fc_init} (std/gamma unused)"
        else:
            shown = f"std {config.std:.4g}  (gamma {config.gamma:.3g})"
        self.query_one("#std-shown", Static).update(Text(shown, style="bold"))

    def load(self, config, pace: Pace | None = None) -> None:  # noqa: ANN001 - RunConfig
        """Show `config` (and `pace`) without echoing change messages back to the app."""
        self.config = config
        with self.prevent(Select.Changed):
            act = self.query_one("#activation", Select)
            act.set_options(self._activation_options(config))
            act.value = self._activation_value(config)
            data = self.query_one("#data", Select)
            data.set_options(self._data_options(config))
            data.value = config.data
            self.query_one("#optimizer", Select).value = config.optimizer
            if pace is not None:
                self.show_pace(pace)
        for field, (_, _, shown) in NUMBER_FIELDS.items():
            self.query_one(f"#{field}", Input).value = shown(config)
        self._show_std(config)
        self.show_error(None)

    def show_pace(self, pace: Pace) -> None:
        ladder_changed = pace.rungs != self.pace.rungs
        self.pace = pace
        speed = self.query_one("#speed", Select)
        with self.prevent(Select.Changed):
            if ladder_changed:  # a new run brings its own default rung
                speed.set_options(self._speed_options(pace))
            speed.value = pace.index

    def show_error(self, message: str | None) -> None:
        self.query_one("#error", Static).update(Text(message or "", style="bold"))

    # -- user edits --------------------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.BLANK:
            return
        field = event.select.id
        if field == "speed":
            self.post_message(self.SpeedChosen(int(event.value)))
        elif field == "activation":
            if event.value != PER_LAYER and event.value != self._activation_value(self.config):
                self.post_message(self.Changed({"activation": event.value, "multiplicity": None}))
        elif field in ("data", "optimizer") and event.value != getattr(self.config, field):
            self.post_message(self.Changed({field: event.value}))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply(event.input)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        self._apply(event.input)

    def _apply(self, field_input: Input) -> None:
        field = field_input.id or ""
        if field not in NUMBER_FIELDS:
            return
        label, parse, shown = NUMBER_FIELDS[field]
        text = field_input.value
        if text.strip() == shown(self.config).strip():
            return
        try:
            value = parse(text)
        except ValueError:
            self.show_error(f"{field}: {text!r} is not a number; press Enter on a number")
            return
        changes: dict[str, Any] = {field: value}
        if field == "init_std":
            changes["init_gamma"] = None  # a std typed in wins over gamma
        self.post_message(self.Changed(changes))

    def action_leave(self) -> None:
        self.screen.set_focus(None)
