"""The timeline and the history tab, driven by Textual's pilot."""

from __future__ import annotations

import re

import pytest

from condense_tui.config import load_preset
from condense_tui.tui.app import CondenseApp
from condense_tui.tui.widgets.status import StatusLine
from tui_support import five_d, one_d, wait_for, warm_activations

VIEWING = re.compile(r"viewing step (\d+) \(live: (\d+)\)")
COUNTS = re.compile(r"(\d+) lines (\d+) orient")


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_activations("tanh")


def status(app: CondenseApp) -> str:
    return app.query_one(StatusLine).plain


def live(app: CondenseApp) -> int:
    return app.frame_loop.latest.step if app.frame_loop.latest is not None else -1


async def test_scrub_back_shows_an_older_snapshot_then_live_resumes() -> None:
    app = CondenseApp(one_d(watch_step=1500))  # 100 steps/s
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: live(app) >= 50, what="training")
        await pilot.press("space")
        await pilot.pause(0.4)  # let the last published chunk arrive
        loop = app.frame_loop
        await wait_for(pilot, lambda: loop.recorder.idle() and loop.kept.steps[-1] == live(app),
                       what="the history to catch up")
        newest = live(app)
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        target = loop.kept.steps[loop.kept.steps.index(newest) - 3]
        await wait_for(pilot, lambda: f"viewing step {target} (live: {newest})" in status(app),
                       what="the viewed step on the status line")
        # the counts shown are the older snapshot's, as its history row says
        row = loop.kept.rows[loop.kept.steps.index(target)].layers[0]
        assert COUNTS.search(status(app)).groups() == (str(row.lines), str(row.orientations))
        assert loop.shown.step == target and "steps/s" not in status(app)
        await pilot.press("2")  # the neuron scatter labels the snapshot it draws
        await wait_for(pilot, lambda: f"step {target}" in app.query_one("#scatter").text, what="the scatter")
        await pilot.press("home")
        await wait_for(pilot, lambda: "viewing step 0 (live:" in status(app), what="the start")
        # training goes on while an old snapshot is viewed
        await pilot.press("space")
        await wait_for(pilot, lambda: (m := VIEWING.search(status(app))) is not None and int(m[2]) > newest + 5,
                       what="the live step to move on under the view")
        assert VIEWING.search(status(app))[1] == "0"
        await pilot.press("end")
        await wait_for(pilot, lambda: "viewing" not in status(app) and ">> step " in status(app), what="live")
        before = live(app)
        await wait_for(pilot, lambda: live(app) > before and f"step {live(app)}" in status(app),
                       what="live frames again")


async def test_watch_key_and_forward_past_the_newest_returns_to_live() -> None:
    app = CondenseApp(one_d(watch_step=10), paused=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frames >= 1, what="step 0")
        await pilot.press("w")
        assert "viewing" not in status(app)  # watch step 10 not reached yet
        for _ in range(12):
            await pilot.press("n")
        await wait_for(pilot, lambda: live(app) == 12 and app.frame_loop.recorder.idle(), what="12 steps")
        await pilot.press("w")
        await wait_for(pilot, lambda: "viewing step 10 (live: 12)" in status(app), what="the watch step")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await wait_for(pilot, lambda: "|| step 12" in status(app), what="live after the newest kept")


@pytest.mark.parametrize("make", [one_d, five_d], ids=["1-D", "5-D"])
async def test_history_tab_draws_at_both_sizes(make) -> None:  # noqa: ANN001
    app = CondenseApp(make(watch_step=600))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: live(app) >= 8 and len(app.frame_loop.kept) >= 5, what="some history")
        await pilot.press("5")
        chart = app.query_one("#history-map" if make is one_d else "#history-curves")
        for width, height in ((80, 24), (160, 48)):
            await pilot.resize_terminal(width, height)
            await wait_for(pilot, lambda: "kept" in chart.text and chart.size.width > width // 2,
                           what=f"the history chart at {width}x{height}")
            await pilot.pause(0.3)
            text = chart.text
            lines = text.splitlines()
            assert len(lines) <= height and max(len(line) for line in lines) <= width
            if make is one_d:
                assert "theory" in text and "-pi" in text and re.search(r"^\s+0 ", text, re.M)
                assert chart.display and not app.query_one("#history-curves").display
            else:
                assert "2p=2" in text and "watch step 600" in text


async def test_deep_layers_show_their_own_watch_steps() -> None:
    app = CondenseApp(load_preset("fig3"), paused=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.frames >= 1, what="fig3 step 0")
        assert "watch step 1000" in status(app)
        await pilot.press("l")
        await wait_for(pilot, lambda: "L2 " in status(app), what="layer 2")
        assert "watch step 900" in status(app)
        await pilot.press("l", "l", "l")
        await wait_for(pilot, lambda: "L5 " in status(app) and "watch step 1400" in status(app), what="layer 5")
