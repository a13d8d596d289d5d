"""80x24 first: at 60x20 and 80x24 the status line keeps `step N`, the counts, the bound and the
watch step; the footer keeps help, quit and the panel key; chart titles stay; help scrolls; a panel
error is scrolled into view and named; the divergence advice fits. Plus the pure pieces behind them."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import pytest
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Input
from textual.widgets._footer import FooterKey
from tui_support import diverged, made, one_d, wait_for, warm_activations

from condense_tui.charts.histogram import histogram_titles
from condense_tui.tui.app import CondenseApp
from condense_tui.tui.widgets.banner import advice_for
from condense_tui.tui.widgets.chart import fitted
from condense_tui.tui.widgets.help_screen import HELP, HelpScreen
from condense_tui.tui.widgets.status import StatusLine
from condense_tui.tui.widgets.status_text import (
    MUST,
    Part,
    fit,
    joined,
    loss_text,
    plural,
    progress_parts,
)

SIZES = [(60, 20), (80, 24)]


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_activations("tanh")


def footer_keys(app: CondenseApp) -> dict[str, str]:
    """The footer's keys wholly on screen: {key shown: description}."""
    shown = {}
    for key in app.screen.query(FooterKey):
        region = key.region
        if region.width and region.right <= app.size.width and region.y < app.size.height:
            shown[key.key_display] = key.description
    return shown


def lines_of(app: CondenseApp) -> list[str]:
    return app.query_one(StatusLine).plain.splitlines()


# -- pure pieces -------------------------------------------------------------------------------------
def test_loss_keeps_its_width_and_trailing_zeros() -> None:
    assert loss_text(0.262).strip() == "0.2620"
    assert len({len(loss_text(v)) for v in (0.262, 0.2620001, 15.4, 1234.5, 1.2e-5, math.nan)}) == 1
    assert loss_text(1234.5).strip() == "1234" and loss_text(math.inf).strip() == "-"


def test_fit_drops_least_important_first_and_keeps_musts() -> None:
    parts = [Part(Text("step 1")), Part(Text(" loss 0.1"), 2), Part(Text(" erank 1.0"), 4),
             Part(Text(" | watch step 9"))]
    assert [p.text.plain for p in fit(parts, 30)] == ["step 1", " loss 0.1", " | watch step 9"]
    assert [p.rank for p in fit(parts, 5)] == [MUST, MUST]
    assert plural(1, "line", "lines") == "1 line" and plural(3, "line", "lines") == "3 lines"


def test_titles_shorten_and_keep_the_legend() -> None:
    titles = histogram_titles(0, has_theory=True, no_color=False)
    assert all("a>0" in t and "a<0" in t for t in titles)
    assert all("red" in t and "blue" in t for t in titles)
    assert all("+ a>0" in t for t in histogram_titles(0, has_theory=True, no_color=True))
    assert not any("theory" in t or "a>0" in t for t in histogram_titles(0, has_theory=False, no_color=False))
    for width in (30, 40, 60, 80):
        chosen = fitted(width, *titles)
        assert len(chosen) <= width - 11 and "a>0" in chosen


def test_divergence_advice_fits_sixty_columns() -> None:
    for width in (58, 60, 78, 160):
        advice = advice_for(123456, width)
        assert len(advice) <= width and "r reset" in advice.replace("resets", "reset")


