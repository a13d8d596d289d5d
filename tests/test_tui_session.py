"""The run lifecycle under the app: a run that cannot be built leaves the running one as it was."""

from __future__ import annotations

import pytest
from tui_support import one_d, wait_for, warm_activations, write_preset

from condense_tui.tui.app import CondenseApp
from condense_tui.tui.widgets.status import StatusLine


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_activations("tanh")


async def test_a_preset_that_fails_to_build_leaves_the_run_and_its_pace(tmp_path) -> None:
    # CIFAR-10 with a data folder that holds no files: the config loads, building the run fails
    preset = write_preset(tmp_path, "no-files", f'data = "cifar10"\ndata_dir = "{tmp_path / "nowhere"}"\n'
                          'activation = "tanh"\nsteps = 1000\nwatch_step = 40\n')
    app = CondenseApp(one_d())
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.frame_loop.latest is not None and app.frame_loop.latest.step >= 5,
                       what="the first run to train")
        app.action_faster()
        trainer, pace, config = app.trainer, app.pace, app.config
        run_id = app.frame_loop.latest.run_id
        app.load_preset(str(preset))
        await wait_for(pilot, lambda: app.session.building is None, what="the failed build to come back")
        before = app.frame_loop.latest.step
        assert app.trainer is trainer and trainer.running and not trainer.paused
        assert app.pace == pace and trainer.max_rate == pace.rate  # not the failed preset's cap
        assert app.config == config and app.query_one("#controls").config == config
        await wait_for(pilot, lambda: app.frame_loop.latest.step > before, what="the same run to go on")
        assert app.frame_loop.latest.run_id == run_id  # not restarted from step 0
        assert "no-files" not in app.query_one(StatusLine).plain


async def test_a_failed_build_keeps_a_paused_run_paused(tmp_path) -> None:
    preset = write_preset(tmp_path, "no-files", f'data = "cifar10"\ndata_dir = "{tmp_path / "nowhere"}"\n'
                          'activation = "tanh"\n')
    app = CondenseApp(one_d(), paused=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.trainer is not None and app.frames >= 1, what="first frame")
        trainer = app.trainer
        app.load_preset(str(preset))
        await wait_for(pilot, lambda: app.session.building is None, what="the failed build to come back")
        assert app.trainer is trainer and trainer.paused and app.frame_loop.latest.step == 0
