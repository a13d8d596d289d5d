"""The TUI driven by Textual's pilot: start, pause, step, reset, presets, resize, divergence, quit."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from textual.widgets import Input

from condense_tui import config as run_config
from condense_tui.tui.app import CondenseApp
from condense_tui.tui.widgets.help_screen import HelpScreen
from condense_tui.tui.widgets.preset_picker import PresetPicker
from condense_tui.tui.widgets.status import StatusLine
from tui_support import diverged, five_d, made, one_d, wait_for, warm_activations, write_preset


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_activations("tanh")


def status(app: CondenseApp) -> str:
    return app.query_one(StatusLine).plain


def step(app: CondenseApp) -> int:
    return app.frame_loop.latest.step if app.frame_loop.latest is not None else -1


def full_speed(app: CondenseApp) -> None:
    """Unthrottle without key presses: while a thread trains flat out, the pilot's press waits for
    the process to go idle (about 2 s a key), which is a property of the pilot, not of the app."""
    while not app.pace.unthrottled:
        app.action_faster()


async def test_starts_training_and_draws() -> None:
    app = CondenseApp(one_d())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: step(app) >= 3 and app.frames >= 2, what="training to start")
        assert app.trainer is not None and app.trainer.running
        text = status(app)
        assert f"step {step(app)}" in text or "step " in text
        assert "loss " in text and "steps/s" in text and "(2p=2)" in text
        # the charts on the visible tab were built from a snapshot, not left waiting
        assert app.query_one("#loss").builds >= 1
        assert app.query_one("#histogram").builds >= 1


async def test_paused_start_and_one_step() -> None:
    app = CondenseApp(one_d(), paused=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: step(app) == 0 and app.frames >= 1, what="step 0")
        await pilot.pause(0.5)
        assert step(app) == 0 and "|| step 0" in status(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: step(app) == 1, what="one step")
        await pilot.press("n", "n")
        await wait_for(pilot, lambda: step(app) == 3, what="two more steps")
        await wait_for(pilot, lambda: "step 3" in status(app), what="status to show step 3")


async def test_speed_keys_move_along_the_ladder() -> None:
    app = CondenseApp(one_d(watch_step=150))  # default pace 150 / 15 = 10 steps/s
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.trainer is not None, what="the run")
        assert "cap 10/s" in status(app) and app.trainer.max_rate == 10
        await pilot.press("plus")
        assert "cap 20/s" in status(app) and app.trainer.max_rate == 20
        await pilot.press("minus", "minus")
        assert "cap 5/s" in status(app) and app.trainer.max_rate == 5


async def test_pause_stops_the_step() -> None:
    app = CondenseApp(one_d())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: step(app) > 5, what="training")
        await pilot.press("space")
        assert "||" in status(app)  # the press shows at once, before any snapshot
        await pilot.pause(0.4)  # let the last published chunk arrive
        frozen = step(app)
        await pilot.pause(0.8)
        assert step(app) == frozen
        assert app.trainer.paused
        await pilot.press("space")
        await wait_for(pilot, lambda: step(app) > frozen, what="resume")


async def test_reset_keeps_initial_weights_and_reseed_changes_them() -> None:
    app = CondenseApp(one_d())
    async with app.run_test(size=(80, 24)) as pilot:
        full_speed(app)
        assert "cap max" in status(app)
        await wait_for(pilot, lambda: len(app.frame_loop.history.steps) > 0 and step(app) > 100, what="training")
        initial = float(app.frame_loop.history.values[0])
        assert app.frame_loop.history.steps[0] == 0
        await pilot.press("space", "r")
        await wait_for(pilot, lambda: step(app) == 0 and len(app.frame_loop.history.steps) == 1, what="reset")
        assert float(app.frame_loop.history.values[0]) == initial
        await pilot.press("R")
        await wait_for(pilot, lambda: app.trainer.seeds == (1,) and step(app) == 0
                       and len(app.frame_loop.history.steps) == 1 and app.frame_loop.latest.context.seeds == (1,),
                       what="reseed")
        assert float(app.frame_loop.history.values[0]) != initial
        assert app.config.seed == 1 and "seed 1" in status(app)


async def test_switching_preset_from_the_picker(tmp_path, monkeypatch) -> None:
    write_preset(tmp_path, "aa-one-d", 'activation = "tanh"\nwidth = 20\ndata = "fig5"\nsampling = "grid"\n'
                 'steps = 100\n')
    write_preset(tmp_path, "bb-five-d", 'activation = "tanh"\nwidth = 16\ndata = "fig2"\nlr = 1e-3\n'
                 'steps = 100\nwatch_step = 100\n')
    monkeypatch.setattr(run_config, "presets_dir", lambda: tmp_path)
    app = CondenseApp(one_d())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frames >= 1, what="first frame")
        first = app.trainer
        await pilot.press("p")
        assert isinstance(app.screen, PresetPicker)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.trainer is not None and app.trainer is not first and app.frames > 0
                       and app.frame_loop.shown is not None and app.frame_loop.shown.context.config.name == "bb-five-d",
                       what="the new preset to run")
        assert not first.running  # the old run was stopped
        assert app.config.name == "bb-five-d" and "bb-five-d" in status(app)
        assert app.frame_loop.shown.layers[0].shape == (1, 16, 6)
        # five inputs: no angle to histogram, the heatmap takes its place on tab 1
        assert not app.query_one("#histogram").display and app.query_one("#heatmap-1").display
        # typing filters the list: the letters go to the filter, not to the app's keys
        second = app.trainer
        await pilot.press("p")
        await pilot.press(*"aa-on", "enter")
        await wait_for(pilot, lambda: app.trainer is not second and app.frame_loop.shown is not None
                       and app.frame_loop.shown.context.config.name == "aa-one-d", what="the filtered preset to run")
        assert app.config.name == "aa-one-d"


async def test_preset_from_a_path_and_the_command_palette(tmp_path, monkeypatch) -> None:
    write_preset(tmp_path, "cc-palette", 'activation = "tanh"\nwidth = 12\ndata = "fig5"\nsteps = 50\n')
    monkeypatch.setattr(run_config, "presets_dir", lambda: tmp_path)
    app = CondenseApp(one_d())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frames >= 1, what="first frame")
        await pilot.press("ctrl+p")
        await pilot.press(*"cc-palette")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.frame_loop.shown is not None
                       and app.frame_loop.shown.context.config.name == "cc-palette",
                       what="the palette to load the preset")
        app.load_preset(str(tmp_path / "missing.toml"))  # a bad path is a notification, not a crash
        await pilot.pause(0.2)
        assert app.config.name == "cc-palette"


async def test_resize_to_60x20_and_back() -> None:
    app = CondenseApp(one_d())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frames >= 1, what="first frame")
        loss = await made(pilot, "#loss")
        await wait_for(pilot, lambda: loss.size.width > 0, what="the loss chart laid out")
        wide = loss.size
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: loss.size.width < wide.width, what="relayout at 60x20")
        builds = loss.builds
        await wait_for(pilot, lambda: loss.builds > builds, what="a redraw at the small size")
        for tab in "234":
            await pilot.press(tab)
            await pilot.pause(0.3)
        await pilot.press("1")
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: loss.size == wide, what="back to 80x24")
        assert app.trainer.running and "step " in status(app)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow is the point
async def test_diverging_run_shows_a_banner_and_survives() -> None:
    app = CondenseApp(one_d(optimizer="gd", lr=50.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await diverged(pilot)
        assert "DIVERGED at step" in status(app)
        for key in "234":  # every chart copes with the last finite weights
            await pilot.press(key)
            await pilot.pause(0.2)
        run = app.frame_loop.latest.run_id
        await pilot.press("r")
        await wait_for(pilot, lambda: app.frame_loop.latest.run_id > run, what="a reset after divergence")
        assert app.is_running and app.trainer.running


async def test_quit_while_training_stops_the_thread() -> None:
    app = CondenseApp(one_d())
    async with app.run_test(size=(80, 24)) as pilot:
        full_speed(app)
        await wait_for(pilot, lambda: step(app) > 100, what="training at full speed")
        trainer = app.trainer
        await pilot.press("q")
    assert not trainer.running  # stop() joined the thread
    assert app.return_code == 0


async def test_controls_rebuild_the_run_and_report_bad_values() -> None:
    app = CondenseApp(one_d())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frames >= 1, what="first frame")
        await pilot.press("c")
        assert app.query_one("#controls").display
        width = app.query_one("#width", Input)
        width.value = "12"
        width.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.frame_loop.shown is not None
                       and app.frame_loop.shown.layers[0].shape[1] == 12,
                       what="a run with width 12")
        assert app.config.width == 12
        width.value = "0"
        await pilot.press("enter")
        await pilot.pause(0.2)
        error = str(app.query_one("#error").render())
        assert "width" in error and app.config.width == 12
        await pilot.press("escape", "c")
        assert not app.query_one("#controls").display
        await pilot.press("space")  # keys reach the app again
        assert app.trainer.paused


async def test_layers_cycle_and_help(monkeypatch) -> None:
    app = CondenseApp(five_d(depth=2))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.frame_loop.shown is not None, what="first frame")
        await wait_for(pilot, lambda: "L1 " in status(app), what="layer 1 counts")
        await pilot.press("l")
        await wait_for(pilot, lambda: "L2 " in status(app), what="layer 2 counts")
        heatmap = await made(pilot, "#heatmap-1")
        await wait_for(pilot, lambda: heatmap.shown_neurons > 0, what="heatmap of layer 2")
        assert "L2" in heatmap.render_line(0).text
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_no_color_heatmap_uses_characters(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = CondenseApp(five_d())
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        heatmap = await made(pilot, "#heatmap-1")
        await wait_for(pilot, lambda: heatmap.shown_neurons > 0, what="heatmap")
        rows = [heatmap.render_line(y) for y in range(2, 2 + heatmap.shown_neurons)]
        text = "".join(r.text for r in rows)
        assert "▀" not in text and "█" not in text and "#" in text  # ASCII: the diagonal (cos 1) at least
        assert all(seg.style.bgcolor is None and seg.style.color is None for r in rows for seg in r)


@pytest.mark.parametrize("marker, glyphs", [("braille", range(0x2801, 0x2900)), ("dot", [ord("•")]),
                                            ("hd", [ord(c) for c in "▀▄▌▐▖▗▘▝▙▛▜▟▚▞█"])])
async def test_markers(marker: str, glyphs: Iterable[int]) -> None:
    app = CondenseApp(one_d(), marker=marker)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frames >= 2 and step(app) >= 2, what="a drawn loss curve")
        loss = app.query_one("#loss")
        await wait_for(pilot, lambda: loss.builds > 0 and "loss" in loss.text, what="the loss chart")
        drawn = loss.text
        assert any(chr(g) in drawn for g in glyphs)


def test_run_tui_rejects_bad_options(capsys) -> None:
    from condense_tui.tui import run_tui

    assert run_tui(one_d(), marker="stars") == 2
    assert run_tui(one_d(), fps=0) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "--marker" in err[0] and "--fps" in err[1]
    assert all(line.startswith("condense-tui: error: ") for line in err)  # the CLI's one prefix


def test_module_entry_names_a_missing_preset() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "condense_tui.tui", "no-such-preset-xyz"], check=False,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no-such-preset-xyz" in done.stderr and "Traceback" not in done.stderr


async def test_optimizer_key_restarts_from_the_same_initial_weights() -> None:
    app = CondenseApp(one_d(width=8, steps=20))
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: step(app) >= 1, what="training")
        initial = app.frame_loop.latest.initial_layers[0].copy()
        for name in ("flow", "gd", "adam"):
            await pilot.press("o")
            await wait_for(pilot, lambda n=name: app.config.optimizer == n and app.trainer is not None
                           and app.frame_loop.latest is not None
                           and app.frame_loop.latest.context.config.optimizer == n, what=f"a {name} run")
            assert f" {name} lr" in status(app)
            latest = app.frame_loop.latest
            assert app.config.seed == 0 and latest.context.seeds == (0,)
            assert abs(latest.initial_layers[0] - initial).max() < 1e-7  # float32 vs flow's float64
