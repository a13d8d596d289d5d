"""The run lifecycle under the app: a run that cannot be built leaves the running one as it was."""

from __future__ import annotations

from concurrent.futures import Future

import pytest
from textual.widgets import Input
from tui_support import one_d, wait_for, warm_activations, write_preset

from condense_tui.tui.run_build import BuiltRun, start_first_run
from condense_tui.tui.app import CondenseApp
from condense_tui.tui.widgets.status import StatusLine



@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_activations("tanh")


async def test_a_preset_that_fails_to_build_leaves_the_run_and_its_pace(tmp_path) -> None:
    # CIFAR-10 with a data folder that holds no files: the config loads, building the run fails
    preset = write_preset(tmp_path, "no-files", f'data = "cifar10"\ndata_dir = "{tmp_path / "nowhere"}"\n'
                          'activation = "tanh"\nbatch_size = 8\nsteps = 1000\nwatch_step = 40\n')
    app = CondenseApp(one_d())
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.frame_loop.latest is not None and app.frame_loop.latest.step >= 5,
                       what="the first run to train")
        app.action_faster()
        trainer, pace, config = app.trainer, app.pace, app.config
        run_id = app.frame_loop.latest.run_id
        app.load_preset(str(preset))
        await wait_for(pilot, lambda: app.session.building is None, what="the failed build to come back")
        assert any("nowhere" in n.message for n in app._notifications)  # refused by the build, not the config
        before = app.frame_loop.latest.step
        assert app.trainer is trainer and trainer.running and not trainer.paused
        assert app.pace == pace and trainer.max_rate == pace.rate  # not the failed preset's cap
        assert app.config == config and app.query_one("#controls").config == config
        await wait_for(pilot, lambda: app.frame_loop.latest.step > before, what="the same run to go on")
        assert app.frame_loop.latest.run_id == run_id  # not restarted from step 0
        assert "no-files" not in app.query_one(StatusLine).plain


async def test_a_failed_build_keeps_a_paused_run_paused(tmp_path) -> None:
    preset = write_preset(tmp_path, "no-files", f'data = "cifar10"\ndata_dir = "{tmp_path / "nowhere"}"\n'
                          'activation = "tanh"\nbatch_size = 8\n')
    app = CondenseApp(one_d(), paused=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.trainer is not None and app.frames >= 1, what="first frame")
        trainer = app.trainer
        app.load_preset(str(preset))
        await wait_for(pilot, lambda: app.session.building is None, what="the failed build to come back")
        assert app.trainer is trainer and trainer.paused and app.frame_loop.latest.step == 0


async def test_the_first_run_is_the_one_started_before_the_app_opened() -> None:
    config = one_d()
    first = start_first_run(config, paused=False, fps=4.0)  # what `condense-tui` starts before importing Textual
    started = first.result(timeout=30).trainer
    app = CondenseApp(config, first_build=first, auto_pace=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frame_loop.latest is not None, what="the first snapshot")
        assert app.trainer is started and started.running and not started.paused
        assert app.pace.auto and started.max_rate is not None and started.max_rate < 1  # (s + 1) / 7 steps/s
        app.load_preset("fig6-tanh")
        await wait_for(pilot, lambda: app.session.building is None and app.trainer is not started,
                       what="a later run, built afresh")
        assert not started.running  # the first run stopped when its successor took over


async def test_space_pressed_before_an_early_started_run_arrives_is_kept() -> None:
    config = one_d()
    first: Future[BuiltRun] = Future()  # arrives only when the test hands it over
    app = CondenseApp(config, first_build=first, auto_pace=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")  # pause, before there is a trainer
        early = start_first_run(config, paused=False, fps=4.0).result(timeout=30)
        first.set_result(early)
        await wait_for(pilot, lambda: app.trainer is early.trainer, what="the early run")
        assert early.trainer.paused and app.session.paused


async def test_a_first_build_that_failed_ends_the_app_with_its_reason() -> None:
    failed: Future[BuiltRun] = Future()
    failed.set_exception(ValueError("no data files in /nowhere"))
    app = CondenseApp(one_d(), first_build=failed)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.error_line is not None, what="the app to give up")
    assert app.return_code == 2
    assert app.error_line == "cannot start test-1d: no data files in /nowhere"


async def test_the_hidden_panel_builds_its_fields_when_shown_with_the_values_in_force(tmp_path) -> None:
    app = CondenseApp(one_d(), paused=True)
    async with app.run_test(size=(80, 24)) as pilot:  # 80 columns: the panel starts hidden
        await wait_for(pilot, lambda: app.trainer is not None, what="the first run")
        panel = app.query_one("#controls")
        assert not panel.display and not app.query("#width")  # no fields yet: nothing to style
        app.load_preset(str(write_preset(tmp_path, "wide", 'activation = "tanh"\ndata = "fig5"\nwidth = 77\n')))
        await wait_for(pilot, lambda: app.config.width == 77 and app.session.building is None, what="the new run")
        bad = write_preset(tmp_path, "no-files", f'data = "cifar10"\ndata_dir = "{tmp_path / "nowhere"}"\n'
                           'activation = "tanh"\nbatch_size = 8\n')
        app.load_preset(str(bad))  # its build fails while the panel is hidden: the error waits for it
        await wait_for(pilot, lambda: app.session.building is None, what="the failed build to come back")
        await pilot.press("c")
        await wait_for(pilot, lambda: "nowhere" in str(app.query_one("#error").render()), what="the waiting error")
        assert panel.display and app.query_one("#width", Input).value == "77"
        assert app.focused is app.query_one("#activation")
