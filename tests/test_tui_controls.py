"""The control panel on its own (no run): fields from the table, edits settled, values in force shown."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Input, Select

from condense_tui.config import RunConfig, load_preset
from condense_tui.tui.pace import Pace
from condense_tui.tui.widgets.controls import ControlPanel, panel_fields


class PanelOnly(App):
    def __init__(self, config: RunConfig) -> None:
        super().__init__()
        self.config = config
        self.proposed: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield ControlPanel(self.config, Pace.for_config(self.config), id="controls")

    def on_control_panel_changed(self, message: ControlPanel.Changed) -> None:
        self.proposed.append(message.changes)


def test_panel_fields_come_from_the_table():
    names = [row.name for row in panel_fields()]
    assert names[:2] == ["activation", "multiplicity"]
    assert {"width", "init_std", "init_gamma", "data", "sampling", "optimizer", "lr", "seed"} <= set(names)


async def test_switching_a_grid_run_to_5d_data_proposes_uniform_sampling_and_snaps_back_when_refused():
    app = PanelOnly(load_preset("fig6-x2tanh"))
    async with app.run_test(size=(40, 60)) as pilot:
        panel = app.query_one(ControlPanel)
        data = app.query_one("#data", Select)
        data.value = "fig2"
        await pilot.pause()
        assert app.proposed[-1] == {"data": "fig2", "sampling": "uniform"}
        assert app.config.replace(**app.proposed[-1]).resolved_data()["input_dim"] == 5
        panel.show_error("refused")  # the app could not build it: the select shows the data in force
        await pilot.pause()
        assert data.value == "fig5" and app.query_one("#sampling", Select).value == "grid"


async def test_std_field_shows_the_std_in_force_after_a_gamma():
    config = load_preset("fig6-x2tanh")
    app = PanelOnly(config)
    async with app.run_test(size=(40, 60)) as pilot:
        panel = app.query_one(ControlPanel)
        gamma = app.query_one("#init_gamma", Input)
        gamma.value = "1.5"
        gamma.focus()
        await pilot.press("enter")
        assert app.proposed[-1] == {"init_gamma": 1.5}
        panel.load(config.replace(init_gamma=1.5))
        await pilot.pause()
        assert app.query_one("#init_std", Input).value == "0.001"  # 100^-1.5, not the stale 0.005
        assert "gamma 1.5" in str(app.query_one("#std-shown").render())
        std = app.query_one("#init_std", Input)
        std.value = "0.02"
        std.focus()
        await pilot.press("enter")
        assert app.proposed[-1] == {"init_std": 0.02, "init_gamma": None}  # a std typed in clears gamma