# -- the app at small sizes --------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
async def test_status_footer_titles_help_and_panel_errors_fit(size: tuple[int, int]) -> None:
    """One app per size (each start costs): the status line, footer and titles, then the help
    screen, then a panel error."""
    app = CondenseApp(one_d(width=20, watch_step=150))
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: "(2p=2)" in app.query_one(StatusLine).plain, what="counts")
        status = lines_of(app)
        assert all(len(line) <= size[0] - 2 for line in status)
        text = "\n".join(status)
        assert re.search(r"step \d+", text) and "watch step 150" in text
        assert re.search(r"(\d+ lines? \d+ orient|not condensed) \(2p=2\)", text)
        assert "theory 1" in text  # tanh, p = 1: one line predicted
        assert "…" not in "\n".join(status[1:])  # the live lines are never cut
        await wait_for(pilot, lambda: len(footer_keys(app)) >= 3, what="the footer")
        keys = footer_keys(app)
        assert keys.get("?") == "help" and keys.get("q") == "quit" and keys.get("c") == "panel"
        loss, histogram = await made(pilot, "#loss"), await made(pilot, "#histogram")
        await wait_for(pilot, lambda: histogram.builds > 0 and "a>0" in histogram.text, what="histogram")
        assert "watch step 150" in loss.text.splitlines()[0]
        assert "red a>0" in histogram.text.splitlines()[0]
        await pilot.press("space")  # paused: the pilot's keys do not wait on a busy trainer

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one(VerticalScroll)
        await wait_for(pilot, lambda: scroll.has_focus and scroll.max_scroll_y > 0, what="the help laid out")
        assert scroll.region.right <= size[0]
        room = scroll.scrollable_content_region.width  # no line of the help wraps
        assert max(len(line) for line in Text.from_markup(HELP).plain.splitlines()) <= room
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: scroll.scroll_y >= 2, what="arrows to scroll")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: scroll.scroll_y > 4, what="PgDn to scroll")
        await pilot.press("end")
        await wait_for(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y, what="End")
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

        await pilot.press("c")
        panel = app.query_one("#controls")
        field = app.query_one("#seed", Input)  # the last field: below the fold at these sizes
        field.value = "-3"
        field.focus()
        await pilot.press("enter")
        error = app.query_one("#error")
        await wait_for(pilot, lambda: "seed" in str(error.render()), what="the error")
        assert field.has_class("-invalid")

        def in_view() -> bool:
            visible = panel.scrollable_content_region
            return error.region.height > 0 and error.region.y >= visible.y and error.region.bottom <= visible.bottom

        await wait_for(pilot, in_view, what="the error scrolled into view")
        assert panel.children.index(error) == panel.children.index(field) + 1  # right under its field
        field.value = "4"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.config.seed == 4, what="a good value")
        assert not field.has_class("-invalid") and not str(error.render()).strip()
        # an error from the app, with the panel scrolled to the top and nothing focused there
        app.set_focus(None)
        panel.scroll_home(animate=False)
        await pilot.pause(0.05)
        app.apply_changes({"lr": -1.0})
        await wait_for(pilot, lambda: "lr" in str(error.render()), what="the lr error")
        assert app.query_one("#lr").has_class("-invalid")
        await wait_for(pilot, in_view, what="the lr error scrolled into view")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow is the point
async def test_divergence_reads_right_at_sixty_columns() -> None:
    app = CondenseApp(one_d(optimizer="gd", lr=50.0))
    async with app.run_test(size=(60, 20)) as pilot:
        banner = await diverged(pilot)
        snap = app.frame_loop.latest
        live = lines_of(app)[1]
        assert live.startswith(f"DIVERGED at step {snap.diverged_at}, showing step {snap.step}")
        assert "steps/s" not in live and len(live) <= 58
        assert len(banner.advice) <= 60 and "r reset" in banner.advice and "lower lr" in banner.advice


async def test_no_color_draws_signs_and_ascii_heatmap(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = CondenseApp(one_d(activation="x2tanh", width=30), paused=True)
    async with app.run_test(size=(80, 24)) as pilot:
        histogram = await made(pilot, "#histogram")
        await wait_for(pilot, lambda: histogram.builds > 0 and "a>0" in histogram.text, what="histogram")
        body = "\n".join(histogram.text.splitlines()[1:])
        assert "+ a>0" in histogram.text and "+" in body and "-" in body  # a>0 and a<0 tell apart
        await pilot.press("2")
        heatmap = app.query_one("#heatmap-2")
        await wait_for(pilot, lambda: heatmap.shown_neurons > 0, what="heatmap")
        text = "".join(heatmap.render_line(y).text for y in range(heatmap.size.height))
        assert "#" in text and not re.search("[\u2580-\u259f]", text)  # no block glyphs at all


async def test_braille_marker_gets_an_ascii_heatmap() -> None:
    app = CondenseApp(one_d(), paused=True, marker="braille")  # "dot" takes the same path
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        heatmap = app.query_one("#heatmap-2")
        await wait_for(pilot, lambda: heatmap.shown_neurons > 0, what="heatmap")
        rows = [heatmap.render_line(y) for y in range(2, 2 + heatmap.shown_neurons)]
        text = "".join(r.text for r in rows)
        assert "##" in text and not re.search("[\u2580-\u259f]", text)
        assert any(seg.style and seg.style.color is not None for r in rows for seg in r)  # still coloured


def test_progress_marks_divergence_and_a_viewed_snapshot() -> None:
    def snap(step: int, diverged_at: int | None = None) -> SimpleNamespace:
        return SimpleNamespace(step=step, diverged_at=diverged_at, losses=[0.5], loss=0.5, extras={})

    live = joined(progress_parts(snap(12), paused=False, rate=30.0)).plain  # type: ignore[arg-type]
    assert live.startswith(">> step 12 loss 0.5000") and "30 steps/s" in live
    broke = joined(progress_parts(snap(6, diverged_at=7), paused=False, rate=6.0)).plain  # type: ignore[arg-type]
    assert broke.startswith("DIVERGED at step 7, showing step 6") and "steps/s" not in broke
    viewed = joined(progress_parts(snap(40), paused=False, rate=9.0, live_step=90)).plain  # type: ignore[arg-type]
    assert viewed.startswith("viewing step 40 (live: 90)") and "steps/s" not in viewed
