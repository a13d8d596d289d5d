"""Tabs 2-5 get their charts when first shown, by key or by click, drawing the frame on screen."""

from __future__ import annotations

import subprocess
import sys

from tui_support import made, one_d, wait_for, warm_activations

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


def test_opening_the_app_module_imports_no_chart_library() -> None:
    # plotext and the chart widgets load when tab 1 is made, after the first paint (board.py); the
    # analysis when the analyst gets its first snapshot; the help and the picker when asked for
    later = ("plotext", "textual_plotext", "condense_tui.analysis.report", "condense_tui.tui.widgets.help_screen",
             "condense_tui.tui.widgets.preset_picker")
    code = ("import sys, condense_tui.tui.app; "
            f"print(sorted(m for m in sys.modules if m.startswith({later!r}) "
            "or m.startswith('condense_tui.tui.widgets.') and m.endswith('chart')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


async def test_tab_one_is_made_after_the_first_paint_and_draws() -> None:
    app = CondenseApp(one_d(), paused=True)
    async with app.run_test(size=(80, 24)) as pilot:
        loss = await made(pilot, "#loss")
        await wait_for(pilot, lambda: "step 0" in str(app.query_one("#status").render()), what="step 0")
        await wait_for(pilot, lambda: loss.builds > 0 and "loss" in loss.text, what="the loss chart")
        assert app.query_one("#histogram").display and not app.query_one("#heatmap-1").display  # 1-D input
