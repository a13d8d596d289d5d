"""Tabs 2-5 get their charts when first shown, by key or by click, drawing the frame on screen."""

from __future__ import annotations

from tui_support import one_d, wait_for, warm_activations

from condense_tui.tui.app import CondenseApp


async def test_later_tabs_get_their_charts_when_first_shown() -> None:
    warm_activations("tanh")
    app = CondenseApp(one_d(), paused=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frames >= 1, what="the first frame")
        assert not app.query("#scatter") and not app.query("#function") and not app.query("#history-map")
        await pilot.press("2")  # by key: the scatter draws the snapshot already on screen
        scatter = app.query_one("#scatter")
        await wait_for(pilot, lambda: scatter.builds > 0 and "step 0" in scatter.text, what="the scatter")
        assert not app.query("#function")  # only what was shown
        await pilot.click("#--content-tab-tab-4")  # by mouse: Textual's TabActivated fills it
        await wait_for(pilot, lambda: bool(app.query("#field")) and app.query_one("#field").builds > 0,
                       what="the field chart after a click")
        await pilot.press("n")  # a new frame reaches the charts mounted late too
        await wait_for(pilot, lambda: app.frame_loop.shown.step == 1, what="step 1 drawn")
        await pilot.press("2")
        await wait_for(pilot, lambda: "step 1" in scatter.text, what="the scatter at step 1")
