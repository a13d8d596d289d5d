"""The command palette holds every app action and every preset with its figure and agreement."""

from __future__ import annotations

import pytest
from tui_support import one_d, wait_for, warm_activations

from condense_tui.preset_notes import AGREES_TEXT, NOT_MEASURED_TEXT
from condense_tui.tui.app import CondenseApp
from condense_tui.tui.commands import ACTIONS, AppCommands, _actions


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_activations("tanh")


def test_every_key_binding_has_a_palette_command():
    bound = {binding.action for binding in CondenseApp.BINDINGS}
    assert bound <= {entry.action for entry in ACTIONS}, bound - {entry.action for entry in ACTIONS}


def test_an_unlisted_binding_still_gets_a_command():
    entries = _actions([("toggle_pause", "space", "play"), ("zoom", "z", "zoom")])
    pause = next(entry for entry in entries if entry.action == "toggle_pause")
    assert pause.help.endswith("(key space)")
    assert any(entry.action == "zoom" and entry.title == "Zoom" for entry in entries)


async def _palette_run(pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.press(*query)
    await pilot.pause(0.2)
    await pilot.press("enter")
    await pilot.pause(0.1)


async def test_palette_runs_actions_and_describes_presets() -> None:
    app = CondenseApp(one_d(), paused=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.trainer is not None, what="the trainer")
        assert app.session.paused
        await _palette_run(pilot, "tab 3")
        assert app.query_one("#charts").active == "tab-3"
        seed = app.config.seed
        await _palette_run(pilot, "reseed")
        await wait_for(pilot, lambda: app.config.seed != seed, what="the palette to reseed")
        await _palette_run(pilot, "resume")  # last: a running trainer takes the CPU
        await wait_for(pilot, lambda: not app.session.paused, what="the palette to resume training")
        app.action_toggle_pause()

        provider = AppCommands(app.screen)
        await provider.startup()
        found = {hit.text: hit.help async for hit in provider.discover()}
        assert "Preset fig6-tanh (Fig. 6a)" in found
        assert "1 stable line" in found["Preset fig6-tanh (Fig. 6a)"]
        assert AGREES_TEXT in found["Preset fig6-tanh (Fig. 6a)"]
        assert "differs from the paper" in found["Preset fig2-xtanh (Fig. 2b)"]
        assert NOT_MEASURED_TEXT in found["Preset fig4b (Fig. 4b)"]
        assert {entry.title for entry in ACTIONS} <= set(found)
